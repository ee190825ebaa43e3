"""Learning-rate schedules with torch.optim.lr_scheduler's names, arguments and arithmetic.

A schedule is built (and its arguments checked) by ``schedule(name, **kwargs)``.
The run loop calls ``start(base_lr, steps)`` once, then ``advance(state, loss)``
after every optimizer step, exactly where a training loop calls
``scheduler.step()``; ``state.lr`` is the rate the next step uses. Rates are
arrays over (n_runs, 2), so every run and every parameter group follows its
own base rate, as torch's per-group ``initial_lr`` does.

Where torch computes a rate recursively from the previous one (StepLR,
ExponentialLR, CosineAnnealingLR, LinearLR...), so do we: the closed forms
agree in exact arithmetic but not in the last bits, and our numbers must be
torch's. ``closed_form`` is kept beside them, and the tests check that the two agree.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import numbers
from collections import Counter
from typing import Any, Callable, Mapping, NamedTuple, Optional

import numpy as np

Array = np.ndarray


class ScheduleState(NamedTuple):
    epoch: int                  # torch's last_epoch: optimizer steps taken so far
    lr: Array                   # the rate the next step uses, (n, 2)
    momentum: Optional[Array]   # OneCycleLR's momentum / beta1 for the next step, else None
    base_lr: Array              # torch's initial_lr per run and coordinate
    extra: Any = None           # ReduceLROnPlateau: (best, num_bad_epochs, cooldown_counter)


@dataclasses.dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule. ``cycles_momentum`` is True for OneCycleLR with ``cycle_momentum``."""

    name: str
    kwargs: Mapping[str, Any]
    start: Callable[[Array, int], ScheduleState]
    advance: Callable[[ScheduleState, Array], ScheduleState]
    closed_form: Optional[Callable[[int, Array], Array]] = None
    cycles_momentum: bool = False
    needs_loss: bool = False

    def rates(self, base_lr, steps: int) -> Array:
        """The rates of ``steps`` steps: (steps, *shape of base_lr). The loss fed to
        ``advance`` stays at 0, so ``plateau`` sees no improvement after its first step."""
        state = self.start(np.asarray(base_lr, dtype=np.float64), steps)
        out = []
        for _ in range(steps):
            out.append(state.lr)
            state = self.advance(state, np.zeros(np.shape(state.lr)[:-1]))
        return np.array(out)


def _chainable(name, kwargs, first, later, closed_form=None):
    """A torch 'chainable' schedule: lr_0 = first(base), lr_e = later(e, lr_{e-1}, base)."""

    def start(base_lr, steps):
        return ScheduleState(0, first(base_lr), None, base_lr)

    def advance(state, loss):
        epoch = state.epoch + 1
        return state._replace(epoch=epoch, lr=later(epoch, state.lr, state.base_lr))

    return Schedule(name, kwargs, start, advance, closed_form)


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {value}")
    return int(value)


def _finite(name, value):
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(f):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return f


def constant() -> Schedule:
    """A constant rate: the optimizer's own ``lr`` at every step."""
    return _chainable("constant", {}, lambda b: b, lambda e, lr, b: lr, lambda e, b: b)


