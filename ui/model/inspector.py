"""The step inspector's numbers: for one run, at every step, the gradient, every optimizer buffer,
the quantities derived from them (m̂, v̂, ...), the effective per-coordinate learning rate and the
update. Pure NumPy.

The engine records the buffers (``run(..., record_state=True)``); what it does not store (the
bias-corrected moments, the effective rate, RAdam's rectifier) each optimizer's own module
derives in its ``explain`` (``optimizers.info(name).explain``), which also predicts the update
from those numbers alone. The tests check that the prediction reproduces the update the engine
applied: the inspector cannot show a number the step did not use. Nothing here names an
optimizer.

Step ``k`` (0-based) is the move from point ``k`` to point ``k + 1``: the gradient at point k,
the buffers after the move, and the move itself.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Dict, List, Optional

import numpy as np

import optimizers
from optimizers import curvature

from ui.model.compute import Run


@dataclasses.dataclass(frozen=True, eq=False)
class Row:
    """One line of the inspector: (steps, 2) per coordinate, or (steps,) when x and y agree."""

    key: str
    label: str
    values: np.ndarray


@dataclasses.dataclass(frozen=True, eq=False)
class Inspection:
    rows: List[Row]                      # in display order, the update last
    effective_lr: np.ndarray             # (steps, 2) what multiplies ``direction``
    direction: np.ndarray                # (steps, 2) the vector the rate scales
    update: np.ndarray                   # (steps, 2) the move the engine applied
    predicted: np.ndarray                # (steps, 2) the move the numbers above give
    velocity: Optional[np.ndarray]       # (steps, 2) -momentum buffer or -m: where the optimizer is heading
    lookahead: Optional[np.ndarray]      # (steps, 2) Nesterov: the point its momentum alone reaches


def _row(key, label, values, shape) -> Row:
    values = np.broadcast_to(np.asarray(values, dtype=np.float64), shape)
    same = all(np.array_equal(values[:, 0], values[:, j], equal_nan=True) for j in range(1, shape[1]))
    return Row(key, label, values[:, 0].copy() if same else np.array(values))


def curvature_rows(run: Run, landscape, shape) -> List[Row]:
    """The curvature at each step's point: the Hessian's eigenvalues and condition number, and for
    a rule whose module states a stability limit on a quadratic, γ·λmax against that limit (off a
    quadratic the label says it is a local reading)."""
    with np.errstate(all="ignore"):
        out = curvature.readout(landscape, run.name, run.settings, run.params[:-1], run.lr, run.momentum)
    rows = [_row("hessian_eigenvalues", "Hessian eigenvalues λ₁ ≤ λ₂", out["eigenvalues"], shape),
            _row("condition", "condition number κ", out["condition"][:, None], shape)]
    lim = out["limit"]
    if lim is not None:
        where = "" if out["quadratic"] else " here (local: f is not quadratic)"
        rows += [_row("stability", f"γ·λmax{where}, stable below the limit", out["h"][:, None], shape),
                 _row("stability_limit", f"limit {lim.formula}", out["bound"][:, None], shape)]
    return rows


def inspect(run: Run, landscape=None) -> Inspection:
    """Every number the inspector shows for a run computed with ``record_state=True``; with the
    run's ``landscape``, the curvature rows too (``curvature_rows``).

    Steps from the one where the run diverged on are NaN: the engine froze the point there.
    """
    if run.state is None or run.settings is None:
        raise ValueError("inspect needs a run computed with record_state=True")
    steps = len(run.grads)
    shape = (steps, run.params.shape[-1])
    x = optimizers.Inputs(g=run.grads, theta=run.params[:-1], lr=run.lr,
                          t=np.arange(1, steps + 1, dtype=np.float64)[:, None], state=run.state,
                          settings=run.settings, momentum=run.momentum)
    with np.errstate(all="ignore"):
        out = optimizers.info(run.name).explain(x)
        effective = np.broadcast_to(out["effective"], shape)
        direction = np.broadcast_to(out["direction"], shape)
        shrink = out.get("shrink", 0.0)
        predicted = np.broadcast_to(out.get("predicted", -effective * direction) + shrink, shape)
    update = np.diff(run.params, axis=0)
    rows = [_row("grad", "gradient ∇f", run.grads, shape)]
    rows += [_row(key, label, values, shape) for key, label, values in out["rows"]]
    rows.append(_row("lr", "learning rate γ", run.lr, shape))
    rows.append(_row("effective_lr", out["lr_label"], effective, shape))
    if np.any(shrink):
        rows.append(_row("shrink", "decoupled decay −γλθ", shrink, shape))
    if landscape is not None and getattr(landscape, "hessian", None) is not None:
        rows += curvature_rows(run, landscape, shape)
    rows.append(_row("update", "update Δθ", update, shape))
    if run.diverged_at >= 0:
        for row in rows:
            row.values[run.diverged_at:] = np.nan
    velocity, lookahead = out.get("velocity"), out.get("lookahead")
    return Inspection(rows=rows, effective_lr=np.array(effective), direction=np.array(direction), update=update,
                      predicted=np.array(predicted),
                      velocity=None if velocity is None else np.broadcast_to(velocity, shape),
                      lookahead=None if lookahead is None else np.broadcast_to(lookahead, shape))
