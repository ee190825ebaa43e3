"""The 1-D slice: the loss along a line through the current point, and its tangent. Pure NumPy.

The line runs along x, along y, or down the gradient. Along x the point "sees" the curve
t -> f(x + t, y): varying one parameter at a time, each parameter has its own curve, and its
slope there is that coordinate of the gradient. The slices of every point of a run are computed
at once (one vectorised landscape call), so the browser can play them without asking again.
"""

from __future__ import annotations

import numpy as np

DIRECTIONS = {"x": "along x", "y": "along y", "grad": "down the gradient"}
SAMPLES = 25          # points along each slice (odd: the middle one is the point itself)
BUDGET = 15_000       # numbers per run: long runs get fewer samples a slice (never fewer than 9)
HALF_WIDTH = 0.25     # the line reaches this fraction of the view on either side of the point


def unit_directions(kind: str, grads: np.ndarray) -> np.ndarray:
    """(n, 2) unit vectors for each point: e_x, e_y, or −∇f/|∇f| (e_x where the gradient vanishes)."""
    n = len(grads)
    if kind == "x":
        return np.tile([1.0, 0.0], (n, 1))
    if kind == "y":
        return np.tile([0.0, 1.0], (n, 1))
    if kind != "grad":
        raise ValueError(f"unknown slice direction {kind!r}; known: {', '.join(DIRECTIONS)}")
    norm = np.linalg.norm(grads, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((norm > 0) & np.isfinite(norm), -grads / norm, [1.0, 0.0])


def half_width(kind: str, bounds) -> float:
    (xmin, xmax), (ymin, ymax) = bounds
    span = {"x": xmax - xmin, "y": ymax - ymin}.get(kind, min(xmax - xmin, ymax - ymin))
    return HALF_WIDTH * float(span)


def samples_for(n_points: int) -> int:
    """Samples per slice: SAMPLES, fewer for long runs so the store stays small; always odd."""
    n = int(np.clip(BUDGET // max(n_points, 1), 9, SAMPLES))
    return n if n % 2 else n - 1


def loss_slices(landscape, points: np.ndarray, kind: str, samples: int = SAMPLES) -> dict:
    """For every point: the loss at ``samples`` offsets t along the line, and the tangent's slope.

    Returns ``t`` (samples,), ``loss`` (n, samples), ``slope`` (n,) = ∇f · d (the exact gradient,
    without noise) and ``origin`` (n,): the x axis of the plot is ``origin + t`` (x or y itself
    for an axis, the distance moved for the gradient).
    """
    points = np.asarray(points, dtype=np.float64)
    with np.errstate(all="ignore"):
        grads = np.asarray(landscape.grad(points), dtype=np.float64)
        d = unit_directions(kind, grads)
        t = np.linspace(-1.0, 1.0, samples) * half_width(kind, landscape.bounds)
        loss = np.asarray(landscape.loss(points[:, None, :] + t[None, :, None] * d[:, None, :]), dtype=np.float64)
    origin = {"x": points[:, 0], "y": points[:, 1]}.get(kind, np.zeros(len(points)))
    return {"t": t, "loss": loss, "slope": np.sum(grads * d, axis=-1), "origin": origin}
