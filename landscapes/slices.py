"""A landscape of many parameters seen in two dimensions: a plane through the trajectory, and one weight.

Pure functions (no Dash, no Plotly) for the views of a network scene:

- ``pca_directions(paths)``: the plane of the optimizers' paths, the top two principal directions of
  every point of every path, with the share of the paths' variance it explains. A projection onto
  it is honest only where that share is high.
- ``random_directions(L, seed)``: two filter-normalised random directions (Li et al. 2018).
- ``slice_grid(L, centre, d1, d2, alphas, betas)``: the loss over the plane, every grid point a run.
- ``project(path, centre, d1, d2)``: each point's coordinates in the plane.
- ``along_weight(L, point, index, values)``: the loss along one weight, every other one held, and
  the gradient's component along it (the tangent).
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple, Optional

import numpy as np

from .base import Landscape

Array = np.ndarray


@dataclasses.dataclass(frozen=True)
class Directions:
    """A plane through ``centre`` spanned by ``d1`` and ``d2`` (each (d,)).

    ``explained`` is the share of the paths' variance along d1 and along d2 (PCA; their sum is
    the share the plane explains), or None for random directions.
    """

    centre: Array
    d1: Array
    d2: Array
    explained: Optional[Array] = None

    @property
    def share(self) -> Optional[float]:
        """The share of the paths' variance the plane explains, 0..1 (None for random directions)."""
        return None if self.explained is None else float(np.sum(self.explained))


def _points(path) -> Array:
    """A Trajectory or an array (T, d) or (T, n, d) as (T, n, d)."""
    P = np.asarray(getattr(path, "params", path), dtype=np.float64)
    if P.ndim == 2:
        P = P[:, None, :]
    if P.ndim != 3 or len(P) == 0:
        raise ValueError(f"a path must be a Trajectory or an array of shape (T, d) or (T, n, d), got {P.shape}")
    return P


def _paths(paths) -> list:
    if hasattr(paths, "params") or isinstance(paths, np.ndarray):
        paths = [paths]
    out = [_points(p) for p in paths]
    if not out or len({p.shape[-1] for p in out}) != 1:
        raise ValueError("give one or more paths over the same number of parameters")
    return out


def pca_directions(paths, centre=None) -> Directions:
    """The top two principal directions of every point of ``paths``, pooled, as an orthonormal plane.

    Args:
      paths: a Trajectory, an array (T, d) or (T, n, d), or a list of them (several optimizers).
      centre: the plane's origin; by default the first path's final point (its first run's), so
        that path ends at (0, 0), as in Li et al.'s trajectory plots.

    The points' deviations from their mean are decomposed by SVD (sklearn's PCA; with more points than
    coordinates, by the eigenvectors of their scatter matrix, the same directions); ``explained``
    holds the two components' shares of the total variance. Signs are chosen so that the first
    path starts at negative coordinates: training runs towards +α, +β.
    """
    pooled = _paths(paths)
    first = pooled[0]
    centre = first[-1, 0] if centre is None else np.asarray(centre, dtype=np.float64)
    X = np.concatenate([p.reshape(-1, p.shape[-1]) for p in pooled])
    X = X[np.all(np.isfinite(X), axis=1)]
    if centre.shape != X.shape[1:]:
        raise ValueError(f"centre must have {X.shape[1]} coordinates, got shape {centre.shape}")
    if X.shape[1] < 2:
        raise ValueError("a plane needs at least two parameters")
    deviations = X - X.mean(axis=0)
    total = float(np.sum(deviations * deviations))
    if total == 0.0:
        raise ValueError("the paths do not move: no direction to slice along")
    if len(deviations) > deviations.shape[1]:
        # More points than parameters (the page's 8 paths x ~150 points of a 337-weight network): the
        # eigenvectors of the d x d scatter matrix are the same directions as the SVD's, 3-6x sooner.
        w, V = np.linalg.eigh(deviations.T @ deviations)
        s2, dirs = np.clip(w[::-1][:2], 0.0, None), V[:, ::-1][:, :2].T.copy()
    else:
        _, s, Vt = np.linalg.svd(deviations, full_matrices=False)
        s2, dirs = (s * s)[:2], Vt[:2].copy()
    variance = s2 / total  # two rows at least: X has more than one distinct point and d >= 2
    start = first[0, 0] - centre
    for k in range(2):
        if start @ dirs[k] > 0:
            dirs[k] = -dirs[k]
    return Directions(centre=centre.copy(), d1=dirs[0], d2=dirs[1], explained=variance)


