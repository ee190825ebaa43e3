"""The lr-sensitivity plot (issue 15): a pure figure, no Dash.

One curve per optimizer in its run colour: its score at every rate (log x). A rate where it
diverged (or, for steps to tolerance, never got there) is a gap in the curve and a marker in its
own row above the dotted line at the top; its best rate is a star on the curve.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from optimizers.tune import FLOOR, TuneResult

from ui.views.palette import GRID, INK

TRACES_PER_OPTIMIZER = 3   # the curve, its best rate, its rates off the chart
Y_TITLES = {"mean_log_loss": "mean log₁₀(loss − f*)", "final_loss": "final loss − f*",
            "steps_to_tol": "steps to tolerance"}


def plotted(result: TuneResult) -> np.ndarray:
    """The y values drawn: the scores (the final loss as its gap to f*, for a log axis); NaN where
    the score is not finite, which Plotly draws as a gap."""
    y = np.array(result.scores, dtype=float)
    if result.score == "final_loss":
        with np.errstate(invalid="ignore"):
            y = np.maximum(y - result.f_star, FLOOR)
    return np.where(np.isfinite(y), y, np.nan)


def off_rows(result: TuneResult, y: np.ndarray):
    """(the dotted line's height, each optimizer's row of off-chart markers above it), in data
    units: a row per optimizer, so rates where several diverged show every one of them."""
    log = result.score == "final_loss"
    finite = y[np.isfinite(y)]
    units = np.log10(finite) if log else finite
    lo, hi = (float(units.min()), float(units.max())) if units.size else (0.0, 1.0)
    gap = max(0.06 * (hi - lo), 0.15)
    line = hi + 1.5 * gap
    rows = [line + (i + 1) * gap for i in range(len(result.names))]
    back = (lambda v: float(10.0 ** v)) if log else float
    return back(line), [back(v) for v in rows], (lo - gap, rows[-1] + gap if rows else line + gap)


def y_ticks(result: TuneResult, line: float, y_range) -> list:
    """Tick values below the dotted line only: above it the rows of markers are not scores."""
    if not np.isfinite(result.scores).any():
        return []
    if result.score == "final_loss":
        first, last = int(np.ceil(y_range[0])), int(np.floor(np.log10(line)))
        every = max(1, -(-(last - first + 1) // 8))   # at most 8 decades labelled
        return [float(10.0 ** k) for k in range(last, first - 1, -every)][::-1]
    lo = y_range[0]
    span = max(line - lo, 1e-9)
    unit = 10.0 ** np.floor(np.log10(span / 5))
    step = next(m * unit for m in (1, 2, 5, 10) if span / (m * unit) <= 7)
    return [float(round(v, 10)) + 0.0 for v in np.arange(np.ceil(lo / step) * step, line, step)]


def _nan_to_none(values) -> list:
    return [None if not np.isfinite(v) else float(v) for v in values]


def sensitivity_figure(result: TuneResult, colours: Sequence[str], titles: Sequence[str], title: str = "") -> go.Figure:
    """Score against lr for every optimizer of ``result``: TRACES_PER_OPTIMIZER traces each, in
    order (curve, best, off the chart), with ``layout.meta`` saying which score it shows."""
    y = plotted(result)
    line, rows, y_range = off_rows(result, y)
    lrs = [float(v) for v in result.lrs]
    log_y = result.score == "final_loss"
    fig = go.Figure()
    for i, (name, colour, label) in enumerate(zip(result.names, colours, titles)):
        j = int(result.best_index[i])
        fig.add_trace(go.Scatter(
            x=lrs, y=_nan_to_none(y[i]), mode="lines+markers", name=label, legendgroup=name,
            line={"color": colour, "width": 2.5}, marker={"color": colour, "size": 5},
            connectgaps=False, meta={"role": "curve", "optimizer": name},
            hovertemplate=f"{label}<br>lr %{{x:.4g}}<br>score %{{y:.4g}}<extra></extra>"))
        best = [] if not np.isfinite(y[i, j]) else [j]
        fig.add_trace(go.Scatter(
            x=[lrs[k] for k in best], y=[float(y[i, k]) for k in best], mode="markers", legendgroup=name,
            showlegend=False, meta={"role": "best", "optimizer": name},
            marker={"color": colour, "size": 17, "symbol": "star", "line": {"color": INK, "width": 1.2}},
            hovertemplate=f"{label}: best lr %{{x:.4g}}<extra></extra>"))
        off = np.flatnonzero(~np.isfinite(y[i]))
        symbols = ["x-thin-open" if result.diverged[i, k] else "circle-open" for k in off]
        fig.add_trace(go.Scatter(
            x=[lrs[k] for k in off], y=[rows[i]] * len(off), mode="markers", legendgroup=name, showlegend=False,
            meta={"role": "off", "optimizer": name},
            text=["diverged" if result.diverged[i, k] else "never reached the tolerance" for k in off],
            marker={"color": colour, "size": 9, "symbol": symbols, "line": {"color": colour, "width": 2}},
            hovertemplate=f"{label}, lr %{{x:.4g}}: %{{text}}<extra></extra>"))
    label = "× diverged" + (" · ○ never" if result.score == "steps_to_tol" else "")
    fig.add_hline(y=line, line={"color": INK, "width": 1, "dash": "dot"}, opacity=0.5,
                  annotation={"text": label, "font": {"size": 12, "color": INK}, "xanchor": "right"},
                  annotation_position="bottom right")
    fig.update_layout(
        title={"text": title, "font": {"size": 14}, "x": 0.01, "xanchor": "left"} if title else None,
        margin={"l": 60, "r": 20, "t": 64 if title else 30, "b": 46}, height=380,
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="#ffffff", hovermode="closest",
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={"type": "log", "title": {"text": "learning rate"}, "gridcolor": GRID, "exponentformat": "power",
               "range": [float(np.log10(lrs[0])) - 0.05, float(np.log10(lrs[-1])) + 0.05]},
        yaxis={"type": "log" if log_y else "linear", "title": {"text": Y_TITLES[result.score]},
               "gridcolor": GRID, "range": list(y_range), "zeroline": False,
               "tickmode": "array", "tickvals": y_ticks(result, line, y_range)},
        meta={"figure": "tune", "score": result.score, "optimizers": list(result.names)})
    return fig
