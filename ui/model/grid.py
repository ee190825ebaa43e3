"""The loss on a grid over a landscape's view, and the height/colour map shared by every view.

The grid is a pure function of (landscape, resolution), so it is computed once and cached.
Surfaces whose values span many decades (``L.log_scale``) are shown by log10(loss - f* + δ):
the same map colours the contour, lifts the 3-D surface and lifts the paths onto it, so a
path always sits on the surface it crosses.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from ui.model import surfaces

CONTOUR_RESOLUTION = 90
SURFACE_RESOLUTION = 45
DECADES = 6  # δ puts the bottom of the log colour scale this many decades below the grid's range


@dataclasses.dataclass(frozen=True, eq=False)
class HeightMap:
    """loss -> shown value: log10(max(loss - offset, 0) + delta) if log, else loss itself."""

    log: bool
    offset: float
    delta: float

    def __call__(self, loss) -> np.ndarray:
        loss = np.asarray(loss, dtype=np.float64)
        if not self.log:
            return loss
        return np.log10(np.maximum(loss - self.offset, 0.0) + self.delta)

    def to_json(self) -> dict:
        """What assets/animation.js needs to apply the same map."""
        return {"log": self.log, "offset": self.offset, "delta": self.delta}


@dataclasses.dataclass(frozen=True, eq=False)
class Grid:
    xs: np.ndarray      # (nx,)
    ys: np.ndarray      # (ny,)
    loss: np.ndarray    # (ny, nx), rows follow y as Plotly's z does
    height: np.ndarray  # (ny, nx), height_map(loss)
    height_map: HeightMap
    f_min: float        # the lowest loss known: grid or known minima
    nonfinite: float = 0.0  # share of the grid where the loss is not finite: NaN in loss/height, not drawn
    clip: tuple = None      # (lo, hi) loss range the heights were clipped to, where outliers would flatten the map
    span: tuple = None      # (lo, hi) the finite loss values' own range before clipping


def _read_only(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)  # the arrays are shared through the cache
    return a


@functools.lru_cache(maxsize=64)
def surface_grid(name: str, resolution: int) -> Grid:
    """The loss of landscape ``name`` on a resolution × resolution grid over its bounds.

    Where the loss is not finite (a custom formula's log of a negative number) it stays NaN, so
    the views leave a gap; values so far out that they would flatten the colour scale (1/x near
    0) are clipped to a robust range. ``nonfinite`` and ``clip`` say so, for the message.
    """
    L = surfaces.get(name)
    resolution = min(resolution, getattr(L, "resolution", resolution))  # a network's plane: each point a network
    (xmin, xmax), (ymin, ymax) = L.bounds
    xs, ys = np.linspace(xmin, xmax, resolution), np.linspace(ymin, ymax, resolution)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        loss = np.asarray(L.loss(np.stack((X, Y), axis=-1)), dtype=np.float64)
        minima_loss = np.asarray(L.loss(L.minima), dtype=np.float64) if len(L.minima) else np.zeros(0)
    finite = np.isfinite(loss)
    loss = np.where(finite, loss, np.nan)
    values = loss[finite]
    clip = span = None
    if values.size:
        span = (float(values.min()), float(values.max()))
        q_lo, q_hi = np.percentile(values, [5, 95])
        reach = 20.0 * (q_hi - q_lo)
        if span[0] < q_lo - reach or span[1] > q_hi + reach:
            # Each side is clipped only where it has outliers, and never past the values f takes: a
            # function above 1 everywhere keeps its true lowest value as the bottom of the colours.
            lo, hi = (q_lo - reach, q_hi + reach) if reach > 0 else (q_lo, q_hi)
            clip = (float(max(lo, span[0])), float(min(hi, span[1])))
            loss = np.clip(loss, *clip)
    f_min = float(min(np.nanmin(loss) if values.size else 0.0,
                      minima_loss.min() if np.isfinite(minima_loss).any() else np.inf))
    if L.log_scale:
        delta = max(float(np.nanmax(loss)) - f_min, 1e-12) * 10.0 ** -DECADES
        height_map = HeightMap(True, f_min, delta)
    else:
        height_map = HeightMap(False, 0.0, 0.0)
    return Grid(_read_only(xs), _read_only(ys), _read_only(loss), _read_only(height_map(loss)), height_map, f_min,
                nonfinite=float(1.0 - finite.mean()), clip=clip, span=span)


def inside_count(points: np.ndarray, bounds) -> int:
    """How many leading points of a path lie inside the view (the surface shows only those)."""
    (xmin, xmax), (ymin, ymax) = bounds
    x, y = points[:, 0], points[:, 1]
    outside = (x < xmin) | (x > xmax) | (y < ymin) | (y > ymax)
    return int(np.argmax(outside)) if outside.any() else len(points)


def lifted_heights(grid: Grid, points: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """Heights that put a path on the drawn 3-D surface, never under it.

    The surface is drawn from a coarse grid, so between grid points the mesh can lie above the
    true loss (in a valley) and hide the path. Each point is lifted to the larger of its own
    height and the mesh's bilinear height there, plus 1% of the surface's height range.
    """
    xs, ys, H = grid.xs, grid.ys, grid.height
    fx = np.clip((points[:, 0] - xs[0]) / (xs[-1] - xs[0]) * (len(xs) - 1), 0, len(xs) - 1.000001)
    fy = np.clip((points[:, 1] - ys[0]) / (ys[-1] - ys[0]) * (len(ys) - 1), 0, len(ys) - 1.000001)
    i, j = fy.astype(int), fx.astype(int)
    ty, tx = fy - i, fx - j
    mesh = (H[i, j] * (1 - ty) * (1 - tx) + H[i, j + 1] * (1 - ty) * tx
            + H[i + 1, j] * ty * (1 - tx) + H[i + 1, j + 1] * ty * tx)
    with np.errstate(all="ignore"):
        own = grid.height_map(np.clip(loss, -1e30, 1e30))
    lift = 0.01 * float(np.nanmax(H) - np.nanmin(H) or 1.0)
    # fmax: where the mesh has a gap (a NaN) the point's own height stands; NaN only where both are.
    return np.nan_to_num(np.fmax(own, mesh), nan=float(np.nanmin(H))) + lift
