"""Issue 15, the page's half: tune every chosen optimizer's lr on the scene's own budget.

Pure (no Dash, no Plotly): ``tune_scene`` turns a scene into one ``optimizers.tune`` call and
``ui/web/tune_panel.py`` shows and applies what it returns. Every optimizer keeps its own settings
except its lr (and its own x/y rates, which Tune each clears: the tuned lr is then what it
runs), and every one gets the same budget: the scene's start and steps, its noise, seed,
mini-batches and schedule, and the same 41 rates.

The rates are the ones a link can hold (4 significant digits), so the lr that is set is exactly
the lr that was scored.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, List, Optional, Tuple

import numpy as np

import optimizers
from optimizers.tune import SCORES, TuneResult

from ui.model import compute, surfaces
from ui.model import scene_fields as F
from ui.model.optimizer_colours import run_colours
from ui.model.scene_type import Scene

DEFAULT_SCORE = "mean_log_loss"
TOLERANCE = compute.TOLERANCE  # steps_to_tol uses the results table's tolerance
SCORE_LABELS = {"mean_log_loss": "whole run", "final_loss": "final loss", "steps_to_tol": "steps to tolerance"}


def tune_lrs() -> np.ndarray:
    """41 rates 10⁻⁴…1, inside the app's lr range, each as a link writes it."""
    lo, hi = F.LR_RANGE
    grid = np.clip(np.logspace(-4, 0, 41), lo, hi)
    return np.unique([F.canonical(v) for v in grid])


TUNE_LRS = tune_lrs()


@dataclasses.dataclass(frozen=True, eq=False)
class Tuned:
    """A scene's tuning: the engine's result, each tuned optimizer's colour and title (in the
    scene's run colours), and what could not be tuned or was changed on the way."""

    scene: Scene
    result: TuneResult
    colours: List[str]
    titles: List[str]
    notes: List[str]
    cleared: List[str]   # optimizers whose own x/y rates Tune each clears


def _schedules(scene: Scene, notes: list) -> list:
    """The schedules to try in order: the scene's, one-cycle without cycling momentum, none."""
    kwargs = scene.schedule_kwargs()
    if kwargs is None:
        return [None]
    out = []
    try:
        out.append(optimizers.schedule(scene.schedule, **kwargs))
    except (ValueError, TypeError) as err:
        notes.append(f"Schedule {scene.schedule}: {err}. Tuned at a constant learning rate.")
        return [None]
    if scene.schedule == "onecycle":
        try:
            out.append(optimizers.schedule("onecycle", cycle_momentum=False, **kwargs))
        except (ValueError, TypeError):
            pass
    return out + [None]


def tune_scene(scene: Scene, score: str = DEFAULT_SCORE) -> Tuned:
    """Every chosen optimizer at every rate of TUNE_LRS, in one engine call, on the scene's budget.

    Raises ValueError when nothing can be tuned (no optimizer, or none that torch accepts)."""
    if score not in SCORES:
        raise ValueError(f"score must be one of {', '.join(SCORES)}")
    if scene.is_network:
        raise ValueError("Tune each races the 2-D surfaces; on a network, set each optimizer's lr in its own box")
    landscape = surfaces.of(scene)
    palette = dict(zip(scene.optimizers, run_colours(scene.optimizers)))
    opts, colours, titles, notes, cleared = [], [], [], [], []
    for name in scene.optimizers:
        hyper = scene.hyperparameters(name)
        title = optimizers.info(name).title
        if hyper.pop("groups", None) is not None:
            cleared.append(name)
        try:
            opts.append(optimizers.get(name, **hyper))
        except (ValueError, TypeError) as err:
            notes.append(f"{title} is not tuned: {err}.")
            continue
        colours.append(palette[name])
        titles.append(title)
    if not opts:
        raise ValueError("choose an optimizer whose settings torch accepts")
    for name in cleared:
        notes.append(f"{optimizers.info(name).title}'s own x/y rates are cleared: its tuned lr sets both.")
    budget = dict(lrs=TUNE_LRS, start=scene.start, score=score, tol=TOLERANCE, **scene.engine_kwargs())
    schedules = _schedules(scene, notes)
    for i, schedule in enumerate(schedules):
        try:
            result = optimizers.tune(landscape, opts, schedule=schedule, **budget)
            break
        except ValueError as err:
            if i == len(schedules) - 1:
                raise
            notes.append(f"Schedule {scene.schedule}: {err}; "
                         + ("the momentum is not cycled." if schedules[i + 1] is not None
                            else "tuned at a constant learning rate."))
    return Tuned(scene, result, colours, titles, list(dict.fromkeys(notes)),
                 [n for n in cleared if n in result.names])


def tuned_lrs(tuned: Tuned) -> Dict[str, float]:
    """{name: best lr} for every optimizer some rate worked for (one that diverged, or never
    reached the tolerance, at every rate keeps its lr)."""
    r = tuned.result
    return {name: float(r.lrs[j]) for i, (name, j) in enumerate(zip(r.names, r.best_index))
            if np.isfinite(r.scores[i, j])}


