"""Trajectory: what a run of one optimizer from n starts leaves behind."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Dict, Optional

import numpy as np

Array = np.ndarray


VIEW_GRID = 91  # points a side of the grid over a 2-D view that f* is sought on, where no minimum is known


def has_known_minimum(landscape) -> bool:
    """Whether f* is a known minimum's loss (else it is only the lowest loss seen)."""
    return bool(len(getattr(landscape, "minima", ())))


@functools.lru_cache(maxsize=64)
def _view_lowest(landscape) -> Optional[float]:
    """The lowest finite loss on a VIEW_GRID² grid over a 2-D landscape's view (None without one)."""
    bounds = getattr(landscape, "bounds", None)
    if bounds is None or getattr(landscape, "dim", 2) != 2:
        return None
    (xmin, xmax), (ymin, ymax) = bounds
    X, Y = np.meshgrid(np.linspace(xmin, xmax, VIEW_GRID), np.linspace(ymin, ymax, VIEW_GRID))
    with np.errstate(all="ignore"):
        f = np.asarray(landscape.loss(np.stack((X, Y), axis=-1)), dtype=np.float64)
    f = f[np.isfinite(f)]
    return float(f.min()) if f.size else None


def reference_loss(landscape, losses) -> float:
    """f*: the lowest loss known, the lower of the landscape's known minima and the finite losses seen
    (0 when there is neither). Loss - f* is then never negative.

    Where no minimum is known, f* is the lowest loss seen anywhere: over a grid of the view (for a 2-D
    landscape) and in every run. Measured against the runs alone, the best run would reach "f*" by
    definition and its curve would fake convergence (exp(exp(x)) got f* = 1.199 from the runs while f
    is 1.05 inside the view)."""
    known = []
    if has_known_minimum(landscape):
        with np.errstate(all="ignore"):
            known = [float(np.min(landscape.loss(landscape.minima)))]
    else:
        view = _view_lowest(landscape)
        known = [] if view is None else [view]
    losses = np.asarray(losses, dtype=np.float64)
    seen = losses[np.isfinite(losses)]
    return min(known + ([float(seen.min())] if seen.size else []), default=0.0)


@dataclasses.dataclass(frozen=True, eq=False)
class Trajectory:
    """The path of ``n`` independent runs of one optimizer.

    Attributes:
      params: (steps+1, n, d) points, params[0] the start; with ``history=False``, (1, n, d): the final point.
      loss: (steps+1, n) loss at each point; with ``history=False``, (1, n).
      grads: (steps, n, d) the gradient each step used, noise included; with ``history=False``, (1, n, d): the last.
      lr: (steps, n, d) the learning rate each coordinate of each run used; with ``history=False``, the last.
      momentum: like ``lr``, the momentum or beta1 that OneCycleLR set, else None.
      diverged_at: (n,) int, the first step whose point or loss was not finite or left
        |coordinate| <= 1e6; -1 for never. From then on the run is frozen at its last finite point.
      converged_at: (n,) int, the first step whose gradient norm was below ``tol``; -1 for never.
      state: with ``record_state=True``, the optimizer's buffers after each step, name -> (steps, n, d).
      batch_size: the mini-batch size for a dataset landscape, else None (full batch).
      batch_loss: with ``batch_size``, (steps, n) the mini-batch loss each step's gradient came
        from (``loss`` stays the full-batch loss); with ``history=False``, (1, n): the last.
      evals: (n,) int, the gradient evaluations each run used: one per step for every rule here
        (``steps``, a diverged run's frozen steps included), so runs compare by evaluations.
      evals_at: (steps+1, n) int, the gradient evaluations used to reach each point (0 at the start,
        ``evals`` after the last step; the step index for a rule with one per step), so a loss curve
        can be drawn against evaluations; None with ``history=False``.
    """

    landscape: str
    optimizer: str
    hyper: Dict[str, Any]
    params: Array
    loss: Array
    grads: Array
    lr: Array
    diverged_at: Array
    converged_at: Array
    steps: int
    tol: float
    noise: float
    seed: int
    momentum: Optional[Array] = None
    schedule: Optional[str] = None
    state: Optional[Dict[str, Array]] = None
    batch_size: Optional[int] = None
    batch_loss: Optional[Array] = None
    evals: Optional[Array] = None
    evals_at: Optional[Array] = None

    @property
    def n_runs(self) -> int:
        return self.params.shape[1]

    @property
    def dim(self) -> int:
        """d, the number of parameters of one run."""
        return self.params.shape[-1]

    @property
    def final(self) -> Array:
        """(n, d) final points."""
        return self.params[-1]

    @property
    def final_loss(self) -> Array:
        return self.loss[-1]

    def to_frame(self):
        """A long pandas DataFrame: ``run, step, x, y, loss, grad_x, grad_y, lr_x, lr_y`` for two
        parameters; for d parameters ``p0 .. p{d-1}``, ``grad_0 ..``, ``lr_0 ..`` in their place.

        The last point has no step after it, so its gradient and rate are NaN.
        With ``history=False`` the frame holds the final point of each run.
        """
        import pandas as pd

        points, n, d = self.params.shape
        steps = np.arange(points) if points == self.steps + 1 else np.array([self.steps])
        pad = points - self.grads.shape[0]
        grads = np.concatenate([self.grads, np.full((pad, n, d), np.nan)]) if pad > 0 else self.grads[-points:]
        lr = np.concatenate([self.lr, np.full((pad, n, d), np.nan)]) if pad > 0 else self.lr[-points:]
        if points == 1:
            grads = np.full((1, n, d), np.nan)
            lr = np.full((1, n, d), np.nan)
        names = ["x", "y"] if d == 2 else [str(j) for j in range(d)]
        columns = {"run": np.tile(np.arange(n), points), "step": np.repeat(steps, n)}
        columns.update({(c if d == 2 else f"p{c}"): self.params[..., j].ravel() for j, c in enumerate(names)})
        columns["loss"] = self.loss.ravel()
        columns.update({f"grad_{c}": grads[..., j].ravel() for j, c in enumerate(names)})
        columns.update({f"lr_{c}": lr[..., j].ravel() for j, c in enumerate(names)})
        return pd.DataFrame(columns)
