r"""Newton's method, damped and saddle-free: the step that lands on a quadratic's minimum at once.

.. math::
   A_t &= \nabla^2 f(\theta_{t-1}) + \lambda I = V \,\mathrm{diag}(\mu_1, \dots, \mu_d)\, V^\top \\
   |A_t|^{+} &= V \,\mathrm{diag}\big(1/|\mu_i| \text{ where } \mu_i \ne 0, \text{ else } 0\big)\, V^\top \\
   \theta_t &= \theta_{t-1} - \gamma\, |A_t|^{+}\, \nabla f(\theta_{t-1})

Conventions (ours; torch has no Newton): lr γ is 1 and the damping λ is 0 by default, so one
step from anywhere on a convex quadratic lands exactly on its minimum; where H + λI is not
positive definite, each eigenvalue is replaced by its absolute value (the "saddle-free" policy),
so the step always goes downhill and a saddle repels instead of attracting, and a zero
eigenvalue contributes no step along its eigenvector (a pseudo-inverse); the Hessian is the
landscape's exact one (``landscape.hessian``), and a landscape without one is refused; the
eigenvalues come from cyclic Jacobi rotations of the d × d matrix of each run, compiled, with
no eps and no weight decay.
"""

from __future__ import annotations

import math

import numpy as np

from .._kernel import at, jit
from .._meta import controls

DEFAULTS = dict(lr=1.0, damping=0.0)
SUMMARY = ("Divides the gradient by the curvature: on a bowl it jumps to the bottom in one step; at a "
           "saddle it uses the curvature's size, not its sign, so it is pushed away.")
NEEDS = ("hessian",)
HYPER = ("damping",)
STATE = (("direction", 0.0), ("eig_min", 0.0), ("eig_max", 0.0))
CONTROLS = controls("lr", "damping")


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["damping"], lambda v: 0.0 <= v, "Invalid damping value: {}")


@jit
def _jacobi(A, V):
    """Eigen-decompose the symmetric A in place (its diagonal ends as the eigenvalues, V's columns
    as the eigenvectors) by cyclic Jacobi rotations; a NaN stops it and propagates."""
    d = A.shape[0]
    for i in range(d):
        for j in range(d):
            V[i, j] = 1.0 if i == j else 0.0
    for _ in range(100):
        off, scale = 0.0, 0.0
        for p in range(d):
            scale += A[p, p] * A[p, p]
            for q in range(p + 1, d):
                off += A[p, q] * A[p, q]
        if not off > 1e-300 + 1e-36 * scale:      # converged (or NaN)
            return
        for p in range(d):
            for q in range(p + 1, d):
                apq = A[p, q]
                if apq == 0.0:
                    continue
                theta = (A[q, q] - A[p, p]) / (2.0 * apq)
                tan = 1.0 / (abs(theta) + math.sqrt(theta * theta + 1.0))
                if theta < 0.0:
                    tan = -tan
                c = 1.0 / math.sqrt(tan * tan + 1.0)
                s = tan * c
                for k in range(d):
                    akp, akq = A[k, p], A[k, q]
                    A[k, p], A[k, q] = c * akp - s * akq, s * akp + c * akq
                for k in range(d):
                    apk, aqk = A[p, k], A[q, k]
                    A[p, k], A[q, k] = c * apk - s * aqk, s * apk + c * aqk
                for k in range(d):
                    vkp, vkq = V[k, p], V[k, q]
                    V[k, p], V[k, q] = c * vkp - s * vkq, s * vkp + c * vkq


@jit
def kernel(P, G, S, H, LR, MOM, t, d, out, HESS):
    A = np.empty((d, d))
    V = np.empty((d, d))
    for i in range(P.shape[0] // d):
        base = i * d
        for r in range(d):
            for c in range(d):
                A[r, c] = HESS[(i * d + r) * d + c]
            A[r, r] += H[0, base + r if H.shape[1] > 1 else 0]
        _jacobi(A, V)
        lo, hi = math.inf, -math.inf
        for k in range(d):
            lo = min(lo, A[k, k])
            hi = max(hi, A[k, k])
        for r in range(d):
            step = 0.0
            for k in range(d):
                mu = abs(A[k, k])
                if mu != 0.0:
                    proj = 0.0
                    for c in range(d):
                        proj += V[c, k] * G[base + c]
                    step += V[r, k] * (proj / mu)
                elif mu != mu:
                    step = mu
            e = base + r
            out[e] = P[e] - at(LR, e) * step
            S[0, e], S[1, e], S[2, e] = step, lo, hi


def explain(x) -> dict:
    return dict(rows=[("direction", "Newton direction |H + λI|⁺∇f", x.state["direction"]),
                      ("eig_min", "smallest eigenvalue of H + λI", x.state["eig_min"]),
                      ("eig_max", "largest eigenvalue of H + λI", x.state["eig_max"])],
                lr_label="effective lr γ", effective=x.lr, direction=x.state["direction"])
