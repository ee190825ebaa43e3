"""Figure parts for issue 5: the spread of repeated seeds, the mini-batch loss curve, the basin
layer over the contour map and its legend, and the stability heatmap. Pure: arrays -> dicts.

Traces that carry gaps (NaN between the paths of one trace, cells a map leaves empty) say so
with ``meta = {"gaps": True}``, and ``payload.compact_figure`` keeps their NaN.
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional, Sequence

import numpy as np

from optimizers.maps import DIVERGED, ELSEWHERE, NOT_CONVERGED

from ui.model.compute import Run
from ui.model.payload import thin_index
from ui.views import figures, network
from ui.views import palette as P

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _thin(a: np.ndarray) -> np.ndarray:
    return a[thin_index(len(a))] if len(a) else a


def _joined(parts: Sequence[np.ndarray]) -> np.ndarray:
    """Arrays one after another with a NaN between them: one trace, several lines."""
    out = []
    for part in parts:
        out += [part, np.full((1,) + part.shape[1:], np.nan)]
    return np.concatenate(out[:-1]) if out else np.zeros(0)


# --- repeated seeds ---------------------------------------------------------------------------------

def spread_traces(runs: Sequence[Run]) -> list:
    """The contour map's faint extra paths: one trace per run that has repeats."""
    traces = []
    for i, run in enumerate(runs):
        if run.spread is None or not len(run.spread):
            continue
        xy = _joined([_thin(p) for p in run.spread])
        traces.append({"type": "scatter", "mode": "lines", "x": xy[:, 0], "y": xy[:, 1], "showlegend": False,
                       "line": {"color": run.colour, "width": 1.2}, "opacity": 0.3, "hoverinfo": "skip",
                       "connectgaps": False, "name": f"{run.title}: other seeds", "meta": {"gaps": True, "spread": i}})
    return traces


def loss_spread_traces(runs: Sequence[Run], log_y: bool, offset: float, x_axis: str = "steps",
                       floor: float = figures.LOSS_FLOOR) -> list:
    traces = []
    for i, run in enumerate(runs):
        if run.spread_loss is None or not len(run.spread_loss):
            continue
        # the curves mirror the run's own (which the store keeps whole), thinned on the same steps
        steps = figures.loss_x(run, x_axis)[thin_index(len(run.loss))]
        xs = _joined([steps for _ in run.spread_loss])
        ys = _joined([figures.loss_values(y[thin_index(len(y))], log_y, offset, floor) for y in run.spread_loss])
        traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "showlegend": False,
                       "line": {"color": run.colour, "width": 1}, "opacity": 0.3, "hoverinfo": "skip",
                       "connectgaps": False, "name": f"{run.title}: other seeds", "meta": {"gaps": True, "spread": i}})
    return traces


def with_spread(contour: dict, runs: Sequence[Run]) -> dict:
    contour["data"] += spread_traces(runs)
    return contour


# --- the loss curve: full or mini-batch ---------------------------------------------------------------

def batch_runs(runs: Sequence[Run]) -> List[Run]:
    """The runs with the mini-batch loss in place of the full loss (runs without one unchanged)."""
    return [dataclasses.replace(r, loss=r.batch_loss, spread_loss=r.spread_batch_loss)
            if r.batch_loss is not None and len(r.batch_loss) else r for r in runs]


def loss_view(landscape, runs: Sequence[Run], log_y: bool = True, key: str = "", kind: str = "full",
              x_axis: str = "steps") -> dict:
    """``figures.loss_figure`` of the full-batch loss, or (``kind="batch"``) of the loss on the
    mini-batch each step's gradient came from; the repeated seeds' curves drawn faintly under it.
    ``x_axis="evals"`` draws it against gradient evaluations instead of steps."""
    batch = kind == "batch" and any(r.batch_loss is not None for r in runs)
    shown = batch_runs(runs) if batch else list(runs)
    # One f*, the full loss's: a mini-batch's loss measured against its own lowest would dive to it.
    offset = figures.loss_offset(landscape, runs) if batch else None
    fig = figures.loss_figure(landscape, shown, log_y=log_y, key=key, x_axis=x_axis, offset=offset)
    meta = fig["layout"]["meta"]
    meta["lossMap"]["source"] = "batch" if batch else "full"
    if batch:
        title = fig["layout"]["yaxis"]["title"]["text"]
        fig["layout"]["yaxis"]["title"]["text"] = "mini-batch " + title
        for note in fig["layout"].get("annotations", []):
            note["text"] += "; batches below it: at the floor"
    fig["data"] += loss_spread_traces(shown, log_y, meta["lossMap"]["offset"], x_axis,
                                   meta["lossMap"]["floor"])
    return network.with_accuracy(fig, runs, x_axis)


