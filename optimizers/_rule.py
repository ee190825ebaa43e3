"""What every update rule shares: the Rule pair, and torch's elementwise primitives.

A rule is optax's pair of pure functions, ``init(params) -> state`` and
``update(grads, state, params, lr, momentum) -> (new_params, state)``. Unlike
optax, ``update`` returns the new point rather than the increment: torch
applies weight decay and the step to the parameter in place, one rounding at a
time, and returning the point keeps exactly those roundings.

A hyperparameter arrives either as a Python scalar (the common case, and the
fast one) or as an array that broadcasts against (n_runs, 2): per coordinate
(parameter groups), per run (sweeps) or both. Boolean flags may be arrays
too; ``select`` picks per element.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple, Tuple

import numpy as np

Array = np.ndarray


class Rule(NamedTuple):
    """An optimizer's update rule: ``init(params) -> state`` and
    ``update(grads, state, params, lr, momentum=None) -> (new_params, state)``.

    ``lr`` is the learning rate in effect for this step (the schedule's);
    ``momentum`` overrides momentum or beta1 when a schedule cycles it
    (OneCycleLR), and is None otherwise.
    """

    init: Callable[[Array], Any]
    update: Callable[..., Tuple[Array, Any]]


def is_scalar(v) -> bool:
    """Python and NumPy scalars: the fast path (``np.ndim`` costs a microsecond a call)."""
    return not isinstance(v, np.ndarray)


def select(flag, if_true: Array, if_false: Array) -> Array:
    """``if_true`` where ``flag``; a Python bool picks a whole branch at no cost."""
    if flag is True:
        return if_true
    if flag is False:
        return if_false
    return np.where(flag, if_true, if_false)


def any_nonzero(v) -> bool:
    return bool(np.any(np.asarray(v) != 0))


def lerp(start: Array, end: Array, weight) -> Array:
    """torch.lerp: ``start + w (end - start)`` for |w| < 0.5, else
    ``end - (end - start)(1 - w)``: the branch torch takes, for its rounding."""
    diff = end - start
    if is_scalar(weight):
        if abs(weight) < 0.5:
            diff *= weight
            diff += start
            return diff
        diff *= 1 - weight
        return np.subtract(end, diff, out=diff)
    return np.where(np.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight))


def mul_addcmul(avg: Array, decay, fresh, x: Array) -> Array:
    """torch's ``avg.mul_(decay).addcmul_(x, x, value=fresh)``: ``avg decay + (fresh x) x``,
    the running average of squares every adaptive rule keeps, in torch's rounding order."""
    out = avg * decay
    sq = fresh * x
    sq *= x
    out += sq
    return out


def l2_decay(weight_decay, maximize):
    """torch's first lines of every rule, decided once when the rule is built:
    negate for ``maximize``, then L2 decay ``g + wd * p`` (skipped where wd is
    zero, as torch skips it). Returns ``prepare(grads, params) -> grads``."""
    negate, decay = maximize is not False, any_nonzero(weight_decay)

    def prepare(grads, params):
        if negate:
            grads = select(maximize, -grads, grads)
        if decay:
            grads = grads + weight_decay * params
        return grads

    return prepare


def decoupled_or_l2(weight_decay, decoupled, maximize):
    """Weight decay for the Adam family, decided once: decoupled (AdamW,
    ``p (1 - lr wd)``) or L2 (``g + wd p``, through ``l2_decay``), per element
    when ``decoupled`` is an array. Returns ``prepare(grads, params, lr) -> (grads, params)``."""
    l2 = l2_decay(select(decoupled, 0.0, weight_decay), maximize)
    shrink = select(decoupled, weight_decay, 0.0)
    shrinks = any_nonzero(shrink)

    def prepare(grads, params, lr):
        grads = l2(grads, params)  # the gradient's decay uses the point before it shrinks
        if shrinks:
            params = params * (1 - lr * shrink)
        return grads, params

    return prepare
