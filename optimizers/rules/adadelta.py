r"""AdaDelta (torch.optim.Adadelta): a step whose units come from a running average of past steps.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   v_t &= \rho v_{t-1} + (1 - \rho) g_t^2 \\
   \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\
   u_t &= \rho u_{t-1} + (1 - \rho) \Delta_t^2 \\
   \theta_t &= \theta_{t-1} - \gamma \Delta_t

Conventions (torch's): eps is added inside both square roots; no bias
correction; weight decay is L2; torch keeps an ``lr`` (default 1.0) that
scales the step, which the original paper has not.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rule import Rule, l2_decay, mul_addcmul

DEFAULTS = dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False)
SUMMARY = ("Scales each step by the ratio of recent step sizes to recent gradient sizes, "
           "so it needs no learning rate to get going, but starts very slowly.")


class AdadeltaState(NamedTuple):
    step: int
    square_avg: np.ndarray
    acc_delta: np.ndarray


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["rho"], lambda v: 0.0 <= v <= 1.0, "Invalid rho value: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")


def make(lr, rho, eps, weight_decay, maximize) -> Rule:
    del lr
    prepare = l2_decay(weight_decay, maximize)
    fresh = 1 - rho

    def init(params):
        zeros = np.zeros_like(params)
        return AdadeltaState(0, zeros, zeros)

    def update(grads, state, params, lr, momentum_override=None):
        g = prepare(grads, params)
        square_avg = mul_addcmul(state.square_avg, rho, fresh, g)
        std = square_avg + eps
        np.sqrt(std, out=std)
        delta = state.acc_delta + eps
        np.sqrt(delta, out=delta)
        delta /= std
        delta *= g
        acc_delta = mul_addcmul(state.acc_delta, rho, fresh, delta)
        step_ = lr * delta
        return np.subtract(params, step_, out=step_), AdadeltaState(state.step + 1, square_avg, acc_delta)

    return Rule(init, update)
