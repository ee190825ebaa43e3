"""A landscape with a Hessian for the rules that need one (Newton), in tests.

Landscapes get exact Hessians on another branch (``Landscape(hessian=...)``); until a surface has
one, ``with_hessian`` lends it central differences of its exact gradient, which is all the
generic tables need (they check a rule's bookkeeping, not the Hessian). Tests of Newton's own
maths build quadratics with exact Hessians instead.
"""

from __future__ import annotations

import numpy as np

import optimizers


class WithHessian:
    """``landscape`` with a ``hessian(P) -> (..., d, d)``; everything else is the landscape's own."""

    def __init__(self, landscape, hessian):
        self._landscape = landscape
        self.hessian = hessian

    def __getattr__(self, key):
        return getattr(self._landscape, key)


def central_difference_hessian(grad, h=1e-5):
    def hessian(P):
        P = np.asarray(P, dtype=np.float64)
        d = P.shape[-1]
        columns = []
        for j in range(d):
            step = np.zeros(d)
            step[j] = h
            columns.append((grad(P + step) - grad(P - step)) / (2 * h))
        H = np.stack(columns, axis=-1)
        return (H + np.swapaxes(H, -1, -2)) / 2
    return hessian


def bowl_hessian(P):
    """f = x² + y²: 2I everywhere, exactly."""
    P = np.asarray(P, dtype=np.float64)
    return np.broadcast_to(2.0 * np.eye(P.shape[-1]), P.shape + (P.shape[-1],)).copy()


EXACT = {"bowl": bowl_hessian}


def with_hessian(landscape):
    if callable(getattr(landscape, "hessian", None)):
        return landscape
    return WithHessian(landscape, EXACT.get(landscape.name) or central_difference_hessian(landscape.grad))


def surface_for(name, landscape):
    """The landscape as optimizer ``name`` can run on it."""
    return with_hessian(landscape) if "hessian" in optimizers.get(name).needs else landscape
