"""Scene -> what the teaching panels need: the inspected run's numbers for every step (the
inspector, the arrows, the slice), sent once and played in the browser; and the update-rule
texts. Pure and Dash-free.

Why send every step at once: the step index lives in the browser and playback asks the server
nothing, so the inspector, the arrows and the slice are drawn there from this store at whatever
step is shown, while playing as well as when paused. It is computed only while the teaching
panels are open, for the one run they follow.
"""

from __future__ import annotations

from typing import List, Optional

import numpy as np

import optimizers

from ui.model import maths
from ui.model import scene_fields as F
from ui.model.compute import SceneRun
from ui.model.inspector import inspect
from ui.model.payload import pack
from ui.model.slices import DIRECTIONS, loss_slices, samples_for
from ui.model.vectors import arrow_tips, gradient_field
from ui.model.scene_type import Scene


def _pack(values) -> dict:
    return pack(values, nan=np.nan)


def chosen_run(result: SceneRun, name: Optional[str]):
    """The run to inspect: ``name`` if it has a path, else the first that has one (None if none)."""
    runs = result.ok_runs
    return next((r for r in runs if r.name == name), runs[0] if runs else None)


def teach_payload(result: SceneRun, name: Optional[str], direction: str, key: str) -> Optional[dict]:
    """The store for the teaching panels; ``result`` must come from ``run_scene(record_state=True)``."""
    run = chosen_run(result, name)
    if run is None:
        return None
    direction = direction if direction in DIRECTIONS else "x"
    L, steps = result.landscape, len(run.grads)
    ins = inspect(run, L)
    tips = arrow_tips(run.params[:-1], -run.grads, ins.update, L.bounds, velocity=ins.velocity,
                      lookahead=ins.lookahead)
    if run.diverged_at >= 0:
        for tip in tips.values():
            tip[run.diverged_at:] = np.nan
    cut = slice(None, run.diverged_at + 1 if run.diverged_at >= 0 else None)
    sliced = loss_slices(L, run.params[cut], direction, samples_for(len(run.params)))
    field = gradient_field(L)
    return {
        "key": key, "run": run.name, "title": run.title, "colour": run.colour, "steps": steps,
        "diverged_at": run.diverged_at,
        "points": _pack(run.params), "loss": _pack(run.loss),
        "rows": [{"key": r.key, "label": r.label, "pair": r.values.ndim == 2, "values": _pack(r.values)}
                 for r in ins.rows],
        "arrows": {k: _pack(v) for k, v in tips.items()},
        "slice": {"direction": direction, "label": DIRECTIONS[direction], "t": sliced["t"].tolist(),
                  "loss": _pack(sliced["loss"]), "slope": _pack(sliced["slope"]),
                  "origin": _pack(sliced["origin"])},
        "field": {"tails": _pack(field["tails"]), "tips": _pack(field["tips"])},
    }


def _schedule_note(scene: Scene, name: str) -> str:
    if not scene.follows_schedule(name):
        return "This run keeps a constant learning rate whatever the scene's schedule." \
            if scene.schedule != "constant" else ""
    kwargs = scene.schedule_kwargs() or {}
    param = ", ".join(f"{k} = {v:g}" for k, v in kwargs.items() if not isinstance(v, list))
    return maths.schedule_sentence(scene.schedule, F.SCHEDULE_TITLES.get(scene.schedule, scene.schedule),
                                   param)


def rule_cards(scene: Scene) -> List[dict]:
    """One card per chosen optimizer: its title, colour and ``maths.rule_panel`` with the values in
    effect (a refused setting gives ``error`` instead)."""
    from ui.model.optimizer_colours import run_colours

    cards = []
    for name, colour in zip(scene.optimizers, run_colours(scene.optimizers)):
        card = {"name": name, "title": scene.run_title(name), "colour": colour}
        try:
            settings = optimizers.get(name, **scene.hyperparameters(name)).hyper
        except (ValueError, TypeError) as err:
            cards.append({**card, "error": str(err)})
            continue
        cards.append({**card, "panel": maths.rule_panel(name, settings, _schedule_note(scene, name)),
                      "settings": settings})
    return _same_rule_notes(scene, cards)


def _same_rule_notes(scene: Scene, cards: List[dict]) -> List[dict]:
    """Say plainly in the card's sentence when two chosen optimizers are one rule with the same
    settings (SGD and gradient descent): without noise or mini-batches they take the same steps."""
    out, seen = [], []
    for card in cards:
        settings = card.pop("settings", None)
        info = optimizers.info(card["name"])
        twin = next((c for c, s, i in seen if settings is not None and s == settings and i.module is info.module), None)
        if settings is not None:
            seen.append((card, settings, info))
        if twin is not None:
            note = (f" Here it is the same rule with the same settings as {twin['title']}, and every run draws "
                    "the same noise and mini-batches, so the two take the same steps: one path.")
            card = {**card, "panel": {**card["panel"], "sentence": card["panel"]["sentence"] + note}}
        out.append(card)
    return out
