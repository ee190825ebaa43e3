r"""Adamax (torch.optim.Adamax): Adam with the infinity norm in place of the root mean square.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
   u_t &= \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \\
   \theta_t &= \theta_{t-1} - \frac{\gamma}{1 - \beta_1^t} \frac{m_t}{u_t}

Conventions (torch's): eps is added to :math:`|g_t|` inside the maximum, not to the
denominator; only the first moment is bias-corrected; weight decay is L2, added to the
gradient.
"""

from __future__ import annotations

import numpy as np

from .._kernel import at, first_hyper, inline, jit, l2, lerp, maximum, uniform
from .._meta import bias, controls
from .adam import validate_betas as validate

DEFAULTS = dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False)
SUMMARY = ("Adam that divides by the largest recent gradient size instead of the root mean square, "
           "so one large gradient caps the step for a while.")
HYPER = ("beta1", "beta2", "eps", "weight_decay", "maximize")
STATE = (("exp_avg", 0.0), ("exp_inf", 0.0))
CONTROLS = controls("lr", "beta1", "beta2", "eps", "weight_decay")

__all__ = ["CONTROLS", "DEFAULTS", "HYPER", "STATE", "SUMMARY", "explain", "kernel", "validate"]


@inline
def _step(p, g, m, u, b1, b2, eps, wd, maximize, clr):
    g = l2(g, p, wd, maximize)
    m = lerp(m, g, 1.0 - b1)
    u = maximum(u * b2, abs(g) + eps)      # torch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps))
    return p + ((-clr) * m) / u, m, u      # param.addcdiv_(exp_avg, exp_inf, value=-clr)


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        b1 = first_hyper(H, MOM, 0)
        b2, eps, wd, maximize = H[1, 0], H[2, 0], H[3, 0], H[4, 0]
        clr = LR[0] / (1.0 - b1 ** float(t))
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], b1, b2, eps, wd, maximize, clr)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            b1 = first_hyper(H, MOM, e)
            clr = at(LR, e) / (1.0 - b1 ** float(t))
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], b1, H[1, h], H[2, h], H[3, h], H[4, h],
                                             clr)


def explain(x) -> dict:
    g = x.l2(x.hp("weight_decay"))
    b1 = x.cycled("beta1")
    m, u = x.state["exp_avg"], x.state["exp_inf"]
    m_hat = m / bias(b1, x.t)
    return dict(rows=[("exp_avg", "first moment m", m), ("exp_inf", "largest recent |g| u", u),
                      ("m_hat", "m̂ = m/(1−β₁ᵗ)", m_hat)],
                lr_label="effective lr γ/u", effective=x.lr / u, direction=m_hat, velocity=-m)
