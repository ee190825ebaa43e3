r"""RMSprop (torch.optim.RMSprop): divide by a running root-mean-square of the gradient.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   v_t &= \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
   \bar g_t &= \alpha \bar g_{t-1} + (1 - \alpha) g_t \quad\text{(centered only)} \\
   \delta_t &= \sqrt{v_t - \bar g_t^2} + \epsilon \quad\text{(centered)},\qquad \sqrt{v_t} + \epsilon \quad\text{(otherwise)} \\
   b_t &= \mu b_{t-1} + g_t / \delta_t, \qquad \theta_t = \theta_{t-1} - \gamma b_t \quad (\mu > 0) \\
   \theta_t &= \theta_{t-1} - \gamma g_t / \delta_t \quad (\mu = 0)

Conventions (torch's): eps is added outside the square root; no bias
correction; the momentum buffer starts at zero; weight decay is L2.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rule import Rule, is_scalar, l2_decay, lerp, mul_addcmul, select

DEFAULTS = dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False, maximize=False)
SUMMARY = ("Divides each coordinate's step by a running average of its recent squared gradients, "
           "so the step size adapts to the local steepness without shrinking forever.")


class RMSpropState(NamedTuple):
    step: int
    square_avg: np.ndarray
    grad_avg: np.ndarray
    momentum_buffer: np.ndarray


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")
    check(hp["momentum"], lambda v: 0.0 <= v, "Invalid momentum value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")
    check(hp["alpha"], lambda v: 0.0 <= v, "Invalid alpha value: {}")


def make(lr, alpha, eps, weight_decay, momentum, centered, maximize) -> Rule:
    del lr
    prepare = l2_decay(weight_decay, maximize)
    fresh = 1 - alpha

    def init(params):
        zeros = np.zeros_like(params)
        return RMSpropState(0, zeros, zeros, zeros)

    def update(grads, state, params, lr, momentum_override=None):
        mu = momentum if momentum_override is None else momentum_override
        g = prepare(grads, params)
        square_avg = mul_addcmul(state.square_avg, alpha, fresh, g)
        grad_avg = state.grad_avg
        if centered is not False:
            grad_avg = lerp(grad_avg, g, fresh)
            avg = select(centered, square_avg - grad_avg * grad_avg, square_avg)
            avg = np.sqrt(avg)
        else:
            avg = np.sqrt(square_avg)
        avg += eps
        buf = state.momentum_buffer
        if is_scalar(mu) and mu > 0:
            buf = buf * mu
            buf += g / avg
            step_ = lr * buf
            new = np.subtract(params, step_, out=step_)
        elif is_scalar(mu):
            new = -lr * g
            new /= avg
            new += params
        else:
            on = mu > 0
            buf = np.where(on, buf * mu + g / avg, buf)
            new = np.where(on, params - lr * buf, params + (-lr * g) / avg)
        return new, RMSpropState(state.step + 1, square_avg, grad_avg, buf)

    return Rule(init, update)
