"""Dataset landscapes: the loss is a mean over a seeded synthetic dataset, so mini-batches are real.

Each is one function ``batch(P, idx) -> (loss, grad)``: P (n, 2) points, idx (n, b) sample
indices, one row per run; it returns each run's mean loss and mean gradient over its own b
samples, with the gradient derived by hand. ``dataset(...)`` turns it into a Landscape whose
full-batch ``loss``/``grad``/``value_and_grad`` go through the very same function with every
index in order, so a mini-batch run with ``batch_size = n_samples`` reproduces gradient descent
bit for bit.

The data are drawn once, at import, from fixed seeds: every machine sees the same points.
"""

from __future__ import annotations

from typing import Callable, Tuple

import numpy as np

from .base import Landscape, _as_points

N_SAMPLES = 256
# Runs per pass: each (rows, N) temporary stays at 96 KB, under glibc's 128 KB mmap threshold, so it
# comes from the heap rather than a fresh mmap that page-faults on first touch (3x faster than 2048 rows
# for the logistic loss), and it stays in cache.
BLOCK_BYTES = 96 * 1024

Array = np.ndarray
Batch = Callable[[Array, Array], Tuple[Array, Array]]


def dataset(name: str, batch: Batch, n_samples: int, **fields) -> Landscape:
    """A Landscape from ``batch(P, idx) -> (loss (n,), grad (n, 2))``, each run's mean over its samples.

    ``value_and_grad(P)`` for P of any shape (..., 2) is ``batch_value_and_grad`` with ``idx`` every
    sample in order: the same arithmetic, so the same bits. Both go a block of runs at a time.
    """
    everything = np.arange(n_samples)
    rows = max(1, BLOCK_BYTES // (8 * n_samples))

    def batch_value_and_grad(P, idx):
        return in_blocks(*check_batch(P, idx, n_samples, 2))

    def in_blocks(P, idx):
        """``batch`` a block of runs at a time: each run's numbers depend only on its own row."""
        if len(P) <= rows:
            with np.errstate(all="ignore"):  # a diverging run: inf/nan quietly, the run loop reports it
                return batch(P, idx)
        loss, grad = np.empty(len(P)), np.empty((len(P), 2))
        with np.errstate(all="ignore"):
            for s in range(0, len(P), rows):
                loss[s:s + rows], grad[s:s + rows] = batch(P[s:s + rows], idx[s:s + rows])
        return loss, grad

    def value_and_grad(P):
        P = _as_points(P)
        flat = P.reshape(-1, 2)
        loss, grad = in_blocks(flat, np.broadcast_to(everything, (len(flat), n_samples)))
        return loss.reshape(P.shape[:-1])[()], grad.reshape(P.shape)

    return Landscape(name=name, loss=lambda P: value_and_grad(P)[0], grad=lambda P: value_and_grad(P)[1],
                     value_and_grad=value_and_grad, n_samples=n_samples,
                     batch_value_and_grad=batch_value_and_grad, **fields)


def check_batch(P, idx, n_samples: int, dim: int) -> Tuple[Array, Array]:
    """``batch_value_and_grad``'s arguments as arrays, or ValueError: P (n, dim) points and idx (n, b)
    integer sample indices in [0, n_samples), b >= 1."""
    P = np.asarray(P, dtype=np.float64)
    idx = np.asarray(idx)
    if P.ndim != 2 or P.shape[1] != dim:
        raise ValueError(f"points must have shape (n, {dim}), got {P.shape}")
    if idx.ndim != 2 or idx.shape[0] != P.shape[0] or idx.shape[1] == 0 or idx.dtype.kind not in "iu":
        raise ValueError(f"idx must be integer sample indices of shape ({P.shape[0]}, b) with b >= 1, "
                         f"got {idx.dtype} {idx.shape}")
    if idx.min() < 0 or idx.max() >= n_samples:
        raise ValueError(f"sample indices must lie in [0, {n_samples}), got {idx.min()}..{idx.max()}")
    return P, idx


def rows(data: Array, idx: Array) -> Array:
    """``data[idx]``; when every run uses the same samples (a stride-0 idx: the run loop's
    batches, the full batch), the same numbers as one (1, b) row, without an (n, b) copy."""
    if idx.strides[0] == 0 and len(idx):
        return data[idx[0]][None, :]
    return data[idx]


# --- linear regression: y ≈ w x + b, mean squared error ----------------------------------------

def _linear_data(n=N_SAMPLES, seed=5):
    """Inputs centred at 1, not 0: w and b trade off, so the bowl is a tilted ellipse (κ ≈ 13)."""
    rng = np.random.default_rng(seed)
    x = 1.0 + 0.6 * rng.standard_normal(n)
    return x, 2.0 * x - 1.0 + 0.5 * rng.standard_normal(n)


LINEAR_X, LINEAR_Y = _linear_data()


def _linear(P, idx):
    """L = mean (w xᵢ + b − yᵢ)²,  ∂L/∂w = 2 mean rᵢ xᵢ,  ∂L/∂b = 2 mean rᵢ,  rᵢ = w xᵢ + b − yᵢ."""
    x, y = rows(LINEAR_X, idx), rows(LINEAR_Y, idx)
    r = P[:, :1] * x + P[:, 1:] - y
    grad = np.empty((len(P), 2))
    grad[:, 0] = 2.0 * np.mean(r * x, axis=1)
    grad[:, 1] = 2.0 * np.mean(r, axis=1)
    return np.mean(r * r, axis=1), grad


def _linear_hessian(P):
    """Constant: 2 [[mean x², mean x], [mean x, 1]]."""
    P = _as_points(P)
    H = 2.0 * np.array([[np.mean(LINEAR_X * LINEAR_X), np.mean(LINEAR_X)], [np.mean(LINEAR_X), 1.0]])
    return np.broadcast_to(H, P.shape + (2,)).copy()


def least_squares(x=LINEAR_X, y=LINEAR_Y) -> np.ndarray:
    """The exact minimiser (w, b) of the mean squared error: the normal equations, by lstsq."""
    return np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]


