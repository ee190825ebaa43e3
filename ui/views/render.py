"""Scene -> everything the page shows: the store payload, three figures, table rows, messages.

Pure and Dash-free; ``ui/web/callbacks.py`` only decides what to resend (the contour grid is resent
only when the landscape changes).
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional

import numpy as np

from ui.model import network_scene  # noqa: F401 - registers the network scene's runner and plane
from ui.model import payload, results
from ui.model.compute import Run, SceneRun, run_scene
from ui.model.grid import CONTOUR_RESOLUTION, surface_grid
from ui.views import curvature, figures, fit, layers
from ui.model.scene_type import Scene

CONTOUR_BASE = 4  # contour, basin slot, minima, start: the traces before the runs' in the contour figure
SURFACE_BASE = 2  # surface, minima


@dataclasses.dataclass(frozen=True, eq=False)
class Rendered:
    key: str
    store: dict
    contour: Optional[dict]
    surface: Optional[dict]
    loss: Optional[dict]
    rows: List[dict]
    legend: List[dict]  # {"optimizer", "colour"} of the runs that are drawn
    messages: List[str]
    steps: int
    landscape: str
    n_runs: int
    figure_key: str
    fit: Optional[dict] = None  # the data with each run's fit, on a landscape with data (ui/views/fit.py)


def figure_key(scene: Scene, runs, steep=()) -> str:
    """What the contour map and the 3-D view hold apart from the paths: the surface, which runs in
    which colours, and the repeated seeds' faint paths (drawn in the figure itself). Two scenes with
    the same figure key differ only in data the browser draws from the trajectory store."""
    shape = {"surface": payload.scene_key({"landscape": scene.landscape, "expr": scene.expr}),
             "runs": [(r.name, r.title, r.colour, r.same_as) for r in runs],
             "spread": payload.scene_key(scene) if int(scene.repeat or 1) > 1 else None}
    if steep:  # the steep direction of a diverged run is drawn in the contour figure itself
        shape["steep"] = curvature.lines_key(steep)
    return payload.scene_key(shape)


ALL_FIGURES = ("contour", "surface", "loss")


def render_scene(scene: Scene, warnings=(), log_y: bool = True, loss_kind: str = "full",
                 build=ALL_FIGURES, loss_x: str = "steps") -> Rendered:
    """Everything the page shows for a scene; only the figures named in ``build`` are made (the
    others are None): a change the browser can draw from the store needs no new map or surface."""
    result: SceneRun = run_scene(scene)
    key = payload.scene_key(scene)
    runs, L = result.ok_runs, result.landscape
    start = (scene.x0, scene.y0)
    steep = results.steep_lines(result)
    fkey = figure_key(scene, runs, steep)
    # The key without the diverged runs' steep lines: a figure with other steep lines still holds the
    # right surface and runs, so the browser may draw new paths over it (a drag into divergence)
    # while the new map is on its way.
    base = figure_key(scene, runs)
    notes = layers.surface_notes(surface_grid(L.name, CONTOUR_RESOLUTION))
    return Rendered(
        key=key, store={**payload.trajectories_payload(result, key), "figures": fkey, "base": base},
        contour=(with_base(with_steep(layers.with_spread(figures.contour_figure(L, runs, start, key=fkey), runs), steep),
                           base) if "contour" in build else None),
        surface=with_base(figures.surface_figure(L, runs, key=fkey), base) if "surface" in build else None,
        loss=(with_base(layers.loss_view(L, runs, log_y=log_y, key=fkey, kind=loss_kind, x_axis=loss_x), base)
              if "loss" in build else None),
        rows=results.result_rows(result), messages=results.messages(result, list(warnings) + notes),
        legend=[{"optimizer": run.title, "colour": run.colour, "same_as": run.same_as} for run in runs],
        steps=int(scene.steps), landscape=L.name, n_runs=len(runs), figure_key=fkey,
        fit=fit.fit_figure(L, runs, key=fkey) if "contour" in build else None)


def with_base(fig: dict, base: str) -> dict:
    """The figure with its key without steep lines in ``layout.meta.base`` (assets/animation.js ready)."""
    fig["layout"].setdefault("meta", {})["base"] = base
    return fig


def with_steep(contour: dict, steep) -> dict:
    """The contour figure with each diverged run's steep direction (after every other trace)."""
    contour["data"] += curvature.steep_traces(steep)
    return contour


def runs_from_store(store: dict) -> List[Run]:
    """Runs rebuilt from the trajectory store (float32), for redraws that need no engine call."""
    runs = []
    for r, (x, y, loss) in zip(store.get("runs", []), payload.runs_from_payload(store)):
        extra = {k: payload.unpack(r[k]) for k in ("batch_loss", "spread_loss", "spread_batch_loss") if k in r}
        if "accuracy" in r and "accuracy_steps" in r:
            extra.update(accuracy=payload.unpack(r["accuracy"]), accuracy_steps=payload.unpack(r["accuracy_steps"]))
        evals_at = payload.unpack(r["evals"]) if "evals" in r else None
        if evals_at is None or evals_at.shape != loss.shape:   # one evaluation a step, or a store not ours
            evals_at = np.arange(len(loss), dtype=np.float64)
        runs.append(Run(r["name"], r["title"], r["colour"], {}, params=np.stack((x, y), axis=1), loss=loss,
                        diverged_at=r.get("diverged_at", -1), evals_at=evals_at, same_as=r.get("same_as"),
                        **extra))
    return runs
