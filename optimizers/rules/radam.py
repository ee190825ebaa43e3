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

import math

import numpy as np

from .._kernel import adam_decay, at, decay_addcmul, first_hyper, inline, jit, lerp, uniform
from .._meta import bias, controls
from .adam import validate_betas as validate

DEFAULTS = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False,
                maximize=False)
SUMMARY = ("Adam with a built-in warm-up: for the first few steps it moves by momentum alone, "
           "until its estimate of the gradient's variance can be trusted.")
HYPER = ("beta1", "beta2", "eps", "weight_decay", "decoupled_weight_decay", "maximize")
STATE = (("exp_avg", 0.0), ("exp_avg_sq", 0.0))
CONTROLS = controls("lr", "beta1", "beta2", "eps", "weight_decay", "decoupled_weight_decay")

__all__ = ["CONTROLS", "DEFAULTS", "HYPER", "STATE", "SUMMARY", "explain", "kernel", "validate"]


@inline
def _constants(b1, b2, t):
    """(1 − β₁ᵗ, 1 − β₂ᵗ, ρₜ, rₜ): torch computes them per tensor, from (β₁, β₂, t) only."""
    tf = float(t)
    bc1, bc2 = 1.0 - b1 ** tf, 1.0 - b2 ** tf
    rho_inf = 2.0 / (1.0 - b2) - 1.0
    rho_t = rho_inf - 2.0 * tf * (b2 ** tf) / bc2
    rect = math.nan
    if rho_t > 5.0:
        rect = ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)) ** 0.5
    return bc1, bc2, rho_t, rect


@inline
def _step(p, g, m, v, lr, b1, b2, eps, wd, decoupled, maximize, bc1, bc2, rho_t, rect):
    g, p = adam_decay(g, p, lr, wd, maximize, decoupled)
    m = lerp(m, g, 1.0 - b1)
    v = decay_addcmul(v, b2, 1.0 - b2, g)
    step = m / bc1 * lr
    if rho_t > 5.0:
        step = step * ((bc2 ** 0.5) / (math.sqrt(v) + eps)) * rect
    return p + (-1.0) * step, m, v


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, b1 = LR[0], first_hyper(H, MOM, 0)
        b2, eps, wd, decoupled, maximize = H[1, 0], H[2, 0], H[3, 0], H[4, 0], H[5, 0]
        bc1, bc2, rho_t, rect = _constants(b1, b2, t)
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], lr, b1, b2, eps, wd, decoupled, maximize,
                                             bc1, bc2, rho_t, rect)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            b1, b2 = first_hyper(H, MOM, e), H[1, h]
            bc1, bc2, rho_t, rect = _constants(b1, b2, t)
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], at(LR, e), b1, b2, H[2, h], H[3, h],
                                             H[4, h], H[5, h], bc1, bc2, rho_t, rect)


def explain(x) -> dict:
    g, shrink = x.adam_decay()
    b1, b2, eps = x.cycled("beta1"), x.hp("beta2"), x.hp("eps")
    m, v = x.state["exp_avg"], x.state["exp_avg_sq"]
    bc2 = bias(b2, x.t)
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * x.t * b2 ** x.t / bc2 + 0.0 * m
    tractable = rho > 5.0
    with np.errstate(invalid="ignore", divide="ignore"):
        rect = np.where(tractable, np.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)),
                        np.nan)
    m_hat = m / bias(b1, x.t)
    effective = np.where(tractable, x.lr * rect * np.sqrt(bc2) / (np.sqrt(v) + eps), x.lr)
    rows = [("exp_avg", "first moment m", m), ("exp_avg_sq", "second moment v", v),
            ("m_hat", "m̂ = m/(1−β₁ᵗ)", m_hat), ("rho", "ρₜ (adapts if > 5)", rho),
            ("rect", "rectifier rₜ", rect)]
    return dict(rows=rows, lr_label="effective lr γ rₜ√(1−β₂ᵗ)/(√v+ε)", effective=effective, direction=m_hat,
                shrink=shrink, velocity=-m)
