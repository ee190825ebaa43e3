r"""ASGD (torch.optim.ASGD): SGD with a decaying rate and a running average of the points.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   \theta_t &= \theta_{t-1} (1 - \kappa \eta_{t-1}) - \eta_{t-1} g_t, \qquad \eta_0 = \gamma \\
   \bar\theta_t &= \bar\theta_{t-1} + \mu_{t-1} (\theta_t - \bar\theta_{t-1}), \qquad \mu_0 = 1 \\
   \eta_t &= \gamma / (1 + \kappa \gamma t)^{\alpha}, \qquad \mu_t = 1 / \max(1, t - t_0)

Conventions (torch's): weight decay is L2, added to the gradient; the decay term κ (torch's
``lambd``) shrinks the point by the current rate; the rate a step uses was set at the end of
the step before, from that step's lr; the average starts as a copy of the point and only
averages once t passes t₀ (torch's default 10⁶: never, in a playground run); the average is
kept in the state, the path is the point itself.
"""

from __future__ import annotations

import numpy as np

from .._kernel import at, inline, jit, l2, uniform
from .._meta import controls

DEFAULTS = dict(lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, maximize=False)
SUMMARY = ("SGD whose rate decays as the steps go by, keeping a running average of the points it "
           "passed, which settles where plain SGD would jitter.")
HYPER = ("lambd", "alpha", "t0", "weight_decay", "maximize")
STATE = (("eta", 0.0), ("mu", 1.0), ("ax", 0.0))
CONTROLS = controls("lr", "lambd", "alpha", "t0", "weight_decay")


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")


@inline
def _step(p, g, eta, mu, ax, lr, lambd, alpha, t0, wd, maximize, t):
    if t == 1:
        eta = lr                                  # state["eta"] = group["lr"] on the first step
    g = l2(g, p, wd, maximize)
    p = p * (1.0 - lambd * eta)                   # param.mul_(1 - lambd * eta)
    p = p + (-eta) * g                            # param.add_(grad, alpha=-eta)
    if mu != 1.0:
        ax = ax + (p - ax) * mu                   # ax.add_(param.sub(ax).mul_(mu))
    else:
        ax = p
    step = float(t)
    eta = lr / ((1.0 + lambd * lr * step) ** alpha)
    m = step - t0
    mu = 1.0 / (m if m > 1.0 else 1.0)
    return p, eta, mu, ax


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, lambd, alpha, t0, wd, maximize = LR[0], H[0, 0], H[1, 0], H[2, 0], H[3, 0], H[4, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], lr, lambd, alpha, t0,
                                                      wd, maximize, t)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], at(LR, e), H[0, h],
                                                      H[1, h], H[2, h], H[3, h], H[4, h], t)


def explain(x) -> dict:
    g = x.l2(x.hp("weight_decay"))
    eta = x.state["eta"]
    used = np.concatenate([np.broadcast_to(x.lr, np.shape(eta))[:1], eta[:-1]])   # the rate each step used
    return dict(rows=[("eta", "next rate η", eta), ("ax", "averaged point θ̄", x.state["ax"]),
                      ("mu", "averaging weight μ", x.state["mu"])],
                lr_label="effective lr η", effective=used, direction=g + x.hp("lambd") * x.theta)
