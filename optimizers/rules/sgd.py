r"""SGD with momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD).

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   b_t &= \begin{cases} g_t & t = 1 \\ \mu b_{t-1} + (1 - \tau) g_t & t > 1 \end{cases} \\
   d_t &= \begin{cases} g_t + \mu b_t & \text{Nesterov} \\ b_t & \text{otherwise} \end{cases}
         \quad (d_t = g_t \text{ when } \mu = 0) \\
   \theta_t &= \theta_{t-1} - \gamma d_t

Conventions (torch's): the first momentum buffer is the gradient itself, with
no dampening; Nesterov is torch's form, which evaluates the gradient at the
current point and looks ahead through the buffer, not Sutskever's form; weight
decay is L2, added to the gradient.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rule import Rule, is_scalar, l2_decay, select

DEFAULTS = dict(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False)
SUMMARY = ("Steps against the gradient; with momentum it keeps a running sum of past gradients, "
           "which builds speed along a valley and damps zig-zags across it.")


class SGDState(NamedTuple):
    step: int
    momentum_buffer: np.ndarray


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["momentum"], lambda v: 0.0 <= v, "Invalid momentum value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")


def validate_combined(hp):
    nesterov = np.asarray(hp["nesterov"], dtype=bool)
    bad = nesterov & ((np.asarray(hp["momentum"]) <= 0) | (np.asarray(hp["dampening"]) != 0))
    if np.any(bad):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")


def make(lr, momentum, dampening, weight_decay, nesterov, maximize) -> Rule:
    del lr  # the run loop passes the scheduled rate each step
    prepare = l2_decay(weight_decay, maximize)
    keep = 1 - dampening

    def init(params):
        return SGDState(0, np.zeros_like(params))

    def update(grads, state, params, lr, momentum_override=None):
        mu = momentum if momentum_override is None else momentum_override
        g = prepare(grads, params)
        step = state.step + 1
        buf = state.momentum_buffer
        if is_scalar(mu) and mu == 0:
            d = g
        else:
            if step == 1:
                buf = g
            else:
                buf = buf * mu
                buf += keep * g
            d = buf if nesterov is False else select(nesterov, g + mu * buf, buf)
            if not is_scalar(mu) and not np.all(mu != 0):
                d = np.where(mu != 0, d, g)
        step_ = lr * d
        return np.subtract(params, step_, out=step_), SGDState(step, buf)

    return Rule(init, update)
