"""The run loop: optimizers over a landscape from many starts, vectorised over runs.

``run(L, opt, ...)`` returns one Trajectory; ``run(L, [opt1, opt2, ...], ...)``
returns a list, computed in ONE loop over a (k * n, d) array: the landscape,
the divergence checks and the schedule are evaluated once per step for every
optimizer together, and each optimizer's compiled kernel updates its own slice.
Runs are independent: without noise, a run's numbers never depend on the other runs.

The step loop stays in Python and does a fixed, small number of calls per step:
the landscape's value-and-gradient (compiled where the landscape supplies one),
one compiled bookkeeping pass (divergence, convergence), and one kernel call per
optimizer. Points live in two buffers that swap roles each step, so the previous
point is always at hand without a copy. On mini-batches, a landscape with a
``compiled_minibatch_step`` (a network) gives the full batch's loss and the
mini-batch's gradient in one call per step.
"""

from __future__ import annotations

import numbers
from typing import List, Optional, Sequence, Union

import numpy as np

from ._kernel import jit
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


def _dim(landscape) -> int:
    return int(getattr(landscape, "dim", 2))


def _starts(landscape, start) -> np.ndarray:
    d = _dim(landscape)
    shape_text = "(x, y) or an array of shape (n, 2)" if d == 2 else f"a point of {d} coordinates or an array of shape (n, {d})"
    if start is None:
        start = landscape.start
    try:
        P = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"start must be {shape_text}, got {start!r}") from None
    if P.shape == (d,):
        P = P[None, :]
    if P.ndim != 2 or P.shape[1] != d or P.shape[0] == 0:
        raise ValueError(f"start must be {shape_text}, got shape {P.shape}")
    if not np.all(np.abs(P) <= LIMIT):
        raise ValueError(f"start points must be finite with |coordinate| <= {LIMIT:g}")
    return np.ascontiguousarray(P)


def _check_hyper_shapes(opt: Optimizer, n: int, d: int):
    for key, value in opt.hyper.items():
        if not np.ndim(value):
            continue
        try:
            fits = np.broadcast_shapes(np.shape(value), (n, d)) == (n, d)
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{opt.name}: {key} has shape {np.shape(value)}, "
                             f"which does not broadcast against {n} runs × {d} coordinates")


def _family_has_momentum(opt: Optimizer) -> bool:
    defaults = opt.info.module.DEFAULTS
    return "momentum" in defaults or "betas" in defaults


def _check_closure_rule(opt: Optimizer, noise: float, batch_size):
    """A rule that calls the landscape itself (L-BFGS's closure) takes exact, full-batch gradients and
    one value of each hyperparameter per run (torch's LBFGS has one parameter group)."""
    if noise > 0:
        raise ValueError(f"{opt.name} evaluates the landscape several times per step (torch's step(closure)); "
                         "noise would make each call a different function: use noise=0")
    if batch_size is not None:
        raise ValueError(f"{opt.name} evaluates the landscape several times per step (torch's step(closure)); "
                         "it runs on the full batch only: use batch_size=None")
    for key, value in opt.hyper.items():
        if np.ndim(value) and np.shape(value)[-1] != 1:
            raise ValueError(f"{opt.name}: {key} must be one value per run (shape (n, 1)), got shape "
                             f"{np.shape(value)}: LBFGS doesn't support per-parameter options")


def _per_run(opt: Optimizer, n: int) -> List[dict]:
    """Each run's hyperparameters as plain numbers, for a closure rule."""
    return [{k: (v if np.ndim(v) == 0 else np.broadcast_to(np.asarray(v), (n, 1))[r, 0].item())
             for k, v in opt.hyper.items()} for r in range(n)]


