r"""SGD with momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD).

.. math::
   g_t &= \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
   b_t &= \begin{cases} g_t & t = 1 \\ \mu b_{t-1} + (1 - \tau) g_t & t > 1 \end{cases} \\
   d_t &= \begin{cases} g_t + \mu b_t & \text{Nesterov} \\ b_t & \text{otherwise} \end{cases}
         \quad (d_t = g_t \text{ when } \mu = 0) \\
   \theta_t &= \theta_{t-1} - \gamma d_t

Conventions (torch's): the first momentum buffer is the gradient itself, with
no dampening; Nesterov is torch's form, which evaluates the gradient at the
current point and looks ahead through the buffer, not Sutskever's form; weight
decay is L2, added to the gradient.
"""

from __future__ import annotations

import numpy as np

from .._kernel import at, first_hyper, inline, jit, l2, uniform
from .._meta import controls

DEFAULTS = dict(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False)
SUMMARY = ("Steps against the gradient; with momentum it keeps a running sum of past gradients, "
           "which builds speed along a valley and damps zig-zags across it.")
HYPER = ("momentum", "dampening", "weight_decay", "nesterov", "maximize")
STATE = (("momentum_buffer", 0.0),)
CONTROLS = controls("lr", "momentum", "dampening", "weight_decay", "nesterov")


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["momentum"], lambda v: 0.0 <= v, "Invalid momentum value: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "Invalid weight_decay value: {}")


def validate_combined(hp):
    nesterov = np.asarray(hp["nesterov"], dtype=bool)
    bad = nesterov & ((np.asarray(hp["momentum"]) <= 0) | (np.asarray(hp["dampening"]) != 0))
    if np.any(bad):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")


def stability(hp):
    """The quadratic stability limit of these settings, for ``optimizers.curvature``; None without one.

    On f = ½θᵀAθ each eigen-direction of A (eigenvalue λ, with h = (1 - τ)·γ·(λ + λ_wd)) is a
    linear recurrence in (θ, γb). Its two roots lie inside the unit circle exactly when (Jury's test)
      - gradient descent (μ = 0):   h < 2                      (θ ← (1 - h) θ)
      - heavy ball:                 h < 2(1 + μ)               (z² - (1 + μ - h) z + μ)
      - torch's Nesterov (τ = 0):   h < 2(1 + μ) / (1 + 2μ)    (z² - (1 + μ - h(1 + μ)) z + μ(1 - h))
    The dampening τ scales the gradient only once momentum is on; torch's first step (b₁ = g) does
    not change the limit, which is about every later step. ``maximize`` climbs: no limit."""
    if np.any(np.asarray(hp.get("maximize", False))):
        return None
    values = {k: np.asarray(hp[k], dtype=np.float64) for k in ("momentum", "dampening", "weight_decay")}
    if any(v.size and np.any(v != v.ravel()[0]) for v in values.values()) or np.ndim(hp["nesterov"]) > 0:
        return None  # per-coordinate settings (parameter groups): no single limit
    mu, tau, wd = (float(v.ravel()[0]) for v in values.values())
    nesterov = bool(hp["nesterov"])
    if nesterov:
        formula, bound = "2(1+μ)/(1+2μ)", lambda m: 2.0 * (1.0 + m) / (1.0 + 2.0 * m)
    else:
        formula, bound = "2(1+μ)", lambda m: 2.0 * (1.0 + m)
    return dict(formula=formula if mu != 0 else "2", bound=bound, momentum=mu, shift=wd,
                scale=(lambda m: np.where(np.asarray(m) != 0, 1.0 - tau, 1.0)))


def keeps_state(hyper) -> bool:
    """Plain SGD (momentum 0 everywhere) keeps no buffer between steps."""
    return bool(np.any(np.asarray(hyper["momentum"]) != 0))


@inline
def _step(p, g, buf, lr, mu, dampening, wd, nesterov, maximize, first):
    g = l2(g, p, wd, maximize)
    if mu != 0.0:
        if first:
            buf = g  # torch clones the first gradient: no dampening on step 1
        else:
            buf = buf * mu + (1.0 - dampening) * g
        if nesterov != 0.0:
            g = g + mu * buf
        else:
            g = buf
    return p + (-lr) * g, buf


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    first = t == 1
    if uniform(H, LR, MOM):
        lr, mu = LR[0], first_hyper(H, MOM, 0)
        dampening, wd, nesterov, maximize = H[1, 0], H[2, 0], H[3, 0], H[4, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e] = _step(P[e], G[e], S[0, e], lr, mu, dampening, wd, nesterov, maximize, first)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            out[e], S[0, e] = _step(P[e], G[e], S[0, e], at(LR, e), first_hyper(H, MOM, e),
                                    H[1, h], H[2, h], H[3, h], H[4, h], first)


def explain(x) -> dict:
    mu, g = x.cycled("momentum"), x.l2(x.hp("weight_decay"))
    b, nesterov = x.state["momentum_buffer"], x.flag("nesterov")
    on = np.broadcast_to(mu != 0, g.shape)
    direction = np.where(on, np.where(nesterov, g + mu * b, b), g)
    rows = [("g", "gradient + λθ (L2)", g)] if np.any(x.hp("weight_decay")) else []
    if on.any():
        rows.append(("momentum_buffer", "momentum buffer b", b))
    rows.append(("direction", "direction d", direction))
    lookahead = np.where(nesterov & on, x.theta - x.lr * mu * b, np.nan) if np.any(nesterov) else None
    return dict(rows=rows, lr_label="effective lr γ", effective=x.lr, direction=direction,
                velocity=np.where(on, -b, np.nan) if on.any() else None, lookahead=lookahead)