# --- surface notes -----------------------------------------------------------------------------------

def surface_notes(grid) -> List[str]:
    """What the contour map does not show as it is: gaps where f is not finite, clipped extremes."""
    notes = []
    if grid.nonfinite > 0:
        notes.append(f"f is not finite on {100 * grid.nonfinite:.0f}% of the view (e.g. log or sqrt of a negative "
                     "number, or an overflow): those points are left blank, and a run that goes there stops.")
    if grid.clip is not None:
        (lo, hi), (f_lo, f_hi) = grid.clip, grid.span
        if lo > f_lo and hi < f_hi:
            notes.append(f"The colours show f clipped to {lo:.3g}…{hi:.3g} (f spans {f_lo:.3g}…{f_hi:.3g} here): "
                         "more extreme values would wash out the rest of the map.")
        elif hi < f_hi:
            notes.append(f"The colours show f clipped at {hi:.3g} (f reaches {f_hi:.3g} here): "
                         "larger values would wash out the rest of the map.")
        else:
            notes.append(f"The colours show f clipped from below at {lo:.3g} (f falls to {f_lo:.3g} here): "
                         "lower values would wash out the rest of the map.")
    return notes


# --- the basin layer ------------------------------------------------------------------------------------

def basin_categories(n_minima: int) -> list:
    """(label, colour, name) for every label a basin map can hold, in legend order."""
    cats = [(k, P.BASIN_MINIMA[k % len(P.BASIN_MINIMA)], f"minimum {k + 1}") for k in range(n_minima)]
    return cats + [(ELSEWHERE, P.BASIN_ELSEWHERE, "settled elsewhere"),
                   (NOT_CONVERGED, P.BASIN_NOT_CONVERGED, "not converged"),
                   (DIVERGED, P.BASIN_DIVERGED, "diverged")]


BASIN_SLOT = 1  # the basin layer's index in the contour figure: over the surface, under everything else


def basin_patch(patch, trace: Optional[dict]):
    """Show ``trace`` in the basin slot, or hide the layer (None). Plotly draws heatmaps under
    contours whatever their order, so while a basin map shows, the contour map keeps only its
    level lines (``coloring: "none"``) over it."""
    if trace is None:
        patch["data"][BASIN_SLOT]["visible"] = False
        patch["data"][0]["contours"]["coloring"] = "fill"
    else:
        patch["data"][BASIN_SLOT] = trace
        patch["data"][0]["contours"]["coloring"] = "none"
    return patch


def basin_trace(labels: np.ndarray, steps: np.ndarray, xs, ys, n_minima: int, mode: str = "minimum",
                n_steps: int = 0) -> dict:
    """The basin map as a heatmap over the contour map.

    mode "minimum": a colour per known minimum reached, and for settled elsewhere, not converged
    and diverged. mode "steps": steps to converge (the first step with ‖∇f‖ below the
    tolerance), pale to dark; starts that never got there are left clear.
    """
    trace = {"type": "heatmap", "x": np.asarray(xs, float), "y": np.asarray(ys, float), "showscale": False,
             "opacity": 0.85, "zsmooth": False, "name": "basin map", "meta": {"layer": "basin", "gaps": True}}
    if mode == "steps":
        z = np.where(steps >= 0, steps, np.nan).astype(float)
        trace.update(z=z, zmin=0, zmax=max(1, n_steps), colorscale=P.BASIN_STEPS_SCALE,
                     hovertemplate="start (%{x:.2f}, %{y:.2f}): converged in %{z:.0f} steps<extra></extra>")
        return trace
    cats = basin_categories(n_minima)
    # minimum k -> k; settled elsewhere (-3), not converged (-2), diverged (-1) -> n_minima + 0, 1, 2
    z = np.where(labels >= 0, labels, n_minima + labels + 3).astype(float)
    n = len(cats)
    scale = []
    for i, (_, colour, _) in enumerate(cats):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    trace.update(z=z, zmin=-0.5, zmax=n - 0.5, colorscale=scale,
                 hovertemplate="start (%{x:.2f}, %{y:.2f})<br>click to start here<extra></extra>")
    return trace


