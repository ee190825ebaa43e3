"""The update rules: hand-worked first steps, equivalences, convergence and bad input.

The bowl f = x² + y² is separable (each coordinate sees g = 2x), so every
hand-worked case below is written for one coordinate and checked on both
coordinates of the start (1, -2). The formulas are torch.optim's, spelled out
step by step with plain floats; see each rule's module docstring.
"""

import math
import re

import numpy as np
import pytest

import landscapes
import optimizers
from hessians import surface_for
from optim_db import ERROR_CASES, OPTIM_DB

BOWL = landscapes.get("bowl")
ROSENBROCK = landscapes.get("rosenbrock")
START = (1.0, -2.0)
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.2, 1.4]])


def assert_same_path(a, b):
    """Bitwise: the same points, losses, gradients, rates and flags."""
    for field in ("params", "loss", "grads", "lr", "diverged_at", "converged_at"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)


# --- hand-worked first steps on the bowl ------------------------------------------------------------
# Each function returns [x0, x1, x2, x3] for one coordinate; g_t = 2 x_{t-1} (+ wd x_{t-1} for L2 decay).

def hand_sgd(x0, lr, weight_decay=0.0):
    g1 = 2 * x0 + weight_decay * x0
    x1 = x0 - lr * g1
    g2 = 2 * x1 + weight_decay * x1
    x2 = x1 - lr * g2
    g3 = 2 * x2 + weight_decay * x2
    x3 = x2 - lr * g3
    return [x0, x1, x2, x3]


def hand_heavy_ball(x0, lr, momentum, dampening=0.0, weight_decay=0.0):
    g1 = 2 * x0 + weight_decay * x0
    b1 = g1  # torch: the first buffer is the gradient itself, undamped
    x1 = x0 - lr * b1
    g2 = 2 * x1 + weight_decay * x1
    b2 = momentum * b1 + (1 - dampening) * g2
    x2 = x1 - lr * b2
    g3 = 2 * x2 + weight_decay * x2
    b3 = momentum * b2 + (1 - dampening) * g3
    x3 = x2 - lr * b3
    return [x0, x1, x2, x3]


def hand_nesterov(x0, lr, momentum):
    g1 = 2 * x0
    b1 = g1
    x1 = x0 - lr * (g1 + momentum * b1)  # torch's look-ahead: d = g + mu b
    g2 = 2 * x1
    b2 = momentum * b1 + g2
    x2 = x1 - lr * (g2 + momentum * b2)
    g3 = 2 * x2
    b3 = momentum * b2 + g3
    x3 = x2 - lr * (g3 + momentum * b3)
    return [x0, x1, x2, x3]