# --- logistic regression: p(class +1 | x) = σ(w·x), no bias, cross-entropy ------------------------

def _logistic_data(n=N_SAMPLES, seed=6):
    """Two overlapping Gaussian blobs (labels ±1) whose second feature is narrower: the optimum is
    finite (the classes overlap) and the valley is longer in w2 than in w1."""
    rng = np.random.default_rng(seed)
    s = np.where(rng.random(n) < 0.5, 1.0, -1.0)
    X = s[:, None] * np.array([1.0, 0.4]) + rng.standard_normal((n, 2)) * np.array([1.0, 0.5])
    return X[:, 0].copy(), X[:, 1].copy(), s


LOGISTIC_X1, LOGISTIC_X2, LOGISTIC_S = _logistic_data()
_SIGNED = (LOGISTIC_S * LOGISTIC_X1, LOGISTIC_S * LOGISTIC_X2)  # uᵢ = sᵢ xᵢ


def _logistic(P, idx):
    """L = mean log(1 + e^mᵢ), mᵢ = −w·uᵢ, uᵢ = sᵢ xᵢ;  ∂L/∂wⱼ = −mean σ(mᵢ) uⱼᵢ.

    With e = exp(−|m|): log(1 + e^m) = max(m, 0) + log1p(e) and σ(m) = (1 or e) / (1 + e), so
    nothing overflows (and two transcendental calls, not logaddexp's slow path).
    """
    u1, u2 = rows(_SIGNED[0], idx), rows(_SIGNED[1], idx)
    m = P[:, :1] * u1
    m += P[:, 1:] * u2
    np.negative(m, out=m)
    e = np.exp(-np.abs(m))
    softplus = np.maximum(m, 0.0)
    softplus += np.log1p(e)
    sigma = np.where(m >= 0.0, 1.0, e)
    sigma /= 1.0 + e
    grad = np.empty((len(P), 2))
    grad[:, 0] = -np.mean(sigma * u1, axis=1)
    grad[:, 1] = -np.mean(sigma * u2, axis=1)
    return np.mean(softplus, axis=1), grad


def _logistic_hessian(P):
    """∂²L/∂wⱼ∂wₖ = mean σ(mᵢ)(1 − σ(mᵢ)) uⱼᵢ uₖᵢ, with σ(m)(1 − σ(m)) = e / (1 + e)², e = exp(−|m|)."""
    P = _as_points(P)
    u1, u2 = _SIGNED
    with np.errstate(all="ignore"):
        m = -(P[..., 0, None] * u1 + P[..., 1, None] * u2)
        e = np.exp(-np.abs(m))
        weight = e / (1.0 + e) ** 2
        H = np.empty(P.shape + (2,))
        H[..., 0, 0] = np.mean(weight * (u1 * u1), axis=-1)
        H[..., 0, 1] = H[..., 1, 0] = np.mean(weight * (u1 * u2), axis=-1)
        H[..., 1, 1] = np.mean(weight * (u2 * u2), axis=-1)
    return H


def logistic_optimum(iterations: int = 50) -> np.ndarray:
    """The maximum-likelihood weights by Newton's method on the full batch: H = mean σ(1−σ) x xᵀ."""
    X = np.column_stack([LOGISTIC_X1, LOGISTIC_X2])
    w = np.zeros(2)
    for _ in range(iterations):
        m = -LOGISTIC_S * (X @ w)
        sigma = np.exp(m - np.logaddexp(0.0, m))
        g = np.mean((-LOGISTIC_S * sigma)[:, None] * X, axis=0)
        H = (X * (sigma * (1.0 - sigma))[:, None]).T @ X / len(X)
        step = np.linalg.solve(H, g)
        w = w - step
        if np.max(np.abs(step)) < 1e-15:
            break
    return w


REGISTRY = {landscape.name: landscape for landscape in (
    dataset("linear_regression", _linear, N_SAMPLES, title="Linear regression (MSE, 256 points)",
            bounds=((-2, 6), (-5, 3)), minima=[least_squares()], start=(-1.5, 2.0), log_scale=True,
            hessian=_linear_hessian, axis_names=("w", "b"),
            samples={"model": "line", "x": LINEAR_X, "y": LINEAR_Y},
            description="Fitting a line to 256 noisy points: a tilted bowl in (w, b); "
                        "small batches jitter around the fit."),
    dataset("logistic_regression", _logistic, N_SAMPLES, title="Logistic regression (256 points)",
            bounds=((-3, 5), (-2, 6)), minima=[logistic_optimum()], start=(-2.5, -1.5), log_scale=True,
            hessian=_logistic_hessian, axis_names=("w₁", "w₂"),
            samples={"model": "boundary", "x1": LOGISTIC_X1, "x2": LOGISTIC_X2, "label": LOGISTIC_S},
            description="A linear classifier on two overlapping blobs: a convex valley, flat far out; "
                        "noisy with small batches."),
)}
