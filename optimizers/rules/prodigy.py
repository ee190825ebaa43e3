r"""Prodigy (prodigyopt 1.1.2, Mishchenko & Defazio 2024): Adam whose step size d is estimated from the path itself.

.. math::
   \gamma_d &= d_{t-1}\, \gamma, \qquad
          r_t = \beta_3 r_{t-1} + \tfrac{d_{t-1}}{d_0} \gamma_d\, \langle g_t, \theta_0 - \theta_{t-1} \rangle \\
   m_t &= \beta_1 m_{t-1} + d_{t-1} (1 - \beta_1) g_t, \qquad
          v_t = \beta_2 v_{t-1} + d_{t-1}^2 (1 - \beta_2) g_t^2 \\
   s_t &= \beta_3 s_{t-1} + \tfrac{d_{t-1}}{d_0} \gamma_d\, g_t, \qquad
          \hat d_t = c_d\, r_t / \lVert s_t \rVert_1 \\
   d_t &= \min\big(\max(d^{\max}_{t-1}, \hat d_t),\ g_d\, d_{t-1}\big) \\
   \theta_t &= \theta_{t-1} (1 - \lambda \gamma_d) - \gamma_d\, \frac{m_t}{\sqrt{v_t} + d_t \epsilon}

Conventions (prodigyopt's): d starts at d₀ and never shrinks; the inner product and the L1
norm are sums over the whole run (every parameter group: d is one number per run, kept in the
state and shown by the inspector); eps is added outside the square root, scaled by d; the
moments carry no bias correction unless ``use_bias_correction`` (then γ_d is multiplied by
√(1 − β₂ᵗ)/(1 − β₁ᵗ)); weight decay is decoupled by default (``decouple=True``), L2 added to the
gradient otherwise; β₃ = √β₂ when ``beta3`` is None; ``safeguard_warmup`` uses d in place of
γ_d in s; groups may differ in lr only by being 0, as in the reference.
"""

from __future__ import annotations

import math

import numpy as np

from .._kernel import first_hyper, fma, group_of, inline, jit
from .._meta import controls

DEFAULTS = dict(lr=1.0, betas=(0.9, 0.999), beta3=None, eps=1e-8, weight_decay=0.0, decouple=True,
                use_bias_correction=False, safeguard_warmup=False, d0=1e-6, d_coef=1.0, growth_rate=math.inf)
SUMMARY = ("Adam that learns its own step size: d grows while the gradients keep pointing back "
           "towards the start, so lr = 1 works without tuning.")
HYPER = ("beta1", "beta2", "beta3", "eps", "weight_decay", "decouple", "use_bias_correction", "safeguard_warmup",
         "d0", "d_coef", "growth_rate", "group")
STATE = (("exp_avg", 0.0), ("exp_avg_sq", 0.0), ("s", 0.0), ("p0", 0.0), ("d", "d0"), ("d_max", "d0"),
         ("d_numerator", 0.0), ("d_hat", 0.0), ("k", 0.0), ("dlr", 0.0))
CONTROLS = controls("lr", "beta1", "beta2", "beta3", "eps", "weight_decay", "d0", "d_coef", "growth_rate",
                    "decouple", "use_bias_correction", "safeguard_warmup")
_GROUP = 11


def _beta3(name, value):
    if value is None:
        return {"beta3": math.nan}              # None: sqrt(beta2), decided in the kernel
    if isinstance(value, (bool, np.bool_, str, bytes)) or np.ndim(value):
        raise TypeError(f"{name}: beta3 must be None or a number, got {value!r}")
    return {"beta3": float(value)}


NORMALISE = {"beta3": _beta3}


def validate(hp, check):
    check(hp["d0"], lambda v: 0.0 < v, "Invalid d0 value: {}")
    check(hp["lr"], lambda v: 0.0 < v, "Invalid learning rate: {}")
    check(hp["eps"], lambda v: 0.0 < v, "Invalid epsilon value: {}")
    check(hp["beta1"], lambda v: 0.0 <= v < 1.0, "Invalid beta parameter at index 0: {}")
    check(hp["beta2"], lambda v: 0.0 <= v < 1.0, "Invalid beta parameter at index 1: {}")


def validate_combined(hp):
    lr = np.asarray(hp["lr"], dtype=np.float64)
    if lr.ndim and lr.shape[-1] > 1:
        top = lr.max(axis=-1, keepdims=True)
        if np.any((lr != top) & (lr != 0.0)):
            raise ValueError("Setting different lr values in different parameter groups is only supported "
                             "for values of 0")


@inline
def _hp(H, row, e):
    return H[row, e if H.shape[1] > 1 else 0]


