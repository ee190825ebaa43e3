"""Figure parts of a network scene: accuracy beside the loss curve. Pure: runs (arrays) -> traces.

A network run carries ``accuracy`` at ``accuracy_steps`` (ui/model/network_scene.py); the loss
curve draws it on a second axis on the right, 0..1, dotted in the run's colour.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ui.views import palette as P


def accuracy_traces(runs: Sequence) -> list:
    traces = []
    for run in runs:
        if getattr(run, "accuracy", None) is None:
            continue
        label = f"{run.title} accuracy"
        traces.append({"type": "scatter", "mode": "lines", "x": np.asarray(run.accuracy_steps, dtype=np.float64),
                       "y": np.asarray(run.accuracy, dtype=np.float64), "yaxis": "y2", "name": label,
                       "showlegend": False, "line": {"color": run.colour, "width": 2, "dash": "dot"},
                       "hovertemplate": f"<b>{label}</b> step %{{x}}: %{{y:.1%}}<extra></extra>",
                       "meta": {"part": "accuracy"}})
    return traces


def with_accuracy(fig: dict, runs: Sequence, x_axis: str = "steps") -> dict:
    """The loss figure with each network run's accuracy (dotted, right axis); unchanged without any."""
    traces = accuracy_traces(runs) if x_axis == "steps" else []
    if not traces:
        return fig
    fig["data"] += traces
    layout = fig["layout"]
    layout["yaxis2"] = {"title": {"text": "accuracy (dotted)", "standoff": 4}, "overlaying": "y", "side": "right",
                        "range": [0, 1.02], "tickformat": ".0%", "dtick": 0.25, "showgrid": False, "zeroline": False,
                        "color": P.INK}
    layout["margin"] = {**layout.get("margin", {}), "r": 58}
    return fig