def basin_legend(labels: np.ndarray, steps: np.ndarray, minima, mode: str, n_steps: int) -> dict:
    """What the legend shows: a title and rows of {colour, text} (minimum mode) or a gradient
    (steps mode); shares are of all starts."""
    total = max(labels.size, 1)
    if mode == "steps":
        done = steps[steps >= 0]
        text = (f"median {int(np.median(done))}, slowest {int(done.max())}" if done.size else "none converged")
        return {"title": "Steps to converge", "gradient": P.BASIN_STEPS_SCALE, "low": "0", "high": str(n_steps),
                "rows": [{"colour": "transparent", "text": f"clear: not within {n_steps} steps "
                                                           f"({100 * (steps < 0).sum() / total:.0f}%)"},
                         {"colour": None, "text": text}]}
    rows = []
    for label, colour, name in basin_categories(len(minima)):
        count = int((labels == label).sum())
        if count == 0:
            continue
        if label >= 0:
            name = f"{name} ({minima[label][0]:.2f}, {minima[label][1]:.2f})"
        rows.append({"colour": colour, "text": f"{name}: {100 * count / total:.0f}%"})
    return {"title": "Basin: where each start ends", "rows": rows}


# --- the stability map ----------------------------------------------------------------------------------

def decade_label(k: int) -> str:
    """10⁻⁵ … 0.1, 1, 10: short tick labels for a log10 axis."""
    return f"{10.0 ** k:g}" if k >= -1 else "10" + str(int(k)).translate(SUPERSCRIPT)


def stability_figure(smap, current: Optional[tuple] = None, title: str = "") -> dict:
    """Final loss over log10(lr) × momentum: log10(loss − f*) coloured dark (low) to pale (high),
    diverged cells red. A click gives (log10 lr, momentum), what the sliders hold."""
    x = np.log10(smap.lrs)
    y = np.asarray(smap.momenta, float)
    with np.errstate(all="ignore"):
        gap = np.log10(np.maximum(smap.final_loss - smap.f_min, 0.0) + 1e-12)
    finite = gap[np.isfinite(gap)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    symbol = "β₁" if smap.param == "beta1" else "μ"
    data = [
        {"type": "heatmap", "x": x, "y": y, "z": gap, "zmin": lo, "zmax": max(hi, lo + 1e-9),
         "colorscale": P.STABILITY_SCALE, "showscale": True, "zsmooth": False, "name": "final loss",
         "colorbar": {"title": {"text": "log₁₀(loss − f*)", "side": "right"}, "thickness": 14},
         "hovertemplate": f"lr %{{customdata:.3g}}, {symbol} %{{y:.2f}}<br>log₁₀(final loss − f*) %{{z:.2f}}"
                          "<br>click to use these settings<extra></extra>",
         "customdata": np.broadcast_to(smap.lrs, gap.shape), "hoverongaps": False,
         "meta": {"gaps": True, "role_map": "loss"}},
        # Each cell's hover names the real lr (x is log10 lr): customdata holds [lr, diverged at step].
        {"type": "heatmap", "x": x, "y": y, "z": np.where(smap.diverged, 1.0, np.nan), "zmin": 0, "zmax": 1,
         "colorscale": [[0, P.STABILITY_DIVERGED], [1, P.STABILITY_DIVERGED]], "showscale": False,
         "zsmooth": False, "name": "diverged", "hoverongaps": False,
         "customdata": np.stack([np.broadcast_to(smap.lrs, gap.shape),
                                 np.where(smap.diverged, smap.diverged_at, -1)], axis=-1).tolist(),
         "hovertemplate": f"lr %{{customdata[0]:.3g}}, {symbol} %{{y:.2f}}<br>diverged at step "
                          "%{customdata[1]:d}<extra></extra>",
         "meta": {"gaps": True, "role_map": "diverged"}},
    ]
    if current is not None:
        data.append({"type": "scatter", "mode": "markers", "x": [float(np.log10(current[0]))],
                     "y": [float(current[1])], "name": "now", "hoverinfo": "skip", "showlegend": False,
                     "marker": {"symbol": "circle-open", "size": 16, "color": P.INK, "line": {"width": 3}},
                     "meta": {"role_map": "current"}})
    ticks = list(range(int(np.ceil(x.min())), int(np.floor(x.max())) + 1))
    # A long title in two lines: beside the map in Present mode the plot is half as wide.
    if len(title) > 40 and ", from " in title:
        title = title.replace(", from ", "<br>from ", 1)
    layout = {"font": figures.FONT, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
              "margin": {"l": 64, "r": 16, "t": 62 if "<br>" in title else 40, "b": 52}, "showlegend": False,
              "title": {"text": title, "font": {"size": 15}, "x": 0.01, "xanchor": "left"},
              "xaxis": {"title": {"text": "learning rate (log scale)"}, "tickvals": ticks,
                        "ticktext": [decade_label(k) for k in ticks], "showgrid": False},
              "yaxis": {"title": {"text": f"momentum {symbol}"}, "showgrid": False},
              "meta": {"figure": "stability", "param": smap.param, "optimizer": smap.optimizer}}
    return {"data": data, "layout": layout}
