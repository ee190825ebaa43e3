"""Surfaces over any number of parameters d, for tests and notebooks (not drawn: no 2-D view).

Each is a numba-compiled kernel ``(P, f, G) -> None`` over P (n, d) points with its gradient
derived by hand, turned into a Landscape by ``compiled(...)``: the NumPy-facing ``loss``,
``grad`` and ``value_and_grad`` call the same kernel, so the maths is written once. They are not
in the registry, whose surfaces the app draws in two dimensions.

    >>> import landscapes
    >>> L = landscapes.rosenbrock_nd(10)
    >>> float(L.loss(L.minima[0])), L.start[:4]
    (0.0, (-1.2, 1.0, -1.2, 1.0))
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .base import Landscape, _as_points, compiled

# No fastmath (rounding is part of the contract); error_model="numpy": inf/nan, never
# ZeroDivisionError. Module-level functions only, so that numba's on-disk cache serves them.
_JIT = dict(cache=True, error_model="numpy")


def _check(P, f, G):
    """Shapes, once, before a loop that writes without bounds checks."""
    n, d = P.shape
    if f.shape[0] != n or G.shape[0] != n or G.shape[1] != d:
        raise ValueError("compiled value_and_grad needs P (n, d), f (n,) and G (n, d)")


_check_jit = numba.njit(**_JIT)(_check)


@numba.njit(**_JIT)
def _rosenbrock_nd_kernel(P, f, G):
    """f = Σᵢ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)², i = 1 … d−1.

    ∂f/∂xᵢ = −2 (1 − xᵢ) − 400 xᵢ (xᵢ₊₁ − xᵢ²)   [i < d]
             + 200 (xᵢ − xᵢ₋₁²)                   [i > 1]

    Each term is written as in the 2-D surface, so for d = 2 it is the same number.
    """
    _check_jit(P, f, G)
    n, d = P.shape
    for r in range(n):
        loss = 0.0
        for i in range(d):
            G[r, i] = 0.0
        for i in range(d - 1):
            x = P[r, i]
            a = P[r, i + 1] - x**2
            loss += (1.0 - x) ** 2 + 100.0 * a**2
            G[r, i] += -2.0 * (1.0 - x) - 400.0 * x * a
            G[r, i + 1] += 200.0 * a
        f[r] = loss


@numba.njit(**_JIT)
def _quadratic_kernel(A, m, P, f, G):
    """f = ½ (p − m)ᵀ A (p − m), ∇f = A (p − m), for a symmetric A."""
    _check_jit(P, f, G)
    n, d = P.shape
    if A.shape[0] != d or A.shape[1] != d or m.shape[0] != d:
        raise ValueError("the quadratic's A must be (d, d) and its minimum (d,)")
    r = np.empty(d)
    for k in range(n):
        for i in range(d):
            r[i] = P[k, i] - m[i]
        loss = 0.0
        for i in range(d):
            g = 0.0
            for j in range(d):
                g += A[i, j] * r[j]
            G[k, i] = g
            loss += r[i] * g
        f[k] = 0.5 * loss


def _rosenbrock_nd_hessian(P):
    """Tridiagonal: ∂²f/∂xᵢ² = 2 − 400 (xᵢ₊₁ − xᵢ²) + 800 xᵢ² [i < d] + 200 [i > 1],
    ∂²f/∂xᵢ∂xᵢ₊₁ = −400 xᵢ."""
    P = np.asarray(P, dtype=np.float64)
    d = P.shape[-1]
    x, nxt = P[..., :-1], P[..., 1:]
    H = np.zeros(P.shape + (d,))
    with np.errstate(over="ignore", invalid="ignore"):
        diagonal = np.zeros(P.shape)
        diagonal[..., :-1] += 2.0 - 400.0 * (nxt - x**2) + 800.0 * x**2
        diagonal[..., 1:] += 200.0
        i = np.arange(d)
        H[..., i, i] = diagonal
        H[..., i[:-1], i[1:]] = H[..., i[1:], i[:-1]] = -400.0 * x
    return H


def _dimension(d, least: int) -> int:
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < least:
        raise ValueError(f"d must be an integer >= {least}, got {d!r}")
    return int(d)


def rosenbrock_nd(d: int = 10) -> Landscape:
    """The chained Rosenbrock function over d ≥ 2 parameters, minimum 0 at (1, …, 1).

    f = Σᵢ₌₁^{d−1} 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)². For d = 2 it is the registry's Rosenbrock.
    For 4 ≤ d ≤ 7 it also has a local minimum near (−1, 1, …, 1), not listed. The start is the
    classic (−1.2, 1, −1.2, 1, …).
    """
    d = _dimension(d, 2)

    def hessian(P):
        return _rosenbrock_nd_hessian(_as_points(P, d))

    return compiled(f"rosenbrock_{d}d", _rosenbrock_nd_kernel, d, title=f"Rosenbrock ({d}-D)", hessian=hessian,
                    minima=[np.ones(d)], start=[-1.2 if i % 2 == 0 else 1.0 for i in range(d)], log_scale=True,
                    description=f"A chain of {d - 1} curved valleys: one coordinate converges after another.")


def quadratic_nd(d: int = 10, condition: float = 10.0, rotated: bool = True, minimum=None,
                 seed: int = 0) -> Landscape:
    """A quadratic bowl over d parameters: f = ½ (p − m)ᵀ A (p − m), A = Q diag(λ) Qᵀ.

    Args:
      d: the number of parameters, ≥ 1.
      condition: λmax / λmin ≥ 1; the curvatures λ are spaced geometrically from 1 to it.
      rotated: Q is a random orthogonal matrix (from ``seed``), so no eigenvector lies along a
        coordinate; if False, Q = I and the curvatures are along the coordinates.
      minimum: m, the minimum (zeros by default).
      seed: seeds Q.

    The Hessian A and its curvatures are ``L.hessian`` and ``np.linalg.eigvalsh(A)``: gradient
    descent converges for lr < 2 / condition. The start is m + (1, …, 1).
    """
    d = _dimension(d, 1)
    condition = float(condition)
    if not (math.isfinite(condition) and condition >= 1.0):
        raise ValueError(f"condition must be a finite number >= 1, got {condition!r}")
    m = np.zeros(d) if minimum is None else np.asarray(minimum, dtype=np.float64)
    if m.shape != (d,) or not np.all(np.isfinite(m)):
        raise ValueError(f"minimum must be {d} finite numbers, got {minimum!r}")
    curvatures = np.geomspace(1.0, condition, d)
    if rotated:
        Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
        Q = Q * np.sign(np.diag(R))  # the QR factor made unique: Haar-distributed
    else:
        Q = np.eye(d)
    A = (Q * curvatures) @ Q.T
    A = 0.5 * (A + A.T)  # exactly symmetric
    A.setflags(write=False)
    m = m.copy()
    m.setflags(write=False)

    def kernel(P, f, G):
        _quadratic_kernel(A, m, P, f, G)

    def hessian(P):
        P = _as_points(P, d)
        return np.broadcast_to(A, P.shape + (d,)).copy()

    kind = "rotated" if rotated else "axis-aligned"
    return compiled(f"quadratic_{d}d", kernel, d, title=f"Quadratic ({d}-D, κ = {condition:g})", hessian=hessian,
                    minima=[m], start=m + 1.0,
                    description=f"A {kind} bowl with condition number {condition:g}: the steep directions set the step.")
