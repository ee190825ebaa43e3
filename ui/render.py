"""Scene -> everything the page shows: the store payload, three figures, table rows, messages.

Pure and Dash-free; ``ui/callbacks.py`` only decides what to resend (the contour grid is resent
only when the landscape changes).
"""

from __future__ import annotations

import dataclasses
from typing import List

import numpy as np

from . import explore_figures, figures, payload, results
from .compute import Run, SceneRun, run_scene
from .grid import CONTOUR_RESOLUTION, surface_grid

CONTOUR_BASE = 4  # contour, basin slot, minima, start: the traces before the runs' in the contour figure
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


def render_scene(scene: dict, warnings=(), log_y: bool = True, loss_kind: str = "full") -> Rendered:
    result: SceneRun = run_scene(scene)
    key = payload.scene_key(scene)
    runs, L = result.ok_runs, result.landscape
    start = (scene["x0"], scene["y0"])
    notes = explore_figures.surface_notes(surface_grid(L.name, CONTOUR_RESOLUTION))
    return Rendered(
        key=key, store=payload.trajectories_payload(result, key),
        contour=explore_figures.with_spread(figures.contour_figure(L, runs, start, key=key), runs),
        surface=figures.surface_figure(L, runs, key=key),
        loss=explore_figures.loss_view(L, runs, log_y=log_y, key=key, kind=loss_kind),
        rows=results.result_rows(result), messages=results.messages(result, list(warnings) + notes),
        legend=[{"optimizer": run.title, "colour": run.colour} for run in runs],
        steps=int(scene["steps"]), landscape=L.name, n_runs=len(runs))


def runs_from_store(store: dict) -> List[Run]:
    """Runs rebuilt from the trajectory store (float32), for redraws that need no engine call."""
    runs = []
    for r, (x, y, loss) in zip(store.get("runs", []), payload.runs_from_payload(store)):
        extra = {k: payload.unpack(r[k]) for k in ("batch_loss", "spread_loss", "spread_batch_loss") if k in r}
        runs.append(Run(r["name"], r["title"], r["colour"], {}, params=np.stack((x, y), axis=1), loss=loss,
                        diverged_at=r.get("diverged_at", -1), **extra))
    return runs
