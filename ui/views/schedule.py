"""Figures of the teaching panels: the learning-rate schedule. Pure: runs (arrays) -> figure dict.

The current step is drawn over the figure by ``assets/overlay.js`` (the same cursor as the loss
curve's), so playing moves it without redrawing the figure.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ui.model.compute import Run
from ui.views import palette as P
from ui.views.figures import FONT


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.allclose(a, b, rtol=1e-12, atol=0)


DASHES = ("solid", "dash", "dot", "dashdot")


def _columns(run: Run) -> list:
    """(column of run.lr, its name or "", dash) to draw: x and y apart when they differ, or one line
    per parameter group of a network run (``run.lr_names``: its layers)."""
    names = getattr(run, "lr_names", None)
    if names and run.lr.shape[1] == len(names):
        if len(names) == 1:
            return [(0, "", "solid")]
        return [(j, name, DASHES[j % len(DASHES)]) for j, name in enumerate(names)]
    if run.lr.shape[1] > 1 and not _same(run.lr[:, 0], run.lr[:, 1]):
        return [(0, "x", "solid"), (1, "y", "dash")]
    return [(0, "", "solid")]


def schedule_figure(runs: Sequence[Run], steps: int, key: str = "", title: str = "") -> dict:
    """Learning rate against step for every run (x and y apart when they differ: parameter groups),
    and, when one-cycle cycles it, the momentum or β₁ on a second axis."""
    data = []
    cycled = False
    for run in runs:
        if run.lr is None or not len(run.lr):
            continue
        x = np.arange(len(run.lr))
        for axis, name, dash in _columns(run):
            label = f"{run.title} γ{' for ' + name if name else ''}"
            data.append({"type": "scatter", "mode": "lines", "x": x, "y": run.lr[:, axis], "name": label,
                         "line": {"color": run.colour, "width": 3, "dash": dash},
                         "hovertemplate": f"<b>{label}</b> step %{{x}}: %{{y:.4g}}<extra></extra>",
                         "meta": {"role": "lr", "run": run.name, "axis": name or "xy"[axis]}})
        if run.momentum is not None:
            cycled = True
            data.append({"type": "scatter", "mode": "lines", "x": x, "y": run.momentum[:, 0], "yaxis": "y2",
                         "name": f"{run.title} μ / β₁", "line": {"color": run.colour, "width": 2, "dash": "dot"},
                         "hovertemplate": f"<b>{run.title}</b> μ or β₁, step %{{x}}: %{{y:.3f}}<extra></extra>",
                         "meta": {"role": "momentum", "run": run.name}})
    layout = {"font": {**FONT, "size": 13}, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
              "margin": {"l": 58, "r": 52 if cycled else 12, "t": 8, "b": 40}, "showlegend": False,
              "meta": {"key": key, "figure": "schedule", "title": title}, "hovermode": "x",
              "xaxis": {"range": [0, max(steps, 1)], "title": {"text": "step", "standoff": 2}, "gridcolor": P.GRID,
                        "zeroline": False},
              "yaxis": {"title": {"text": "learning rate γ"}, "gridcolor": P.GRID, "zeroline": False,
                        "rangemode": "tozero", "exponentformat": "power"}}
    if cycled:
        layout["yaxis2"] = {"title": {"text": "μ or β₁ (dotted)"}, "overlaying": "y", "side": "right",
                            "showgrid": False, "zeroline": False}
    return {"data": data, "layout": layout}
