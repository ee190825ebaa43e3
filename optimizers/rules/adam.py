r"""Adam, AdamW and AMSGrad (torch.optim.Adam / AdamW): bias-corrected moments of the gradient.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1}
          \quad\text{(L2; AdamW instead sets } \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)\text{)} \\
   m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
   v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2, \qquad
          v^{\max}_t = \max(v^{\max}_{t-1}, v_t) \quad\text{(AMSGrad)} \\
   \hat m_t &= \frac{m_t}{1 - \beta_1^t}, \qquad
          \hat v_t = \frac{v_t}{1 - \beta_2^t} \quad\text{(AMSGrad: } \frac{v^{\max}_t}{1 - \beta_2^t}\text{)} \\
   \theta_t &= \theta_{t-1} - \frac{\gamma\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}

Conventions (torch's): both moments are bias-corrected; eps is added after
the bias-corrected square root, outside it (torch computes
:math:`\sqrt{v_t} / \sqrt{1 - \beta_2^t}`, the same number); AMSGrad keeps
the maximum of the raw second moment; Adam's weight decay is L2 (added to
the gradient) and AdamW's is decoupled (the point shrinks by
``lr * weight_decay`` before the step).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rule import Rule, decoupled_or_l2, lerp, mul_addcmul, select

DEFAULTS = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                maximize=False, decoupled_weight_decay=False)
SUMMARY = ("Keeps a running average of the gradient (momentum) and of its square, and steps by "
           "their ratio: each coordinate moves about lr per step whatever the slope's scale.")


class AdamState(NamedTuple):
    step: int
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray
    max_exp_avg_sq: np.ndarray


def validate_betas(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")
    check(hp["beta1"], lambda v: 0.0 <= v < 1.0, "Invalid beta parameter at index 0: {}")
    check(hp["beta2"], lambda v: 0.0 <= v < 1.0, "Invalid beta parameter at index 1: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")


validate = validate_betas


def make(lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled_weight_decay) -> Rule:
    del lr
    prepare = decoupled_or_l2(weight_decay, decoupled_weight_decay, maximize)
    fresh = 1 - beta2

    def init(params):
        zeros = np.zeros_like(params)
        return AdamState(0, zeros, zeros, zeros)

    def update(grads, state, params, lr, momentum_override=None):
        b1 = beta1 if momentum_override is None else momentum_override
        g, params = prepare(grads, params, lr)
        step = state.step + 1
        exp_avg = lerp(state.exp_avg, g, 1 - b1)
        exp_avg_sq = mul_addcmul(state.exp_avg_sq, beta2, fresh, g)
        step_size = lr / (1 - b1 ** step)
        bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
        max_sq = state.max_exp_avg_sq
        if amsgrad is not False:
            max_sq = np.maximum(max_sq, exp_avg_sq)
            denom = np.sqrt(select(amsgrad, max_sq, exp_avg_sq))
        else:
            denom = np.sqrt(exp_avg_sq)
        denom /= bias_correction2_sqrt
        denom += eps
        new = -step_size * exp_avg
        new /= denom
        new += params
        return new, AdamState(step, exp_avg, exp_avg_sq, max_sq)

    return Rule(init, update)
