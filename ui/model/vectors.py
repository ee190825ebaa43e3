"""Arrows on the contour map: where they start and end, in data coordinates. Pure NumPy.

At each step of the inspected run three arrows leave its point: the negative gradient, its
velocity (the momentum buffer or the first moment, negated: where the optimizer is heading) and
the step it actually took; for Nesterov, the look-ahead point its momentum alone reaches.

Their true lengths span many decades (a Rosenbrock gradient of 1000 against a step of 0.001), so
each arrow is scaled for display, in two groups that keep their own units:
- the gradient group (−∇f and the velocity, both in gradient units) and
- the step group (the step and Nesterov's look-ahead, in parameter units).
Within a group and a step, every arrow gets the same scale, so directions and ratios are exact.
Across steps, the group's longest arrow is ``REACH`` of the view's shorter side at the step where
it is longest in the whole run, and (longest / run's longest) ** POWER of that elsewhere: lengths
shrink as the true ones do, compressed so that a gradient a thousand times smaller still shows.
The map's axes share one scale (``scaleanchor``), so directions drawn are directions meant.
"""

from __future__ import annotations

from typing import Dict, Optional

import numpy as np

REACH = 0.2         # the longest arrow of a group, as a fraction of the view's shorter side
POWER = 0.2         # display length grows as (true length) ** POWER across steps
FIELD_SIZE = 17     # the gradient field: arrows per side
FIELD_REACH = 0.8   # the field's longest arrow, as a fraction of the spacing between arrows
FIELD_POWER = 0.35  # field lengths grow as |∇f|^0.35, so gentle slopes still show a direction


def view_span(bounds) -> float:
    (xmin, xmax), (ymin, ymax) = bounds
    return float(min(xmax - xmin, ymax - ymin))


def display_lengths(longest: np.ndarray, reach: float) -> np.ndarray:
    """The drawn length of each step's longest arrow: ``reach * (longest / max) ** POWER``."""
    finite = longest[np.isfinite(longest)]
    top = finite.max() if finite.size else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isfinite(longest) & (top > 0), reach * (longest / top) ** POWER, np.nan)


def _scaled(vectors: Dict[str, np.ndarray], reach: float) -> Dict[str, np.ndarray]:
    """The group's vectors, one scale per step (see the module's docstring)."""
    longest = np.max([np.linalg.norm(v, axis=-1) for v in vectors.values()], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(longest > 0, display_lengths(longest, reach) / longest, 0.0)[:, None]
    return {k: v * scale for k, v in vectors.items()}


def arrow_tips(points: np.ndarray, neg_grad: np.ndarray, step: np.ndarray, bounds,
               velocity: Optional[np.ndarray] = None, lookahead: Optional[np.ndarray] = None) -> dict:
    """Where each arrow ends, (steps, 2) per arrow; it starts at ``points`` (the run's points 0..steps-1).

    ``lookahead`` is a point, not a vector: it is drawn where the step group's scale puts it, on
    the same scale as the step, so "jump to the look-ahead, then correct" adds up on the map.
    Non-finite inputs (a diverged run) give NaN tips, which are not drawn.
    """
    reach = REACH * view_span(bounds)
    gradient_group = {"neg_grad": neg_grad}
    if velocity is not None:
        gradient_group["velocity"] = velocity
    step_group = {"step": step}
    if lookahead is not None:
        step_group["lookahead"] = lookahead - points
    tips = {}
    for group in (gradient_group, step_group):
        for key, v in _scaled(group, reach).items():
            tips[key] = points + v
    return tips


def gradient_field(landscape, size: int = FIELD_SIZE) -> dict:
    """A faint quiver over the whole view: arrows along −∇f centred on a size × size grid.

    Returns ``tails`` and ``tips`` (size², 2). Lengths grow as |∇f|^FIELD_POWER, the longest
    being FIELD_REACH of the grid spacing, so every arrow stays inside its cell.
    """
    (xmin, xmax), (ymin, ymax) = landscape.bounds
    xs = np.linspace(xmin, xmax, size + 2)[1:-1]
    ys = np.linspace(ymin, ymax, size + 2)[1:-1]
    X, Y = np.meshgrid(xs, ys)
    P = np.stack((X.ravel(), Y.ravel()), axis=-1)
    with np.errstate(all="ignore"):
        g = np.nan_to_num(np.asarray(landscape.grad(P), dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    norm = np.linalg.norm(g, axis=-1)
    spacing = min(xs[1] - xs[0], ys[1] - ys[0])
    top = norm.max()
    with np.errstate(divide="ignore", invalid="ignore"):
        length = np.where(norm > 0, FIELD_REACH * spacing * (norm / top) ** FIELD_POWER, 0.0) if top > 0 else norm
        v = np.where(norm[:, None] > 0, -g / norm[:, None], 0.0) * length[:, None]
    return {"tails": P - v / 2, "tips": P + v / 2}
