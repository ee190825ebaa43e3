"""Maps over many runs, each computed in ONE vectorised engine call.

``basin_map``: from every point of a G × G grid, where does an optimizer end up? Each start is
labelled by the known minimum it reached, or diverged, or settled elsewhere, or still moving;
and by the steps it took to converge.

``stability_map``: for one start, which (learning rate, momentum) settings converge? A heatmap
of the final loss over a log-spaced lr axis × a momentum axis, with diverged cells marked. The
hyperparameters are per-run arrays of shape (n, 1): the engine's sweep (STYLE.md, section 1).

    import landscapes, optimizers
    basins = optimizers.basin_map(landscapes.get("himmelblau"), optimizers.get("adam", lr=0.05))
    basins.labels.shape, basins.counts()       # (100, 100), {0: ..., 1: ..., ...}
    stab = optimizers.stability_map(landscapes.get("rosenbrock"), "momentum", steps=300)
    stab.final_loss.shape                      # (len(momenta), len(lrs))
"""

from __future__ import annotations

import dataclasses
from typing import Dict, Optional

import numpy as np

from .registry import Optimizer, get, info
from .runner import run
from .trajectory import reference_loss

DIVERGED = -1       # left |coordinate| <= 1e6 or the loss went non-finite
NOT_CONVERGED = -2  # still moving, nowhere near a known minimum
ELSEWHERE = -3      # settled (gradient below tol) at a point that is not a known minimum: a saddle, say
LABEL_NAMES = {DIVERGED: "diverged", NOT_CONVERGED: "not converged", ELSEWHERE: "settled elsewhere"}
MAX_GRID = 200
DEFAULT_LRS = 10.0 ** np.linspace(-5.0, 1.0, 41)   # log10 steps of 0.15, over the app's whole lr range
DEFAULT_MOMENTA = np.linspace(0.0, 0.98, 50)       # steps of 0.02


@dataclasses.dataclass(frozen=True, eq=False)
class BasinMap:
    """Where each start of a G × G grid ended up. Row j, column i is the start (xs[i], ys[j]).

    labels: (G, G) int, the index of the known minimum reached (within ``radius``), or DIVERGED,
      NOT_CONVERGED or ELSEWHERE.
    steps: (G, G) int, the first step whose gradient norm was below ``tol`` (-1 for never).
    """

    labels: np.ndarray
    steps: np.ndarray
    xs: np.ndarray
    ys: np.ndarray
    minima: np.ndarray
    radius: float
    tol: float
    n_steps: int

    def counts(self) -> Dict[int, int]:
        """How many starts have each label, for every label that occurs."""
        values, counts = np.unique(self.labels, return_counts=True)
        return {int(v): int(c) for v, c in zip(values, counts)}


def _grid_axes(bounds, G):
    (x0, x1), (y0, y1) = bounds
    return np.linspace(x0, x1, G), np.linspace(y0, y1, G)


def default_radius(landscape, bounds=None) -> float:
    """5% of the view's shorter side, and under half the distance between any two known minima."""
    (x0, x1), (y0, y1) = bounds or landscape.bounds
    radius = 0.05 * min(x1 - x0, y1 - y0)
    m = landscape.minima
    if len(m) > 1:
        d = np.linalg.norm(m[:, None] - m[None], axis=-1)
        radius = min(radius, 0.4 * float(d[np.triu_indices(len(m), 1)].min()))
    return radius


def basin_map(landscape, optimizer: Optimizer, G: int = 100, steps: int = 500, bounds=None, tol: float = 1e-3,
              radius: Optional[float] = None, schedule=None, noise: float = 0.0, seed: int = 0,
              batch_size: Optional[int] = None) -> BasinMap:
    """Run ``optimizer`` from every point of a G × G grid over ``bounds`` (default: the view) in one
    engine call with ``history=False``, and label each start by where it ended.

    A run reached known minimum k if it did not diverge and its final point lies within
    ``radius`` of minima[k] (default: ``default_radius``). Otherwise it settled elsewhere if the
    gradient at its final point is below ``tol``, else it did not converge. ``steps`` of the
    result is the engine's ``converged_at``: the first step with gradient norm below ``tol``.
    """
    if not isinstance(optimizer, Optimizer):
        raise ValueError("optimizer must be one Optimizer from optimizers.get")
    if isinstance(G, bool) or not isinstance(G, (int, np.integer)) or not 2 <= G <= MAX_GRID:
        raise ValueError(f"G must be an integer in [2, {MAX_GRID}], got {G!r}")
    if bounds is None:
        bounds = landscape.bounds
    xs, ys = _grid_axes(bounds, int(G))
    X, Y = np.meshgrid(xs, ys)
    starts = np.column_stack([X.ravel(), Y.ravel()])
    traj = run(landscape, optimizer, start=starts, steps=steps, schedule=schedule, noise=noise, seed=seed,
               history=False, tol=tol, batch_size=batch_size)
    radius = default_radius(landscape, bounds) if radius is None else float(radius)
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius!r}")
    final, diverged = traj.final, traj.diverged_at >= 0
    labels = np.full(len(starts), NOT_CONVERGED, dtype=np.int64)
    with np.errstate(all="ignore"):
        g = landscape.grad(final)
    labels[np.hypot(g[:, 0], g[:, 1]) < tol] = ELSEWHERE
    if len(landscape.minima):
        d = np.linalg.norm(final[:, None, :] - landscape.minima[None], axis=-1)
        near = d.min(axis=1) < radius
        labels[near] = d.argmin(axis=1)[near]
    labels[diverged] = DIVERGED
    return BasinMap(labels=labels.reshape(G, G), steps=traj.converged_at.reshape(G, G).copy(), xs=xs, ys=ys,
                    minima=landscape.minima, radius=radius, tol=float(tol), n_steps=int(steps))


