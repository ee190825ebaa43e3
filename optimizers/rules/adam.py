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

import math

import numpy as np

from .._kernel import adam_decay, at, decay_addcmul, first_hyper, inline, jit, lerp, maximum, uniform
from .._meta import bias, controls

DEFAULTS = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                maximize=False, decoupled_weight_decay=False)
SUMMARY = ("Keeps a running average of the gradient (momentum) and of its square, and steps by "
           "their ratio: each coordinate moves about lr per step whatever the slope's scale.")
HYPER = ("beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay")
STATE = (("exp_avg", 0.0), ("exp_avg_sq", 0.0), ("max_exp_avg_sq", 0.0))
CONTROLS = controls("lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "decoupled_weight_decay")


def validate_betas(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")
    check(hp["beta1"], lambda v: 0.0 <= v < 1.0, "Invalid beta parameter at index 0: {}")
    check(hp["beta2"], lambda v: 0.0 <= v < 1.0, "Invalid beta parameter at index 1: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")


validate = validate_betas


@inline
def _step(p, g, m, v, vmax, lr, b1, b2, eps, wd, amsgrad, maximize, decoupled, step_size, bias_correction2_sqrt):
    g, p = adam_decay(g, p, lr, wd, maximize, decoupled)
    m = lerp(m, g, 1.0 - b1)
    v = decay_addcmul(v, b2, 1.0 - b2, g)
    if amsgrad != 0.0:
        vmax = maximum(vmax, v)
        denom = math.sqrt(vmax) / bias_correction2_sqrt + eps
    else:
        denom = math.sqrt(v) / bias_correction2_sqrt + eps
    return p + ((-step_size) * m) / denom, m, v, vmax   # param.addcdiv_(exp_avg, denom, value=-step_size)


@inline
def _corrections(lr, b1, b2, t):
    """torch's step_size = lr / (1 - β₁ᵗ) and √(1 - β₂ᵗ): once per tensor, here once per value."""
    return lr / (1.0 - b1 ** float(t)), (1.0 - b2 ** float(t)) ** 0.5


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, b1 = LR[0], first_hyper(H, MOM, 0)
        b2, eps, wd, amsgrad, maximize, decoupled = H[1, 0], H[2, 0], H[3, 0], H[4, 0], H[5, 0], H[6, 0]
        step_size, bc2 = _corrections(lr, b1, b2, t)
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], lr, b1, b2, eps, wd,
                                                      amsgrad, maximize, decoupled, step_size, bc2)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            lr, b1, b2 = at(LR, e), first_hyper(H, MOM, e), H[1, h]
            step_size, bc2 = _corrections(lr, b1, b2, t)
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], lr, b1, b2, H[2, h],
                                                      H[3, h], H[4, h], H[5, h], H[6, h], step_size, bc2)


def explain(x) -> dict:
    g, shrink = x.adam_decay()
    b1, b2, amsgrad = x.cycled("beta1"), x.hp("beta2"), x.flag("amsgrad")
    m, v, vmax = x.state["exp_avg"], x.state["exp_avg_sq"], x.state["max_exp_avg_sq"]
    m_hat = m / bias(b1, x.t)
    v_hat = np.where(amsgrad, vmax, v) / bias(b2, x.t)
    rows = [("exp_avg", "first moment m", m), ("exp_avg_sq", "second moment v", v)]
    if amsgrad.any():
        rows.append(("max_exp_avg_sq", "largest v so far", vmax))
    rows += [("m_hat", "m̂ = m/(1−β₁ᵗ)", m_hat), ("v_hat", "v̂ = v/(1−β₂ᵗ)", v_hat)]
    return dict(rows=rows, lr_label="effective lr γ/(√v̂+ε)", effective=x.lr / (np.sqrt(v_hat) + x.hp("eps")),
                direction=m_hat, shrink=shrink, velocity=-m)
