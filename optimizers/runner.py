"""The run loop: optimizers over a landscape from many starts, vectorised over runs.

``run(L, opt, ...)`` returns one Trajectory; ``run(L, [opt1, opt2, ...], ...)``
returns a list, computed in ONE loop over an (k * n, 2) array: the landscape,
the divergence checks and the schedule are evaluated once per step for every
optimizer together, and each optimizer's rule updates its own slice. Runs are
independent: without noise, a run's numbers never depend on the other runs.
"""

from __future__ import annotations

import numbers
from typing import List, Optional, Sequence, Union

import numpy as np

from ._rule import is_scalar
from .registry import Optimizer
from .schedules import Schedule, ScheduleState, schedule as make_schedule
from .trajectory import Trajectory

LIMIT = 1e6  # a run that leaves |coordinate| <= LIMIT has diverged
MAX_STEPS = 1_000_000


def _check_int(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    return int(value)


def _check_real(name, value, low=0.0):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (low <= value < np.inf):
        raise ValueError(f"{name} must be a finite number >= {low}, got {value!r}")
    return float(value)


def _starts(landscape, start) -> np.ndarray:
    if start is None:
        start = landscape.start
    try:
        P = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"start must be (x, y) or an array of shape (n, 2), got {start!r}") from None
    if P.shape == (2,):
        P = P[None, :]
    if P.ndim != 2 or P.shape[1] != 2 or P.shape[0] == 0:
        raise ValueError(f"start must be (x, y) or an array of shape (n, 2), got shape {P.shape}")
    if not np.all(np.abs(P) <= LIMIT):
        raise ValueError(f"start points must be finite with |coordinate| <= {LIMIT:g}")
    return P


def _check_hyper_shapes(opt: Optimizer, n: int):
    for key, value in opt.hyper.items():
        if not np.ndim(value):
            continue
        try:
            fits = np.broadcast_shapes(np.shape(value), (n, 2)) == (n, 2)
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{opt.name}: {key} has shape {np.shape(value)}, "
                             f"which does not broadcast against {n} runs × 2 coordinates")


def _family_has_momentum(opt: Optimizer) -> bool:
    defaults = opt.info.module.DEFAULTS
    return "momentum" in defaults or "betas" in defaults


def run(landscape, optimizer: Union[Optimizer, Sequence[Optimizer]], start=None, steps: int = 300,
        schedule: Optional[Union[Schedule, str]] = None, noise: float = 0.0, seed: int = 0,
        history: bool = True, tol: float = 1e-6, record_state: bool = False,
        batch_size: Optional[int] = None):
    """Run optimizers on a landscape and return their Trajectory (a list for a list).

    Args:
      landscape: a ``landscapes.Landscape``.
      optimizer: an ``Optimizer`` from ``optimizers.get``, or a list of them.
      start: (x, y), or (n, 2) for n independent runs; default ``landscape.start``.
      steps: optimizer steps.
      schedule: None (constant), a schedule name, or ``optimizers.schedule(...)``.
        It steps once after each optimizer step, as in torch; ``traj.lr[t]`` is
        the rate that step t used.
      noise: sigma of seeded Gaussian noise N(0, sigma^2) added to each gradient.
      seed: the noise seed; each optimizer draws from its own generator seeded
        with ``seed``, so adding an optimizer to a list never changes another's path.
      history: False keeps only final values, so memory is O(n), not O(steps n).
      tol: a run has converged at the first step whose gradient norm is below tol.
      record_state: keep every optimizer buffer after every step in ``traj.state``.
      batch_size: for a dataset landscape (``landscape.n_samples > 0``), take each
        gradient on a real mini-batch of this many samples: every epoch is a fresh
        permutation drawn from a generator seeded with ``seed``, cut into batches in
        order without replacement (the last one smaller when the size does not
        divide, like DataLoader's ``drop_last=False``). All runs and optimizers of
        one call see the same batches, so comparisons are fair and a run never
        depends on the others. None is the full batch (plain GD); 1 is pure SGD.
        ``traj.batch_loss`` holds the mini-batch loss each step's gradient came
        from; ``traj.loss`` stays the full-batch loss.
    """
    single = isinstance(optimizer, Optimizer)
    opts: List[Optimizer] = [optimizer] if single else list(optimizer)
    if not opts or not all(isinstance(o, Optimizer) for o in opts):
        raise ValueError("optimizer must be an Optimizer from optimizers.get, or a non-empty list of them")
    steps = _check_int("steps", steps, 0, MAX_STEPS)
    noise = _check_real("noise", noise)
    seed = _check_int("seed", seed, 0, 2**63 - 1)
    tol = _check_real("tol", tol)
    if isinstance(schedule, str):
        schedule = make_schedule(schedule)
    if schedule is not None and not isinstance(schedule, Schedule):
        raise ValueError(f"schedule must be a name or optimizers.schedule(...), got {schedule!r}")
    if schedule is not None and schedule.name == "constant":
        schedule = None
    batches = _Batches(landscape, batch_size, seed) if batch_size is not None else None
    start_points = _starts(landscape, start)
    n, k = len(start_points), len(opts)
    for opt in opts:
        _check_hyper_shapes(opt, n)
        if schedule is not None and schedule.cycles_momentum and not _family_has_momentum(opt):
            raise ValueError(f"{opt.name}: optimizer must support momentum or beta1 with "
                             "`cycle_momentum` option enabled")

    loop = _Loop(landscape, opts, start_points, steps, schedule, noise, seed, history, tol, record_state,
                 batches)
    loop.run()
    trajs = [loop.trajectory(i) for i in range(k)]
    return trajs[0] if single else trajs