def good_band(result: TuneResult, i: int) -> Optional[Tuple[int, int]]:
    """(first, last) index of the rates around optimizer i's best that do nearly as well as it:
    a loss within 10× of its best (``mean_log_loss``: a score within 1; ``final_loss``: a gap to
    f* within 10×), or within twice its best step count (``steps_to_tol``). None if no rate worked."""
    scores, j = result.scores[i], int(result.best_index[i])
    best = scores[j]
    if not np.isfinite(best):
        return None
    if result.score == "mean_log_loss":
        good = scores <= best + 1.0
    elif result.score == "final_loss":
        gap = max(best - result.f_star, 1e-300)
        with np.errstate(invalid="ignore"):
            good = scores - result.f_star <= 10.0 * gap
    else:
        good = scores <= max(2.0 * best, best + 1.0)
    good &= np.isfinite(scores)
    lo = hi = j
    while lo > 0 and good[lo - 1]:
        lo -= 1
    while hi < len(scores) - 1 and good[hi + 1]:
        hi += 1
    return lo, hi


def band_decades(result: TuneResult, i: int) -> float:
    """How wide optimizer i's good band is, in decades of lr (0 for a single rate or none)."""
    band = good_band(result, i)
    return 0.0 if band is None else float(np.log10(result.lrs[band[1]] / result.lrs[band[0]]))


def ranking(result: TuneResult) -> List[str]:
    """The optimizers from best to worst by their best score (ties keep the scene's order)."""
    best = result.scores.min(axis=1)
    return [result.names[i] for i in sorted(range(len(best)), key=lambda i: best[i])]


# --- words ---------------------------------------------------------------------------------------

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number(value: float) -> str:
    """A number as the page writes it: 4 significant digits, a real minus sign."""
    return F.format_number(float(value)).replace("-", "−")


def rate(value: float) -> str:
    """A rate: 10⁻⁴ for a power of ten below 0.1, else its digits."""
    k = np.log10(value)
    if k < -1 and abs(k - round(k)) < 1e-9:
        return "10" + str(int(round(k))).translate(SUPERSCRIPT)
    return number(value)


def score_words(score: str, f_star: float) -> str:
    if score == "mean_log_loss":
        return f"mean log₁₀(loss − f*) over the run, f* = {number(f_star)}"
    if score == "final_loss":
        return "the loss after the last step"
    return f"steps until ‖∇f‖ < {TOLERANCE:g}"


def _stochastic_words(scene: Scene) -> str:
    noise, batch = scene.noise, scene.batch
    if not noise and not batch:
        return "the same full-batch gradients"
    parts = ([f"the same noise (σ = {number(noise)})"] if noise else []) + \
            ([f"the same mini-batches of {batch}"] if batch else [])
    return " and ".join(parts) + f", seed {scene.seed}"


def budget_text(tuned: Tuned) -> str:
    """What every optimizer got, and how it was scored, in two sentences."""
    scene, r = tuned.scene, tuned.result
    schedule = "" if scene.schedule == "constant" else \
        f", the {F.SCHEDULE_TITLES.get(scene.schedule, scene.schedule).lower()} schedule"
    return (f"Same budget for all: {r.steps} steps from ({number(scene.x0)}, {number(scene.y0)}) on "
            f"{surfaces.of(scene).title}, {len(r.lrs)} rates {rate(r.lrs[0])}…{rate(r.lrs[-1])}, "
            f"{_stochastic_words(scene)}{schedule}. "
            f"Score: {score_words(r.score, r.f_star)}; lower is better, a diverged run scores worst.")


def _score_text(score: str, value: float) -> str:
    return f"{value:.0f} steps" if score == "steps_to_tol" else f"score {number(value)}"


def best_rows(tuned: Tuned) -> List[dict]:
    """Per tuned optimizer: its colour, title and one line: best lr, score, good band, divergences."""
    r = tuned.result
    band_words = {"mean_log_loss": "within 10× of its best loss", "final_loss": "within 10× of its best loss",
                  "steps_to_tol": "within 2× of its fewest steps"}[r.score]
    rows = []
    for i, (name, colour, title) in enumerate(zip(r.names, tuned.colours, tuned.titles)):
        j, diverged = int(r.best_index[i]), int(r.diverged[i].sum())
        band = good_band(r, i)
        if band is None:
            text = ("diverged at every rate: its lr is left as it was" if diverged == len(r.lrs)
                    else "no rate worked on this budget: its lr is left as it was")
        else:
            text = f"best lr {number(r.lrs[j])} ({_score_text(r.score, r.scores[i, j])}); "
            text += (f"{band_words} only at that rate" if band[0] == band[1]
                     else f"{band_words} from {number(r.lrs[band[0]])} to {number(r.lrs[band[1]])}")
        text += f"; diverged at {diverged} of {len(r.lrs)} rates." if diverged else "; never diverged."
        rows.append({"name": name, "title": title, "colour": colour, "text": text})
    return rows


def status_text(tuned: Tuned, seconds: float) -> str:
    """The line under the button: what was set, and where to look."""
    lrs = tuned_lrs(tuned)
    titles = dict(zip(tuned.result.names, tuned.titles))
    set_ = ", ".join(f"{titles[n]} {number(lr)}" for n, lr in lrs.items())
    head = (f"Tuned ({SCORE_LABELS[tuned.result.score]}, {len(tuned.result.lrs)} rates, {seconds:.2f} s): "
            + (f"lr set to {set_}." if set_ else "no rate worked for any optimizer, nothing set."))
    return " ".join([head, "The lr-sensitivity plot is under the results."] + tuned.notes)