def hand_adagrad(x0, lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
    s0 = initial_accumulator_value
    g1 = 2 * x0 + weight_decay * x0
    s1 = s0 + g1**2
    x1 = x0 - lr / (1 + 0 * lr_decay) * g1 / (math.sqrt(s1) + eps)  # eps outside the root
    g2 = 2 * x1 + weight_decay * x1
    s2 = s1 + g2**2
    x2 = x1 - lr / (1 + 1 * lr_decay) * g2 / (math.sqrt(s2) + eps)
    g3 = 2 * x2 + weight_decay * x2
    s3 = s2 + g3**2
    x3 = x2 - lr / (1 + 2 * lr_decay) * g3 / (math.sqrt(s3) + eps)
    return [x0, x1, x2, x3]


def hand_rmsprop(x0, lr, alpha=0.99, eps=1e-8):
    g1 = 2 * x0
    v1 = (1 - alpha) * g1**2
    x1 = x0 - lr * g1 / (math.sqrt(v1) + eps)
    g2 = 2 * x1
    v2 = alpha * v1 + (1 - alpha) * g2**2
    x2 = x1 - lr * g2 / (math.sqrt(v2) + eps)
    g3 = 2 * x2
    v3 = alpha * v2 + (1 - alpha) * g3**2
    x3 = x2 - lr * g3 / (math.sqrt(v3) + eps)
    return [x0, x1, x2, x3]


def hand_rmsprop_centered_momentum(x0, lr, alpha, eps, momentum, weight_decay):
    g1 = 2 * x0 + weight_decay * x0
    v1 = (1 - alpha) * g1**2
    a1 = (1 - alpha) * g1  # running mean of g, subtracted when centered
    b1 = g1 / (math.sqrt(v1 - a1**2) + eps)  # the buffer starts at zero
    x1 = x0 - lr * b1
    g2 = 2 * x1 + weight_decay * x1
    v2 = alpha * v1 + (1 - alpha) * g2**2
    a2 = alpha * a1 + (1 - alpha) * g2
    b2 = momentum * b1 + g2 / (math.sqrt(v2 - a2**2) + eps)
    x2 = x1 - lr * b2
    g3 = 2 * x2 + weight_decay * x2
    v3 = alpha * v2 + (1 - alpha) * g3**2
    a3 = alpha * a2 + (1 - alpha) * g3
    b3 = momentum * b2 + g3 / (math.sqrt(v3 - a3**2) + eps)
    x3 = x2 - lr * b3
    return [x0, x1, x2, x3]


def hand_adadelta(x0, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    g1 = 2 * x0 + weight_decay * x0
    v1 = (1 - rho) * g1**2
    d1 = math.sqrt(0.0 + eps) / math.sqrt(v1 + eps) * g1  # eps inside both roots
    u1 = (1 - rho) * d1**2
    x1 = x0 - lr * d1
    g2 = 2 * x1 + weight_decay * x1
    v2 = rho * v1 + (1 - rho) * g2**2
    d2 = math.sqrt(u1 + eps) / math.sqrt(v2 + eps) * g2
    u2 = rho * u1 + (1 - rho) * d2**2
    x2 = x1 - lr * d2
    g3 = 2 * x2 + weight_decay * x2
    v3 = rho * v2 + (1 - rho) * g3**2
    d3 = math.sqrt(u2 + eps) / math.sqrt(v3 + eps) * g3
    x3 = x2 - lr * d3
    return [x0, x1, x2, x3]


def hand_adam(x0, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    g1 = 2 * x0 + weight_decay * x0
    m1 = (1 - b1) * g1
    v1 = (1 - b2) * g1**2
    x1 = x0 - lr / (1 - b1) * m1 / (math.sqrt(v1) / math.sqrt(1 - b2) + eps)  # eps after the corrected root
    g2 = 2 * x1 + weight_decay * x1
    m2 = b1 * m1 + (1 - b1) * g2
    v2 = b2 * v1 + (1 - b2) * g2**2
    x2 = x1 - lr / (1 - b1**2) * m2 / (math.sqrt(v2) / math.sqrt(1 - b2**2) + eps)
    g3 = 2 * x2 + weight_decay * x2
    m3 = b1 * m2 + (1 - b1) * g3
    v3 = b2 * v2 + (1 - b2) * g3**2
    x3 = x2 - lr / (1 - b1**3) * m3 / (math.sqrt(v3) / math.sqrt(1 - b2**3) + eps)
    return [x0, x1, x2, x3]


def hand_adamax(x0, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    xs, m, u = [x0], 0.0, 0.0
    for t in (1, 2, 3):
        x = xs[-1]
        g = 2 * x + weight_decay * x
        m = b1 * m + (1 - b1) * g
        u = max(b2 * u, abs(g) + eps)          # eps inside the max, not in the denominator
        xs.append(x - lr / (1 - b1**t) * m / u)
    return xs


def hand_adamw(x0, lr, weight_decay=1e-2, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    g1 = 2 * x0  # the gradient is taken before the point shrinks
    m1 = (1 - b1) * g1
    v1 = (1 - b2) * g1**2
    x1 = x0 * (1 - lr * weight_decay) - lr / (1 - b1) * m1 / (math.sqrt(v1) / math.sqrt(1 - b2) + eps)
    g2 = 2 * x1
    m2 = b1 * m1 + (1 - b1) * g2
    v2 = b2 * v1 + (1 - b2) * g2**2
    x2 = x1 * (1 - lr * weight_decay) - lr / (1 - b1**2) * m2 / (math.sqrt(v2) / math.sqrt(1 - b2**2) + eps)
    g3 = 2 * x2
    m3 = b1 * m2 + (1 - b1) * g3
    v3 = b2 * v2 + (1 - b2) * g3**2
    x3 = x2 * (1 - lr * weight_decay) - lr / (1 - b1**3) * m3 / (math.sqrt(v3) / math.sqrt(1 - b2**3) + eps)
    return [x0, x1, x2, x3]


def hand_amsgrad(x0, lr, betas, eps=1e-8):
    b1, b2 = betas
    g1 = 2 * x0
    m1 = (1 - b1) * g1
    v1 = (1 - b2) * g1**2
    w1 = max(0.0, v1)  # the running maximum of the raw second moment
    x1 = x0 - lr / (1 - b1) * m1 / (math.sqrt(w1) / math.sqrt(1 - b2) + eps)
    g2 = 2 * x1
    m2 = b1 * m1 + (1 - b1) * g2
    v2 = b2 * v1 + (1 - b2) * g2**2
    w2 = max(w1, v2)
    x2 = x1 - lr / (1 - b1**2) * m2 / (math.sqrt(w2) / math.sqrt(1 - b2**2) + eps)
    g3 = 2 * x2
    m3 = b1 * m2 + (1 - b1) * g3
    v3 = b2 * v2 + (1 - b2) * g3**2
    w3 = max(w2, v3)
    x3 = x2 - lr / (1 - b1**3) * m3 / (math.sqrt(w3) / math.sqrt(1 - b2**3) + eps)
    return [x0, x1, x2, x3]


def hand_nadam(x0, lr, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
    b1, b2 = betas
    mu1 = b1 * (1 - 0.5 * 0.96 ** (1 * momentum_decay))
    mu2 = b1 * (1 - 0.5 * 0.96 ** (2 * momentum_decay))
    mu3 = b1 * (1 - 0.5 * 0.96 ** (3 * momentum_decay))
    mu4 = b1 * (1 - 0.5 * 0.96 ** (4 * momentum_decay))
    g1 = 2 * x0
    m1 = (1 - b1) * g1
    v1 = (1 - b2) * g1**2
    den1 = math.sqrt(v1 / (1 - b2)) + eps
    x1 = x0 - lr * (1 - mu1) / (1 - mu1) * g1 / den1 - lr * mu2 / (1 - mu1 * mu2) * m1 / den1
    g2 = 2 * x1
    m2 = b1 * m1 + (1 - b1) * g2
    v2 = b2 * v1 + (1 - b2) * g2**2
    den2 = math.sqrt(v2 / (1 - b2**2)) + eps
    x2 = x1 - lr * (1 - mu2) / (1 - mu1 * mu2) * g2 / den2 - lr * mu3 / (1 - mu1 * mu2 * mu3) * m2 / den2
    g3 = 2 * x2
    m3 = b1 * m2 + (1 - b1) * g3
    v3 = b2 * v2 + (1 - b2) * g3**2
    den3 = math.sqrt(v3 / (1 - b2**3)) + eps
    x3 = (x2 - lr * (1 - mu3) / (1 - mu1 * mu2 * mu3) * g3 / den3
          - lr * mu4 / (1 - mu1 * mu2 * mu3 * mu4) * m3 / den3)
    return [x0, x1, x2, x3]


def radam_rho(t, b2):
    rho_inf = 2 / (1 - b2) - 1
    return rho_inf - 2 * t * b2**t / (1 - b2**t)


def hand_radam(x0, lr, betas=(0.9, 0.999)):
    b1, b2 = betas
    # rho_1..rho_3 are about 1, 2 and 3: no adaptive step yet, only bias-corrected momentum.
    assert max(radam_rho(t, b2) for t in (1, 2, 3)) <= 5
    g1 = 2 * x0
    m1 = (1 - b1) * g1
    x1 = x0 - lr * m1 / (1 - b1)
    g2 = 2 * x1
    m2 = b1 * m1 + (1 - b1) * g2
    x2 = x1 - lr * m2 / (1 - b1**2)
    g3 = 2 * x2
    m3 = b1 * m2 + (1 - b1) * g3
    x3 = x2 - lr * m3 / (1 - b1**3)
    return [x0, x1, x2, x3]


# (id, registry name, kwargs for optimizers.get, hand function, its arguments: torch's defaults spelled out)
def hand_rprop(x0, lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 50.0)):
    minus, plus = etas
    xs, prev, size = [x0], 0.0, lr          # the first step size is lr
    for _ in (1, 2, 3):
        g = 2 * xs[-1]
        s = g * prev
        size = min(max(size * (plus if s > 0 else minus if s < 0 else 1.0), step_sizes[0]), step_sizes[1])
        if s < 0:
            g = 0.0                         # after a sign flip: no move, and nothing kept
        xs.append(xs[-1] - math.copysign(size, g) * (g != 0))
        prev = g
    return xs


def hand_asgd(x0, lr, lambd=1e-4, alpha=0.75, weight_decay=0.0):
    xs, eta = [x0], lr
    for t in (1, 2, 3):
        x = xs[-1]
        g = 2 * x + weight_decay * x
        xs.append(x * (1 - lambd * eta) - eta * g)
        eta = lr / (1 + lambd * lr * t) ** alpha   # the rate the next step uses
    return xs


def hand_lion(x0, lr, betas=(0.9, 0.99), weight_decay=0.0):
    b1, b2 = betas
    xs, m = [x0], 0.0
    for _ in (1, 2, 3):
        x = xs[-1]
        g = 2 * x
        c = b1 * m + (1 - b1) * g
        xs.append(x * (1 - lr * weight_decay) - lr * math.copysign(1.0, c))
        m = b2 * m + (1 - b2) * g
    return xs


def hand_adafactor(x0, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0):
    """Both coordinates at once: the run is one tensor, and its RMS couples them."""
    eps1 = np.finfo(np.float64).eps if eps[0] is None else eps[0]
    rms = lambda a: math.sqrt(sum(c * c for c in a) / len(a))  # noqa: E731
    xs, v = [list(x0)], [0.0] * len(x0)
    for t in (1, 2, 3):
        x = xs[-1]
        g = [2 * c for c in x]
        a = max(eps[1], rms(x)) * min(lr, 1 / math.sqrt(t))   # relative to the point's RMS before decay
        x = [c * (1 - lr * weight_decay) for c in x]
        v = [vi + t**beta2_decay * (gi * gi - vi) for vi, gi in zip(v, g)]
        u = [gi / math.sqrt(max(vi, eps1 * eps1)) for vi, gi in zip(v, g)]
        step = a / max(1.0, rms(u) / d)
        xs.append([c - step * ui for c, ui in zip(x, u)])
    return xs


hand_adafactor.joint = True


def hand_schedulefree(x0, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, warmup_steps=0, r=0.0,
                      weight_lr_power=2.0):
    b1, b2 = betas
    y = z = x0
    v, weight_sum, lr_max, ys = 0.0, 0.0, -1.0, [x0]
    for k in (0, 1, 2):
        lr_t = lr * ((k + 1) / warmup_steps if k < warmup_steps else 1.0)
        lr_max = max(lr_max, lr_t)
        weight = (k + 1) ** r * lr_max ** weight_lr_power
        weight_sum += weight
        c = weight / weight_sum
        g = 2 * y
        v = b2 * v + (1 - b2) * g * g
        u = g / (math.sqrt(v / (1 - b2 ** (k + 1))) + eps) + weight_decay * y
        y = (1 - c) * y + c * z + lr_t * (b1 * (1 - c) - 1) * u   # the point where the next gradient is taken
        z = z - lr_t * u
        ys.append(y)
    return ys


def hand_prodigy(x0, lr=1.0, betas=(0.9, 0.999), d0=1e-6, eps=1e-8, growth_rate=math.inf):
    """Both coordinates at once: d is one number per run, from sums over its coordinates."""
    b1, b2 = betas
    b3 = math.sqrt(b2)
    d, d_max, numerator = d0, d0, 0.0
    xs = [list(x0)]
    m, v, s = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    for _ in (1, 2, 3):
        x = xs[-1]
        g = [2 * c for c in x]
        dlr = d * lr
        numerator = numerator * b3 + (d / d0) * dlr * sum(gi * (x0i - xi) for gi, x0i, xi in zip(g, x0, x))
        m = [b1 * mi + d * (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + d * d * (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        s = [b3 * si + (d / d0) * dlr * gi for si, gi in zip(s, g)]
        d_hat = numerator / sum(abs(si) for si in s)
        if d == d0:
            d = max(d, d_hat)
        d_max = max(d_max, d_hat)
        d = min(d_max, d * growth_rate)
        xs.append([xi - dlr * mi / (math.sqrt(vi) + d * eps) for xi, mi, vi in zip(x, m, v)])
    return xs


hand_prodigy.joint = True


def hand_newton(x0, lr=1.0, damping=0.0):
    xs = [x0]
    for _ in (1, 2, 3):
        xs.append(xs[-1] - lr * 2 * xs[-1] / (2 + damping))   # the bowl's Hessian is 2I
    return xs


def hand_lbfgs(x0, lr=1.0):
    """max_iter=1, the bowl f = |x|²: step 1 is -g scaled by t = min(1, 1/|g|₁)·lr; from then on the kept
    pairs (y, s) satisfy y = 2s, so H_diag = ½ and the two-loop recursion gives -g/2 exactly: x ← x(1 - lr)."""
    g = [2 * c for c in x0]
    t = min(1.0, 1.0 / sum(abs(c) for c in g)) * lr
    x1 = [c - t * gc for c, gc in zip(x0, g)]
    x2 = [c * (1 - lr) for c in x1]
    return [x0, x1, x2, [c * (1 - lr) for c in x2]]


hand_lbfgs.joint = True


HAND_CASES = [
    ("gd", "gd", dict(lr=0.1), hand_sgd, dict(lr=0.1)),
    ("sgd-wd", "sgd", dict(lr=0.1, weight_decay=0.5), hand_sgd, dict(lr=0.1, weight_decay=0.5)),
    ("momentum", "momentum", dict(lr=0.1), hand_heavy_ball, dict(lr=0.1, momentum=0.9)),
    ("sgd-dampening-wd", "sgd", dict(lr=0.1, momentum=0.5, dampening=0.5, weight_decay=0.1), hand_heavy_ball,
     dict(lr=0.1, momentum=0.5, dampening=0.5, weight_decay=0.1)),
    ("nesterov", "nesterov", dict(lr=0.1), hand_nesterov, dict(lr=0.1, momentum=0.9)),
    ("adagrad", "adagrad", dict(lr=0.5), hand_adagrad, dict(lr=0.5, eps=1e-10)),
    ("adagrad-all", "adagrad", dict(lr=0.5, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.3, eps=1e-3),
     hand_adagrad, dict(lr=0.5, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.3, eps=1e-3)),
    ("rmsprop", "rmsprop", dict(lr=0.01), hand_rmsprop, dict(lr=0.01, alpha=0.99, eps=1e-8)),
    ("rmsprop-centered-momentum", "rmsprop",
     dict(lr=0.01, alpha=0.9, eps=1e-6, centered=True, momentum=0.5, weight_decay=0.1),
     hand_rmsprop_centered_momentum, dict(lr=0.01, alpha=0.9, eps=1e-6, momentum=0.5, weight_decay=0.1)),
    ("adadelta", "adadelta", dict(), hand_adadelta, dict(lr=1.0, rho=0.9, eps=1e-6)),
    ("adadelta-all", "adadelta", dict(lr=2.0, rho=0.5, eps=1e-2, weight_decay=0.1), hand_adadelta,
     dict(lr=2.0, rho=0.5, eps=1e-2, weight_decay=0.1)),
    ("adam", "adam", dict(lr=0.1), hand_adam, dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8)),
    ("adam-l2", "adam", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.1), hand_adam,
     dict(lr=0.1, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.1)),
    ("adamw", "adamw", dict(lr=0.1), hand_adamw, dict(lr=0.1, weight_decay=1e-2)),
    ("amsgrad", "amsgrad", dict(lr=0.1, betas=(0.9, 0.5)), hand_amsgrad, dict(lr=0.1, betas=(0.9, 0.5))),
    ("nadam", "nadam", dict(lr=0.1), hand_nadam, dict(lr=0.1, momentum_decay=4e-3)),
    ("radam", "radam", dict(lr=0.1), hand_radam, dict(lr=0.1, betas=(0.9, 0.999))),
    ("adamax", "adamax", dict(lr=0.1), hand_adamax, dict(lr=0.1)),
    ("adamax-l2", "adamax", dict(lr=0.1, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.1), hand_adamax,
     dict(lr=0.1, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.1)),
    # on the bowl from (1, -2) with lr 0.5 the step grows, x overshoots, then the flipped coordinate rests
    ("rprop", "rprop", dict(lr=0.5), hand_rprop, dict(lr=0.5)),
    ("rprop-clamped", "rprop", dict(lr=0.5, etas=(0.25, 3.0), step_sizes=(0.1, 0.8)), hand_rprop,
     dict(lr=0.5, etas=(0.25, 3.0), step_sizes=(0.1, 0.8))),
    ("asgd", "asgd", dict(lr=0.1), hand_asgd, dict(lr=0.1)),
    ("asgd-decay", "asgd", dict(lr=0.1, lambd=0.5, alpha=1.0, weight_decay=0.1), hand_asgd,
     dict(lr=0.1, lambd=0.5, alpha=1.0, weight_decay=0.1)),
    ("lion", "lion", dict(lr=0.3), hand_lion, dict(lr=0.3)),
    ("lion-wd", "lion", dict(lr=0.3, betas=(0.5, 0.9), weight_decay=0.5), hand_lion,
     dict(lr=0.3, betas=(0.5, 0.9), weight_decay=0.5)),
    ("adafactor", "adafactor", dict(lr=0.1), hand_adafactor, dict(lr=0.1)),
    ("adafactor-all", "adafactor", dict(lr=0.1, beta2_decay=-0.5, eps=(1e-3, 1e-2), d=1.2, weight_decay=0.1),
     hand_adafactor, dict(lr=0.1, beta2_decay=-0.5, eps=(1e-3, 1e-2), d=1.2, weight_decay=0.1)),
    ("schedulefree", "schedulefree_adamw", dict(lr=0.1), hand_schedulefree, dict(lr=0.1)),
    ("schedulefree-warmup", "schedulefree_adamw",
     dict(lr=0.1, betas=(0.5, 0.9), weight_decay=0.1, warmup_steps=2, r=1.0, weight_lr_power=1.0), hand_schedulefree,
     dict(lr=0.1, betas=(0.5, 0.9), weight_decay=0.1, warmup_steps=2, r=1.0, weight_lr_power=1.0)),
    ("prodigy", "prodigy", dict(), hand_prodigy, dict()),
    ("prodigy-d0-growth", "prodigy", dict(lr=0.5, d0=0.1, growth_rate=1.5), hand_prodigy,
     dict(lr=0.5, d0=0.1, growth_rate=1.5)),
    ("newton-damped", "newton", dict(lr=0.8, damping=1.0), hand_newton, dict(lr=0.8, damping=1.0)),
    ("lbfgs-one-iteration", "lbfgs", dict(lr=0.5, max_iter=1), hand_lbfgs, dict(lr=0.5)),
]


def test_optim_db_covers_the_registry():
    assert [info.name for info in OPTIM_DB] == optimizers.names()
    assert all(info.inputs for info in OPTIM_DB)


def test_hand_cases_cover_the_registry():
    assert {case[1] for case in HAND_CASES} == set(optimizers.names())


@pytest.mark.parametrize("case", HAND_CASES, ids=[c[0] for c in HAND_CASES])
def test_first_three_steps_by_hand(case):
    _, name, kwargs, hand, hand_kwargs = case
    traj = optimizers.run(surface_for(name, BOWL), optimizers.get(name, **kwargs), start=START, steps=3)
    if getattr(hand, "joint", False):  # a rule that couples the coordinates: worked for the whole point
        np.testing.assert_allclose(traj.params[:, 0], hand(START, **hand_kwargs), rtol=1e-12)
        return
    for c in (0, 1):
        assert traj.params[:, 0, c].tolist() == pytest.approx(hand(START[c], **hand_kwargs), rel=1e-12)


@pytest.mark.parametrize("name, coefficients", [
    ("gd", [1, 0.8, 0.64, 0.512]),            # x_t = (1 - 2 lr)^t x0
    ("momentum", [1, 0.8, 0.46, 0.062]),      # b = 2, 3.4, 3.98 (times x0)
    ("nesterov", [1, 0.62, 0.2224, -0.108352]),  # d = 3.8, 3.976, 3.30752 (times x0)
], ids=["gd", "momentum", "nesterov"])
def test_first_steps_by_pencil(name, coefficients):
    """With lr = 0.1 and mu = 0.9 the SGD family's steps on the bowl are short decimals."""
    traj = optimizers.run(BOWL, optimizers.get(name, lr=0.1), start=START, steps=3)
    np.testing.assert_allclose(traj.params[:, 0, 0], coefficients, rtol=1e-12)
    np.testing.assert_allclose(traj.params[:, 0, 1], [-2 * c for c in coefficients], rtol=1e-12)


def test_amsgrad_case_exercises_the_max():
    """With beta2 = 0.5 the second moment shrinks on the bowl, so AMSGrad's maximum binds."""
    kwargs = dict(lr=0.1, betas=(0.9, 0.5))
    ams = optimizers.run(BOWL, optimizers.get("amsgrad", **kwargs), start=START, steps=3)
    adam = optimizers.run(BOWL, optimizers.get("adam", **kwargs), start=START, steps=3)
    assert not np.allclose(ams.params[2:], adam.params[2:], rtol=1e-6)


def test_radam_first_rectified_step_is_step_6():
    """Default betas: rho_t <= 5 for steps 1-5 (plain momentum), > 5 from step 6 (rectified Adam)."""
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    assert radam_rho(5, b2) <= 5 < radam_rho(6, b2)
    traj = optimizers.run(BOWL, optimizers.get("radam", lr=lr), start=START, steps=8, record_state=True)
    P, g, m, v = traj.params[:, 0], traj.grads[:, 0], traj.state["exp_avg"][:, 0], traj.state["exp_avg_sq"][:, 0]
    np.testing.assert_allclose(m[0], (1 - b1) * g[0], rtol=1e-12)
    for t in range(1, 9):  # step t uses grads[t-1] and moves params[t-1] to params[t]
        if t > 1:
            np.testing.assert_allclose(m[t - 1], b1 * m[t - 2] + (1 - b1) * g[t - 1], rtol=1e-12)
        step = lr * m[t - 1] / (1 - b1**t)
        rho = radam_rho(t, b2)
        if rho > 5:
            rho_inf = 2 / (1 - b2) - 1
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            step = step * r * math.sqrt(1 - b2**t) / (np.sqrt(v[t - 1]) + eps)
        np.testing.assert_allclose(P[t], P[t - 1] - step, rtol=1e-12, err_msg=f"step {t}")


# --- equivalences ----------------------------------------------------------------------------------

@pytest.mark.parametrize("landscape", ["bowl", "rosenbrock", "himmelblau"])
@pytest.mark.parametrize("extra", [dict(), dict(momentum=0.0), dict(momentum=0.0, dampening=0.5)],
                         ids=["default", "momentum0", "momentum0-dampening"])
def test_sgd_without_momentum_is_gd(landscape, extra):
    L = landscapes.get(landscape)
    sgd = optimizers.run(L, optimizers.get("sgd", lr=1e-3, **extra), start=STARTS, steps=100)
    gd = optimizers.run(L, optimizers.get("gd", lr=1e-3), start=STARTS, steps=100)
    assert_same_path(sgd, gd)
    # and gd is x_{t+1} = x_t - lr grad(x_t), nothing else
    np.testing.assert_allclose(gd.params[1:], gd.params[:-1] - 1e-3 * L.grad(gd.params[:-1]), rtol=1e-14)


@pytest.mark.parametrize("extra", [dict(), dict(amsgrad=True), dict(betas=(0.5, 0.9), eps=1e-4)],
                         ids=["default", "amsgrad", "betas-eps"])
def test_adamw_without_weight_decay_is_adam(extra):
    adamw = optimizers.run(ROSENBROCK, optimizers.get("adamw", lr=1e-2, weight_decay=0.0, **extra),
                           start=STARTS, steps=100)
    adam = optimizers.run(ROSENBROCK, optimizers.get("adam", lr=1e-2, **extra), start=STARTS, steps=100)
    assert_same_path(adamw, adam)


ALIASES = [
    ("gd", dict(lr=1e-3), "sgd", dict(lr=1e-3)),
    ("momentum", dict(lr=1e-3), "sgd", dict(lr=1e-3, momentum=0.9)),
    ("nesterov", dict(lr=1e-3), "sgd", dict(lr=1e-3, momentum=0.9, nesterov=True)),
    ("amsgrad", dict(lr=1e-2), "adam", dict(lr=1e-2, amsgrad=True)),
]


@pytest.mark.parametrize("alias, kwargs, base, base_kwargs", ALIASES, ids=[a[0] for a in ALIASES])
def test_alias_is_its_preset(alias, kwargs, base, base_kwargs):
    a = optimizers.run(ROSENBROCK, optimizers.get(alias, **kwargs), start=STARTS, steps=100)
    b = optimizers.run(ROSENBROCK, optimizers.get(base, **base_kwargs), start=STARTS, steps=100)
    assert_same_path(a, b)


# (id, name, kwargs, groups): every group value equals the base value it overrides
SAME_GROUPS = [
    ("sgd-lr", "sgd", dict(lr=1e-3, momentum=0.9), [{"lr": 1e-3}, {"lr": 1e-3}]),
    ("sgd-momentum-one-side", "sgd", dict(lr=1e-3, momentum=0.9), [{"momentum": 0.9}, {}]),
    ("nesterov-flag", "nesterov", dict(lr=1e-3), [{"nesterov": True}, {"nesterov": True, "dampening": 0.0}]),
    ("adam-betas", "adam", dict(lr=1e-2, betas=(0.8, 0.99)), [{"betas": (0.8, 0.99)}, {"eps": 1e-8}]),
    ("adam-amsgrad-false", "adam", dict(lr=1e-2), [{}, {"amsgrad": False}]),
    ("adamw-wd", "adamw", dict(lr=1e-2, weight_decay=0.1), [{"weight_decay": 0.1}, {"lr": 1e-2}]),
    ("rmsprop-alpha-centered", "rmsprop", dict(lr=1e-3, centered=True), [{"alpha": 0.99}, {"centered": True}]),
    ("adagrad-lr-decay", "adagrad", dict(lr=0.1, lr_decay=0.01), [{"lr_decay": 0.01}, {"lr_decay": 0.01}]),
    ("adadelta-rho", "adadelta", dict(rho=0.8), [{"rho": 0.8}, {}]),
    ("nadam-momentum-decay", "nadam", dict(lr=1e-2), [{"momentum_decay": 4e-3}, {"betas": (0.9, 0.999)}]),
    ("radam-eps", "radam", dict(lr=1e-2), [{"eps": 1e-8}, {"weight_decay": 0.0}]),
    ("empty-groups", "adam", dict(lr=1e-2), [{}, {}]),
]


@pytest.mark.parametrize("case", SAME_GROUPS, ids=[c[0] for c in SAME_GROUPS])
def test_group_override_equal_to_base_changes_nothing(case):
    _, name, kwargs, groups = case
    plain = optimizers.run(ROSENBROCK, optimizers.get(name, **kwargs), start=STARTS, steps=100)
    grouped = optimizers.run(ROSENBROCK, optimizers.get(name, groups=groups, **kwargs), start=STARTS, steps=100)
    assert_same_path(plain, grouped)


# exact=False: an array-valued beta1 (or psi) goes through numpy's array power (1 - beta1**t,
# 0.96**(t psi)), which can differ in the last bit from Python's scalar power, the one torch uses
# (e.g. 0.999**7); y then agrees to an ulp or two.
@pytest.mark.parametrize("name, group, exact", [
    ("sgd", {"lr": 0.05}, True), ("momentum", {"momentum": 0.5}, True),
    ("adam", {"betas": (0.5, 0.9)}, False), ("rmsprop", {"centered": True}, True),
    ("adagrad", {"lr_decay": 0.5}, True), ("nadam", {"momentum_decay": 0.1}, False),
], ids=["sgd-lr", "momentum-momentum", "adam-betas", "rmsprop-centered", "adagrad-lr-decay", "nadam-psi"])
def test_group_override_changes_only_its_coordinate(name, group, exact):
    """On the separable bowl, overriding x's group leaves y's path alone."""
    plain = optimizers.run(BOWL, optimizers.get(name, lr=0.01), start=STARTS, steps=50)
    grouped = optimizers.run(BOWL, optimizers.get(name, lr=0.01, groups=[group, {}]), start=STARTS, steps=50)
    if exact:
        np.testing.assert_array_equal(grouped.params[..., 1], plain.params[..., 1])
    else:
        np.testing.assert_allclose(grouped.params[..., 1], plain.params[..., 1], rtol=1e-15, atol=0)
    assert not np.allclose(grouped.params[1:, :, 0], plain.params[1:, :, 0])


def test_nesterov_is_heavy_ball_plus_look_ahead():
    """Both keep b_t = mu b_{t-1} + g_t (b_1 = g_1); heavy ball steps by b_t, Nesterov by g_t + mu b_t."""
    lr, mu = 1e-3, 0.9
    runs = {name: optimizers.run(ROSENBROCK, optimizers.get(name, lr=lr), start=STARTS, steps=60,
                                 record_state=True) for name in ("momentum", "nesterov")}
    for name, traj in runs.items():
        b, g, P = traj.state["momentum_buffer"], traj.grads, traj.params
        np.testing.assert_array_equal(b[0], g[0])
        np.testing.assert_allclose(b[1:], mu * b[:-1] + g[1:], rtol=1e-12)
        direction = b if name == "momentum" else g + mu * b
        np.testing.assert_allclose(P[1:], P[:-1] - lr * direction, rtol=1e-12, atol=1e-15)
    assert not np.allclose(runs["momentum"].params[2:], runs["nesterov"].params[2:], rtol=1e-6)


def test_nesterov_step_is_gradient_step_plus_mu_heavy_ball_step():
    """From the same state: p_nesterov - p = -lr g + mu (p_heavy - p), with the same new buffer."""
    lr, mu = 0.01, 0.9
    heavy, nesterov = optimizers.get("momentum", lr=lr), optimizers.get("nesterov", lr=lr)
    P = np.array([[0.3, -1.2], [2.0, 0.5]])
    rng = np.random.default_rng(0)
    s_h, s_n = heavy.init(P), nesterov.init(P)
    for _ in range(4):
        g = rng.standard_normal(P.shape)
        p_h, s_h = heavy.update(g, s_h, P)
        p_n, s_n = nesterov.update(g, s_n, P)
        np.testing.assert_array_equal(s_h.momentum_buffer, s_n.momentum_buffer)
        np.testing.assert_allclose(p_n - P, -lr * g + mu * (p_h - P), rtol=1e-12, atol=1e-16)
        P = p_h


def test_lbfgs_dot_adds_the_products_in_order_on_every_machine():
    """L-BFGS's dot product rounds each product, then the sum, as torch's CPU dot does: a BLAS ddot that
    fuses a multiply and an add (OpenBLAS on AVX-512 machines) gives -2**-60 here, not 0."""
    from optimizers.rules.lbfgs import _dot

    a, b = np.array([1.0, 1 + 2.0 ** -30]), np.array([-1.0, 1 - 2.0 ** -30])
    assert _dot(a, b) == 0.0  # -1 + round(1 - 2**-60); fma(a[1], b[1], -1) is -2**-60
    rng = np.random.default_rng(0)
    for _ in range(200):
        a, b = rng.standard_normal(2), rng.standard_normal(2)
        assert _dot(a, b) == a[0] * b[0] + a[1] * b[1]


# --- convergence -----------------------------------------------------------------------------------

# (name, kwargs, steps, tolerance on the distance to the minimum), from landscape.start
BOWL_TABLE = [
    ("gd", dict(lr=0.1), 100, 1e-3),
    ("sgd", dict(lr=0.1, momentum=0.5, dampening=0.5), 100, 1e-3),
    ("momentum", dict(lr=0.05), 300, 1e-3),
    ("nesterov", dict(lr=0.1), 100, 1e-3),
    ("adagrad", dict(lr=0.5), 100, 1e-3),
    ("rmsprop", dict(lr=0.05), 100, 1e-3),
    ("adadelta", dict(lr=1.0), 1000, 1e-3),
    ("adam", dict(lr=0.1), 300, 1e-3),
    ("adamw", dict(lr=0.1), 300, 1e-3),
    ("amsgrad", dict(lr=0.1), 300, 1e-3),
    ("nadam", dict(lr=0.1), 100, 1e-3),
    ("radam", dict(lr=0.1), 300, 1e-3),
    ("adamax", dict(lr=0.1), 300, 1e-3),
    ("rprop", dict(), 100, 1e-3),
    ("asgd", dict(lr=0.1), 100, 1e-3),
    ("lion", dict(lr=0.01), 1000, 1e-3),
    ("adafactor", dict(lr=0.05), 3000, 1e-3),
    ("schedulefree_adamw", dict(lr=0.05), 1000, 1e-3),
    ("prodigy", dict(), 300, 1e-3),
    ("newton", dict(), 2, 1e-3),
    ("lbfgs", dict(), 2, 1e-3),
]

# (name, kwargs, schedule, steps, tolerance): tuned settings for the banana valley
ROSENBROCK_TABLE = [
    ("gd", dict(lr=2e-3), None, 10000, 1e-4),
    ("sgd", dict(lr=5e-4, momentum=0.95), None, 3000, 1e-5),
    ("momentum", dict(lr=1e-3), None, 3000, 1e-5),
    ("nesterov", dict(lr=1e-3), None, 3000, 1e-5),
    ("adagrad", dict(lr=1.5), None, 10000, 2e-3),
    ("rmsprop", dict(lr=3e-4, momentum=0.9), None, 5000, 1e-4),
    ("adadelta", dict(lr=3.0, rho=0.95), ("exponential", dict(gamma=0.01 ** (1 / 5000))), 5000, 1e-2),
    ("adam", dict(lr=0.03), None, 3000, 1e-6),
    ("adamw", dict(lr=0.03, weight_decay=1e-5), None, 3000, 1e-4),
    ("amsgrad", dict(lr=0.1), None, 3000, 1e-6),
    ("nadam", dict(lr=0.02), ("cosine", dict(T_max=5000)), 5000, 1e-3),
    ("radam", dict(lr=0.01, betas=(0.9, 0.99)), ("cosine", dict(T_max=3000)), 3000, 1e-6),
    ("adamax", dict(lr=0.1), ("cosine", dict(T_max=5000)), 5000, 1e-4),
    ("rprop", dict(), None, 3000, 1e-2),
    ("asgd", dict(lr=2e-3), None, 10000, 1e-3),
    ("lion", dict(lr=1e-2), ("cosine", dict(T_max=5000)), 5000, 1e-4),
    ("adafactor", dict(lr=0.05), None, 10000, 5e-2),   # its relative step decays as 1/sqrt(t): slow here
    ("schedulefree_adamw", dict(lr=0.02, betas=(0.95, 0.999)), None, 10000, 1e-2),   # no schedule, by design
    ("prodigy", dict(), ("cosine", dict(T_max=3000)), 3000, 1e-6),
    ("newton", dict(), None, 20, 1e-6),
    ("lbfgs", dict(line_search_fn="strong_wolfe"), None, 20, 1e-5),
]


def _check_converged(L, traj, minimum, tol):
    assert traj.diverged_at.tolist() == [-1]
    assert np.linalg.norm(traj.final[0] - minimum) < tol
    grad_norm = np.linalg.norm(L.grad(traj.params[:, 0]), axis=-1)
    below = np.flatnonzero(grad_norm < traj.tol)
    assert traj.converged_at[0] == (below[0] if len(below) else -1)


@pytest.mark.parametrize("name, kwargs, steps, tol", BOWL_TABLE, ids=[c[0] for c in BOWL_TABLE])
def test_reaches_the_bowl_minimum(name, kwargs, steps, tol):
    traj = optimizers.run(surface_for(name, BOWL), optimizers.get(name, **kwargs), steps=steps, tol=tol)
    _check_converged(BOWL, traj, [0.0, 0.0], tol)
    assert traj.converged_at[0] >= 0


@pytest.mark.parametrize("name, kwargs, sched, steps, tol", ROSENBROCK_TABLE, ids=[c[0] for c in ROSENBROCK_TABLE])
def test_reaches_the_rosenbrock_minimum(name, kwargs, sched, steps, tol):
    schedule = None if sched is None else optimizers.schedule(sched[0], **sched[1])
    traj = optimizers.run(surface_for(name, ROSENBROCK), optimizers.get(name, **kwargs), steps=steps, schedule=schedule,
                          tol=1e-4)
    _check_converged(ROSENBROCK, traj, [1.0, 1.0], tol)


def test_convergence_tables_cover_the_registry():
    assert [c[0] for c in BOWL_TABLE] == optimizers.names()
    assert [c[0] for c in ROSENBROCK_TABLE] == optimizers.names()


# --- bad input -------------------------------------------------------------------------------------

WITH_WEIGHT_DECAY = ["sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "nadam", "radam", "adamax", "asgd",
                     "schedulefree_adamw"]
WITH_EPS = ["adagrad", "rmsprop", "adadelta", "adam", "adamw", "nadam", "radam", "adamax", "schedulefree_adamw"]
WITH_BETAS = ["adam", "adamw", "amsgrad", "nadam", "radam", "adamax", "schedulefree_adamw"]

# (id, name, kwargs, groups, exception, message); messages are torch's where torch has one
BAD_INPUT = [
    ("lr-negative", "sgd", dict(lr=-1), None, ValueError, "Invalid learning rate: -1"),
    ("lr-nan", "adam", dict(lr=float("nan")), None, ValueError, "Invalid learning rate: nan"),
    ("lr-array-element", "sgd", dict(lr=np.array([[0.1], [-0.2]])), None, ValueError, "Invalid learning rate: -0.2"),
    ("momentum-negative", "sgd", dict(momentum=-0.1), None, ValueError, "Invalid momentum value: -0.1"),
    ("rmsprop-momentum-negative", "rmsprop", dict(momentum=-0.5), None, ValueError, "Invalid momentum value: -0.5"),
    *[(f"{n}-weight-decay", n, dict(weight_decay=-1e-3), None, ValueError, "Invalid weight_decay value: -0.001")
      for n in WITH_WEIGHT_DECAY],
    *[(f"{n}-eps", n, dict(eps=-1e-8), None, ValueError, "Invalid epsilon value: -1e-08") for n in WITH_EPS],
    *[(f"{n}-beta0-one", n, dict(betas=(1.0, 0.999)), None, ValueError, "Invalid beta parameter at index 0: 1.0")
      for n in WITH_BETAS],
    ("beta0-negative", "adam", dict(betas=(-0.1, 0.999)), None, ValueError, "Invalid beta parameter at index 0: -0.1"),
    ("lbfgs-groups", "lbfgs", dict(), [{"lr": 0.5}, {"lr": 1.0}], ValueError,
     "LBFGS doesn't support per-parameter options (parameter groups)"),
    ("lbfgs-index-groups", "lbfgs", dict(), [{"params": [0]}, {"params": [1]}], ValueError,
     "LBFGS doesn't support per-parameter options (parameter groups)"),
    *[(f"{n}-beta1-one", n, dict(betas=(0.9, 1.0)), None, ValueError, "Invalid beta parameter at index 1: 1.0")
      for n in WITH_BETAS],
    ("beta1-big", "radam", dict(betas=(0.9, 1.5)), None, ValueError, "Invalid beta parameter at index 1: 1.5"),
    ("rho-above-one", "adadelta", dict(rho=1.1), None, ValueError, "Invalid rho value: 1.1"),
    ("rho-negative", "adadelta", dict(rho=-0.1), None, ValueError, "Invalid rho value: -0.1"),
    ("alpha-negative", "rmsprop", dict(alpha=-0.5), None, ValueError, "Invalid alpha value: -0.5"),
    ("lr-decay-negative", "adagrad", dict(lr_decay=-0.1), None, ValueError, "Invalid lr_decay value: -0.1"),
    ("initial-accumulator-negative", "adagrad", dict(initial_accumulator_value=-1), None, ValueError,
     "Invalid initial_accumulator_value value: -1"),
    ("momentum-decay-negative", "nadam", dict(momentum_decay=-4e-3), None, ValueError,
     "Invalid momentum_decay value: -0.004"),
    ("nesterov-no-momentum", "sgd", dict(nesterov=True), None, ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    ("nesterov-alias-momentum-0", "nesterov", dict(momentum=0.0), None, ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    ("nesterov-dampening", "nesterov", dict(dampening=0.1), None, ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    ("group-lr", "sgd", dict(lr=0.1), [{"lr": -0.1}, {}], ValueError, "Invalid learning rate: -0.1"),
    ("group-beta", "adam", dict(), [{}, {"betas": (0.9, 1.5)}], ValueError, "Invalid beta parameter at index 1: 1.5"),
    ("group-nesterov", "sgd", dict(momentum=0.9), [{}, {"nesterov": True, "momentum": 0.0}], ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    ("unknown-keyword", "adam", dict(momentum=0.9), None, TypeError, "unexpected keyword argument 'momentum'"),
    ("unknown-keyword-sgd", "sgd", dict(betas=(0.9, 0.99)), None, TypeError, "unexpected keyword argument 'betas'"),
    ("unknown-keyword-in-group", "sgd", dict(), [{"beta": 0.9}, {}], TypeError, "unexpected keyword argument 'beta'"),
    ("groups-one", "sgd", dict(), [{"lr": 0.1}], ValueError, "groups must be a list of dicts"),
    ("groups-three", "sgd", dict(), [{}, {}, {}], ValueError, "groups must be a list of dicts"),
    ("groups-dict", "sgd", dict(), {"lr": 0.1}, ValueError, "groups must be a list of dicts"),
    ("groups-not-dicts", "sgd", dict(), [{}, 0.1], ValueError, "groups must be a list of dicts"),
    ("betas-one", "adam", dict(betas=(0.9,)), None, ValueError, "betas must be a pair"),
    ("betas-three", "adam", dict(betas=(0.9, 0.99, 0.999)), None, ValueError, "betas must be a pair"),
    ("betas-scalar", "nadam", dict(betas=0.9), None, ValueError, "betas must be a pair"),
    ("betas-string", "radam", dict(betas="ab"), None, (TypeError, ValueError), "betas"),
    ("nesterov-int", "sgd", dict(momentum=0.9, nesterov=1), None, TypeError, "nesterov must be a bool"),
    ("amsgrad-string", "adam", dict(amsgrad="yes"), None, TypeError, "amsgrad must be a bool"),
    ("centered-float", "rmsprop", dict(centered=0.0), None, TypeError, "centered must be a bool"),
    ("maximize-none", "adagrad", dict(maximize=None), None, TypeError, "maximize must be a bool"),
    ("lr-string", "sgd", dict(lr="0.1"), None, TypeError, "lr must be a number"),
    ("lr-bool", "adam", dict(lr=True), None, TypeError, "lr must be a number"),
    ("lr-wrong-shape", "adam", dict(lr=np.zeros((2, 2, 2)) + 0.1), None, ValueError, "does not broadcast"),
    ("prodigy-group-lr", "prodigy", dict(lr=1.0), [{"lr": 0.5}, {}], ValueError,
     "Setting different lr values in different parameter groups is only supported for values of 0"),
    ("prodigy-beta3-string", "prodigy", dict(beta3="x"), None, TypeError, "beta3 must be None or a number"),
    ("groups-overlap", "sgd", dict(), [{"params": [0, 1]}, {"params": [1, 2]}], ValueError,
     "some parameters appear in more than one parameter group"),
    ("groups-gap", "sgd", dict(), [{"params": [0, 1]}, {"params": [3]}], ValueError,
     "parameter groups must cover coordinates 0..2 with no gap"),
    ("groups-mixed", "adam", dict(), [{"params": [0]}, {"lr": 0.1}], ValueError, "every group needs 'params'"),
    ("groups-params-not-indices", "adam", dict(), [{"params": "ab"}], ValueError,
     "params must be a list of coordinate indices"),
    ("groups-params-negative", "adam", dict(), [{"params": [-1, 0]}], ValueError, "coordinate indices >= 0"),
    ("groups-params-float", "adam", dict(), [{"params": [0.5]}], ValueError, "coordinate indices >= 0"),
]


@pytest.mark.parametrize("case", BAD_INPUT + [(i, n, kw, None, e, m) for i, n, kw, e, m in ERROR_CASES],
                         ids=[c[0] for c in BAD_INPUT] + [c[0] for c in ERROR_CASES])
def test_bad_input_raises(case):
    _, name, kwargs, groups, exc, message = case
    with pytest.raises(exc, match=re.escape(message)):
        optimizers.get(name, groups=groups, **kwargs)


@pytest.mark.parametrize("name", ["adamx", "SGD", "", None])
def test_unknown_optimizer_lists_the_known_names(name):
    with pytest.raises(ValueError, match="unknown optimizer") as excinfo:
        optimizers.get(name)
    for known in optimizers.names():
        assert known in str(excinfo.value)


@pytest.mark.parametrize("name", ["sgd", "adam", "rmsprop"])
def test_boundary_values_are_accepted(name):
    """torch's checks are `0.0 <= value`: zero is valid everywhere it is checked."""
    kwargs = dict(lr=0.0, weight_decay=0.0)
    if name == "adam":
        kwargs.update(betas=(0.0, 0.0), eps=0.0)
    if name == "rmsprop":
        kwargs.update(alpha=0.0, momentum=0.0, eps=0.0)
    traj = optimizers.run(BOWL, optimizers.get(name, **kwargs), start=START, steps=3)
    np.testing.assert_array_equal(traj.params[-1, 0], START)  # lr = 0 never moves
