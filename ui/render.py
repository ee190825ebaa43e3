"""Scene -> everything the page shows: the store payload, three figures, table rows, messages.

Pure and Dash-free; ``ui/callbacks.py`` only decides what to resend (the contour grid is resent
only when the landscape changes).
"""

from __future__ import annotations

import dataclasses
from typing import List

import numpy as np

from . import figures, payload, results
from .compute import Run, SceneRun, run_scene

CONTOUR_BASE = 3  # contour, minima, start: the traces before the runs' in the contour figure
SURFACE_BASE = 2  # surface, minima


@dataclasses.dataclass(frozen=True, eq=False)
class Rendered:
    key: str
    store: dict
    contour: dict
    surface: dict
    loss: dict
    rows: List[dict]
    legend: List[dict]  # {"optimizer", "colour"} of the runs that are drawn
    messages: List[str]
    steps: int
    landscape: str
    n_runs: int


def render_scene(scene: dict, warnings=(), log_y: bool = True) -> Rendered:
    result: SceneRun = run_scene(scene)
    key = payload.scene_key(scene)
    runs, L = result.ok_runs, result.landscape
    start = (scene["x0"], scene["y0"])
    return Rendered(
        key=key, store=payload.trajectories_payload(result, key),
        contour=figures.contour_figure(L, runs, start, key=key),
        surface=figures.surface_figure(L, runs, key=key),
        loss=figures.loss_figure(L, runs, log_y=log_y, key=key),
        rows=results.result_rows(result), messages=results.messages(result, warnings),
        legend=[{"optimizer": run.title, "colour": run.colour} for run in runs],
        steps=int(scene["steps"]), landscape=L.name, n_runs=len(runs))


def runs_from_store(store: dict) -> List[Run]:
    """Runs rebuilt from the trajectory store (float32), for redraws that need no engine call."""
    runs = []
    for r, (x, y, loss) in zip(store.get("runs", []), payload.runs_from_payload(store)):
        runs.append(Run(r["name"], r["title"], r["colour"], {}, params=np.stack((x, y), axis=1), loss=loss,
                        diverged_at=r.get("diverged_at", -1)))
    return runs
