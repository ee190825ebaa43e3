"""The "How training works" diagram: which of its parts the current scene uses. Pure.

The drawing is ``assets/training.svg``: every part is a ``<g class="part part-<name>">``. The
page puts ``uses-<name>`` classes on the diagram's wrapper for the parts in use, and the style
sheet lights those up; the core loop is always in use.
"""

from __future__ import annotations

import functools
import os
from typing import Dict, List

import numpy as np

import optimizers

from ui.model import scene_fields as F
from ui.paths import ASSETS
from ui.model.scene_type import Scene

SVG_PATH = os.path.join(ASSETS, "training.svg")
CORE = ("params", "forward", "loss", "backward", "gradients", "optimizer")
OPTIONAL = ("scheduler", "groups", "state", "decay", "noise")


@functools.lru_cache(maxsize=1)
def svg_text() -> str:
    with open(SVG_PATH, encoding="utf-8") as f:
        return f.read()


def _settings(scene: Scene) -> Dict[str, dict]:
    """Each chosen optimizer's resolved hyperparameters (a refused setting is left out)."""
    out = {}
    for name in scene.optimizers:
        try:
            out[name] = dict(optimizers.get(name, **scene.hyperparameters(name)).hyper)
        except (ValueError, TypeError):
            continue
    return out


def _keeps_state(name: str, settings: dict) -> bool:
    """Whether the rule keeps buffers between steps (its module says: momentum-free SGD does not)."""
    return optimizers.info(name).keeps_state(settings)


def parts_in_use(scene: Scene) -> Dict[str, str]:
    """{optional part: why it is in use} for the scene; the core loop is always in use."""
    settings = _settings(scene)
    titles = {n: optimizers.info(n).title for n in scene.optimizers}
    used = {}
    if scene.schedule != "constant":
        used["scheduler"] = (f"{F.SCHEDULE_TITLES.get(scene.schedule, scene.schedule)} sets the learning "
                             "rate γ at every step.")
    grouped = [titles[n] for n in scene.optimizers if scene.parameter_groups(n, scene.lr) is not None]
    if grouped:
        used["groups"] = f"{', '.join(grouped)}: x and y are two parameter groups, each with its own rate."
    stateful = [titles[n] for n, s in settings.items() if _keeps_state(n, s)]
    if stateful:
        used["state"] = f"{', '.join(stateful)} keep buffers from step to step (see the inspector)."
    decayed = [titles[n] for n, s in settings.items() if np.any(np.asarray(s.get("weight_decay", 0)) > 0)]
    if decayed:
        used["decay"] = f"{', '.join(decayed)}: weight decay pulls θ towards 0."
    if scene.noise > 0:
        used["noise"] = f"Gaussian noise σ = {scene.noise:g} on every gradient, as a mini-batch gives."
    return used


def diagram_class(scene: Scene) -> str:
    """The wrapper's class list: ``diagram`` and ``uses-<part>`` for each optional part in use."""
    return " ".join(["diagram"] + [f"uses-{part}" for part in OPTIONAL if part in parts_in_use(scene)])


def diagram_notes(scene: Scene) -> List[str]:
    """One line per optional part in use, in the diagram's order."""
    used = parts_in_use(scene)
    return [used[part] for part in OPTIONAL if part in used]
