"""Scene -> basin map or stability map, with the app's caps. Pure: no Dash, no Plotly.

The maps use the scene's surface, schedule, noise, seed and batch size, and one optimizer with
the settings the scene gives it (``Scene.hyperparameters``). Each map is one engine call
(``optimizers.basin_map`` / ``optimizers.stability_map``); the caps keep one under a few seconds
on a 2-core server, and the page states them.
"""

from __future__ import annotations

from typing import List, Tuple

import numpy as np

import optimizers
from optimizers import curvature

from ui.model import compute, payload, surfaces
from ui.model import scene_fields as F
from ui.model.scene_type import Scene

GRID_CHOICES = (50, 100, 150, 200)   # basin map sizes offered; optimizers.maps.MAX_GRID is 200
DEFAULT_GRID = 100
MAX_STEPS = 1000                     # a map runs the scene's steps, capped here
DATASET_GRID = 50                    # every step of a dataset surface averages 256 samples per run:
DATASET_STEPS = 300                  # smaller caps keep its maps to a few seconds
# On the sliders' own steps (log10 lr by 0.01, momentum by 0.001) and canonical as a link holds them:
# a clicked cell sets the sliders to exactly the cell's settings.
STABILITY_LRS = np.array([F.canonical(10.0 ** k) for k in np.round(np.arange(-5.0, 1.0001, 0.15), 2)])
STABILITY_MOMENTA = np.round(np.arange(0.0, 0.981, 0.02), 3)
CAPS_TEXT = (f"Grid up to {GRID_CHOICES[-1]} × {GRID_CHOICES[-1]}, at most {MAX_STEPS} steps (the scene's, capped); "
             f"dataset surfaces {DATASET_GRID} × {DATASET_GRID} and {DATASET_STEPS} steps. The stability map is "
             f"{len(STABILITY_LRS)} learning rates × {len(STABILITY_MOMENTA)} momenta.")


def signature(scene: Scene) -> str:
    """What a basin map depends on: everything in the scene but the start."""
    return payload.scene_key({k: v for k, v in scene.to_dict().items() if k not in ("x0", "y0")})


def map_optimizers(scene: Scene, stability: bool = False) -> List[str]:
    """The scene's optimizers a map can show; for the stability map, those whose momentum or β₁
    the momentum slider sets (clicking a cell sets that slider)."""
    names = list(scene.optimizers)
    if stability:
        names = [n for n in names if optimizers.info(n).momentum_param is not None]
    return names


def _capped(scene: Scene, landscape, notes: List[str], G: int = None) -> Tuple[int, int]:
    dataset = landscape.n_samples > 0
    steps_cap = DATASET_STEPS if dataset else MAX_STEPS
    steps = min(int(scene.steps), steps_cap)
    if steps < scene.steps:
        notes.append(f"The map runs {steps} steps, not {scene.steps}: the cap for this surface.")
    if G is not None:
        G = int(G) if G in GRID_CHOICES else DEFAULT_GRID
        if dataset and G > DATASET_GRID:
            notes.append(f"Dataset surface: the basin map is {DATASET_GRID} × {DATASET_GRID}.")
            G = DATASET_GRID
    return steps, G


def _schedule(scene: Scene, name: str, notes: List[str]):
    """The scene's schedule, unless the run keeps a constant rate."""
    return compute.build_schedule(scene, notes) if scene.follows_schedule(name) else None


def basin(scene: Scene, name: str, G: int = DEFAULT_GRID):
    """(BasinMap, notes) for optimizer ``name`` with the scene's settings. Raises ValueError with a
    message for the page when the optimizer's settings are refused."""
    landscape = surfaces.of(scene)
    notes: List[str] = []
    steps, G = _capped(scene, landscape, notes, G)
    opt = optimizers.get(name, **scene.hyperparameters(name))
    result = optimizers.basin_map(landscape, opt, G=G, tol=compute.TOLERANCE, schedule=_schedule(scene, name, notes),
                                  **dict(scene.engine_kwargs(), steps=steps))
    if not len(landscape.minima):
        notes.append("This surface has no known minimum: the map shows where runs settle, stall or diverge.")
    return result, notes


def stability(scene: Scene, name: str):
    """(StabilityMap, notes): optimizer ``name`` from the scene's start over the lr × momentum grid,
    its other settings as the scene gives them."""
    landscape = surfaces.of(scene)
    notes: List[str] = []
    steps, _ = _capped(scene, landscape, notes)
    hyper = scene.hyperparameters(name)
    for key in ("lr", "momentum", "groups"):  # the map sweeps one lr (so no per-coordinate rates) and μ
        hyper.pop(key, None)
    result = optimizers.stability_map(landscape, name, start=scene.run_start(name), lrs=STABILITY_LRS,
                                      momenta=STABILITY_MOMENTA, schedule=_schedule(scene, name, notes),
                                      **dict(scene.engine_kwargs(), steps=steps), **hyper)
    return result, notes


def stability_boundary(scene: Scene, name: str, smap):
    """(lrs per momentum of ``smap`` or None, the limit's formula, notes): where the rule's quadratic
    stability limit puts the map's edge, lr = bound(μ)/λmax, when the rule has one, the surface is a
    quadratic and the rate is constant (a schedule moves the rate every step)."""
    hyper = scene.hyperparameters(name)
    for key in ("lr", "groups"):
        hyper.pop(key, None)
    try:
        settings = optimizers.get(name, **hyper).hyper
    except (ValueError, TypeError):
        return None, "", []
    settings = {**settings, smap.param: float(np.max(smap.momenta))}  # the map's momenta: its formula with μ
    lim = curvature.limit(name, settings)
    if lim is None:
        return None, "", []
    landscape = surfaces.of(scene)
    if not curvature.is_quadratic(landscape):
        return None, lim.formula, ["No quadratic stability boundary is drawn: this surface is not a quadratic, so "
                                   "its curvature changes from point to point."]
    if _schedule(scene, name, []) is not None:
        return None, lim.formula, ["The quadratic stability boundary is not drawn: the scene's schedule changes "
                                   "the rate every step."]
    point = scene.run_start(name)
    lrs = curvature.boundary(landscape, name, settings, smap.momenta, point)
    return lrs, lim.formula, []
