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

from ui.model import surfaces
from ui.model.optimizer_colours import run_colours
from ui.model.scene_type import Scene

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
    settings: Optional[dict] = None       # the optimizer's resolved hyperparameters (Optimizer.hyper)
    grads: Optional[np.ndarray] = None    # (steps, 2) the gradient each step used
    lr: Optional[np.ndarray] = None       # (steps, 2) the learning rate of each coordinate at each step
    momentum: Optional[np.ndarray] = None  # (steps, 2) momentum or β₁ when one-cycle cycles it
    state: Optional[dict] = None          # with record_state: every buffer after every step, (steps, 2)
    trajectory: Optional[optimizers.Trajectory] = None  # the engine's own record (the CSV export's source)
    schedule: Optional[optimizers.Schedule] = None      # the schedule this run really followed (after fallbacks)
    batch_loss: Optional[np.ndarray] = None  # (steps,) the mini-batch loss each step's gradient came from
    spread: Optional[np.ndarray] = None      # (k-1, steps+1, 2): the same run with the next k-1 seeds
    spread_loss: Optional[np.ndarray] = None  # (k-1, steps+1), and (k-1, steps) mini-batch loss below
    spread_batch_loss: Optional[np.ndarray] = None
    evals: int = -1                          # the gradient evaluations the run used (traj.evals)
    evals_at: Optional[np.ndarray] = None    # (steps+1,) the evaluations used to reach each point
    same_as: Optional[str] = None            # the title of an earlier run whose path this one follows exactly
    # A network scene's run (ui/model/network_scene.py): params are its path projected onto the plane.
    path: Optional[np.ndarray] = None        # (steps+1, d) the whole parameter vector at every step
    accuracy: Optional[np.ndarray] = None    # the share of samples classified right at accuracy_steps
    accuracy_steps: Optional[np.ndarray] = None
    lr_names: Optional[List[str]] = None     # what each column of lr is (a network's parameter groups)


@dataclasses.dataclass(frozen=True, eq=False)
class SceneRun:
    scene: Scene
    landscape: landscapes.Landscape
    runs: List[Run]
    notes: List[str]  # scene-level problems, e.g. a refused schedule
    network: Optional[landscapes.Network] = None  # a network scene's network (landscape is its plane)

    @property
    def ok_runs(self) -> List[Run]:
        return [r for r in self.runs if r.params is not None]


def constant_rate_note(scene, err) -> str:
    """The note for a schedule the engine refused: the runs keep a constant rate."""
    return f"Schedule {scene.schedule}: {err}. Using a constant learning rate."


def build_schedule(scene: Scene, notes: List[str]):
    """The scene's schedule, or None for a constant rate (a schedule the engine refuses is noted)."""
    kwargs = scene.schedule_kwargs()
    if kwargs is None:
        return None
    try:
        return optimizers.schedule(scene.schedule, **kwargs)
    except (ValueError, TypeError) as err:
        notes.append(constant_rate_note(scene, err))
        return None


def _fallback_schedule(scene, err, notes):
    if scene.schedule == "onecycle":
        try:
            schedule = optimizers.schedule("onecycle", cycle_momentum=False, **scene.schedule_kwargs())
            notes.append(f"One-cycle: {err}; the momentum is not cycled.")
            return schedule
        except (ValueError, TypeError):
            pass
    notes.append(constant_rate_note(scene, err))
    return None


def _run(landscape, opts, scene: Scene, schedule, record_state=False, seed=None):
    kwargs = scene.engine_kwargs()
    if seed is not None:
        kwargs["seed"] = seed
    return optimizers.run(landscape, opts, start=scene.start, schedule=schedule, tol=TOLERANCE,
                          record_state=record_state, **kwargs)


def degrading(run, scene: Scene, schedule, notes: List[str]):
    """(``run(schedule)``, the schedule it used). A combination the engine refuses degrades rather
    than fails: the one it can refuse is one-cycle cycling the momentum of an optimizer without one
    (torch's rule), which runs again without cycling, else at a constant rate."""
    try:
        return run(schedule), schedule
    except ValueError as err:
        fallback = _fallback_schedule(scene, err, notes)
    if fallback is None:
        return run(None), None
    try:
        return run(fallback), fallback
    except ValueError as err:
        notes.append(constant_rate_note(scene, err))
        return run(None), None


def _trajectories(landscape, opts, scene, schedule, notes, record_state=False):
    """(the engine's runs, the schedule they used): ``degrading``."""
    return degrading(lambda s: _run(landscape, opts, scene, s, record_state), scene, schedule, notes)


def _repeats(landscape, opts, scene, schedule, notes) -> list:
    """The same runs with seeds seed+1 ... seed+k-1 (one fused call each): the spread of SGD."""
    k = scene.repeat
    if k <= 1:
        return []
    if not scene.noise and not scene.batch:
        notes.append(f"Repeat × {k}: without gradient noise or mini-batches every seed gives the same path; "
                     "raise the noise (or pick a batch size on a dataset surface) to see the spread.")
        return []
    return [_run(landscape, opts, scene, schedule, seed=scene.seed + i) for i in range(1, k)]


