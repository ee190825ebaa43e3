"""A network scene's two small views, as Plotly figures: the data with each run's decision boundary,
and what one weight sees (the loss along it, every other parameter held, with its tangent).

Both are drawn from the payload of ``ui/model/network_views.py`` at one frame (by default the last
step); as the animation plays, ``assets/network_views.js`` moves them to the key step at or before
the frame, in the browser, with the same arithmetic as ``weight_curve`` and ``tangent`` below.
Each run trace's ``meta`` is ``{"role": "boundary" | "curve" | "tangent" | "held", "run": i}``; the
layout's ``meta`` is ``{"key": <the payload part's key>, "view": "boundary" | "weight", "what": <the
title before " · step k">}``, so the browser restyles a figure only with the payload it was made from.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import numpy as np

from ui.model.network_views import dequantise, key_index, unpack_i1
from ui.model.payload import unpack
from ui.views import palette as P
from ui.views.figures import FONT

# Two classes told apart by shape first (a ring and a cross), and by lightness: no hue of its own,
# so the run colours of the boundaries stay the only colours on the graph.
CLASS_MARKERS = ((1.0, "circle-open", "#3b4650", "class 1"), (0.0, "x-thin-open", "#8a959e", "class 0"))
HEIGHT = 360


def _layout(what: str, steps, ki: int, key: str, view: str, xaxis: dict, yaxis: dict) -> dict:
    # the title at the top of the figure, the legend under it (two rows on a phone), then the plot
    return {"title": {"text": step_title(what, steps, ki), "x": 0.02, "xanchor": "left", "font": {"size": 15},
                      "yref": "container", "y": 0.985, "yanchor": "top"},
            "meta": {"key": key, "view": view, "what": what}, "font": FONT, "height": HEIGHT,
            "margin": {"l": 56, "r": 12, "t": 84, "b": 48}, "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff", "uirevision": view, "hovermode": False,
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": 12}},
            "xaxis": {"gridcolor": P.GRID, "zeroline": False, "automargin": True, **xaxis},
            "yaxis": {"gridcolor": P.GRID, "zeroline": False, "automargin": True, **yaxis}}


def step_title(what: str, steps: Sequence[int], ki: int) -> str:
    return f"{what} · step {int(steps[ki])}"


# --- the decision boundary --------------------------------------------------------------------------

def class_traces(X: np.ndarray, y: np.ndarray) -> list:
    """The samples, one trace per class."""
    traces = []
    for label, symbol, colour, name in CLASS_MARKERS:
        keep = (np.asarray(y) > 0.5) == (label > 0.5)
        traces.append({"type": "scatter", "mode": "markers", "x": np.round(X[keep, 0], 4).tolist(),
                       "y": np.round(X[keep, 1], 4).tolist(), "name": name, "hoverinfo": "skip",
                       "marker": {"symbol": symbol, "color": colour, "size": 6, "opacity": 0.75,
                                  "line": {"color": colour, "width": 1.3}}})
    return traces


def boundary_z(payload: dict, run: int, ki: int) -> np.ndarray:
    """Run ``run``'s logits (dequantised) on the input grid at key step ``ki``: (rows y, columns x)."""
    return dequantise(unpack_i1(payload["boundary"]["z"])[run, ki])


