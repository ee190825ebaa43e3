r"""RAdam (torch.optim.RAdam): Adam whose adaptive step is switched on only once its variance is tractable.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1}
          \quad\text{(L2; with decoupled decay instead } \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)\text{)} \\
   m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
   \rho_\infty &= \frac{2}{1 - \beta_2} - 1, \qquad
   \rho_t = \rho_\infty - \frac{2 t \beta_2^t}{1 - \beta_2^t} \\
   r_t &= \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\rho_\infty}{(\rho_\infty - 4)(\rho_\infty - 2)\rho_t}} \\
   \theta_t &= \theta_{t-1} - \gamma \frac{m_t}{1 - \beta_1^t}
      \cdot \begin{cases} r_t \dfrac{\sqrt{1 - \beta_2^t}}{\sqrt{v_t} + \epsilon} & \rho_t > 5 \\ 1 & \text{otherwise} \end{cases}

Conventions (torch's): eps is added to the raw square root, before the bias
correction; while :math:`\rho_t \le 5` the step is plain bias-corrected
momentum; weight decay is L2 unless ``decoupled_weight_decay``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rule import Rule, decoupled_or_l2, is_scalar, lerp, mul_addcmul
from .adam import validate_betas as validate

DEFAULTS = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False,
                maximize=False)
SUMMARY = ("Adam with a built-in warm-up: for the first few steps it moves by momentum alone, "
           "until its estimate of the gradient's variance can be trusted.")

__all__ = ["DEFAULTS", "SUMMARY", "RAdamState", "make", "validate"]


class RAdamState(NamedTuple):
    step: int
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray


def make(lr, beta1, beta2, eps, weight_decay, decoupled_weight_decay, maximize) -> Rule:
    del lr
    prepare = decoupled_or_l2(weight_decay, decoupled_weight_decay, maximize)
    fresh = 1 - beta2
    rho_inf = 2 / (1 - beta2) - 1

    def init(params):
        zeros = np.zeros_like(params)
        return RAdamState(0, zeros, zeros)

    def update(grads, state, params, lr, momentum_override=None):
        b1 = beta1 if momentum_override is None else momentum_override
        step = state.step + 1
        g, params = prepare(grads, params, lr)
        exp_avg = lerp(state.exp_avg, g, 1 - b1)
        exp_avg_sq = mul_addcmul(state.exp_avg_sq, beta2, fresh, g)
        bias_correction1 = 1 - b1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_ = exp_avg / bias_correction1
        step_ *= lr
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        if is_scalar(rho_t):
            if rho_t > 5.0:
                step_ *= _adaptive(exp_avg_sq, eps, bias_correction2)
                step_ *= _rect(rho_t, rho_inf)
        else:
            tractable = rho_t > 5.0
            if np.any(tractable):
                with np.errstate(invalid="ignore"):
                    rect = np.where(tractable, _rect(rho_t, rho_inf), 1.0)
                rectified = step_ * _adaptive(exp_avg_sq, eps, bias_correction2) * rect
                step_ = np.where(tractable, rectified, step_)
        return np.subtract(params, step_, out=step_), RAdamState(step, exp_avg, exp_avg_sq)

    return Rule(init, update)


def _rect(rho_t, rho_inf):
    return ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5


def _adaptive(exp_avg_sq, eps, bias_correction2):
    root = np.sqrt(exp_avg_sq)
    root += eps
    return np.divide(bias_correction2 ** 0.5, root, out=root)