def random_directions(L: Landscape, seed: int = 0, centre=None, ignore_biases: bool = True) -> Directions:
    """Two filter-normalised Gaussian directions through ``centre`` (Li et al. 2018).

    Each filter of a direction (for a Linear layer, one output unit's incoming weights: one row
    of its weight) is scaled to the norm of the same filter of ``centre``, so the slice's scale
    follows the network's. Biases get no direction (``ignore_biases``, the paper's setting) or,
    otherwise, the biases themselves, as in its code. A landscape without ``layers`` is treated
    as one filter.

    Args:
      L: the landscape; a ``landscapes.network(...)`` for the per-filter scaling.
      seed: seeds the two directions.
      centre: the point the norms come from and the plane goes through; default ``L.start``.
    """
    centre = np.asarray(L.start if centre is None else centre, dtype=np.float64)
    if centre.shape != (L.dim,):
        raise ValueError(f"centre must have {L.dim} coordinates, got shape {centre.shape}")
    rng = np.random.default_rng([seed, 0x736c696365])
    dirs = rng.standard_normal((2, L.dim))
    layers = getattr(L, "layers", None) or {"all": slice(0, L.dim)}
    for d in dirs:
        for name, s in layers.items():
            w = centre[s]
            if name.endswith(".bias"):
                d[s] = 0.0 if ignore_biases else w
                continue
            rows = _filters(L, name, w)
            part = d[s].reshape(rows, -1)
            norms = np.linalg.norm(part, axis=1, keepdims=True)
            part *= np.linalg.norm(w.reshape(rows, -1), axis=1, keepdims=True) / np.where(norms > 0, norms, 1.0)
            d[s] = part.ravel()
    return Directions(centre=centre.copy(), d1=dirs[0], d2=dirs[1])


def _filters(L, name: str, w: Array) -> int:
    """How many filters (output units) a weight tensor has: its bias's length, or 1."""
    bias = getattr(L, "layers", {}).get(name.replace(".weight", ".bias"))
    if bias is None:
        return 1
    return bias.stop - bias.start


def slice_grid(L: Landscape, centre, d1, d2, alphas, betas) -> Array:
    """The loss at ``centre + α d1 + β d2`` for every α in ``alphas`` and β in ``betas``.

    Returns (len(betas), len(alphas)): rows are β, as a contour's z[y][x]. All grid points go
    through the landscape's loss at once, one run each.
    """
    centre, d1, d2 = (np.asarray(v, dtype=np.float64) for v in (centre, d1, d2))
    if not centre.shape == d1.shape == d2.shape == (L.dim,):
        raise ValueError(f"centre, d1 and d2 must each have {L.dim} coordinates")
    alphas, betas = np.asarray(alphas, dtype=np.float64), np.asarray(betas, dtype=np.float64)
    points = centre + alphas[None, :, None] * d1 + betas[:, None, None] * d2
    return np.asarray(L.loss(points.reshape(-1, L.dim))).reshape(len(betas), len(alphas))


def project(path, centre, d1, d2) -> Array:
    """Each point's (α, β) in the plane through ``centre`` spanned by d1, d2: shape (..., 2).

    ``path`` is a Trajectory or an array (..., d). The coordinates are the least-squares ones, so
    a point lying in the plane maps back exactly even where d1 and d2 are not orthonormal (random
    directions).
    """
    P = np.asarray(getattr(path, "params", path), dtype=np.float64)
    D = np.stack([np.asarray(d1, dtype=np.float64), np.asarray(d2, dtype=np.float64)])
    if P.shape[-1] != D.shape[1]:
        raise ValueError(f"the path has {P.shape[-1]} coordinates, the directions {D.shape[1]}")
    return np.linalg.solve(D @ D.T, D @ (P - centre).reshape(-1, D.shape[1]).T).T.reshape(P.shape[:-1] + (2,))


class WeightSlice(NamedTuple):
    """The loss along one weight: ``loss[k]`` at weight = ``values[k]``, every other parameter held;
    ``slope[k]`` is ∂loss/∂weight there. ``at``, ``loss_at`` and ``slope_at`` are the point's own:
    the tangent is loss_at + slope_at (w − at)."""

    values: Array
    loss: Array
    slope: Array
    at: float
    loss_at: float
    slope_at: float


def along_weight(L: Landscape, point, index: int, values) -> WeightSlice:
    """What one weight sees: the loss along coordinate ``index`` through ``point``, and its slope."""
    point = np.asarray(point, dtype=np.float64)
    if point.shape != (L.dim,):
        raise ValueError(f"point must have {L.dim} coordinates, got shape {point.shape}")
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < L.dim:
        raise ValueError(f"index must be an integer in [0, {L.dim}), got {index!r}")
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    points = np.concatenate([np.tile(point, (len(values), 1)), point[None]])
    points[:len(values), index] = values
    f, G = L.value_and_grad(points)
    f, G = np.asarray(f), np.asarray(G)
    return WeightSlice(values=values, loss=f[:-1], slope=G[:-1, index], at=float(point[index]),
                       loss_at=float(f[-1]), slope_at=float(G[-1, index]))
