r"""Adagrad (torch.optim.Adagrad): a per-coordinate rate that shrinks with the sum of squared gradients.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   \tilde\gamma_t &= \gamma / (1 + (t - 1)\,\eta) \\
   s_t &= s_{t-1} + g_t^2, \quad s_0 = \text{initial\_accumulator\_value} \\
   \theta_t &= \theta_{t-1} - \tilde\gamma_t \, g_t / (\sqrt{s_t} + \epsilon)

Conventions (torch's): eps is added outside the square root; ``lr_decay``
(:math:`\eta`) decays the rate by the step count; weight decay is L2. As in
torch, ``initial_accumulator_value`` is read once, from the constructor: a
parameter group's own value is ignored (with a warning).
"""

from __future__ import annotations

import math

import numpy as np

from .._kernel import at, inline, jit, l2, uniform
from .._meta import controls

DEFAULTS = dict(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10, maximize=False)
# torch fills the accumulator in Adagrad.__init__ from the constructor's value, so a
# param group's own initial_accumulator_value is ignored. We do what torch does.
CONSTRUCTOR_ONLY = ("initial_accumulator_value",)
SUMMARY = ("Divides each coordinate's step by the root of all its past squared gradients, "
           "so steep directions slow down early and every step keeps shrinking.")
HYPER = ("lr_decay", "weight_decay", "eps", "maximize")
STATE = (("sum", "initial_accumulator_value"),)
CONTROLS = controls("lr", "lr_decay", "eps", "weight_decay", "initial_accumulator_value")


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["lr_decay"], lambda v: 0.0 <= v, "Invalid lr_decay value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")
    check(hp["initial_accumulator_value"], lambda v: 0.0 <= v, "Invalid initial_accumulator_value value: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")


@inline
def _step(p, g, s, clr, wd, eps, maximize):
    g = l2(g, p, wd, maximize)
    s = s + g * g                         # state_sum.addcmul_(grad, grad, value=1)
    std = math.sqrt(s) + eps
    return p + ((-clr) * g) / std, s      # param.addcdiv_(grad, std, value=-clr)


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        clr = LR[0] / (1.0 + (t - 1) * H[0, 0])
        wd, eps, maximize = H[1, 0], H[2, 0], H[3, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e] = _step(P[e], G[e], S[0, e], clr, wd, eps, maximize)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            clr = at(LR, e) / (1.0 + (t - 1) * H[0, h])
            out[e], S[0, e] = _step(P[e], G[e], S[0, e], clr, H[1, h], H[2, h], H[3, h])


def explain(x) -> dict:
    g, s = x.l2(x.hp("weight_decay")), x.state["sum"]
    clr = x.lr / (1 + (x.t - 1) * x.hp("lr_decay"))
    return dict(rows=[("sum", "sum of squares s", s)], lr_label="effective lr γ̃/(√s+ε)",
                effective=clr / (np.sqrt(s) + x.hp("eps")), direction=g)