class _Batches:
    """Mini-batch indices, epoch after epoch: a seeded shuffle cut in order, like a DataLoader."""

    def __init__(self, landscape, batch_size, seed):
        size = getattr(landscape, "n_samples", 0)
        if not size:
            raise ValueError(f"batch_size needs a dataset landscape; {landscape.name!r} has no samples "
                             "(use noise= for stochastic gradients on an analytic surface)")
        self.size = size
        self.batch_size = _check_int("batch_size", batch_size, 1, size)
        # A stream of its own, so that adding mini-batches never changes the noise draws.
        self.rng = np.random.default_rng([seed, 0x6261746368])
        self.order, self.at = None, size

    def next(self) -> np.ndarray:
        """The next batch's sample indices, sorted, shape (b,)."""
        if self.at >= self.size:
            self.order, self.at = self.rng.permutation(self.size), 0
        batch = np.sort(self.order[self.at:self.at + self.batch_size])
        self.at += self.batch_size
        return batch


class _Loop:
    """One fused loop over k optimizers × n starts; ``trajectory(i)`` slices out optimizer i."""

    def __init__(self, landscape, opts, starts, steps, schedule, noise, seed, history, tol, record_state,
                 batches=None):
        self.landscape, self.opts, self.steps = landscape, opts, steps
        self.schedule, self.noise, self.seed, self.tol = schedule, noise, seed, tol
        self.tol2 = tol * tol
        self.history, self.record_state = history, record_state
        n, k = len(starts), len(opts)
        self.n, self.N = n, n * k
        self.slices = [slice(i * n, (i + 1) * n) for i in range(k)]
        self.P = np.tile(starts, (k, 1))
        self.diverged_at = np.full(self.N, -1, dtype=np.int64)
        self.converged_at = np.full(self.N, -1, dtype=np.int64)
        self.dead = np.zeros(self.N, dtype=bool)
        self.n_dead = 0
        rows = steps + 1 if history else 1
        self.params_h = np.empty((rows, self.N, 2))
        self.loss_h = np.empty((rows, self.N))
        self.grads_h = np.zeros((max(steps, 1) if history else 1, self.N, 2))[:steps if history else min(steps, 1)]
        self.lr_h = np.zeros_like(self.grads_h)
        self.momentum_h = np.zeros_like(self.grads_h) if schedule is not None and schedule.cycles_momentum else None
        self.state_h = {} if record_state else None
        self.batches = batches
        self.batch_loss_h = np.empty((steps if history else min(steps, 1), self.N)) if batches else None

    # -- bookkeeping -----------------------------------------------------
    def _freeze_new_divergences(self, t, P, f, g, P_prev, f_prev):
        """Mark runs whose point or loss went bad at step t; put them back on their last finite point."""
        ok = np.isfinite(f) & np.all(np.abs(P) <= LIMIT, axis=1)
        bad = ~ok & ~self.dead
        if not bad.any():
            return P, f, g
        self.diverged_at[bad] = t
        self.dead |= bad
        self.n_dead = int(self.dead.sum())
        P, f, g = P.copy(), np.array(f, dtype=np.float64), g.copy()
        if P_prev is not None:
            P[bad], f[bad] = P_prev[bad], f_prev[bad]
        return P, f, g

    def _check(self, t, P, f, g, P_prev, f_prev):
        # A cheap whole-array test first (the loop runs under errstate(all="ignore")):
        # NaN fails every comparison, and a non-finite loss makes the sum non-finite.
        if not (P.max() <= LIMIT and P.min() >= -LIMIT and np.isfinite(f.sum())):
            P, f, g = self._freeze_new_divergences(t, P, f, g, P_prev, f_prev)
        if self.n_dead:
            g = np.where(self.dead[:, None], 0.0, g)
        norm2 = g[:, 0] * g[:, 0]
        norm2 += g[:, 1] * g[:, 1]
        hit = norm2 < self.tol2
        if hit.any():
            new = hit & ~self.dead & (self.converged_at < 0)
            self.converged_at[new] = t
        return P, f, g

    # -- the loop --------------------------------------------------------
    def run(self):
        opts, slices, schedule, history = self.opts, self.slices, self.schedule, self.history
        vg = self.landscape.value_and_grad
        batches = self.batches
        rules = [o.rule for o in opts]
        states = [r.init(self.P[s]) for r, s in zip(rules, slices)]
        own_lr = [o.lr for o in opts]
        sched: Optional[ScheduleState] = None
        if schedule is not None:
            base = np.concatenate([np.broadcast_to(np.asarray(o.lr, dtype=np.float64), (self.n, 2)) for o in opts])
            sched = schedule.start(base, self.steps)
        rngs = [np.random.default_rng(self.seed) for _ in opts] if self.noise > 0 else None
        single = len(opts) == 1
        P, P_prev, f_prev = self.P, None, None
        errstate = np.errstate(all="ignore")
        errstate.__enter__()
        try:
            for t in range(self.steps):
                f, g = vg(P)
                P, f, g = self._check(t, P, f, g, P_prev, f_prev)
                row = t if history else 0
                if history:
                    self.params_h[t] = P
                    self.loss_h[t] = f
                f_seen = f  # the loss this step's gradient belongs to (what a plateau schedule watches)
                if batches is not None:
                    idx = batches.next()
                    f_seen, g = self.landscape.batch_value_and_grad(P, np.broadcast_to(idx, (self.N, len(idx))))
                    if self.n_dead:
                        g = np.where(self.dead[:, None], 0.0, g)
                    if history or t == self.steps - 1:
                        self.batch_loss_h[row] = f_seen
                if rngs is not None:
                    draws = [rng.standard_normal((self.n, 2)) for rng in rngs]
                    g = g + self.noise * (draws[0] if single else np.concatenate(draws))
                    if self.n_dead:
                        g[self.dead] = 0.0
                if history or t == self.steps - 1:
                    self.grads_h[row] = g
                if sched is None:
                    lrs, mom = own_lr, None
                else:
                    lrs = [sched.lr] if single else [sched.lr[s] for s in slices]
                    mom = sched.momentum
                    if history or t == self.steps - 1:
                        self.lr_h[row] = sched.lr
                        if self.momentum_h is not None:
                            self.momentum_h[row] = mom
                if single:
                    m = None if mom is None else mom
                    P_new, states[0] = rules[0].update(g, states[0], P, lrs[0], m)
                else:
                    parts = []
                    for i, s in enumerate(slices):
                        m = None if mom is None else (mom if is_scalar(mom) else mom[s])
                        p_i, states[i] = rules[i].update(g[s], states[i], P[s], lrs[i], m)
                        parts.append(p_i)
                    P_new = np.concatenate(parts)
                if self.n_dead:
                    P_new = np.where(self.dead[:, None], P, P_new)
                if self.state_h is not None:
                    self._record_state(states)
                if sched is not None:
                    sched = schedule.advance(sched, f_seen)
                P_prev, f_prev, P = P, f, P_new
            f, g = vg(P)
            P, f, g = self._check(self.steps, P, f, g, P_prev, f_prev)
        finally:
            errstate.__exit__(None, None, None)
        self.params_h[-1] = P
        self.loss_h[-1] = f
        if sched is None and len(self.lr_h):
            for o, s in zip(opts, slices):
                self.lr_h[:, s] = np.broadcast_to(np.asarray(o.lr, dtype=np.float64), (self.n, 2))

    def _record_state(self, states):
        for i, st in enumerate(states):
            for name, value in st._asdict().items():
                if isinstance(value, np.ndarray) and value.shape == (self.n, 2):
                    self.state_h.setdefault((i, name), []).append(value)

    def trajectory(self, i) -> Trajectory:
        s, opt = self.slices[i], self.opts[i]
        state = None
        if self.state_h is not None:
            state = {name: np.array(v) for (j, name), v in self.state_h.items() if j == i}
        return Trajectory(
            landscape=self.landscape.name, optimizer=opt.name, hyper=dict(opt.hyper),
            params=self.params_h[:, s], loss=self.loss_h[:, s], grads=self.grads_h[:, s], lr=self.lr_h[:, s],
            diverged_at=self.diverged_at[s], converged_at=self.converged_at[s], steps=self.steps,
            tol=self.tol, noise=self.noise, seed=self.seed,
            momentum=None if self.momentum_h is None else self.momentum_h[:, s],
            schedule=None if self.schedule is None else self.schedule.name, state=state,
            batch_size=None if self.batches is None else self.batches.batch_size,
            batch_loss=None if self.batch_loss_h is None else self.batch_loss_h[:, s])
