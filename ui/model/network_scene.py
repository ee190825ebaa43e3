"""A network scene, computed: every optimizer trains the same MLP, and a plane through their paths
shows them in the page's 2-D views. Pure (no Dash, no Plotly).

1. Every chosen optimizer starts from the network's seeded initialisation and sees the same
   mini-batches (one ``optimizers.run`` call; runs that keep a constant rate under a schedule get
   their own call, on the same batches).
2. The plane: the top two PCA directions of every point of every path
   (``landscapes.slices.pca_directions``), through the start, so every run starts at (0, 0).
   Each path projected onto it (``slices.project``) is the run's (x, y): the page draws, plays and
   exports those like any surface's paths.
3. The plane as a 2-D ``Landscape`` (``Plane``), named ``"net:" + the scene as JSON``: its loss at
   (α, β) is the network's at start + α d1 + β d2, so the existing grid code draws the
   ``GRID`` × ``GRID`` slice (``slices.slice_grid``'s points) in the contour and 3-D views, and any
   worker rebuilds it from the name alone.

What other views need is on each run: ``Run.path`` (steps+1, d), the whole parameter vector at
every step, and ``Run.accuracy`` with ``Run.accuracy_steps``; the network itself is
``SceneRun.network`` (and ``Scene.network()``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import List, Optional

import numpy as np

import landscapes
import optimizers
from landscapes import slices

from ui.model import compute
from ui.model import network_fields as N
from ui.model import scene as S
from ui.model import surfaces
from ui.model.compute import Run, SceneRun
from ui.model.optimizer_colours import run_colours
from ui.model.scene_type import Scene

GRID = 41             # the slice's grid: GRID × GRID networks, one loss each
MARGIN = 0.15         # the view reaches this share of the paths' extent past them on every side
LOW_SHARE = 0.6       # below this share of the paths' variance the plane hides much of their movement
ACCURACY_POINTS = 120  # accuracy is computed at about this many steps of each run (the curve's points)
PCA_POINTS = 150       # the plane is fitted to about this many evenly spaced points of each path


@dataclasses.dataclass(frozen=True, eq=False)
class Plane(landscapes.Landscape):
    """A network's loss on the plane of its runs: a 2-D landscape over (α, β) = the PCA coordinates.

    ``directions`` is the plane (centre = the network's start, d1, d2, explained shares);
    ``resolution`` caps the grid the views compute over it (each grid point is a network);
    ``f_star`` is what the loss curve's log axis measures the loss from.
    """

    directions: Optional[slices.Directions] = None
    resolution: int = GRID
    f_star: float = 0.0  # the BCE loss is above 0 and reaches it only in the limit: the loss curve's f*


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def plane_of(net: landscapes.Network, name: str, dirs: slices.Directions, coords: List[np.ndarray]) -> Plane:
    """The plane through ``dirs`` as a 2-D landscape whose view holds every projected path."""
    centre, D = dirs.centre, np.stack([dirs.d1, dirs.d2])

    def to_weights(P):
        P = np.asarray(P, dtype=np.float64)
        return centre + P[..., :1] * dirs.d1 + P[..., 1:2] * dirs.d2

    def value_and_grad(P):
        f, G = net.value_and_grad(to_weights(P))
        return f, np.asarray(G) @ D.T  # the gradient's components along d1 and d2

    points = np.concatenate([c[np.all(np.isfinite(c), axis=1)] for c in coords] + [np.zeros((1, 2))])
    lo, hi = points.min(axis=0), points.max(axis=0)
    # Equal scales on both axes (the map keeps distances true): one half-width for both.
    half = 0.5 * float(np.max(hi - lo)) * (1 + 2 * MARGIN) or 1.0
    mid = 0.5 * (lo + hi)
    bounds = ((mid[0] - half, mid[0] + half), (mid[1] - half, mid[1] + half))
    if dirs.explained is not None:
        names = (f"PC1 ({_percent(dirs.explained[0])})", f"PC2 ({_percent(dirs.explained[1])})")
        seen = (f"the plane of its runs' two main directions (PCA of every step of every path): "
                f"this plane shows {_percent(dirs.share)} of the paths' movement")
    else:
        names = ("direction 1", "direction 2")
        seen = "a plane of two random filter-normalised directions through its start"
    description = (f"{net.title}: {net.dim} parameters, {net.n_samples} points, seen on {seen}. "
                   "Every run starts at (0, 0); the map is the loss there with every weight on the plane.")
    return Plane(name=name, loss=lambda P: value_and_grad(P)[0], grad=lambda P: value_and_grad(P)[1],
                 value_and_grad=value_and_grad, bounds=bounds, start=(0.0, 0.0), title=net.title,
                 description=description, axis_names=names, directions=dirs)


def layer_groups(net: landscapes.Network, scene: Scene, lr: float):
    """torch's param_groups by layer (``net.groups``) for the scene's per-layer multipliers, or None."""
    multipliers = scene.layer_lr
    if not multipliers:
        return None
    names = N.layer_names(net.hidden)
    return net.groups({layer: {"lr": lr * m} for layer, m in zip(names, multipliers)})


def group_names(net: landscapes.Network, scene: Scene) -> List[str]:
    """What each learning-rate column of a network run is: a layer with its multiplier, or "all"."""
    if not scene.layer_lr:
        return ["all layers"]
    return [f"layer {name} (×{m:g})" for name, m in zip(N.layer_names(net.hidden), scene.layer_lr)]


def _run_all(net, opts, scene, schedule, notes):
    """One fused engine call; a schedule the engine refuses degrades as on a surface (compute.degrading)."""
    kwargs = dict(tol=compute.TOLERANCE, **scene.engine_kwargs())
    return compute.degrading(lambda s: optimizers.run(net, opts, schedule=s, **kwargs), scene, schedule, notes)


def _group_lr(traj, index: int, groups) -> np.ndarray:
    """(steps, k): the rate of each parameter group (its first coordinate's) at each step."""
    lr = traj.lr[:, index]
    if not groups:
        return lr[:, :1]
    return np.stack([lr[:, g["params"][0]] for g in groups], axis=1)


def sample_steps(n_points: int, limit: int = ACCURACY_POINTS) -> np.ndarray:
    """Evenly spaced steps, about ``limit``, the first and last included: where the accuracy curve is
    computed, and the points the plane is fitted to."""
    stride = max(1, int(np.ceil((n_points - 1) / limit)))
    idx = np.arange(0, n_points, stride)
    return idx if idx[-1] == n_points - 1 else np.append(idx, n_points - 1)


def directions_of(net, paths: List[np.ndarray], seed: int, notes: List[str]) -> slices.Directions:
    """The PCA plane of the paths through the start; random directions when the paths do not move.
    Each path is sampled at about PCA_POINTS evenly spaced steps (its start and end included): the SVD
    of every step of 8 runs of 300 steps costs 10× more and finds the same plane."""
    try:
        return slices.pca_directions([p[sample_steps(len(p), PCA_POINTS)] for p in paths], centre=net.start)
    except ValueError:
        pass
    notes.append("The runs do not move the weights, so there is no plane of their paths: "
                 "the map shows two random filter-normalised directions instead.")
    return slices.random_directions(net, seed=seed, centre=net.start)


@dataclasses.dataclass(frozen=True, eq=False)
class Computed:
    result: SceneRun
    plane: Plane


@functools.lru_cache(maxsize=4)
def _compute(scene: Scene) -> Computed:
    plane_name = surfaces.name_of(scene)
    net = scene.network()
    notes: List[str] = []
    runs, batches = [], {}
    for name, colour in zip(scene.optimizers, run_colours(scene.optimizers)):
        hyper, title = scene.hyperparameters(name), scene.run_title(name)
        groups = layer_groups(net, scene, hyper["lr"])
        if groups is not None:
            hyper["groups"] = groups
        try:
            opt = optimizers.get(name, **hyper)
            batches.setdefault(scene.follows_schedule(name), []).append((len(runs), opt))
            runs.append(Run(name, title, colour, hyper))
        except (ValueError, TypeError) as err:
            runs.append(Run(name, title, colour, hyper, error=str(err)))
    if scene.repeat > 1:
        notes.append("Repeat × k: a network scene shows one seed per optimizer (the plane is of those paths).")
    schedule = compute.build_schedule(scene, notes)
    lr_names = group_names(net, scene)
    for scheduled, built in batches.items():
        trajs, used = _run_all(net, [opt for _, opt in built], scene, schedule if scheduled else None, notes)
        for (i, opt), traj in zip(built, trajs):
            run = compute.with_trajectory(runs[i], opt, traj, schedule=used)
            groups = runs[i].hyper.get("groups")
            where = sample_steps(len(run.params))
            runs[i] = dataclasses.replace(
                run, path=run.params, grads=None, settings=None, lr=_group_lr(traj, 0, groups), lr_names=lr_names,
                accuracy=np.asarray(net.accuracy(run.params[where]), dtype=np.float64), accuracy_steps=where)
    paths = [r.path for r in runs if r.path is not None]
    dirs = directions_of(net, paths, scene.seed, notes) if paths else \
        slices.random_directions(net, seed=scene.seed, centre=net.start)
    runs = [r if r.path is None else dataclasses.replace(r, params=slices.project(r.path, dirs.centre, dirs.d1, dirs.d2))
            for r in runs]
    if dirs.share is not None and dirs.share < LOW_SHARE:
        notes.append(f"This plane shows only {_percent(dirs.share)} of the paths' movement: much of what the "
                     "runs do happens off it, so paths that look close may be far apart (trust the loss curves).")
    plane = plane_of(net, plane_name, dirs, [r.params for r in runs if r.path is not None])
    runs = compute.same_paths(runs)
    notes += compute.coincidence_notes(scene, runs)
    return Computed(SceneRun(scene, plane, runs, list(dict.fromkeys(notes)), network=net), plane)


def run_network_scene(scene: Scene) -> SceneRun:
    """``compute.run_scene`` for a network scene (cached by its link: the page asks for it from
    several callbacks, and the grid's cache rebuilds its plane from the name)."""
    return _compute(scene).result


def plane_landscape(text: str) -> Plane:
    """The plane of the network scene in ``text`` (JSON): ``surfaces.get("net:" + text)``."""
    try:
        scene = S.read(json.loads(text))  # a name is the browser's text: read by the codec
    except ValueError:
        raise ValueError("a network plane's name holds its scene as JSON") from None
    if scene is None or not scene.is_network:
        raise ValueError("a network plane's name holds a network scene")
    return _compute(scene).plane


compute.RUNNERS["network"] = run_network_scene
surfaces.PLANES[:] = [plane_landscape]