def boundary_figure(payload: dict, data: Tuple[np.ndarray, np.ndarray], colours: Sequence[str],
                    titles: Sequence[str], frame: Optional[int] = None) -> dict:
    """The data and each run's logit = 0 line at the key step at or before ``frame`` (default: last)."""
    b, steps = payload["boundary"], payload["steps"]
    ki = len(steps) - 1 if frame is None else key_index(steps, frame)
    X, y = (np.asarray(a, dtype=np.float64) for a in data)
    traces = class_traces(X, y)
    for r, (colour, title) in enumerate(zip(colours, titles)):
        traces.append({"type": "contour", "x": b["x"], "y": b["y"], "z": np.round(boundary_z(payload, r, ki), 3).tolist(),
                       "autocontour": False, "contours": {"start": 0, "end": 0, "size": 1, "coloring": "none"},
                       "line": {"color": colour, "width": 3}, "showscale": False, "hoverinfo": "skip",
                       "name": title, "showlegend": True, "meta": {"role": "boundary", "run": r}})
    return {"data": traces, "layout": _layout(
        "Decision boundary", steps, ki, b["key"], "boundary",
        {"title": {"text": "x₁"}, "range": [b["x"][0], b["x"][-1]]},
        {"title": {"text": "x₂"}, "range": [b["y"][0], b["y"][-1]]})}


# --- what one weight sees ---------------------------------------------------------------------------

def _weight_arrays(payload: dict) -> dict:
    w = payload["weight"]
    return {k: unpack(w[k]) for k in ("values", "loss", "at", "loss_at", "slope_at")}


def weight_curve(payload: dict, run: int, ki: int, arrays: Optional[dict] = None) -> Tuple[List[float], List[float]]:
    """The loss along the weight for one run at key step ``ki``, with the held point put in its place
    among the samples, so the curve goes through the marker."""
    a = arrays or _weight_arrays(payload)
    xs, ys = list(a["values"]), list(a["loss"][run, ki])
    at, loss_at = float(a["at"][run, ki]), float(a["loss_at"][run, ki])
    i = int(np.searchsorted(a["values"], at))
    return xs[:i] + [at] + xs[i:], ys[:i] + [loss_at] + ys[i:]


def tangent(payload: dict, run: int, ki: int, arrays: Optional[dict] = None) -> Tuple[List[float], List[float]]:
    """The tangent at the held value: loss_at + slope_at (w − at), ``half`` either side."""
    a = arrays or _weight_arrays(payload)
    at, loss_at, slope = (float(a[k][run, ki]) for k in ("at", "loss_at", "slope_at"))
    h = float(payload["weight"]["half"])
    return [at - h, at + h], [loss_at - slope * h, loss_at + slope * h]


def weight_figure(payload: dict, colours: Sequence[str], titles: Sequence[str], frame: Optional[int] = None) -> dict:
    """Per run: the loss along the weight, the tangent (dashed) and the held value (a marker)."""
    w, steps = payload["weight"], payload["steps"]
    ki = len(steps) - 1 if frame is None else key_index(steps, frame)
    a = _weight_arrays(payload)
    traces = []
    for r, (colour, title) in enumerate(zip(colours, titles)):
        xs, ys = weight_curve(payload, r, ki, a)
        tx, ty = tangent(payload, r, ki, a)
        traces += [
            {"type": "scatter", "mode": "lines", "x": xs, "y": ys, "name": title, "hoverinfo": "skip",
             "line": {"color": colour, "width": 2}, "opacity": 0.55, "meta": {"role": "curve", "run": r}},
            # the tangent lies on the curve where it touches: drawn over it, darker and thicker
            {"type": "scatter", "mode": "lines", "x": tx, "y": ty, "showlegend": False, "hoverinfo": "skip",
             "line": {"color": colour, "width": 3.5, "dash": "dash"}, "meta": {"role": "tangent", "run": r}},
            {"type": "scatter", "mode": "markers", "x": [float(a["at"][r, ki])], "y": [float(a["loss_at"][r, ki])],
             "showlegend": False, "hoverinfo": "skip", "meta": {"role": "held", "run": r},
             "marker": {"color": colour, "size": 11, "line": {"color": "#ffffff", "width": 1.5}}}]
    lo, hi = w["range"]
    return {"data": traces, "layout": _layout(
        f"What {w['name']} sees", steps, ki, w["key"], "weight",
        {"title": {"text": f"{w['name']}"}, "range": [lo, hi]},
        {"title": {"text": "loss (full batch)"}, "autorange": True})}