@jit
def _run_step(P, G, S, H, LR, MOM, base, d, t, out):
    """One run: prodigyopt's step over all its parameter groups, in group order."""
    n_groups = 0
    for j in range(d):
        g_id = int(group_of(H, _GROUP, base + j))
        if g_id + 1 > n_groups:
            n_groups = g_id + 1
    first = base                                 # param_groups[0]: betas, beta3, d_coef, growth_rate, decouple
    last = base                                  # the loop variable `group` after the loop: its d0
    for j in range(d):
        if group_of(H, _GROUP, base + j) == 0.0:
            first = base + j
            break
    for j in range(d):
        if group_of(H, _GROUP, base + j) == float(n_groups - 1):
            last = base + j
            break
    b1, b2, b3 = first_hyper(H, MOM, first), _hp(H, 1, first), _hp(H, 2, first)
    if b3 != b3:
        b3 = math.sqrt(b2)
    decouple, bias_corr = _hp(H, 5, first), _hp(H, 6, first)
    d_coef, growth = _hp(H, 9, first), _hp(H, 10, first)
    if t == 1:
        for j in range(d):
            S[3, base + j] = P[base + j]        # p0
    k = S[8, first]
    est, d_max = S[4, first], S[5, first]        # one value per run after step 1; group 0's d0 before
    lr = 0.0
    for j in range(d):
        v = LR[base + j if LR.shape[0] > 1 else 0]
        if v > lr:
            lr = v
    if bias_corr != 0.0:
        bias_correction = ((1.0 - b2 ** (k + 1.0)) ** 0.5) / (1.0 - b1 ** (k + 1.0))
    else:
        bias_correction = 1.0
    dlr = est * lr * bias_correction
    d_numerator = S[6, first] * b3
    delta_numerator, d_denom = 0.0, 0.0
    for g_id in range(n_groups):
        dot, abs_sum, seen = 0.0, 0.0, False
        for j in range(d):
            e = base + j
            if group_of(H, _GROUP, e) != float(g_id):
                continue
            seen = True
            group_lr = LR[e if LR.shape[0] > 1 else 0]
            decay, d0, safeguard = _hp(H, 4, e), _hp(H, 8, e), _hp(H, 7, e)
            g = G[e]
            if decay != 0.0 and decouple == 0.0:
                g = fma(decay, P[e], g)                                  # grad.add_(p.data, alpha=decay)
            if group_lr > 0.0:
                dot += g * (S[3, e] - P[e])
                if b1 > 0.0:
                    S[0, e] = fma(est * (1.0 - b1), g, S[0, e] * b1)     # exp_avg.mul_(beta1).add_(grad, alpha=d(1-beta1))
                S[1, e] = S[1, e] * b2 + ((est * est * (1.0 - b2)) * g) * g
                if safeguard != 0.0:
                    S[2, e] = fma((est / d0) * est, g, S[2, e] * b3)
                else:
                    S[2, e] = fma((est / d0) * dlr, g, S[2, e] * b3)
                abs_sum += abs(S[2, e])
            out[e] = g      # the gradient after L2, for the step below
        if seen:
            e = base
            for j in range(d):
                if group_of(H, _GROUP, base + j) == float(g_id):
                    e = base + j
                    break
            if LR[e if LR.shape[0] > 1 else 0] > 0.0:
                delta_numerator += (est / _hp(H, 8, e)) * dlr * dot
                d_denom += abs_sum
    if d_denom == 0.0:                            # no progress possible: the reference returns before the step
        for j in range(d):
            out[base + j] = P[base + j]
        return
    d_hat = est
    global_numerator = d_numerator + delta_numerator
    if lr > 0.0:
        d_hat = d_coef * global_numerator / d_denom
        if est == _hp(H, 8, last):
            est = est if not d_hat > est else d_hat
        d_max = d_max if not d_hat > d_max else d_hat
        grown = est * growth
        est = d_max if not grown < d_max else grown
    for j in range(d):
        e = base + j
        decay, eps = _hp(H, 4, e), _hp(H, 3, e)
        g = out[e]
        denom = math.sqrt(S[1, e]) + est * eps
        p = P[e]
        if decay != 0.0 and decouple != 0.0:
            p = fma(-decay * dlr, p, p)                                  # p.data.add_(p.data, alpha=-decay*dlr)
        if b1 > 0.0:
            out[e] = p + ((-dlr) * S[0, e]) / denom                      # addcdiv_(exp_avg, denom, value=-dlr)
        else:
            out[e] = p + ((-dlr * est) * g) / denom
        S[4, e], S[5, e], S[6, e], S[7, e], S[8, e], S[9, e] = est, d_max, global_numerator, d_hat, k + 1.0, dlr


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out):
    for i in range(P.shape[0] // d):
        _run_step(P, G, S, H, LR, MOM, i * d, d, t, out)


def explain(x) -> dict:
    est, m, v, dlr = x.state["d"], x.state["exp_avg"], x.state["exp_avg_sq"], x.state["dlr"]
    decoupled = x.flag("decouple")
    g = x.l2(np.where(decoupled, 0.0, x.hp("weight_decay")))
    direction = np.where(np.asarray(x.cycled("beta1")) > 0, m, est * g)
    return dict(rows=[("d", "step-size estimate d", est), ("d_hat", "this step's estimate d̂", x.state["d_hat"]),
                      ("dlr", "step size d·γ this step", dlr), ("exp_avg", "first moment m", m),
                      ("exp_avg_sq", "second moment v", v), ("s", "weighted gradient sum s", x.state["s"])],
                lr_label="effective lr dγ/(√v + dε)", effective=dlr / (np.sqrt(v) + est * x.hp("eps")),
                direction=direction, shrink=np.where(decoupled, -x.hp("weight_decay") * dlr * x.theta, 0.0),
                velocity=-m)
