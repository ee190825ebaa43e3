r"""Schedule-Free AdamW (schedulefree 1.4.1's AdamWScheduleFree, Defazio et al. 2024): no schedule, an average instead.

.. math::
   \gamma_t &= \gamma \min(1, t / T_w), \qquad w_t = t^{r} (\max_{s \le t} \gamma_s)^{p_w}, \qquad
          c_t = w_t / \textstyle\sum_{s \le t} w_s \\
   v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2, \qquad
          u_t = \frac{g_t}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon} + \lambda y_{t-1} \\
   \theta_t = y_t &= (1 - c_t)\, y_{t-1} + c_t z_{t-1} + \gamma_t \big(\beta_1 (1 - c_t) - 1\big) u_t \\
   z_t &= z_{t-1} - \gamma_t u_t, \qquad z_0 = \theta_0 \\
   x_t &= y_t + (1 - 1/\beta_1)(z_t - y_t)

Conventions (schedulefree's): the gradient is taken at y, the train-mode point, which is the
path drawn; x, the average one would evaluate (the reference's eval mode), and z, the plain
AdamW-like sequence, are in the state; eps is added after the bias-corrected square root; only
the second moment is bias-corrected; weight decay is L2 at y, added to the normalised gradient;
the warmup is linear over ``warmup_steps`` and the averaging weights grow with the largest rate
so far to the power ``weight_lr_power``. The reference checks nothing; we refuse a negative lr,
eps or weight decay and betas outside [0, 1) with torch's messages.
"""

from __future__ import annotations

import math

import numpy as np

from .._kernel import at, decay_addcmul, first_hyper, fma, inline, jit, lerp, uniform
from .._meta import controls
from .adam import validate_betas

DEFAULTS = dict(lr=0.0025, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, warmup_steps=0, r=0.0,
                weight_lr_power=2.0)
SUMMARY = ("Needs no learning-rate schedule: it steps a plain sequence z and takes the gradient at a "
           "blend of z and their running average x, which is the point that settles.")
HYPER = ("beta1", "beta2", "eps", "weight_decay", "warmup_steps", "r", "weight_lr_power")
STATE = (("z", 0.0), ("exp_avg_sq", 0.0), ("weight_sum", 0.0), ("lr_max", -1.0), ("x", 0.0), ("ckp1", 0.0))
CONTROLS = controls("lr", "beta1", "beta2", "eps", "weight_decay", "warmup_steps", "r", "weight_lr_power")


def validate(hp, check):
    validate_betas(hp, check)
    check(hp["warmup_steps"], lambda v: 0.0 <= v, "Invalid warmup_steps value: {}")


@inline
def _step(y, g, z, v, wsum, lr_max, base_lr, b1, b2, eps, decay, warmup, r, power, t):
    if t == 1:
        z = y                                            # state['z'] = clone(p) on the first step
    k = float(t - 1)
    sched = (k + 1.0) / warmup if k < warmup else 1.0
    bias_correction2 = 1.0 - b2 ** (k + 1.0)
    lr = base_lr * sched
    lr_max = lr if not lr_max > lr else lr_max          # max(lr, group['lr_max'])
    weight = ((k + 1.0) ** r) * (lr_max ** power)
    wsum = wsum + weight
    ckp1 = weight / wsum if wsum != 0.0 else 0.0         # ZeroDivisionError -> 0
    v = decay_addcmul(v, b2, 1.0 - b2, g)
    denom = math.sqrt(v / bias_correction2) + eps
    gn = g / denom
    if decay != 0.0:
        gn = fma(decay, y, gn)                           # grad_normalized.add_(y, alpha=decay)
    y = lerp(y, z, ckp1)
    y = fma(lr * (b1 * (1.0 - ckp1) - 1.0), gn, y)       # y.add_(grad_normalized, alpha=lr*(beta1*(1-ckp1)-1))
    z = fma(-lr, gn, z)                                  # z.sub_(grad_normalized, alpha=lr)
    x = lerp(y, z, 1.0 - 1.0 / b1)                       # eval(): p.lerp_(end=z, weight=1-1/beta1)
    return y, z, v, wsum, lr_max, x, ckp1


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    if uniform(H, LR, MOM):
        lr, b1 = LR[0], first_hyper(H, MOM, 0)
        b2, eps, decay, warmup, r, power = H[1, 0], H[2, 0], H[3, 0], H[4, 0], H[5, 0], H[6, 0]
        for e in range(P.shape[0]):
            out[e], S[0, e], S[1, e], S[2, e], S[3, e], S[4, e], S[5, e] = _step(
                P[e], G[e], S[0, e], S[1, e], S[2, e], S[3, e], lr, b1, b2, eps, decay, warmup, r, power, t)
    else:
        for e in range(P.shape[0]):
            h = e if H.shape[1] > 1 else 0
            out[e], S[0, e], S[1, e], S[2, e], S[3, e], S[4, e], S[5, e] = _step(
                P[e], G[e], S[0, e], S[1, e], S[2, e], S[3, e], at(LR, e), first_hyper(H, MOM, e), H[1, h],
                H[2, h], H[3, h], H[4, h], H[5, h], H[6, h], t)


def explain(x) -> dict:
    z, v, ckp1 = x.state["z"], x.state["exp_avg_sq"], x.state["ckp1"]
    b1, b2 = x.cycled("beta1"), x.hp("beta2")
    warmup = x.hp("warmup_steps")
    lr = x.lr * np.where(x.t - 1 < warmup, x.t / np.where(warmup > 0, warmup, 1.0), 1.0)
    u = x.g / (np.sqrt(v / (1.0 - b2 ** x.t)) + x.hp("eps")) + x.hp("weight_decay") * x.theta
    z_before = np.concatenate([np.broadcast_to(x.theta, np.shape(z))[:1], z[:-1]])
    effective = lr * (1.0 - b1 * (1.0 - ckp1))
    pull = ckp1 * (z_before - x.theta)
    return dict(rows=[("z", "base sequence z", z), ("x", "average x (evaluate here)", x.state["x"]),
                      ("exp_avg_sq", "second moment v", v), ("ckp1", "averaging weight c", ckp1),
                      ("pull", "pull towards z: c (z − y)", pull)],
                lr_label="effective lr γₜ(1 − β₁(1 − c))", effective=effective, direction=u,
                predicted=pull - effective * u)
