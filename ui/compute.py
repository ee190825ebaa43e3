"""Scene -> runs: the app's one call into the engine, with every failure turned into a message.

Pure (no Dash, no Plotly). A bad hyperparameter loses only its own run; a schedule the engine
refuses falls back to a constant rate; nothing here raises for anything a user can type.
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional

import numpy as np

import landscapes
import optimizers

from . import scene_fields as F
from . import surfaces
from .palette import run_colours

TOLERANCE = 1e-4  # "steps to tolerance": the first step whose gradient norm is below this


@dataclasses.dataclass(frozen=True, eq=False)
class Run:
    """One optimizer's path in a scene (params and loss are None when its settings were refused)."""

    name: str
    title: str
    colour: str
    hyper: dict
    params: Optional[np.ndarray] = None   # (steps+1, 2), frozen at the last finite point after divergence
    loss: Optional[np.ndarray] = None     # (steps+1,)
    diverged_at: int = -1
    converged_at: int = -1
    error: Optional[str] = None
    trajectory: Optional[optimizers.Trajectory] = None  # the engine's own record (the CSV export's source)
    schedule: Optional[optimizers.Schedule] = None      # the schedule this run really followed (after fallbacks)
    batch_loss: Optional[np.ndarray] = None  # (steps,) the mini-batch loss each step's gradient came from
    spread: Optional[np.ndarray] = None      # (k-1, steps+1, 2): the same run with the next k-1 seeds
    spread_loss: Optional[np.ndarray] = None  # (k-1, steps+1), and (k-1, steps) mini-batch loss below
    spread_batch_loss: Optional[np.ndarray] = None


@dataclasses.dataclass(frozen=True, eq=False)
class SceneRun:
    scene: dict
    landscape: landscapes.Landscape
    runs: List[Run]
    notes: List[str]  # scene-level problems, e.g. a refused schedule

    @property
    def ok_runs(self) -> List[Run]:
        return [r for r in self.runs if r.params is not None]


def hyperparameters(scene: dict, name: str) -> dict:
    """Torch keyword arguments for one optimizer: the scene's sliders, then its own overrides.

    The momentum slider sets what ``optimizers.info(name).momentum_param`` names: SGD's
    ``momentum`` or the Adam family's β₁. β₁/β₂ overrides are joined into torch's ``betas``.
    """
    info = optimizers.info(name)
    own = dict((scene.get("overrides") or {}).get(name) or {})
    hyper = {"lr": own.pop("lr", scene["lr"])}
    if info.momentum_param == "momentum":
        hyper["momentum"] = scene["momentum"]
    if "betas" in info.defaults:
        beta1 = scene["momentum"] if info.momentum_param == "beta1" else info.defaults["betas"][0]
        hyper["betas"] = (own.pop("beta1", beta1), own.pop("beta2", info.defaults["betas"][1]))
    hyper.update(own)
    return hyper


def schedule_kwargs(scene: dict) -> Optional[dict]:
    """Arguments for ``optimizers.schedule`` (None for a constant rate)."""
    name, value, steps = scene["schedule"], scene.get("schedule_param"), scene["steps"]
    param = F.schedule_param(name)
    if param is None:
        return None
    if value is None:
        value = param.default(steps)
    kwargs = {param.key: value}
    if name == "multistep":
        kwargs["milestones"] = sorted({max(1, steps // 2), max(1, (3 * steps) // 4)})
    return kwargs


def _constant_rate_note(scene, err) -> str:
    return f"Schedule {scene['schedule']}: {err}. Using a constant learning rate."


def _build_schedule(scene, notes):
    kwargs = schedule_kwargs(scene)
    if kwargs is None:
        return None
    try:
        return optimizers.schedule(scene["schedule"], **kwargs)
    except (ValueError, TypeError) as err:
        notes.append(_constant_rate_note(scene, err))
        return None


def _fallback_schedule(scene, err, notes):
    if scene["schedule"] == "onecycle":
        try:
            schedule = optimizers.schedule("onecycle", cycle_momentum=False, **schedule_kwargs(scene))
            notes.append(f"One-cycle: {err}; the momentum is not cycled.")
            return schedule
        except (ValueError, TypeError):
            pass
    notes.append(_constant_rate_note(scene, err))
    return None


def _run(landscape, opts, scene, schedule, seed=None):
    return optimizers.run(landscape, opts, start=(scene["x0"], scene["y0"]), steps=scene["steps"],
                          schedule=schedule, noise=scene["noise"], seed=scene["seed"] if seed is None else seed,
                          tol=TOLERANCE, batch_size=scene.get("batch"))


def _trajectories(landscape, opts, scene, schedule, notes):
    """(the engine's runs, the schedule they used). A combination it refuses degrades rather than
    fails: the one it can refuse is one-cycle cycling the momentum of an optimizer without one
    (torch's rule)."""
    try:
        return _run(landscape, opts, scene, schedule), schedule
    except ValueError as err:
        fallback = _fallback_schedule(scene, err, notes)
    if fallback is None:
        return _run(landscape, opts, scene, None), None
    try:
        return _run(landscape, opts, scene, fallback), fallback
    except ValueError as err:
        notes.append(_constant_rate_note(scene, err))
        return _run(landscape, opts, scene, None), None


def _repeats(landscape, opts, scene, schedule, notes) -> list:
    """The same runs with seeds seed+1 ... seed+k-1 (one fused call each): the spread of SGD."""
    k = scene.get("repeat") or 1
    if k <= 1:
        return []
    if not scene["noise"] and not scene.get("batch"):
        notes.append(f"Repeat × {k}: without gradient noise or mini-batches every seed gives the same path; "
                     "raise the noise (or pick a batch size on a dataset surface) to see the spread.")
        return []
    return [_run(landscape, opts, scene, schedule, seed=scene["seed"] + i) for i in range(1, k)]


def run_scene(scene: dict) -> SceneRun:
    """Every selected optimizer on the scene's landscape, in one fused engine call."""
    landscape = surfaces.of(scene)
    notes: List[str] = []
    colours = run_colours(len(scene["optimizers"]))
    runs, built = [], []
    for name, colour in zip(scene["optimizers"], colours):
        info = optimizers.info(name)
        hyper = hyperparameters(scene, name)
        try:
            built.append((len(runs), optimizers.get(name, **hyper)))
            runs.append(Run(name, info.title, colour, hyper))
        except (ValueError, TypeError) as err:
            runs.append(Run(name, info.title, colour, hyper, error=str(err)))
    schedule = _build_schedule(scene, notes)
    if built:
        opts = [opt for _, opt in built]
        trajs, schedule = _trajectories(landscape, opts, scene, schedule, notes)
        extra = _repeats(landscape, opts, scene, schedule, notes)
        for j, ((i, _), traj) in enumerate(zip(built, trajs)):
            more = [e[j] for e in extra]
            runs[i] = dataclasses.replace(
                runs[i], params=traj.params[:, 0, :], loss=traj.loss[:, 0],
                diverged_at=int(traj.diverged_at[0]), converged_at=int(traj.converged_at[0]), trajectory=traj,
                schedule=schedule, batch_loss=None if traj.batch_loss is None else traj.batch_loss[:, 0],
                spread=np.array([t.params[:, 0, :] for t in more]) if more else None,
                spread_loss=np.array([t.loss[:, 0] for t in more]) if more else None,
                spread_batch_loss=np.array([t.batch_loss[:, 0] for t in more]) if more and scene.get("batch")
                else None)
    return SceneRun(scene, landscape, runs, notes)
