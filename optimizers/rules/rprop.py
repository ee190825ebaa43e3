r"""Rprop (torch.optim.Rprop): each coordinate keeps its own step size, grown while the gradient's sign holds.

.. math::
   s_t &= \mathrm{sign}(g_t\, g_{t-1}) \\
   \Gamma_t &= \mathrm{clip}\big(\Gamma_{t-1} \cdot (\eta_+ \text{ if } s_t > 0,\ \eta_- \text{ if } s_t < 0,
              \ 1 \text{ else}),\ \Gamma_{\min}, \Gamma_{\max}\big), \qquad \Gamma_0 = \gamma \\
   g_t &\leftarrow 0 \quad \text{where } s_t < 0 \\
   \theta_t &= \theta_{t-1} - \mathrm{sign}(g_t)\, \Gamma_t

Conventions (torch's): the gradient's size never enters the step, only its sign; after a
sign change the coordinate does not move and its kept gradient is zero, so the next step
neither grows nor shrinks its step size; lr only sets the first step size; there is no eps
and no weight decay.
"""

from __future__ import annotations

import numpy as np

from .._kernel import at, inline, jit, uniform
from .._meta import controls

DEFAULTS = dict(lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50.0), maximize=False)
SUMMARY = ("Ignores the gradient's size: each coordinate steps by its own step size, which grows while "
           "the slope keeps its sign and halves when it flips.")
PAIRS = {"etas": ("etaminus", "etaplus"), "step_sizes": ("step_size_min", "step_size_max")}
HYPER = ("etaminus", "etaplus", "step_size_min", "step_size_max", "maximize")
STATE = (("prev", 0.0), ("step_size", 0.0))
CONTROLS = controls("lr", "etaminus", "etaplus", "step_size_min", "step_size_max")


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    etas = np.broadcast_arrays(np.asarray(hp["etaminus"], dtype=np.float64), np.asarray(hp["etaplus"], dtype=np.float64))
    for minus, plus in zip(etas[0].ravel(), etas[1].ravel()):
        if not 0.0 < minus < 1.0 < plus:
            raise ValueError(f"Invalid eta values: {_plain(hp['etaminus'], minus)}, {_plain(hp['etaplus'], plus)}")


def _plain(given, value):
    """The value as the user wrote it (torch formats the tuple's own elements)."""
    return given if np.ndim(given) == 0 else float(value)


@inline
def _step(p, g, prev, size, lr, minus, plus, lo, hi, maximize, first):
    if maximize != 0.0:
        g = -g
    if first:
        size = lr                                 # state["step_size"] = full_like(grad, lr)
    s = g * prev
    factor = s                                    # NaN stays NaN, as torch's masks leave it
    if s > 0.0:
        factor = plus
    elif s < 0.0:
        factor = minus
    elif s == 0.0:
        factor = 1.0
    size = size * factor                          # step_size.mul_(sign).clamp_(min, max)
    if size < lo:
        size = lo
    if size > hi:
        size = hi
    if factor == minus:
        g = 0.0
    sg = 0.0
    if g > 0.0:
        sg = 1.0
    elif g < 0.0:
        sg = -1.0
    elif g != g:
        sg = g
    return p + (-sg) * size, g, size              # param.addcmul_(grad.sign(), step_size, value=-1)


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    first = t == 1
    if uniform(H, LR, MOM):
        lr, minus, plus, lo, hi, maximize = LR[0], H[0, 0], H[1, 0], H[2, 0], H[3, 0], H[4, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], lr, minus, plus, lo, hi, maximize, first)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            out[e], S[0, e], S[1, e] = _step(P[e], G[e], S[0, e], S[1, e], at(LR, e), H[0, h], H[1, h], H[2, h],
                                             H[3, h], H[4, h], first)


def explain(x) -> dict:
    prev, size = x.state["prev"], x.state["step_size"]
    return dict(rows=[("prev", "kept gradient (0 after a sign flip)", prev), ("step_size", "step size Γ", size)],
                lr_label="effective lr Γ (per coordinate)", effective=size, direction=np.sign(prev))
