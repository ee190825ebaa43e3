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

import math

import numpy as np

from .._kernel import at, decay_addcmul, inline, jit, l2, uniform
from .._meta import controls

DEFAULTS = dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False)
SUMMARY = ("Scales each step by the ratio of recent step sizes to recent gradient sizes, "
           "so it needs no learning rate to get going, but starts very slowly.")
HYPER = ("rho", "eps", "weight_decay", "maximize")
STATE = (("square_avg", 0.0), ("acc_delta", 0.0))
CONTROLS = controls("lr", "rho", "eps", "weight_decay")


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["rho"], lambda v: 0.0 <= v <= 1.0, "Invalid rho value: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")


@inline
def _step(p, g, sq, acc, lr, rho, eps, wd, maximize):
    g = l2(g, p, wd, maximize)
    sq = decay_addcmul(sq, rho, 1.0 - rho, g)
    std = math.sqrt(sq + eps)
    delta = math.sqrt(acc + eps) / std * g      # acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
    acc = decay_addcmul(acc, rho, 1.0 - rho, delta)
    return p + (-lr) * delta, sq, acc


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, rho, eps, wd, maximize = LR[0], H[0, 0], H[1, 0], H[2, 0], H[3, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], lr, rho, eps, wd, maximize)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], at(LR, e), H[0, h], H[1, h],
                                             H[2, h], H[3, h])


def explain(x) -> dict:
    g, v, u = x.l2(x.hp("weight_decay")), x.state["square_avg"], x.state["acc_delta"]
    eps = x.hp("eps")
    before = np.concatenate([np.zeros_like(u[:1]), u[:-1]])  # u_{t-1}: the step uses last step's
    return dict(rows=[("square_avg", "mean square g² v", v), ("acc_delta", "mean square step² u", u)],
                lr_label="effective lr γ√(u+ε)/√(v+ε)",
                effective=x.lr * np.sqrt(before + eps) / np.sqrt(v + eps), direction=g)
