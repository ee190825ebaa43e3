"""The results table and the plain-language messages about a scene's runs. Pure."""

from __future__ import annotations

from typing import List, Optional

import numpy as np

from optimizers import curvature

from ui.model.compute import Run, SceneRun, TOLERANCE

NONE = "—"
COLUMNS = [
    ("optimizer", "Optimizer"),
    ("final_loss", "Final loss"),
    ("steps_to_tol", f"Steps to ‖∇f‖ < {TOLERANCE:g}"),
    ("distance", "Distance to nearest minimum"),
    ("diverged", "Diverged"),
    ("evals", "Gradient evaluations"),
]


def _number(value: float) -> str:
    if not np.isfinite(value):
        return NONE
    return f"{value:.3g}" if abs(value) < 1e4 else f"{value:.2e}"


def result_row(run: Run, landscape) -> dict:
    """One table row; every cell is text, ready to show."""
    row = {"name": run.name, "optimizer": run.title, "colour": run.colour, "same_as": run.same_as}
    if run.params is None:
        row.update(final_loss=NONE, steps_to_tol=NONE, distance=NONE, diverged=f"invalid: {run.error}", evals=NONE)
        return row
    final = run.params[-1]
    distance = float(landscape.nearest_minimum_distance(final)) if len(landscape.minima) else float("nan")
    row.update(final_loss=_number(float(run.loss[-1])),
               steps_to_tol=str(run.converged_at) if run.converged_at >= 0 else NONE,
               distance=_number(distance),
               diverged=f"at step {run.diverged_at}" if run.diverged_at >= 0 else NONE,
               evals=str(run.evals) if run.evals >= 0 else NONE)
    return row


def result_rows(result: SceneRun) -> List[dict]:
    return [result_row(run, result.landscape) for run in result.runs]


def diagnosis(run: Run, landscape) -> Optional[curvature.Diagnosis]:
    """What the curvature says about a diverged run (None for a run that did not diverge, or one
    that ran downhill for ever: no step size is to blame there)."""
    if run.diverged_at < 0 or run.params is None or run.settings is None or landscape is None \
            or float(run.loss[-1]) < float(run.loss[0]):
        return None
    with np.errstate(all="ignore"):
        return curvature.diagnose(landscape, run.name, run.settings, run.params, run.lr, run.diverged_at,
                                  run.momentum)


def divergence_message(run: Run, landscape=None) -> str:
    """Why a run stopped, in a sentence a student can act on: with the landscape, the cause in
    numbers where the rule's stability limit explains it, else what the curvature shows."""
    k = run.diverged_at
    lr = run.hyper.get("lr")
    last, first = float(run.loss[-1]), float(run.loss[0])
    if last < first:
        # It ran downhill for ever: the surface has no bottom that way, the step size is not to blame.
        return (f"{run.title} ran off the map at step {k}: this surface falls away without a bottom "
                "in that direction.")
    why = diagnosis(run, landscape)
    if why is not None:
        return why.sentence(run.title)
    rate = f" ({lr:g})" if isinstance(lr, (int, float)) else ""
    return f"{run.title} diverged at step {k}: the learning rate{rate} is too large for this surface."


def steep_lines(result: SceneRun) -> List[dict]:
    """For each diverged run the curvature explains: {"run", "title", "colour", "xy" (2, 2)}, a short
    line along the steep direction through the point where it left the stable region."""
    out = []
    for run in result.ok_runs:
        why = diagnosis(run, result.landscape)
        segment = None if why is None else why.segment(result.landscape.bounds)
        if segment is not None and np.all(np.isfinite(segment)):
            out.append({"run": run.name, "title": run.title, "colour": run.colour, "xy": segment})
    return out


def messages(result: SceneRun, warnings=()) -> List[str]:
    """Everything the ``message`` area should say about a scene; empty when all is well."""
    out = list(warnings) + list(result.notes)
    if not result.runs:
        out.append("Pick at least one optimizer to see a path.")
    for run in result.runs:
        if run.error is not None:
            out.append(f"{run.title}: {run.error}. Its path is not shown; change that setting to bring it back.")
        elif run.diverged_at >= 0:
            out.append(divergence_message(run, result.landscape))
    return out
