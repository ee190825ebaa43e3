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

import math

import numpy as np

from .._kernel import adam_decay, at, decay_addcmul, first_hyper, inline, jit, lerp, uniform
from .._meta import bias, controls
from .adam import validate_betas

DEFAULTS = dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
                decoupled_weight_decay=False, maximize=False)
SUMMARY = ("Adam with a Nesterov look-ahead: the step uses the momentum it is about to have, "
           "which reacts a little faster at bends.")
HYPER = ("beta1", "beta2", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay", "maximize")
STATE = (("exp_avg", 0.0), ("exp_avg_sq", 0.0), ("mu_product", 1.0))
CONTROLS = controls("lr", "beta1", "beta2", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay")


def validate(hp, check):
    validate_betas(hp, check)
    check(hp["momentum_decay"], lambda v: 0.0 <= v, "Invalid momentum_decay value: {}")


@inline
def _momenta(b1, psi, t):
    """μₜ and μₜ₊₁, which depend on (β₁, ψ, t) only."""
    tf = float(t)
    return b1 * (1.0 - 0.5 * (0.96 ** (tf * psi))), b1 * (1.0 - 0.5 * (0.96 ** ((tf + 1.0) * psi)))


@inline
def _step(p, g, m, v, prod, lr, b1, b2, eps, wd, decoupled, maximize, bc2, mu, mu_next):
    g, p = adam_decay(g, p, lr, wd, maximize, decoupled)
    prod = prod * mu
    m = lerp(m, g, 1.0 - b1)
    v = decay_addcmul(v, b2, 1.0 - b2, g)
    denom = math.sqrt(v / bc2) + eps
    prod_next = prod * mu_next
    p = p + ((-lr * (1.0 - mu) / (1.0 - prod)) * g) / denom
    p = p + (((-lr * mu_next) / (1.0 - prod_next)) * m) / denom
    return p, m, v, prod


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, b1 = LR[0], first_hyper(H, MOM, 0)
        b2, eps, wd, psi, decoupled, maximize = H[1, 0], H[2, 0], H[3, 0], H[4, 0], H[5, 0], H[6, 0]
        bc2 = 1.0 - b2 ** float(t)
        mu, mu_next = _momenta(b1, psi, t)
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], lr, b1, b2, eps, wd,
                                                      decoupled, maximize, bc2, mu, mu_next)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            b1, b2 = first_hyper(H, MOM, e), H[1, h]
            mu, mu_next = _momenta(b1, H[4, h], t)
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], at(LR, e), b1, b2,
                                                      H[2, h], H[3, h], H[5, h], H[6, h], 1.0 - b2 ** float(t),
                                                      mu, mu_next)


def explain(x) -> dict:
    g, shrink = x.adam_decay()
    b1, b2, psi = x.cycled("beta1"), x.hp("beta2"), x.hp("momentum_decay")
    m, v = x.state["exp_avg"], x.state["exp_avg_sq"]
    mu = b1 * (1.0 - 0.5 * 0.96 ** (x.t * psi)) + 0.0 * m
    mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((x.t + 1) * psi))
    product = x.state["mu_product"]
    v_hat = v / bias(b2, x.t)
    direction = (1.0 - mu) / (1.0 - product) * g + mu_next / (1.0 - product * mu_next) * m
    rows = [("exp_avg", "first moment m", m), ("exp_avg_sq", "second moment v", v),
            ("v_hat", "v̂ = v/(1−β₂ᵗ)", v_hat), ("mu", "momentum μₜ", mu),
            ("direction", "direction (g, m mixed)", direction)]
    return dict(rows=rows, lr_label="effective lr γ/(√v̂+ε)", effective=x.lr / (np.sqrt(v_hat) + x.hp("eps")),
                direction=direction, shrink=shrink, velocity=-m)