# Scene kinds computed elsewhere, by name: "network" is ui/model/network_scene.py's runner, which
# builds on this module and registers itself when imported (ui/views/render.py imports it).
RUNNERS = {}


def run_scene(scene: Scene, record_state: bool = False) -> SceneRun:
    """Every selected optimizer on the scene's landscape, in one fused engine call (one per start
    and schedule when runs set their own). ``record_state`` keeps every optimizer buffer."""
    if scene.is_network:
        if "network" not in RUNNERS:
            raise ValueError("a network scene needs ui.model.network_scene imported (it registers its runner)")
        return RUNNERS["network"](scene)
    landscape = surfaces.of(scene)
    notes: List[str] = []
    colours = run_colours(scene.optimizers)
    runs, batches = [], {}
    for name, colour in zip(scene.optimizers, colours):
        hyper, title = scene.hyperparameters(name), scene.run_title(name)
        try:
            opt = optimizers.get(name, **hyper)
            batches.setdefault((scene.run_start(name), scene.follows_schedule(name)), []).append((len(runs), opt))
            runs.append(Run(name, title, colour, hyper))
        except (ValueError, TypeError) as err:
            runs.append(Run(name, title, colour, hyper, error=str(err)))
    schedule = build_schedule(scene, notes)
    # Each optimizer draws its noise from its own generator, so running in batches changes no path.
    for ((x0, y0), scheduled), built in batches.items():
        here, opts = scene.replace(x0=x0, y0=y0), [opt for _, opt in built]
        trajs, used = _trajectories(landscape, opts, here, schedule if scheduled else None, notes, record_state)
        extra = _repeats(landscape, opts, here, used, notes)
        for j, ((i, opt), traj) in enumerate(zip(built, trajs)):
            runs[i] = with_spread(with_trajectory(runs[i], opt, traj, schedule=used), [e[j] for e in extra])
    runs = same_paths(runs)
    notes += coincidence_notes(scene, runs)
    return SceneRun(scene, landscape, runs, list(dict.fromkeys(notes)))


def same_paths(runs: List[Run]) -> List[Run]:
    """The runs, each that follows an earlier one's path point for point (e.g. SGD and gradient
    descent without noise) marked ``same_as`` that run's title: it is drawn dashed over it."""
    out: List[Run] = []
    for run in runs:
        twin = next((o for o in out if run.params is not None and o.params is not None and o.same_as is None
                     and o.params.shape == run.params.shape and np.array_equal(o.params, run.params)), None)
        out.append(dataclasses.replace(run, same_as=twin.title) if twin is not None else run)
    return out


def coincidence_notes(scene: Scene, runs: List[Run]) -> List[str]:
    """Say plainly which runs coincide, and why when the scene has neither noise nor mini-batches."""
    notes, by_title = [], {r.title: r for r in runs}
    for run in runs:
        if run.same_as is not None:
            a, b = optimizers.info(run.name), optimizers.info(by_title[run.same_as].name)
            one_rule = a.family == b.family and dict(a.defaults) == dict(b.defaults)  # the registry's word
            if not one_rule:
                why = ""
            elif not scene.noise and not scene.batch:
                why = (": without gradient noise or mini-batches every gradient is exact, so stochastic and "
                       "full-batch gradient descent take the same steps (raise Noise σ, or pick a mini-batch size "
                       "on a dataset surface, and give one of them its own lr to tell them apart)")
            else:
                why = (": they are one rule with the same settings, and every run draws the same noise and "
                       "mini-batches (the seed is the scene's), so they still take the same steps")
            notes.append(f"{run.title} and {run.same_as} follow the same path (drawn dashed over each other){why}.")
    return notes


def with_trajectory(run: Run, opt, traj, index: int = 0, schedule=None) -> Run:
    """The run filled with run ``index`` of an engine Trajectory of optimizer ``opt`` (which
    followed ``schedule``)."""
    return dataclasses.replace(
        run, params=traj.params[:, index, :], loss=traj.loss[:, index],
        diverged_at=int(traj.diverged_at[index]), converged_at=int(traj.converged_at[index]),
        settings={k: v[index] if np.ndim(v) == 2 else v for k, v in opt.hyper.items()},
        grads=traj.grads[:, index], lr=traj.lr[:, index],
        momentum=None if traj.momentum is None else traj.momentum[:, index],
        state=None if traj.state is None else {k: v[:, index] for k, v in traj.state.items()},
        trajectory=traj, schedule=schedule,
        batch_loss=None if traj.batch_loss is None else traj.batch_loss[:, index],
        evals=-1 if traj.evals is None else int(traj.evals[index]),
        evals_at=None if traj.evals_at is None else traj.evals_at[:, index])


def with_spread(run: Run, more) -> Run:
    """The run with the paths and losses of its repeats (the same run under other seeds)."""
    if not more:
        return run
    batch = more[0].batch_loss is not None
    return dataclasses.replace(
        run, spread=np.array([t.params[:, 0, :] for t in more]), spread_loss=np.array([t.loss[:, 0] for t in more]),
        spread_batch_loss=np.array([t.batch_loss[:, 0] for t in more]) if batch else None)
