"""The data beside a dataset landscape, with each run's current fit: what the point on the map means.

A dataset landscape (``landscapes/datasets.py``) describes its samples and model in its ``samples``
record; nothing here names a landscape. For ``model == "line"`` the point (p₀, p₁) is the line
y = p₀ x + p₁ through the samples; for ``"boundary"`` it is the decision boundary p₀ x₁ + p₁ x₂ = 0
between the two classes. The server draws the data and each run's fit at its last step once per
scene; as the animation plays, ``assets/fit.js`` moves the lines from the trajectory store in the
browser (the same formula as ``fit_line``), with no request per frame.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import numpy as np

from ui.views import palette as P
from ui.views.figures import FONT, path_dash

CLASS_MARKERS = {1.0: ("circle", "#5b6770", "class +1"), -1.0: ("x-thin-open", "#5b6770", "class −1")}
MARGIN = 0.08  # the view around the data, as a fraction of its span


def _span(values: np.ndarray) -> Tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = MARGIN * (hi - lo or 1.0)
    return round(lo - pad, 3), round(hi + pad, 3)


def view_ranges(data) -> Tuple[Tuple[float, float], Tuple[float, float]]:
    """(x range, y range) of the data view: the samples with a margin."""
    if data["model"] == "line":
        return _span(data["x"]), _span(data["y"])
    return _span(data["x1"]), _span(data["x2"])


def fit_line(model: str, p, xrange, yrange) -> Tuple[List[float], List[float]]:
    """The two end points (xs, ys) of the fit that parameters p = (p₀, p₁) define, across the view."""
    p0, p1 = float(p[0]), float(p[1])
    if not (np.isfinite(p0) and np.isfinite(p1)):
        return [], []
    if model == "line":
        return list(xrange), [p0 * x + p1 for x in xrange]
    if p0 == 0 and p1 == 0:
        return [], []  # every point on the boundary: nothing to draw
    if abs(p1) >= abs(p0):
        return list(xrange), [-p0 * x / p1 for x in xrange]
    return [-p1 * y / p0 for y in yrange], list(yrange)


def _data_traces(data) -> list:
    if data["model"] == "line":
        return [{"type": "scatter", "mode": "markers", "x": data["x"], "y": data["y"], "name": "samples",
                 "marker": {"color": "#5b6770", "size": 5, "opacity": 0.55}, "hoverinfo": "skip"}]
    traces = []
    for label, (symbol, colour, name) in CLASS_MARKERS.items():
        keep = data["label"] == label
        traces.append({"type": "scatter", "mode": "markers", "x": data["x1"][keep], "y": data["x2"][keep],
                       "name": name, "hoverinfo": "skip",
                       "marker": {"symbol": symbol, "color": colour, "size": 6, "opacity": 0.6,
                                  "line": {"color": colour, "width": 1.2}}})
    return traces


def fit_figure(landscape, runs: Sequence, key: str = "", frame: Optional[int] = None) -> Optional[dict]:
    """The samples and one fit line per run (at ``frame``, default its last step), or None for a
    landscape without data. Each line's ``meta`` is ``{"role": "fit", "run": i}``, the layout's
    ``meta`` holds the model and the view for ``assets/fit.js``."""
    data = landscape.samples
    if data is None:
        return None
    xrange, yrange = view_ranges(data)
    traces = _data_traces(data)
    for i, run in enumerate(runs):
        k = len(run.params) - 1 if frame is None else min(frame, len(run.params) - 1)
        xs, ys = fit_line(data["model"], run.params[k], xrange, yrange)
        traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "name": run.title,
                       "line": {"color": run.colour, "width": 3, "dash": path_dash(run)}, "hoverinfo": "skip",
                       "meta": {"role": "fit", "run": i}})
    names = ("x", "y") if data["model"] == "line" else ("x₁", "x₂")
    what = "the line y = w x + b" if data["model"] == "line" else "the boundary w₁ x₁ + w₂ x₂ = 0"
    axis = {"showgrid": False, "zeroline": False, "ticks": "outside", "mirror": True, "linecolor": P.INK}
    return {"data": traces, "layout": {
        "font": FONT, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "showlegend": False,
        "margin": {"l": 44, "r": 10, "t": 30, "b": 36}, "uirevision": landscape.name,
        "title": {"text": f"The data, and each run's fit: {what}", "font": {"size": 13}, "x": 0.02},
        "xaxis": {**axis, "range": list(xrange), "title": {"text": names[0], "standoff": 2}},
        "yaxis": {**axis, "range": list(yrange), "title": {"text": names[1], "standoff": 2}},
        "meta": {"key": key, "figure": "fit", "model": data["model"], "xrange": list(xrange),
                 "yrange": list(yrange)}}}