def step(step_size: int, gamma: float = 0.1) -> Schedule:
    """StepLR: multiply the rate by ``gamma`` every ``step_size`` steps."""
    step_size = _positive_int("step_size", step_size)
    gamma = _finite("gamma", gamma)
    return _chainable(
        "step", dict(step_size=step_size, gamma=gamma), lambda b: b,
        lambda e, lr, b: lr * gamma if e % step_size == 0 else lr,
        lambda e, b: b * gamma ** (e // step_size))


def _milestone(m) -> int:
    """A step number: an integer, or a float with an integer value (3.0); 3.7 or inf never is one."""
    if isinstance(m, bool) or not isinstance(m, numbers.Real) or not float(m).is_integer():
        raise ValueError(m)
    return int(m)


def multistep(milestones, gamma: float = 0.1) -> Schedule:
    """MultiStepLR: multiply the rate by ``gamma`` at each milestone (repeats count twice)."""
    try:
        counts = Counter(_milestone(m) for m in milestones)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"milestones must be a list of integers, got {milestones!r}") from None
    gamma = _finite("gamma", gamma)
    ordered = sorted(counts.elements())
    return _chainable(
        "multistep", dict(milestones=ordered, gamma=gamma), lambda b: b,
        lambda e, lr, b: lr * gamma ** counts[e] if e in counts else lr,
        lambda e, b: b * gamma ** bisect.bisect_right(ordered, e))


def exponential(gamma: float) -> Schedule:
    """ExponentialLR: multiply the rate by ``gamma`` after every step."""
    gamma = _finite("gamma", gamma)
    return _chainable("exponential", dict(gamma=gamma), lambda b: b,
                      lambda e, lr, b: lr * gamma, lambda e, b: b * gamma ** e)


def cosine(T_max: int, eta_min: float = 0.0) -> Schedule:
    r"""CosineAnnealingLR: :math:`\eta_t = \eta_{min} + (\eta_0 - \eta_{min})(1 + \cos(\pi t / T_{max}))/2`.

    Computed with torch's recursion, which after ``T_max`` climbs back up
    along the same cosine (period ``2 T_max``) rather than staying at eta_min.
    """
    T_max = _positive_int("T_max", T_max)
    eta_min = _finite("eta_min", eta_min)

    def later(e, lr, base):
        if (e - 1 - T_max) % (2 * T_max) == 0:
            return lr + (base - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
        return ((1 + math.cos(math.pi * e / T_max)) / (1 + math.cos(math.pi * (e - 1) / T_max))
                * (lr - eta_min) + eta_min)

    return _chainable("cosine", dict(T_max=T_max, eta_min=eta_min), lambda b: b, later,
                      lambda e, b: eta_min + (b - eta_min) * (1 + math.cos(math.pi * e / T_max)) / 2)


def linear(start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5) -> Schedule:
    """LinearLR: scale the rate linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` steps (warm-up)."""
    start_factor = _finite("start_factor", start_factor)
    end_factor = _finite("end_factor", end_factor)
    if start_factor > 1.0 or start_factor <= 0:
        raise ValueError("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
    if end_factor > 1.0 or end_factor < 0:
        raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
    total_iters = _positive_int("total_iters", total_iters)
    slope = end_factor - start_factor

    def later(e, lr, base):
        if e > total_iters:
            return lr
        return lr * (1.0 + slope / (total_iters * start_factor + (e - 1) * slope))

    return _chainable(
        "linear", dict(start_factor=start_factor, end_factor=end_factor, total_iters=total_iters),
        lambda b: b * start_factor, later,
        lambda e, b: b * (start_factor + slope * min(total_iters, e) / total_iters))


def onecycle(max_lr=None, total_steps: Optional[int] = None, pct_start: float = 0.3,
             anneal_strategy: str = "cos", cycle_momentum: bool = True, base_momentum: float = 0.85,
             max_momentum: float = 0.95, div_factor: float = 25.0, final_div_factor: float = 1e4,
             three_phase: bool = False) -> Schedule:
    """OneCycleLR: warm up from ``max_lr/div_factor`` to ``max_lr``, then anneal to
    ``max_lr/(div_factor*final_div_factor)``; momentum (or beta1) cycles the other way.

    Two conveniences beyond torch, both documented: ``max_lr=None`` takes each
    run's optimizer ``lr`` as its peak, and ``total_steps=None`` takes the
    run's number of steps. A run longer than ``total_steps`` raises, as torch does.
    """
    if total_steps is not None:
        total_steps = _positive_int("total_steps", total_steps)
    pct_start = _finite("pct_start", pct_start)
    if not 0 <= pct_start <= 1:
        raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
    if anneal_strategy not in ("cos", "linear"):
        raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
    div_factor = _finite("div_factor", div_factor)
    final_div_factor = _finite("final_div_factor", final_div_factor)
    base_momentum = _finite("base_momentum", base_momentum)
    max_momentum = _finite("max_momentum", max_momentum)
    if max_lr is not None:
        max_lr = np.asarray(max_lr, dtype=np.float64)
        if not np.all(np.isfinite(max_lr)) or np.any(max_lr < 0):
            raise ValueError(f"max_lr must be finite and non-negative, got {max_lr!r}")
    cycle_momentum = bool(cycle_momentum)

    if anneal_strategy == "cos":
        def anneal(start, end, pct):
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
    else:
        def anneal(start, end, pct):
            return (end - start) * pct + start

    def phases(total):
        up = float(pct_start * total) - 1
        if three_phase:
            return [(up, "initial", "max", max_momentum, base_momentum),
                    (float(2 * pct_start * total) - 2, "max", "initial", base_momentum, max_momentum),
                    (total - 1, "initial", "min", max_momentum, max_momentum)]
        return [(up, "initial", "max", max_momentum, base_momentum),
                (total - 1, "max", "min", base_momentum, max_momentum)]

    def at(epoch, lrs, table):
        start_step = 0.0
        for i, (end_step, lr_from, lr_to, m_from, m_to) in enumerate(table):
            if epoch <= end_step or i == len(table) - 1:
                pct = (epoch - start_step) / (end_step - start_step)
                momentum = anneal(m_from, m_to, pct) if cycle_momentum else None
                return anneal(lrs[lr_from], lrs[lr_to], pct), momentum
            start_step = end_step

    def start(base_lr, steps):
        total = total_steps if total_steps is not None else steps
        if total <= 0:
            raise ValueError(f"Expected positive integer total_steps, but got {total}")
        if steps > total:
            raise ValueError(f"Tried to step {steps} times. The specified number of total steps is {total}")
        peak = base_lr if max_lr is None else np.broadcast_to(max_lr, np.shape(base_lr)).astype(np.float64)
        if not np.all(np.isfinite(peak)):
            raise ValueError("OneCycleLR needs a finite peak rate (max_lr, or the optimizer's lr), "
                             f"got {np.unique(peak).tolist()}")
        initial = peak / div_factor
        lrs = dict(initial=initial, max=peak, min=initial / final_div_factor)
        table = phases(total)
        ends = [0.0] + [end for end, *_ in table]
        if any(a == b for a, b in zip(ends, ends[1:])):
            # torch divides by the phase's length and raises ZeroDivisionError here.
            raise ValueError(f"OneCycleLR with pct_start={pct_start} over {total} steps leaves a phase "
                             "with no steps: change pct_start or the number of steps")
        lr, momentum = at(0, lrs, table)
        return ScheduleState(0, lr, momentum, initial, (lrs, table))

    def advance(state, loss):
        epoch = state.epoch + 1
        lrs, table = state.extra
        lr, momentum = at(epoch, lrs, table)
        return state._replace(epoch=epoch, lr=lr, momentum=momentum)

    kwargs = dict(max_lr=None if max_lr is None else max_lr.tolist(), total_steps=total_steps,
                  pct_start=pct_start, anneal_strategy=anneal_strategy, cycle_momentum=cycle_momentum,
                  base_momentum=base_momentum, max_momentum=max_momentum, div_factor=div_factor,
                  final_div_factor=final_div_factor, three_phase=bool(three_phase))
    return Schedule("onecycle", kwargs, start, advance, cycles_momentum=cycle_momentum)


def plateau(mode: str = "min", factor: float = 0.1, patience: int = 10, threshold: float = 1e-4,
            threshold_mode: str = "rel", cooldown: int = 0, min_lr=0.0, eps: float = 1e-8) -> Schedule:
    """ReduceLROnPlateau: multiply the rate by ``factor`` after ``patience`` steps without improvement.

    Each run watches its own loss at the point where its gradient was taken,
    as in ``loss = f(p); loss.backward(); opt.step(); sched.step(loss)``.
    """
    if mode not in ("min", "max"):
        raise ValueError(f"mode {mode} is unknown!")
    if threshold_mode not in ("rel", "abs"):
        raise ValueError(f"threshold mode {threshold_mode} is unknown!")
    factor = _finite("factor", factor)
    if factor >= 1.0:
        raise ValueError("Factor should be < 1.0.")
    if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)) or patience < 0:
        raise ValueError(f"patience must be a non-negative integer, got {patience!r}")
    if isinstance(cooldown, bool) or not isinstance(cooldown, (int, np.integer)) or cooldown < 0:
        raise ValueError(f"cooldown must be a non-negative integer, got {cooldown!r}")
    threshold = _finite("threshold", threshold)
    eps = _finite("eps", eps)
    min_lr_arr = np.asarray(min_lr, dtype=np.float64)

    if mode == "min" and threshold_mode == "rel":
        def better(a, best):
            return a < best * (1.0 - threshold)
    elif mode == "min":
        def better(a, best):
            return a < best - threshold
    elif threshold_mode == "rel":
        def better(a, best):
            return a > best * (threshold + 1.0)
    else:
        def better(a, best):
            return a > best + threshold

    worse = math.inf if mode == "min" else -math.inf

    def start(base_lr, steps):
        n = np.shape(base_lr)[:-1]
        extra = (np.full(n, worse), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
        return ScheduleState(0, np.array(base_lr, dtype=np.float64), None, base_lr, extra)

    def advance(state, loss):
        best, bad, cool = state.extra
        improved = better(loss, best)
        best = np.where(improved, loss, best)
        bad = np.where(improved, 0, bad + 1)
        in_cooldown = cool > 0
        cool = np.where(in_cooldown, cool - 1, cool)
        bad = np.where(in_cooldown, 0, bad)
        reduce = bad > patience
        lr = state.lr
        if np.any(reduce):
            new_lr = np.maximum(lr * factor, min_lr_arr)
            per_run = reduce[..., None] if np.ndim(lr) == np.ndim(reduce) + 1 else reduce
            lr = np.where(per_run & (lr - new_lr > eps), new_lr, lr)
            cool = np.where(reduce, cooldown, cool)
            bad = np.where(reduce, 0, bad)
        return state._replace(epoch=state.epoch + 1, lr=lr, extra=(best, bad, cool))

    kwargs = dict(mode=mode, factor=factor, patience=int(patience), threshold=threshold,
                  threshold_mode=threshold_mode, cooldown=int(cooldown), min_lr=min_lr_arr.tolist(), eps=eps)
    return Schedule("plateau", kwargs, start, advance, needs_loss=True)


_SCHEDULES = dict(constant=constant, step=step, multistep=multistep, exponential=exponential,
                  cosine=cosine, linear=linear, onecycle=onecycle, plateau=plateau)


def names():
    """Schedule names, in the order the app lists them."""
    return list(_SCHEDULES)


def schedule(name: str, **kwargs) -> Schedule:
    """Build a schedule by name with torch.optim.lr_scheduler's arguments and defaults.

    ``constant``, ``step`` (StepLR), ``multistep`` (MultiStepLR), ``exponential``
    (ExponentialLR), ``cosine`` (CosineAnnealingLR), ``linear`` (LinearLR),
    ``onecycle`` (OneCycleLR) and ``plateau`` (ReduceLROnPlateau).
    """
    try:
        factory = _SCHEDULES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown schedule {name!r}; known: {', '.join(_SCHEDULES)}") from None
    try:
        return factory(**kwargs)
    except TypeError as exc:
        raise TypeError(f"schedule {name!r}: {exc}") from None
