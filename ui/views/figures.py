"""Figure builders: runs (arrays) -> Plotly figure dicts. Pure: no Dash here.

Each run draws two traces in every view, tagged ``meta = {"role", "run"}``: a faint *ghost* of
the whole path and the solid *path* so far; one more trace, ``meta = {"role": "markers"}``,
holds every run's point at ``frame`` (default: the last step), and the loss curve has a
``{"role": "cursor"}`` line at that step. The figures are complete, for tests and for use
outside the page. The page receives them with those traces empty (``payload.hollow_runs``) and
draws them from the trajectory store: ``assets/animation.js`` fills the ghosts once per scene
and moves paths and markers every frame without asking the server.

Arrays stay numpy here, so tests can read them; ``payload.compact_figure`` packs them into
Plotly's typed-array form before they are sent.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

import optimizers

from ui.model.compute import Run
from ui.model.grid import CONTOUR_RESOLUTION, SURFACE_RESOLUTION, inside_count, lifted_heights, surface_grid
from ui.views import palette as P

FONT = {"family": "Inter, 'Segoe UI', Roboto, system-ui, sans-serif", "size": 15, "color": P.INK}
LOSS_FLOOR = 1e-14  # log-y shows loss - f*, floored here so a run that hits f* exactly still shows
MARKER_SIZE = 15


def _frame(run: Run, frame: Optional[int]) -> int:
    last = len(run.loss) - 1
    return last if frame is None else int(min(max(frame, 0), last))


def _meta(role: str, i: int) -> dict:
    return {"role": role, "run": i}


def _base_layout(key: str, figure: str, uirevision: str) -> dict:
    # A white paper, not a transparent one: the panels are white anyway, and an exported PNG
    # then has a clean white background.
    return {"font": FONT, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
            "margin": {"l": 56, "r": 16, "t": 36, "b": 48}, "uirevision": uirevision,
            "meta": {"key": key, "figure": figure}, "showlegend": False,
            "hoverlabel": {"font": {"size": 14}}}


# --- contour -------------------------------------------------------------------------------------

def colour_key(landscape, resolution: int = CONTOUR_RESOLUTION) -> dict:
    """The contour map's colour key: title, CSS gradient and labelled ticks at fractions of the bar.

    The key is drawn in HTML beside the map rather than as a Plotly colour bar, which Plotly
    would lay out again on every update of the map (about a quarter of each update's time).
    """
    grid = surface_grid(landscape.name, resolution)
    lo, hi = float(np.nanmin(grid.height)), float(np.nanmax(grid.height))
    span = (hi - lo) or 1.0
    stops = ", ".join(f"{c} {100 * f:.0f}%" for f, c in P.SURFACE_SCALE)
    if grid.height_map.log:
        values = np.arange(np.ceil(lo), np.floor(hi) + 1)
        values = values[:: max(1, int(np.ceil(len(values) / 6)))]
        ticks = [((v - lo) / span, f"{10.0 ** v:g}") for v in values]
        title = "loss" if grid.height_map.offset == 0 else "loss − min"
    else:
        values = np.linspace(lo, hi, 5)
        ticks = [((v - lo) / span, f"{v:.3g}") for v in values]
        title = "loss"
    return {"title": title, "log": grid.height_map.log, "gradient": f"linear-gradient(to top, {stops})",
            "ticks": [(float(f), label) for f, label in ticks]}


def export_settings(legend: dict, colorbar: Optional[dict] = None) -> dict:
    """``layout.meta.export``: what assets/export.js adds to a copy of the figure for its PNG. On the page
    the run legend and the colour key are HTML over the graph, which Plotly's image cannot see; the
    image gets a Plotly legend of the paths and, on the map, a colour bar where the HTML key sits."""
    out = {"legend": {"font": {"size": 13}, "bgcolor": "rgba(255,255,255,0.85)", **legend}}
    if colorbar is not None:
        out["colorbar"] = colorbar
    return out


def contour_colorbar(landscape, resolution: int = CONTOUR_RESOLUTION) -> dict:
    """The colour key (``colour_key``) as a Plotly colour bar for the contour trace, in its right margin."""
    key, grid = colour_key(landscape, resolution), surface_grid(landscape.name, resolution)
    lo, hi = float(np.nanmin(grid.height)), float(np.nanmax(grid.height))
    return {"title": {"text": key["title"] + (" (log)" if key["log"] else ""), "side": "right"},
            "tickvals": [lo + f * ((hi - lo) or 1.0) for f, _ in key["ticks"]],
            "ticktext": [label for _, label in key["ticks"]], "thickness": 14, "len": 1, "lenmode": "fraction",
            "x": 1, "xanchor": "left", "xpad": 6, "outlinewidth": 0, "ticks": "outside", "ticklen": 3}


def contour_trace(grid, movable_start: bool = True) -> dict:
    """The filled contours; their hover offers the click that moves the start where there is one (a
    network's plane starts at its initialisation, so its hover only reads the point)."""
    hover = "x %{x:.2f}, y %{y:.2f}" + ("<br>click to start here" if movable_start else "") + "<extra></extra>"
    return {"type": "contour", "x": grid.xs, "y": grid.ys, "z": grid.height, "colorscale": P.SURFACE_SCALE,
            "zmin": float(np.nanmin(grid.height)), "zmax": float(np.nanmax(grid.height)), "meta": {"gaps": True},
            "ncontours": 22, "contours": {"coloring": "fill"},
            "line": {"width": 0.6, "color": P.CONTOUR_LINE}, "showscale": False,
            "hovertemplate": hover, "showlegend": False, "name": "surface"}


def minima_trace(landscape, z: Optional[np.ndarray] = None) -> dict:
    m = landscape.minima
    trace = {"type": "scatter3d" if z is not None else "scatter", "mode": "markers",
             "x": m[:, 0], "y": m[:, 1], "name": "known minimum", "showlegend": False,
             "hovertemplate": "known minimum (%{x:.3f}, %{y:.3f})<extra></extra>",
             "marker": {"symbol": "diamond" if z is not None else "star", "size": 8 if z is not None else 17,
                        "color": P.MINIMUM, "line": {"color": P.INK, "width": 1.5}}}
    if z is not None:
        trace["z"] = z
    return trace


def start_trace(start) -> dict:
    return {"type": "scatter", "mode": "markers", "x": [float(start[0])], "y": [float(start[1])],
            "name": "start", "showlegend": False, "hovertemplate": "start (%{x:.2f}, %{y:.2f})<extra></extra>",
            "marker": {"symbol": "circle-open", "size": 20, "color": P.INK, "line": {"width": 2.5}},
            "meta": {"role": "start"}}


def path_dash(run: Run) -> str:
    """A run that follows an earlier one exactly is dashed, so the one under it shows through."""
    return P.SAME_PATH_DASH if getattr(run, "same_as", None) else "solid"


def path_traces(run: Run, i: int, frame: Optional[int] = None) -> list:
    """Ghost and path-so-far of one run on the contour map."""
    k = _frame(run, frame)
    x, y = run.params[:, 0], run.params[:, 1]
    return [
        {"type": "scatter", "mode": "lines", "x": x, "y": y, "showlegend": False,
         "line": {"color": run.colour, "width": 2}, "opacity": 0.35, "hoverinfo": "skip",
         "name": run.title, "meta": _meta("ghost", i)},
        {"type": "scatter", "mode": "lines", "x": x[: k + 1], "y": y[: k + 1],
         "name": run.title, "line": {"color": run.colour, "width": 3.5, "dash": path_dash(run)}, "hoverinfo": "skip",
         "meta": _meta("path", i)},
    ]


def markers_trace(runs: Sequence[Run], frame: Optional[int] = None) -> dict:
    """Every run's current point on the contour map, in one trace."""
    ks = [_frame(r, frame) for r in runs]
    points = np.array([r.params[k] for r, k in zip(runs, ks)], dtype=float).reshape(-1, 2)
    return {"type": "scatter", "mode": "markers", "x": points[:, 0], "y": points[:, 1], "showlegend": False,
            "name": "now", "text": [r.title for r in runs],
            "hovertemplate": "<b>%{text}</b><br>(%{x:.3f}, %{y:.3f})<extra></extra>",
            "marker": {"color": [r.colour for r in runs], "size": MARKER_SIZE,
                       "line": {"color": "#ffffff", "width": 2}},
            "meta": {"role": "markers"}}


def contour_figure(landscape, runs: Sequence[Run], start, frame: Optional[int] = None, key: str = "",
                   resolution: int = CONTOUR_RESOLUTION) -> dict:
    """The landscape's contour map with its known minima, the start and every run's path."""
    grid = surface_grid(landscape.name, resolution)
    (xmin, xmax), (ymin, ymax) = landscape.bounds
    # data[1] is the basin map's slot (ui/views/layers.py), empty until one is drawn.
    basin_slot = {"type": "heatmap", "visible": False, "x": [], "y": [], "z": [], "showscale": False,
                  "hoverinfo": "skip", "name": "basin map", "meta": {"layer": "basin"}}
    movable = getattr(landscape, "directions", None) is None  # a network's plane: no start to move
    data = [contour_trace(grid, movable), basin_slot, minima_trace(landscape), start_trace(start)]
    for i, run in enumerate(runs):
        data += path_traces(run, i, frame)
    data.append(markers_trace(runs, frame))
    layout = _base_layout(key, "contour", landscape.name)
    axis = {"showgrid": False, "zeroline": False, "ticks": "outside", "mirror": True, "linecolor": P.INK,
            "constrain": "domain", "title": {"standoff": 4}}
    xname, yname = landscape.axis_names  # the landscape's own words: w and b on a regression
    layout["xaxis"] = {**axis, "range": [xmin, xmax], "title": {"text": xname, "standoff": 4}}
    layout["yaxis"] = {**axis, "range": [ymin, ymax], "title": {"text": yname, "standoff": 4},
                       "scaleanchor": "x", "scaleratio": 1}
    layout["hovermode"] = "closest"
    # The right margin holds the HTML colour key, the top one the HTML legend (one line holds
    # about 400 px of names).
    legend_px = sum(34 + 9 * len(r.title) for r in runs)
    layout["margin"] = {"l": 50, "r": 84, "t": 14 + 26 * max(1, int(np.ceil(legend_px / 400))), "b": 44}
    layout["meta"]["export"] = export_settings({"orientation": "h", "x": 0, "y": 1, "xanchor": "left",
                                                "yanchor": "bottom"}, contour_colorbar(landscape, resolution))
    return {"data": data, "layout": layout}


# --- 3-D surface ---------------------------------------------------------------------------------

def lifted_path_traces(run: Run, i: int, grid, bounds, frame: Optional[int] = None) -> list:
    """Ghost and path of one run lifted onto the 3-D surface (cut where it leaves the view)."""
    n = max(inside_count(run.params, bounds), 1)
    k = min(_frame(run, frame), n - 1)
    pts = run.params[:n]
    z = lifted_heights(grid, pts, run.loss[:n])
    x, y = pts[:, 0], pts[:, 1]
    return [
        {"type": "scatter3d", "mode": "lines", "x": x, "y": y, "z": z, "opacity": 0.35, "showlegend": False,
         "line": {"color": run.colour, "width": 4}, "hoverinfo": "skip", "name": run.title,
         "meta": _meta("ghost", i)},
        {"type": "scatter3d", "mode": "lines", "x": x[: k + 1], "y": y[: k + 1], "z": z[: k + 1],
         "line": {"color": run.colour, "width": 7, "dash": path_dash(run)}, "hoverinfo": "skip", "name": run.title,
         "showlegend": False, "meta": _meta("path", i)},
    ]


def lifted_markers_trace(runs: Sequence[Run], grid, bounds, frame: Optional[int] = None) -> dict:
    """Every run's current point on the 3-D surface, in one trace."""
    pts = []
    for run in runs:
        n = max(inside_count(run.params, bounds), 1)
        k = min(_frame(run, frame), n - 1)
        pts.append((*run.params[k], lifted_heights(grid, run.params[k:k + 1], run.loss[k:k + 1])[0]))
    xyz = np.array(pts, dtype=float).reshape(-1, 3)
    return {"type": "scatter3d", "mode": "markers", "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2],
            "marker": {"color": [r.colour for r in runs], "size": 7, "line": {"color": "#ffffff", "width": 1}},
            "hoverinfo": "skip", "name": "now", "showlegend": False, "meta": {"role": "markers"}}


def surface_figure(landscape, runs: Sequence[Run], frame: Optional[int] = None, key: str = "",
                   resolution: int = SURFACE_RESOLUTION) -> dict:
    """The landscape as a 3-D surface (log height when it spans decades), with the paths on it."""
    grid = surface_grid(landscape.name, resolution)
    (xmin, xmax), (ymin, ymax) = landscape.bounds
    lo, hi = float(np.nanmin(grid.height)), float(np.nanmax(grid.height))
    # Level lines on the surface match the contour map's, so the two views read as one.
    levels = {"show": True, "usecolormap": False, "color": P.CONTOUR_LINE, "width": 1,
              "start": lo, "end": hi, "size": (hi - lo) / 16 or 1.0, "highlight": False}
    data = [{"type": "surface", "x": grid.xs, "y": grid.ys, "z": grid.height, "colorscale": P.SURFACE_SCALE,
             "cmin": lo, "cmax": hi, "showscale": False, "hoverinfo": "skip", "name": "surface", "meta": {"gaps": True},
             "contours": {"z": levels, "x": {"highlight": False}, "y": {"highlight": False}},
             "lighting": {"ambient": 0.9, "diffuse": 0.35, "specular": 0.05}}]
    m = landscape.minima
    data.append(minima_trace(landscape, z=lifted_heights(grid, m, landscape.loss(m)) if len(m) else m[:, 0]))
    for i, run in enumerate(runs):
        data += lifted_path_traces(run, i, grid, landscape.bounds, frame)
    data.append(lifted_markers_trace(runs, grid, landscape.bounds, frame))
    layout = _base_layout(key, "surface", landscape.name)
    layout["margin"] = {"l": 0, "r": 0, "t": 0, "b": 0}
    ratio = (ymax - ymin) / (xmax - xmin)
    # No tick labels: at this size they are clutter, and the contour map has the numbers.
    axis = {"showbackground": False, "gridcolor": P.GRID, "showticklabels": False, "showspikes": False}
    layout["scene"] = {
        "xaxis": {**axis, "range": [xmin, xmax], "title": {"text": landscape.axis_names[0]}},
        "yaxis": {**axis, "range": [ymin, ymax], "title": {"text": landscape.axis_names[1]}},
        "zaxis": {**axis, "title": {"text": "log loss" if grid.height_map.log else "loss", "font": {"size": 13}}},
        "aspectmode": "manual", "aspectratio": {"x": 1, "y": ratio, "z": 0.55},
        # From the front and high up: valleys and the paths in them stay in sight.
        "camera": {"eye": {"x": 0.15, "y": -1.3, "z": 1.05}, "center": {"x": 0, "y": 0, "z": -0.12}},
        "uirevision": landscape.name}
    colorbar = {**contour_colorbar(landscape, resolution), "x": 1, "xanchor": "right", "len": 0.8}
    layout["meta"]["export"] = export_settings({"x": 0, "y": 1, "xanchor": "left", "yanchor": "top"}, colorbar)
    return {"data": data, "layout": layout}


# --- loss against step ----------------------------------------------------------------------------

def loss_offset(landscape, runs: Sequence[Run]) -> float:
    """f* for log-y: the lowest loss known (minima, or where none is known the view's grid and any run),
    so loss - f* is never negative (``optimizers.reference_loss``)."""
    if getattr(landscape, "f_star", None) is not None:  # a network's BCE: 0 is its bound, never reached
        return float(landscape.f_star)
    return optimizers.reference_loss(landscape, np.concatenate([np.ravel(r.loss) for r in runs] or [[]]))


def loss_floor(values: Sequence[np.ndarray], offset: float, exact: bool) -> float:
    """The lowest loss - f* a log axis shows: what the data supports, never less.

    Loss - f* cannot be resolved below the rounding of f* itself. Where f* is not a known minimum (only
    the lowest loss seen) or the values are not the losses f* was taken from (mini-batch losses, which
    may lie below it), a value at or under f* says nothing about how close it is: the floor is then a
    decade under the smallest positive gap the data shows, not 1e-14, so no curve dives to fake
    convergence."""
    floor = max(LOSS_FLOOR, 16 * np.finfo(np.float64).eps * abs(offset))
    if not exact:
        gaps = np.concatenate([np.ravel(v) for v in values] or [[]]) - offset
        positive = gaps[np.isfinite(gaps) & (gaps > 0)]
        if positive.size:
            floor = max(floor, float(positive.min()) / 10)
    return floor


def loss_values(loss: np.ndarray, log_y: bool, offset: float, floor: float = LOSS_FLOOR) -> np.ndarray:
    """What the loss curve plots: the loss, or loss - f* floored for a log axis (animation.js mirrors this)."""
    loss = np.clip(np.asarray(loss, dtype=np.float64), -1e30, 1e30)
    return np.maximum(loss - offset, floor) if log_y else loss


def reference_note(landscape, offset: float) -> str:
    """What f* is, for the loss curve (its axis title says only "loss − f*")."""
    if len(getattr(landscape, "minima", ())):
        return f"f* = {offset:.4g} (known minimum)"
    return f"f* = {offset:.4g} (lowest seen)"  # short: the panel's "log y" box sits at the right


def _loss_range(ys: Sequence[np.ndarray], runs: Sequence[Run], log_y: bool) -> list:
    """A y-range framed on where the runs start and where the sound ones go: a diverging run
    shoots off the top instead of squashing every other curve flat."""
    sound = [y for y, r in zip(ys, runs) if r.diverged_at < 0] or [y[:1] for y in ys]
    lo = min(float(np.min(y)) for y in sound)
    top = max(max(float(y[0]) for y in ys), max(float(np.median(y)) for y in sound))
    if not (np.isfinite(lo) and np.isfinite(top)):  # a run from a point where f is not finite: no range to frame
        return [0.0, 1.0]
    if log_y:
        lo, top = np.log10(lo), np.log10(top)
        return [lo - 0.3, top + 0.5 + 0.05 * (top - lo)]
    span = (top - lo) or 1.0
    return [lo - 0.05 * span, top + 0.15 * span]


def loss_x(run: Run, x_axis: str = "steps") -> np.ndarray:
    """Where each of a run's points sits on the loss curve's x axis: its step, or (``"evals"``) the
    gradient evaluations used to reach it (animation.js mirrors this)."""
    if x_axis == "evals" and run.evals_at is not None:
        return np.asarray(run.evals_at, dtype=np.float64)
    return np.arange(len(run.loss), dtype=np.float64)


def loss_figure(landscape, runs: Sequence[Run], frame: Optional[int] = None, log_y: bool = True,
                key: str = "", x_axis: str = "steps", offset: Optional[float] = None) -> dict:
    """Loss against step (or, ``x_axis="evals"``, against gradient evaluations) for every run, with
    a vertical line at the current step (steps only: on the evaluations axis each run is elsewhere).
    ``offset`` is f* when the runs' losses are not the ones it comes from (the mini-batch view passes
    the full loss's)."""
    evals = x_axis == "evals"
    exact = offset is None and len(getattr(landscape, "minima", ())) > 0
    offset = loss_offset(landscape, runs) if offset is None else offset
    floor = loss_floor([r.loss for r in runs], offset, exact) if log_y else LOSS_FLOOR
    steps = max((len(r.loss) - 1 for r in runs), default=1)
    k = min(steps, max(0, steps if frame is None else int(frame)))
    data, ys, xs = [], [], []
    unit = "evaluation" if evals else "step"
    for i, run in enumerate(runs):
        y = loss_values(run.loss, log_y, offset, floor)
        x = loss_x(run, x_axis)
        ys.append(y)
        xs.append(x)
        kk = _frame(run, k)
        where = ({"x": x}, {"x": x[: kk + 1]}) if evals else ({"x0": 0, "dx": 1}, {"x0": 0, "dx": 1})
        data += [
            {"type": "scatter", "mode": "lines", **where[0], "y": y, "opacity": 0.35, "showlegend": False,
             "line": {"color": run.colour, "width": 2}, "hoverinfo": "skip", "name": run.title,
             "meta": _meta("ghost", i)},
            {"type": "scatter", "mode": "lines", **where[1], "y": y[: kk + 1], "name": run.title,
             "line": {"color": run.colour, "width": 3, "dash": path_dash(run)}, "meta": _meta("path", i),
             "hovertemplate": f"<b>{run.title}</b> {unit} %{{x}}: %{{y:.4g}}<extra></extra>"},
        ]
    ks = [_frame(r, k) for r in runs]
    data.append({"type": "scatter", "mode": "markers", "x": [float(x[kk]) for x, kk in zip(xs, ks)],
                 "y": np.array([y[kk] for y, kk in zip(ys, ks)]),
                 "showlegend": False, "name": "now", "hoverinfo": "skip", "meta": {"role": "markers"},
                 "marker": {"color": [r.colour for r in runs], "size": 12, "line": {"color": "#ffffff", "width": 2}}})
    layout = _base_layout(key, "loss", landscape.name)
    shifted = "loss" if offset == 0 else "loss − f*"  # f* itself is said above the plot: a long title is cut off
    right = max((float(np.nanmax(x)) for x in xs), default=steps) if evals else steps
    layout["xaxis"] = {"range": [0, right or 1], "title": {"text": "gradient evaluations" if evals else "step",
                                                           "standoff": 2},
                       "gridcolor": P.GRID, "zeroline": False}
    layout["yaxis"] = {"type": "log" if log_y else "linear", "gridcolor": P.GRID, "zeroline": False,
                       "title": {"text": shifted if log_y else "loss", "standoff": 6}, "exponentformat": "power",
                       "automargin": True}  # the margin grows to fit wide tick labels: the title never sits on them
    if log_y and offset != 0:
        layout["annotations"] = [{"text": reference_note(landscape, offset), "showarrow": False, "xref": "paper",
                                  "yref": "paper", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom",
                                  "font": {"size": 12, "color": P.INK}, "name": "f*"}]
    if ys:
        layout["yaxis"]["range"] = _loss_range(ys, runs, log_y)
        if log_y:  # whole decades only, at most about six labels
            span = layout["yaxis"]["range"][1] - layout["yaxis"]["range"][0]
            layout["yaxis"]["dtick"] = max(1, int(np.ceil(span / 6)))
    layout["margin"] = {"l": 64, "r": 12, "t": 36, "b": 44}
    # The current-step line is a trace, not a shape: the animation can then move it without a
    # relayout (about 15 ms a frame in headless Chromium).
    lo, hi = layout["yaxis"].get("range", [0, 1])
    span = [10.0 ** lo, 10.0 ** hi] if log_y else [lo, hi]
    data.insert(0, {"type": "scatter", "mode": "lines", "x": [k, k], "y": span, "showlegend": False,
                    "visible": not evals,
                    "hoverinfo": "skip", "name": "current step", "meta": {"role": "cursor"},
                    "line": {"color": P.INK, "width": 1.5, "dash": "dot"}})
    layout["meta"]["lossMap"] = {"log": bool(log_y), "offset": offset, "floor": floor, "x": x_axis}
    layout["meta"]["export"] = export_settings({"x": 1, "y": 1, "xanchor": "right", "yanchor": "top",
                                                "bordercolor": P.GRID, "borderwidth": 1})
    return {"data": data, "layout": layout}
