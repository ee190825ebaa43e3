r"""Lion (lion-pytorch 0.2.5, Chen et al. 2023): the sign of an interpolated momentum, one size for every coordinate.

.. math::
   \theta_{t-1} &\leftarrow \theta_{t-1} (1 - \gamma \lambda) \\
   c_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
   \theta_t &= \theta_{t-1} - \gamma\, \mathrm{sign}(c_t) \\
   m_t &= \beta_2 m_{t-1} + (1 - \beta_2) g_t

Conventions (lion-pytorch's): weight decay is decoupled, the point shrinking by
``lr * weight_decay`` before the step; there is no eps and no bias correction; the step
interpolates with β₁, while the momentum that is kept averages with β₂; sign(0) is 0.
"""

from __future__ import annotations

import numpy as np

from .._kernel import at, first_hyper, inline, jit, uniform
from .._meta import controls

DEFAULTS = dict(lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0)
SUMMARY = ("Steps by the sign of a blend of momentum and gradient: every coordinate moves exactly lr, "
           "so only the direction's signs matter, not the slope's size.")
HYPER = ("beta1", "beta2", "weight_decay")
STATE = (("exp_avg", 0.0), ("interpolation", 0.0))
CONTROLS = controls("lr", "beta1", "beta2", "weight_decay")


def validate(hp, check):
    # lion-pytorch asserts ``lr > 0`` and ``0 <= beta <= 1``; we raise ValueError in torch's words.
    check(hp["lr"], lambda v: v > 0.0, "Invalid learning rate: {}")
    check(hp["beta1"], lambda v: 0.0 <= v <= 1.0, "Invalid beta parameter at index 0: {}")
    check(hp["beta2"], lambda v: 0.0 <= v <= 1.0, "Invalid beta parameter at index 1: {}")


@inline
def _sign(x):
    """torch.sgn for reals: -1, 0 or 1, NaN for NaN."""
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return x


@inline
def _step(p, g, m, lr, b1, b2, wd):
    p = p * (1.0 - lr * wd)                     # p.data.mul_(1 - lr * wd)
    c = m * b1 + (1.0 - b1) * g                 # exp_avg.clone().mul_(beta1).add(grad, alpha=1 - beta1)
    p = p + (-lr) * _sign(c)                    # p.add_(update.sgn_(), alpha=-lr)
    m = m * b2 + (1.0 - b2) * g                 # exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)
    return p, m, c


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, b1, b2, wd = LR[0], first_hyper(H, MOM, 0), H[1, 0], H[2, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], lr, b1, b2, wd)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], at(LR, e), first_hyper(H, MOM, e), H[1, h],
                                             H[2, h])


def explain(x) -> dict:
    c = x.state["interpolation"]
    return dict(rows=[("interpolation", "c = β₁m + (1−β₁)g", c), ("exp_avg", "momentum m", x.state["exp_avg"])],
                lr_label="effective lr γ", effective=x.lr, direction=np.sign(c),
                shrink=-x.lr * x.hp("weight_decay") * x.theta, velocity=-x.state["exp_avg"])
