"""The results table and the plain-language messages about a scene's runs. Pure."""

from __future__ import annotations

from typing import List

import numpy as np

from ui.model.compute import Run, SceneRun, TOLERANCE

NONE = "—"
COLUMNS = [
    ("optimizer", "Optimizer"),
    ("final_loss", "Final loss"),
    ("steps_to_tol", f"Steps to ‖∇f‖ < {TOLERANCE:g}"),
    ("distance", "Distance to nearest minimum"),
    ("diverged", "Diverged"),
]


def _number(value: float) -> str:
    if not np.isfinite(value):
        return NONE
    return f"{value:.3g}" if abs(value) < 1e4 else f"{value:.2e}"


def result_row(run: Run, landscape) -> dict:
    """One table row; every cell is text, ready to show."""
    row = {"name": run.name, "optimizer": run.title, "colour": run.colour}
    if run.params is None:
        row.update(final_loss=NONE, steps_to_tol=NONE, distance=NONE, diverged=f"invalid: {run.error}")
        return row
    final = run.params[-1]
    distance = float(landscape.nearest_minimum_distance(final)) if len(landscape.minima) else float("nan")
    row.update(final_loss=_number(float(run.loss[-1])),
               steps_to_tol=str(run.converged_at) if run.converged_at >= 0 else NONE,
               distance=_number(distance),
               diverged=f"at step {run.diverged_at}" if run.diverged_at >= 0 else NONE)
    return row


def result_rows(result: SceneRun) -> List[dict]:
    return [result_row(run, result.landscape) for run in result.runs]


def divergence_message(run: Run) -> str:
    """Why a run stopped, in a sentence a student can act on."""
    k = run.diverged_at
    lr = run.hyper.get("lr")
    last, first = float(run.loss[-1]), float(run.loss[0])
    if last < first:
        # It ran downhill for ever: the surface has no bottom that way, the step size is not to blame.
        return (f"{run.title} ran off the map at step {k}: this surface falls away without a bottom "
                "in that direction.")
    rate = f" ({lr:g})" if isinstance(lr, (int, float)) else ""
    return f"{run.title} diverged at step {k}: the learning rate{rate} is too large for this surface."


def messages(result: SceneRun, warnings=()) -> List[str]:
    """Everything the ``message`` area should say about a scene; empty when all is well."""
    out = list(warnings) + list(result.notes)
    if not result.runs:
        out.append("Pick at least one optimizer to see a path.")
    for run in result.runs:
        if run.error is not None:
            out.append(f"{run.title}: {run.error}. Its path is not shown; change that setting to bring it back.")
        elif run.diverged_at >= 0:
            out.append(divergence_message(run))
    return out
