r"""Adagrad (torch.optim.Adagrad): a per-coordinate rate that shrinks with the sum of squared gradients.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   \tilde\gamma_t &= \gamma / (1 + (t - 1)\,\eta) \\
   s_t &= s_{t-1} + g_t^2, \quad s_0 = \text{initial\_accumulator\_value} \\
   \theta_t &= \theta_{t-1} - \tilde\gamma_t \, g_t / (\sqrt{s_t} + \epsilon)

Conventions (torch's): eps is added outside the square root; ``lr_decay``
(:math:`\eta`) decays the rate by the step count; weight decay is L2. As in
torch, ``initial_accumulator_value`` is read once, from the constructor: a
parameter group's own value is ignored (with a warning).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rule import Rule, l2_decay

DEFAULTS = dict(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10, maximize=False)
# torch fills the accumulator in Adagrad.__init__ from the constructor's value, so a
# param group's own initial_accumulator_value is ignored. We do what torch does.
CONSTRUCTOR_ONLY = ("initial_accumulator_value",)
SUMMARY = ("Divides each coordinate's step by the root of all its past squared gradients, "
           "so steep directions slow down early and every step keeps shrinking.")


class AdagradState(NamedTuple):
    step: int
    sum: np.ndarray


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["lr_decay"], lambda v: 0.0 <= v, "Invalid lr_decay value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")
    check(hp["initial_accumulator_value"], lambda v: 0.0 <= v, "Invalid initial_accumulator_value value: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")


def make(lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize) -> Rule:
    del lr
    prepare = l2_decay(weight_decay, maximize)

    def init(params):
        return AdagradState(0, np.zeros_like(params) + initial_accumulator_value)

    def update(grads, state, params, lr, momentum_override=None):
        g = prepare(grads, params)
        step = state.step + 1
        clr = lr / (1 + (step - 1) * lr_decay)
        s = g * g
        s += state.sum
        std = np.sqrt(s)
        std += eps
        new = -clr * g
        new /= std
        new += params
        return new, AdagradState(step, s)

    return Rule(init, update)
