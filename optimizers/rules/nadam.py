r"""NAdam (torch.optim.NAdam): Adam with Nesterov momentum and a warming-up momentum schedule.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1}
          \quad\text{(L2; with decoupled decay instead } \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)\text{)} \\
   \mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{\,t \psi}\right), \qquad
   \Pi_t = \prod_{i \le t} \mu_i \\
   m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
   v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
   \theta_t &= \theta_{t-1}
      - \gamma \frac{1 - \mu_t}{1 - \Pi_t} \frac{g_t}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}
      - \gamma \frac{\mu_{t+1}}{1 - \Pi_t \mu_{t+1}} \frac{m_t}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}

Conventions (torch's): :math:`\psi` is ``momentum_decay``; eps is added after
the bias-corrected square root; weight decay is L2 unless
``decoupled_weight_decay`` (then AdamW-style).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rule import Rule, decoupled_or_l2, lerp, mul_addcmul
from .adam import validate_betas

DEFAULTS = dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
                decoupled_weight_decay=False, maximize=False)
SUMMARY = ("Adam with a Nesterov look-ahead: the step uses the momentum it is about to have, "
           "which reacts a little faster at bends.")


class NAdamState(NamedTuple):
    step: int
    mu_product: object  # float, or an array when beta1 varies per coordinate or run
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray


def validate(hp, check):
    validate_betas(hp, check)
    check(hp["momentum_decay"], lambda v: 0.0 <= v, "Invalid momentum_decay value: {}")


def make(lr, beta1, beta2, eps, weight_decay, momentum_decay, decoupled_weight_decay, maximize) -> Rule:
    del lr
    prepare = decoupled_or_l2(weight_decay, decoupled_weight_decay, maximize)
    fresh = 1 - beta2

    def init(params):
        zeros = np.zeros_like(params)
        return NAdamState(0, 1.0, zeros, zeros)

    def update(grads, state, params, lr, momentum_override=None):
        b1 = beta1 if momentum_override is None else momentum_override
        step = state.step + 1
        bias_correction2 = 1 - beta2 ** step
        g, params = prepare(grads, params, lr)
        mu = b1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product = state.mu_product * mu
        exp_avg = lerp(state.exp_avg, g, 1 - b1)
        exp_avg_sq = mul_addcmul(state.exp_avg_sq, beta2, fresh, g)
        denom = exp_avg_sq / bias_correction2
        np.sqrt(denom, out=denom)
        denom += eps
        mu_product_next = mu_product * mu_next
        new = (-lr * (1.0 - mu) / (1.0 - mu_product)) * g
        new /= denom
        new += params
        ahead = ((-lr * mu_next) / (1.0 - mu_product_next)) * exp_avg
        ahead /= denom
        new += ahead
        return new, NAdamState(step, mu_product, exp_avg, exp_avg_sq)

    return Rule(init, update)
