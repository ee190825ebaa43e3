r"""RMSprop (torch.optim.RMSprop): divide by a running root-mean-square of the gradient.

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   v_t &= \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
   \bar g_t &= \alpha \bar g_{t-1} + (1 - \alpha) g_t \quad\text{(centered only)} \\
   \delta_t &= \sqrt{v_t - \bar g_t^2} + \epsilon \quad\text{(centered)},\qquad \sqrt{v_t} + \epsilon \quad\text{(otherwise)} \\
   b_t &= \mu b_{t-1} + g_t / \delta_t, \qquad \theta_t = \theta_{t-1} - \gamma b_t \quad (\mu > 0) \\
   \theta_t &= \theta_{t-1} - \gamma g_t / \delta_t \quad (\mu = 0)

Conventions (torch's): eps is added outside the square root; no bias
correction; the momentum buffer starts at zero; weight decay is L2.
"""

from __future__ import annotations

import math

import numpy as np

from .._kernel import at, decay_addcmul, first_hyper, inline, jit, l2, lerp, uniform
from .._meta import controls

DEFAULTS = dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False, maximize=False)
SUMMARY = ("Divides each coordinate's step by a running average of its recent squared gradients, "
           "so the step size adapts to the local steepness without shrinking forever.")
HYPER = ("momentum", "alpha", "eps", "weight_decay", "centered", "maximize")
STATE = (("square_avg", 0.0), ("grad_avg", 0.0), ("momentum_buffer", 0.0))
CONTROLS = controls("lr", "momentum", "alpha", "eps", "weight_decay", "centered")


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["eps"], lambda v: 0.0 <= v, "Invalid epsilon value: {}")
    check(hp["momentum"], lambda v: 0.0 <= v, "Invalid momentum value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")
    check(hp["alpha"], lambda v: 0.0 <= v, "Invalid alpha value: {}")


@inline
def _step(p, g, sq, gavg, buf, lr, mu, alpha, eps, wd, centered, maximize):
    g = l2(g, p, wd, maximize)
    sq = decay_addcmul(sq, alpha, 1.0 - alpha, g)
    if centered != 0.0:
        gavg = lerp(gavg, g, 1.0 - alpha)
        avg = math.sqrt(sq + (-1.0 * gavg) * gavg)   # square_avg.addcmul(grad_avg, grad_avg, value=-1)
    else:
        avg = math.sqrt(sq)
    avg = avg + eps
    if mu > 0.0:
        buf = buf * mu + g / avg                     # buf.mul_(momentum).addcdiv_(grad, avg)
        return p + (-lr) * buf, sq, gavg, buf
    return p + ((-lr) * g) / avg, sq, gavg, buf      # param.addcdiv_(grad, avg, value=-lr)


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, mu = LR[0], first_hyper(H, MOM, 0)
        alpha, eps, wd, centered, maximize = H[1, 0], H[2, 0], H[3, 0], H[4, 0], H[5, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], lr, mu, alpha, eps,
                                                      wd, centered, maximize)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            out[e], S[0, e], S[1, e], S[2, e] = _step(P[e], G[e], S[0, e], S[1, e], S[2, e], at(LR, e),
                                                      first_hyper(H, MOM, e), H[1, h], H[2, h], H[3, h],
                                                      H[4, h], H[5, h])


def explain(x) -> dict:
    g, v, mu = x.l2(x.hp("weight_decay")), x.state["square_avg"], x.cycled("momentum")
    centered = x.flag("centered")
    gbar = x.state["grad_avg"]
    delta = np.sqrt(np.where(centered, v - gbar * gbar, v)) + x.hp("eps")
    rows = [("square_avg", "mean square v", v)]
    if centered.any():
        rows.append(("grad_avg", "mean gradient ḡ", gbar))
    on = np.broadcast_to(mu > 0, g.shape)
    b = x.state["momentum_buffer"]
    if on.any():
        rows.append(("momentum_buffer", "momentum buffer b", b))
    effective = x.lr / delta
    # With momentum the step is γ b, and b gathers g/δ: the rate that scales b is γ itself.
    return dict(rows=rows, lr_label="effective lr γ/(√v+ε)", effective=effective,
                direction=g, predicted=np.where(on, -x.lr * b, -effective * g))