@dataclasses.dataclass(frozen=True, eq=False)
class StabilityMap:
    """Final loss over learning rate × momentum from one start. Row j, column i is
    (lr = lrs[i], momentum = momenta[j]); ``param`` says whether momentum is SGD's μ or Adam's β₁."""

    lrs: np.ndarray
    momenta: np.ndarray
    final_loss: np.ndarray   # (M, A), NaN where the run diverged
    diverged_at: np.ndarray  # (M, A) int, -1 for never
    optimizer: str
    param: str               # "momentum" or "beta1"
    start: tuple
    n_steps: int
    f_min: float             # the lowest loss known (minima, or the best cell): colour maps start here

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_at >= 0


def momentum_param(name: str) -> str:
    """What "momentum" means for an optimizer: the one the app's slider sets (SGD's μ or the Adam
    family's β₁), else torch's ``momentum`` if it has one (sgd, rmsprop)."""
    entry = info(name)
    if entry.momentum_param is not None:
        return entry.momentum_param
    if "momentum" in entry.defaults:
        return "momentum"
    if "betas" in entry.defaults:
        return "beta1"
    raise ValueError(f"{name} has neither momentum nor β₁ to sweep; pick one that has (e.g. momentum, adam)")


def stability_map(landscape, name: str, start=None, lrs=None, momenta=None, steps: int = 300, schedule=None,
                  noise: float = 0.0, seed: int = 0, batch_size: Optional[int] = None, **hyper) -> StabilityMap:
    """Run optimizer ``name`` from one start for every (lr, momentum) pair in one engine call.

    Args:
      lrs: learning rates, default ``DEFAULT_LRS`` (41, log-spaced over 1e-5..10).
      momenta: momentum values (SGD's μ, or β₁ for the Adam family), default ``DEFAULT_MOMENTA``
        (50, 0..0.98); for Nesterov a zero is raised to 1e-3, since torch refuses μ = 0 there.
      **hyper: the optimizer's other hyperparameters (e.g. ``betas=(0.9, 0.99)`` keeps β₂ = 0.99).
    """
    param = momentum_param(name)
    for key in ("lr", param):
        if key in hyper:
            raise ValueError(f"{key} is what the map sweeps; give it through lrs= or momenta=")
    lrs = np.asarray(DEFAULT_LRS if lrs is None else lrs, dtype=np.float64).ravel()
    momenta = np.asarray(DEFAULT_MOMENTA if momenta is None else momenta, dtype=np.float64).ravel()
    if not len(lrs) or not len(momenta):
        raise ValueError("lrs and momenta must be non-empty")
    nesterov = hyper.get("nesterov", info(name).defaults.get("nesterov", False))
    if nesterov is True:
        momenta = np.where(momenta == 0, 1e-3, momenta)
    A, M = len(lrs), len(momenta)
    lr = np.tile(lrs, M)[:, None]          # run m*A + a: (lrs[a], momenta[m])
    mu = np.repeat(momenta, A)[:, None]
    if param == "beta1":
        beta2 = tuple(hyper.pop("betas", info(name).defaults["betas"]))[1]
        opt = get(name, lr=lr, betas=(mu, beta2), **hyper)
    else:
        opt = get(name, lr=lr, momentum=mu, **hyper)
    start = landscape.start if start is None else (float(start[0]), float(start[1]))
    traj = run(landscape, opt, start=np.tile(start, (A * M, 1)), steps=steps, schedule=schedule, noise=noise,
               seed=seed, history=False, batch_size=batch_size)
    diverged_at = traj.diverged_at.reshape(M, A).copy()
    final = np.where(diverged_at >= 0, np.nan, traj.final_loss.reshape(M, A))
    f_min = reference_loss(landscape, final)
    return StabilityMap(lrs=lrs, momenta=momenta, final_loss=final, diverged_at=diverged_at, optimizer=name,
                        param=param, start=tuple(start), n_steps=int(steps), f_min=f_min)
