"""Fair races: every optimizer's learning rate tuned on the same budget, in one engine call.

    result = optimizers.tune(L, [optimizers.get("sgd"), optimizers.get("adam")],
                             lrs=np.logspace(-4, 0, 41), steps=500, score="mean_log_loss")
    result.best_lr            # {"sgd": ..., "adam": ...}
    result.scores.shape       # (2, 41): lower is better; a diverged run scores inf
    result.to_frame()         # optimizer, lr, score, diverged, evals

Every optimizer runs every learning rate from the same start, for the same number of steps, on the same
noise draws and mini-batches (one ``run`` call: each optimizer × each lr is a run). A rule that evaluates
the landscape several times a step (L-BFGS) gets the same budget in gradient evaluations instead: its runs
are cut where they have used ``steps`` evaluations, and its curve is scored against evaluations. A short race favours
fast starters, so ``mean_log_loss`` scores the whole curve: the mean over steps of log10(loss − f*), the
area under the log-loss curve. ``final_loss`` scores the last point, ``steps_to_tol`` the first step
whose gradient norm is below ``tol`` (never: worst). A diverged run scores worst (inf); ties go to the
smaller learning rate.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, List, Optional, Sequence

import numpy as np

from .registry import Optimizer
from .runner import run
from .trajectory import reference_loss

SCORES = ("final_loss", "mean_log_loss", "steps_to_tol")
DEFAULT_LRS = np.logspace(-4, 0, 41)
FLOOR = 1e-16   # log10 of a gap below this is -16: a run that reached the minimum to rounding


@dataclasses.dataclass(frozen=True, eq=False)
class TuneResult:
    """``scores[i, j]`` is optimizer i at ``lrs[j]`` (lower is better, inf for diverged or never)."""

    names: List[str]
    lrs: np.ndarray
    scores: np.ndarray
    diverged: np.ndarray      # (n_optimizers, n_lrs) bool
    evals: np.ndarray         # (n_optimizers, n_lrs) gradient evaluations each run used
    score: str
    steps: int
    f_star: float             # the reference loss of mean_log_loss

    @property
    def best_index(self) -> np.ndarray:
        """Per optimizer, the index of its best lr: the first (smallest lr) of the lowest scores."""
        return np.argmin(self.scores, axis=1)

    @property
    def best_lr(self) -> Dict[str, float]:
        return {name: float(self.lrs[j]) for name, j in zip(self.names, self.best_index)}

    @property
    def best_score(self) -> Dict[str, float]:
        return {name: float(self.scores[i, j]) for i, (name, j) in enumerate(zip(self.names, self.best_index))}

    def to_frame(self):
        """One row per optimizer and lr: optimizer, lr, score, diverged, evals."""
        import pandas as pd

        k, a = self.scores.shape
        return pd.DataFrame({"optimizer": np.repeat(self.names, a), "lr": np.tile(self.lrs, k),
                             "score": self.scores.ravel(), "diverged": self.diverged.ravel(),
                             "evals": self.evals.ravel()})


def tune(landscape, optimizers_: Sequence[Optimizer], lrs=None, start=None, steps: int = 300,
         score: str = "final_loss", noise: float = 0.0, seed: int = 0, tol: float = 1e-6,
         batch_size: Optional[int] = None, schedule=None) -> TuneResult:
    """Score every optimizer at every learning rate on one budget; see the module's docstring.

    Args:
      optimizers_: Optimizers from ``optimizers.get``; their other hyperparameters are kept. One with
        per-coordinate rates (parameter groups) keeps their proportions: each swept lr scales them so
        the largest equals it.
      lrs: the learning rates to try (default 41 log-spaced in 1e-4..1); sorted, positive.
      start: one start point for every run (default the landscape's).
      score: "final_loss", "mean_log_loss" or "steps_to_tol".
    """
    opts = list(optimizers_)
    if not opts or not all(isinstance(o, Optimizer) for o in opts):
        raise ValueError("tune needs a non-empty list of Optimizers from optimizers.get")
    if len({o.name for o in opts}) != len(opts):
        raise ValueError("each optimizer may appear once in a tune call")
    if score not in SCORES:
        raise ValueError(f"score must be one of {', '.join(SCORES)}, got {score!r}")
    lrs = np.sort(np.asarray(DEFAULT_LRS if lrs is None else lrs, dtype=np.float64).ravel())
    if not len(lrs) or not np.all(np.isfinite(lrs)) or np.any(lrs <= 0):
        raise ValueError("lrs must be a non-empty list of finite, positive learning rates")
    start = np.asarray(landscape.start if start is None else start, dtype=np.float64)
    if start.ndim != 1:
        raise ValueError(f"tune takes one start point, got shape {start.shape}")
    swept = []
    for o in opts:
        scale = np.asarray(o.lr, dtype=np.float64)
        relative = scale / scale.max() if scale.ndim and scale.max() > 0 else 1.0
        swept.append(o.with_lr(lrs[:, None] * relative))
    A = len(lrs)
    tiled = np.tile(start, (A, 1))
    kernel = [i for i, o in enumerate(opts) if not o.closure]
    closure = [i for i, o in enumerate(opts) if o.closure]
    curves = [None] * len(opts)   # per optimizer: (loss by evaluation (T+1, A), diverged, tol-evals, evals used)
    if kernel:
        trajs = run(landscape, [swept[i] for i in kernel], start=tiled, steps=steps, noise=noise, seed=seed,
                    history=True, tol=tol, batch_size=batch_size, schedule=schedule)
        for i, t in zip(kernel, trajs):
            reached = np.where(t.converged_at >= 0, t.converged_at, np.inf).astype(float)
            curves[i] = (t.loss, t.diverged_at >= 0, reached, np.full(A, steps))
    for i in closure:
        t = run(landscape, swept[i], start=tiled, steps=steps, noise=noise, seed=seed, history=True, tol=tol,
                batch_size=batch_size, schedule=schedule, record_state=True)
        curves[i] = _on_evaluations(t, steps)
    losses = np.array([c[0] for c in curves])             # (k, steps + 1, A): the loss after e evaluations
    diverged = np.array([c[1] for c in curves])
    alive = ~np.repeat(diverged[:, None, :], steps + 1, axis=1)
    if score == "final_loss":
        scores = losses[:, -1].copy()
        f_star = reference_loss(landscape, scores[~diverged])
    elif score == "mean_log_loss":
        f_star = reference_loss(landscape, losses[alive])
        with np.errstate(all="ignore"):
            scores = np.log10(np.maximum(losses - f_star, FLOOR)).mean(axis=1)
    else:
        scores = np.array([c[2] for c in curves])
        f_star = reference_loss(landscape, losses[:, -1][~diverged])
    scores = np.where(diverged | ~np.isfinite(scores), np.inf, scores)
    evals = np.array([c[3] for c in curves])
    return TuneResult(names=[o.name for o in opts], lrs=lrs, scores=scores, diverged=diverged, evals=evals,
                      score=score, steps=int(steps), f_star=float(f_star))


def _on_evaluations(traj, budget: int):
    """A closure rule's runs on the evaluation axis, cut at ``budget`` evaluations: the loss after e
    evaluations for e = 0..budget (the last point it had reached), diverged within the budget, the
    evaluations it took to reach the tolerance, and the evaluations it used.

    Point 0 costs nothing; point k + 1 costs the evaluations of steps 0..k (a step's first
    evaluation is at its own point, as torch's first closure call is)."""
    per_step = traj.state["evals"][..., 0]                       # (steps, A)
    cost = np.vstack([np.zeros((1, per_step.shape[1])), np.cumsum(per_step, axis=0)])  # (steps + 1, A)
    e = np.arange(budget + 1)[:, None, None]
    reached = (cost[None] <= e).sum(axis=1) - 1                  # (budget + 1, A): last point within e evaluations
    columns = np.arange(cost.shape[1])
    loss = traj.loss[reached, columns]
    last = reached[-1]
    diverged = (traj.diverged_at >= 0) & (traj.diverged_at <= last)
    conv = traj.converged_at
    tol_evals = np.where((conv >= 0) & (conv <= last), cost[np.maximum(conv, 0), columns], np.inf)
    return loss, diverged, tol_evals, cost[last, columns]
