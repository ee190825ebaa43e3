r"""Adafactor (torch.optim.Adafactor): a step relative to the point's size, scaled by a second moment whose decay grows.

.. math::
   \hat\beta_{2,t} &= 1 - t^{c}, \qquad \rho_t = \min(\gamma, 1/\sqrt t), \qquad
          a_t = \max\big(\epsilon_2, \mathrm{RMS}(\theta_{t-1})\big)\, \rho_t \\
   \theta_{t-1} &\leftarrow \theta_{t-1} (1 - \gamma \lambda) \\
   v_t &= v_{t-1} + t^{c} (g_t^2 - v_{t-1}) \\
   u_t &= g_t / \sqrt{\max(v_t, \epsilon_1^2)} \\
   \theta_t &= \theta_{t-1} - \frac{a_t}{\max\big(1, \mathrm{RMS}(u_t) / d\big)}\, u_t

Conventions (torch's): each run is one parameter tensor of shape (d,) (with parameter groups,
each group is its own tensor, as in torch), so the second moment is the unfactored one and
both RMS values are over that tensor's coordinates; eps is a floor, not a term: ε₁ bounds the
second moment from below (squared) and ε₂ the point's RMS, and ``eps=(None, 1e-3)`` takes ε₁ as
float64's machine epsilon, as torch does for a float64 tensor; weight decay is decoupled, the
point shrinking by ``lr * weight_decay`` after its RMS is read; there is no first moment and no
bias correction, the growing decay of ``v`` (c = ``beta2_decay``) plays that part.
"""

from __future__ import annotations

import math

import numpy as np

from .._kernel import fma, group_of, inline, jit, lerp, opens_group
from .._meta import controls

DEFAULTS = dict(lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False)
SUMMARY = ("Steps by a fraction of the point's own size, per coordinate scaled by the gradient's "
           "running mean square, and clipped when the step would be unusually large.")
PAIRS = {"eps": ("eps1", "eps2")}
PAIR_NONE = {"eps1": float(np.finfo(np.float64).eps)}   # torch.finfo(param.dtype).eps for float64
HYPER = ("beta2_decay", "eps1", "eps2", "d", "weight_decay", "maximize", "group")
STATE = (("variance", 0.0), ("step_scale", 0.0))
CONTROLS = controls("lr", "beta2_decay", "eps1", "eps2", "d", "weight_decay")
_GROUP = 6


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Learning rate should be >= 0 but is: {}")
    check(hp["beta2_decay"], lambda v: 0.0 >= v, "beta2_decay should be <= 0 but is: {}")
    check(hp["eps1"], lambda v: 0.0 <= v, "epsilon1 should be >= 0 but is: {}")
    check(hp["eps2"], lambda v: 0.0 <= v, "epsilon2 should be >= 0 but is: {}")
    check(hp["d"], lambda v: 1.0 <= v, "Clipping threshold d should be >= 1 but is: {}")
    check(hp["weight_decay"], lambda v: 0.0 <= v, "weight_decay should be >= 0 but is: {}")


@inline
def _hp(H, row, e):
    return H[row, e if H.shape[1] > 1 else 0]


@jit
def _group_step(P, G, S, H, LR, base, j, d, t, out):
    """One torch tensor: the coordinates of run ``base // d`` in the group of coordinate j."""
    e0 = base + j
    seg = group_of(H, _GROUP, e0)
    lr = LR[e0 if LR.shape[0] > 1 else 0]
    c, eps1, eps2, clip, wd, maximize = (_hp(H, 0, e0), _hp(H, 1, e0), _hp(H, 2, e0), _hp(H, 3, e0),
                                         _hp(H, 4, e0), _hp(H, 5, e0))
    step = float(t)
    one_minus_beta2_t = step ** c
    rho_t = 1.0 / (step ** 0.5)
    if lr < rho_t:
        rho_t = lr
    numel, sq = 0, 0.0
    for k in range(j, d):
        if group_of(H, _GROUP, base + k) == seg:
            numel += 1
            sq += P[base + k] * P[base + k]
    rms = math.sqrt(sq) / (float(numel) ** 0.5)          # param.norm(2).item() / param.numel() ** 0.5
    alpha = (rms if rms > eps2 else eps2) * rho_t
    usq = 0.0
    for k in range(j, d):
        e = base + k
        if group_of(H, _GROUP, e) == seg:
            g = -G[e] if maximize != 0.0 else G[e]
            p = P[e]
            if wd != 0.0:
                p = p * (1.0 - lr * wd)
            S[0, e] = lerp(S[0, e], g * g, one_minus_beta2_t)
            v = S[0, e]
            floor = eps1 * eps1
            u = (1.0 / math.sqrt(v if v > floor else floor)) * g   # clamp_(min=eps1²).rsqrt_().mul_(grad)
            usq += u * u
            out[e] = p      # the decayed point; the step is added below, once the clipping is known
            S[1, e] = u     # the scaled gradient for now
    ratio = math.sqrt(usq) / ((float(numel) ** 0.5) * clip)
    denom = ratio if ratio > 1.0 else 1.0
    scale = -alpha / denom
    for k in range(j, d):
        e = base + k
        if group_of(H, _GROUP, e) == seg:
            out[e] = fma(scale, S[1, e], out[e])                   # param.add_(update, alpha=-alpha / denom)
            S[1, e] = alpha / denom


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    for i in range(P.shape[0] // d):
        base = i * d
        for j in range(d):
            if opens_group(H, _GROUP, base, j):
                _group_step(P, G, S, H, LR, base, j, d, t, out)


def explain(x) -> dict:
    g = np.where(x.flag("maximize"), -x.g, x.g)
    v = x.state["variance"]
    eps1 = x.hp("eps1")
    direction = g / np.sqrt(np.maximum(v, eps1 * eps1))
    scale = x.state["step_scale"]
    return dict(rows=[("variance", "second moment v", v), ("u", "u = g/√max(v, ε₁²)", direction),
                      ("step_scale", "relative step a/max(1, RMS(u)/d)", scale)],
                lr_label="effective lr a/max(1, RMS(u)/d)", effective=scale, direction=direction,
                shrink=-x.lr * x.hp("weight_decay") * x.theta)
