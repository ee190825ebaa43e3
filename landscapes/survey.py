"""What a surface looks like in its view, found numerically: where it is finite, a start,
its local minima, and whether its colours need a log scale. For surfaces whose formula is not
known in advance (``from_expression``); the registry's surfaces state all of this by hand."""

from __future__ import annotations

from typing import List, Tuple

import numpy as np

from .base import Landscape


def grid(L: Landscape, n: int):
    """(points (n, n, 2), loss (n, n), where loss and gradient are finite) over the view."""
    (x0, x1), (y0, y1) = L.bounds
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    P = np.stack(np.meshgrid(xs, ys), axis=-1)
    v, g = L.value_and_grad(P)
    ok = np.isfinite(v) & np.all(np.isfinite(g), axis=-1)
    return P, v, ok


def finite_start(L: Landscape, P, ok) -> Tuple[float, float]:
    """The usual start (a quarter in from the lower left), or the nearest point where f is finite."""
    wanted = np.array(L.start)
    v, g = L.value_and_grad(wanted)
    if np.isfinite(v) and np.all(np.isfinite(g)):
        return L.start
    candidates = P[ok]
    best = candidates[np.argmin(np.linalg.norm(candidates - wanted, axis=-1))]
    return float(best[0]), float(best[1])


def local_minima(L: Landscape, P, v, ok, max_count: int = 12) -> np.ndarray:
    """Local minima in view: the grid's local minima refined by Newton's method (the exact
    gradient, its Jacobian by central differences). Those that do not converge to a point
    with a vanishing gradient and a positive semi-definite Hessian inside the view are dropped."""
    n = v.shape[0]
    inner = np.where(ok, v, np.inf)
    centre = inner[1:-1, 1:-1]
    is_min = np.isfinite(centre)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dx or dy:
                is_min &= centre <= inner[1 + dy:n - 1 + dy, 1 + dx:n - 1 + dx]
    rows, cols = np.nonzero(is_min)
    if len(rows) == 0:
        return np.zeros((0, 2))
    order = np.argsort(centre[rows, cols])[:4 * max_count]
    p = P[rows[order] + 1, cols[order] + 1].copy()
    (x0, x1), (y0, y1) = L.bounds
    span = max(x1 - x0, y1 - y0)
    h = 1e-6 * span
    with np.errstate(all="ignore"):
        for _ in range(60):
            g = L.grad(p)
            hx = (L.grad(p + [h, 0.0]) - L.grad(p - [h, 0.0])) / (2 * h)
            hy = (L.grad(p + [0.0, h]) - L.grad(p - [0.0, h])) / (2 * h)
            a, b, c = hx[:, 0], 0.5 * (hx[:, 1] + hy[:, 0]), hy[:, 1]
            det = a * c - b * b
            safe = np.abs(det) > 1e-300
            step = np.where(safe[:, None], np.stack([c * g[:, 0] - b * g[:, 1], a * g[:, 1] - b * g[:, 0]], -1)
                            / np.where(safe, det, 1.0)[:, None], 0.0)
            step = np.clip(step, -0.1 * span, 0.1 * span)
            p = p - step
            if not np.any(np.abs(step) > 1e-14 * span):  # every candidate settled (nan compares False)
                break
        g = L.grad(p)
        scale = 1.0 + np.abs(L.loss(p))
        inside = (p[:, 0] > x0) & (p[:, 0] < x1) & (p[:, 1] > y0) & (p[:, 1] < y1)
        good = inside & np.all(np.isfinite(p), axis=1) & (np.linalg.norm(g, axis=1) < 1e-7 * scale)
        good &= (a + c >= 0) & (det >= -1e-8 * (1 + np.abs(a) + np.abs(c)) ** 2)
    found: List[np.ndarray] = []
    for q in p[good]:
        angles = np.linspace(0.0, 2 * np.pi, 16, endpoint=False)
        ring = q + 1e-3 * span * np.stack((np.cos(angles), np.sin(angles)), axis=-1)
        with np.errstate(all="ignore"):
            f = float(L.loss(q))  # strictly lower than all around: a flat valley has no minimum point
            lowest = bool(np.all(L.loss(ring) > f + 1e-12 * (1.0 + abs(f))))
        if lowest and all(np.linalg.norm(q - f) > 1e-4 * span for f in found):
            found.append(q)
    found = sorted(found, key=lambda q: float(L.loss(q)))[:max_count]
    return np.array(found).reshape(-1, 2)


def needs_log_scale(values: np.ndarray) -> bool:
    """The registry's rule (tests/test_landscapes.py): a surface whose median lies in the lowest 15%
    of its range shows its valleys as one flat colour on a linear scale, so it gets a log scale."""
    low, median, high = np.quantile(values, [0.0, 0.5, 1.0])
    return bool(high > low and (median - low) / (high - low) < 0.15)