def run(landscape, optimizer: Union[Optimizer, Sequence[Optimizer]], start=None, steps: int = 300,
        schedule: Optional[Union[Schedule, str]] = None, noise: float = 0.0, seed: int = 0,
        history: bool = True, tol: float = 1e-6, record_state: bool = False,
        batch_size: Optional[int] = None):
    """Run optimizers on a landscape and return their Trajectory (a list for a list).

    Args:
      landscape: a ``landscapes.Landscape``.
      optimizer: an ``Optimizer`` from ``optimizers.get``, or a list of them.
      start: a point (x, y), or (n, d) for n independent runs; default ``landscape.start``.
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
        _check_hyper_shapes(opt, n, start_points.shape[1])
        if "hessian" in opt.needs and not callable(getattr(landscape, "hessian", None)):
            raise ValueError(f"{opt.name} needs the landscape's Hessian, and {landscape.name!r} has none "
                             "(a Landscape with hessian=...)")
        if opt.closure:
            _check_closure_rule(opt, noise, batch_size)
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


@jit
def _quiet(P, f, G, converged_at, tol2, limit):
    """Whether no run needs attention this step: every point within the limit, every loss finite,
    and no run not yet converged whose gradient is below the tolerance. Branch-free sums, so
    the common case is a vectorised pass (the per-run pass below does not vectorise)."""
    n, d = P.shape
    Pf = P.reshape(-1)
    bad = 0
    for e in range(n * d):
        bad += np.int64(abs(Pf[e]) > limit) + np.int64(Pf[e] != Pf[e])
    for i in range(n):
        bad += np.int64(f[i] - f[i] != 0.0)
    if bad:
        return False
    Gf = G.reshape(-1)
    hit = 0
    if d == 2:
        for i in range(n):
            g0, g1 = Gf[2 * i], Gf[2 * i + 1]
            hit += np.int64(g0 * g0 + g1 * g1 < tol2) * np.int64(converged_at[i] < 0)
    else:
        for i in range(n):
            norm2 = 0.0
            for j in range(d):
                norm2 += Gf[i * d + j] * Gf[i * d + j]
            hit += np.int64(norm2 < tol2) * np.int64(converged_at[i] < 0)
    return hit == 0


@jit
def _bookkeep(P, P_prev, f, f_prev, G, dead, diverged_at, converged_at, t, tol2, limit, has_prev, dead_runs):
    """One pass over the runs after the landscape: a run whose loss is not finite or whose point
    left |coordinate| <= limit dies at step t and goes back to its last point and loss; a dead
    run's gradient is zero; a live run whose squared gradient norm is below tol2 has converged
    (the first time). Returns how many runs died now.

    A dead run sits at its last finite point, so it passes the quick scan like a live one; only
    its gradient needs zeroing, and ``dead_runs`` lists them, so a map with diverged runs keeps
    the quick path."""
    if _quiet(P, f, G, converged_at, tol2, limit):
        d = P.shape[1]
        for k in range(dead_runs.shape[0]):
            for j in range(d):
                G[dead_runs[k], j] = 0.0
        return 0
    n, d = P.shape
    died = 0
    for i in range(n):
        if not dead[i]:
            ok = f[i] - f[i] == 0.0
            for j in range(d):
                if not abs(P[i, j]) <= limit:
                    ok = False
            if not ok:
                dead[i] = True
                diverged_at[i] = t
                died += 1
                if has_prev:
                    for j in range(d):
                        P[i, j] = P_prev[i, j]
                    f[i] = f_prev[i]
        if dead[i]:
            for j in range(d):
                G[i, j] = 0.0
        else:
            norm2 = 0.0
            for j in range(d):
                norm2 += G[i, j] * G[i, j]
            if norm2 < tol2 and converged_at[i] < 0:
                converged_at[i] = t
    return died


@jit
def _undecided(G, dead, converged_at, tol2, out):
    """How many live, not yet converged runs have a partial gradient (a lower bound of the gradient's
    norm) below the tolerance, listed in out: only for these does the convergence test need the
    whole gradient."""
    n, d = G.shape
    m = 0
    for i in range(n):
        if dead[i] or converged_at[i] >= 0:
            continue
        norm2 = 0.0
        for j in range(d):
            norm2 += G[i, j] * G[i, j]
        if norm2 < tol2:
            out[m] = i
            m += 1
    return m


@jit
def _hold(P_new, P, dead_runs):
    """Dead runs stay where they are."""
    for k in range(dead_runs.shape[0]):
        for j in range(P.shape[1]):
            P_new[dead_runs[k], j] = P[dead_runs[k], j]


class _Loop:
    """One fused loop over k optimizers × n starts; ``trajectory(i)`` slices out optimizer i."""

    def __init__(self, landscape, opts, starts, steps, schedule, noise, seed, history, tol, record_state,
                 batches=None):
        self.landscape, self.opts, self.steps = landscape, opts, steps
        self.schedule, self.noise, self.seed, self.tol = schedule, noise, seed, tol
        self.tol2 = tol * tol
        self.history, self.record_state = history, record_state
        n, k = len(starts), len(opts)
        d = starts.shape[1]
        self.n, self.d, self.N = n, d, n * k
        self.slices = [slice(i * n, (i + 1) * n) for i in range(k)]
        self.buffers = [np.tile(starts, (k, 1)), np.empty((self.N, d))]
        self.diverged_at = np.full(self.N, -1, dtype=np.int64)
        self.converged_at = np.full(self.N, -1, dtype=np.int64)
        self.dead = np.zeros(self.N, dtype=np.bool_)
        self.n_dead = 0
        # Gradient evaluations each run used: one per step for a kernel rule (a diverged run's frozen
        # steps included: the loop still evaluates the landscape there); a closure rule adds its own.
        self.evals = np.zeros(self.N, dtype=np.int64)
        for i, o in enumerate(opts):
            if not o.closure:
                self.evals[self.slices[i]] = steps
        rows = steps + 1 if history else 1
        # The evaluations used to reach each point, kept for closure rules (a kernel rule's is the step).
        self.evals_h = np.zeros((rows, self.N), dtype=np.int64) if history and any(o.closure for o in opts) else None
        self.params_h = np.empty((rows, self.N, d))
        self.loss_h = np.empty((rows, self.N))
        kept = steps if history else min(steps, 1)
        self.grads_h = np.zeros((kept, self.N, d))
        self.lr_h = np.zeros_like(self.grads_h)
        self.momentum_h = np.zeros_like(self.grads_h) if schedule is not None and schedule.cycles_momentum else None
        self.state_h = {} if record_state else None
        self.batches = batches
        self.batch_loss_h = np.empty((kept, self.N)) if batches else None

    def run(self):
        opts, slices, schedule, history, steps = self.opts, self.slices, self.schedule, self.history, self.steps
        n, d, N = self.n, self.d, self.N
        landscape, batches = self.landscape, self.batches
        compiled = getattr(landscape, "compiled_value_and_grad", None)
        vg = landscape.value_and_grad
        # On mini-batches the full batch's gradient serves only the convergence test: a landscape that
        # gives part of it cheaply, with the mini-batch's gradient from the same forward pass (a
        # network: its last layer), lets the loop skip the rest wherever that part exceeds tol.
        fused = getattr(landscape, "compiled_minibatch_step", None) if batches is not None else None
        if fused is not None:
            f_batch, G_batch = np.empty(N), np.empty((N, d))
            no_batch = np.empty(0, dtype=np.int64)
            undecided = np.empty(N, dtype=np.int64)
        losses = [np.empty(N), np.empty(N)]   # the loss at each point buffer, swapping roles with it
        G = np.empty((N, d))
        kernels = [None if o.closure else o.kernel for o in opts]
        # A closure rule (L-BFGS) steps each run in Python, calling the landscape as torch calls the
        # closure; the loop's own evaluation at the point is the closure's first call.
        closure_users = [i for i, o in enumerate(opts) if o.closure]
        closure_hp = {i: _per_run(opts[i], n) for i in closure_users}
        closure_memory = {i: [{} for _ in range(n)] for i in closure_users}
        # A rule that needs the Hessian (NEEDS = ("hessian",)) gets it as one more input, flattened
        # run-major (n * d * d,), evaluated once per step for all such rules together.
        hessian_users = [i for i, o in enumerate(opts) if "hessian" in o.needs]
        extra = [() for _ in opts]
        H = [o.hyper_rows(n, d) for o in opts]
        S = [o.init_state(n, d) for o in opts]
        own_lr = [o.lr_row(n, d) for o in opts]
        uniform_lr = [np.ndim(o.lr) == 0 for o in opts]
        no_momentum = np.empty(0)
        flat = [[b[s].reshape(-1) for s in slices] for b in self.buffers]   # views, per buffer and optimizer
        G_flat = [G[s].reshape(-1) for s in slices]
        sched: Optional[ScheduleState] = None
        if schedule is not None:
            base = np.concatenate([np.broadcast_to(np.asarray(o.lr, dtype=np.float64), (n, d)) for o in opts])
            sched = schedule.start(base, steps)
        rngs = [np.random.default_rng(self.seed) for _ in opts] if self.noise > 0 else None
        k = len(opts)
        cur = 0
        dead_runs = np.empty(0, dtype=np.int64)   # the runs that have diverged, whose gradient is zeroed
        errstate = np.errstate(all="ignore")
        errstate.__enter__()
        try:
            for t in range(steps + 1):
                P, P_prev = self.buffers[cur], self.buffers[1 - cur]
                f, f_prev = losses[cur], losses[1 - cur]
                if fused is not None:
                    idx = batches.next() if t < steps else no_batch
                    fused(P, idx, f, G, f_batch, G_batch)
                    rows = undecided[:_undecided(G, self.dead, self.converged_at, self.tol2, undecided)]
                    if len(rows):
                        G_rows = np.empty((len(rows), d))
                        compiled(P[rows], np.empty(len(rows)), G_rows)
                        G[rows] = G_rows
                elif compiled is not None:
                    compiled(P, f, G)
                else:
                    f_new, G_new = vg(P)
                    f[:] = f_new
                    G[:] = G_new
                if _bookkeep(P, P_prev, f, f_prev, G, self.dead, self.diverged_at, self.converged_at, t,
                             self.tol2, LIMIT, t > 0, dead_runs):
                    self.n_dead = int(self.dead.sum())
                    dead_runs = np.flatnonzero(self.dead)
                    if fused is not None and t < steps:  # a run that died now went back: its batch there
                        back = np.flatnonzero(self.diverged_at == t)
                        f_back, G_back = np.empty(len(back)), np.empty((len(back), d))
                        fused(P[back], idx, np.empty(len(back)), np.empty((len(back), d)), f_back, G_back)
                        f_batch[back], G_batch[back] = f_back, G_back
                if t == steps:
                    break
                row = t if history else 0
                last = t == steps - 1
                if history:
                    self.params_h[t] = P
                    self.loss_h[t] = f
                f_seen = f  # the loss this step's gradient belongs to (what a plateau schedule watches)
                if batches is not None:
                    if fused is None:
                        idx = batches.next()
                        f_batch, G_batch = landscape.batch_value_and_grad(P, np.broadcast_to(idx, (N, len(idx))))
                    f_seen = f_batch.copy()
                    G[:] = G_batch
                    if self.n_dead:
                        G[self.dead] = 0.0
                    if history or last:
                        self.batch_loss_h[row] = f_seen
                if rngs is not None:
                    for rng, s in zip(rngs, slices):
                        G[s] += self.noise * rng.standard_normal((n, d))
                    if self.n_dead:
                        G[self.dead] = 0.0
                if history or last:
                    self.grads_h[row] = G
                mom = no_momentum
                if sched is not None:
                    if sched.momentum is not None:
                        mom = np.array([float(sched.momentum)])
                    if history or last:
                        self.lr_h[row] = sched.lr
                        if self.momentum_h is not None:
                            self.momentum_h[row] = sched.momentum
                out = flat[1 - cur]
                if hessian_users:
                    Hess = np.ascontiguousarray(landscape.hessian(P), dtype=np.float64).reshape(N, d * d)
                    for i in hessian_users:
                        extra[i] = (Hess[slices[i]].reshape(-1),)
                for i in range(k):
                    if kernels[i] is None:
                        self._closure_steps(i, P, self.buffers[1 - cur], f, G, sched, closure_hp[i],
                                            closure_memory[i], S[i])
                        continue
                    if sched is None:
                        LR = own_lr[i]
                    elif uniform_lr[i] and not schedule.needs_loss:
                        LR = sched.lr[slices[i].start, :1]  # one rate for the whole slice
                    else:
                        LR = np.ascontiguousarray(sched.lr[slices[i]]).reshape(-1)
                    kernels[i](flat[cur][i], G_flat[i], S[i], H[i], LR, mom, t + 1, d, out[i], *extra[i])
                if self.evals_h is not None:
                    self.evals_h[t + 1] = self.evals
                if self.n_dead:
                    _hold(self.buffers[1 - cur], P, dead_runs)
                if self.state_h is not None:
                    self._record_state(S)
                if sched is not None:
                    sched = schedule.advance(sched, f_seen)
                cur = 1 - cur
        finally:
            errstate.__exit__(None, None, None)
        self.params_h[-1] = self.buffers[cur]
        self.loss_h[-1] = f
        if sched is None and len(self.lr_h):
            for o, s in zip(opts, slices):
                self.lr_h[:, s] = np.broadcast_to(np.asarray(o.lr, dtype=np.float64), (n, d))

    def _closure_steps(self, i, P, P_new, f, G, sched, hps, memories, S):
        """One torch ``step(closure)`` for each run of closure rule i, from P into P_new."""
        step_closure = self.opts[i].info.module.step_closure
        fields = self.opts[i].info.state_fields
        d, vg = self.d, self.landscape.value_and_grad
        compiled = getattr(self.landscape, "compiled_value_and_grad", None)
        f1, G1 = np.empty(1), np.empty((1, d))

        def evaluate(x):
            X = np.ascontiguousarray(x, dtype=np.float64).reshape(1, d)
            if compiled is not None:
                compiled(X, f1, G1)
                return np.float64(f1[0]), G1[0].copy()
            value, grad = vg(X)
            return np.float64(np.reshape(value, -1)[0]), np.array(grad, dtype=np.float64).reshape(d)

        for r in range(self.n):
            row = self.slices[i].start + r
            if self.dead[row]:
                P_new[row] = P[row]
                self.evals[row] += 1   # the loop's evaluation at the frozen point
                continue
            hp = hps[r]
            if sched is not None:
                hp = {**hp, "lr": float(sched.lr[row, 0])}
            new, used, record = step_closure(P[row].copy(), f[row], G[row].copy(), evaluate, memories[r], hp)
            P_new[row] = new
            self.evals[row] += used
            for j, name in enumerate(fields):
                S[j, r * d:(r + 1) * d] = record[name]

    def _record_state(self, states):
        for i, S in enumerate(states):
            for f, name in enumerate(self.opts[i].info.state_fields):
                self.state_h.setdefault((i, name), []).append(S[f].reshape(self.n, self.d).copy())

    def trajectory(self, i) -> Trajectory:
        s, opt = self.slices[i], self.opts[i]
        state = None
        if self.state_h is not None:
            state = {name: np.array(v) for (j, name), v in self.state_h.items() if j == i}
        evals = self.evals[s].copy()
        evals_at = None
        if self.history:
            evals_at = (self.evals_h[:, s].copy() if opt.closure else
                        np.repeat(np.arange(self.steps + 1, dtype=np.int64)[:, None], self.n, axis=1))
        return Trajectory(
            landscape=self.landscape.name, evals=evals, evals_at=evals_at, optimizer=opt.name, hyper=dict(opt.hyper),
            params=self.params_h[:, s], loss=self.loss_h[:, s], grads=self.grads_h[:, s], lr=self.lr_h[:, s],
            diverged_at=self.diverged_at[s], converged_at=self.converged_at[s], steps=self.steps,
            tol=self.tol, noise=self.noise, seed=self.seed,
            momentum=None if self.momentum_h is None else self.momentum_h[:, s],
            schedule=None if self.schedule is None else self.schedule.name, state=state,
            batch_size=None if self.batches is None else self.batches.batch_size,
            batch_loss=None if self.batch_loss_h is None else self.batch_loss_h[:, s])
