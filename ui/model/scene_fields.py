"""What each scene field may hold: ranges, schedule parameters, per-optimizer overrides.

The codec (``ui/model/scene.py``) and the controls (``ui/web/controls.py``) both read these tables, so a
slider can never offer a value that a link would refuse.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable, Optional, Union

import optimizers

Number = Union[int, float]

# Scene-wide ranges (issue 3).
LR_RANGE = (1e-5, 10.0)
MOMENTUM_RANGE = (0.0, 0.999)
STEPS_RANGE = (10, 2000)
NOISE_RANGE = (0.0, 10.0)
SEED_RANGE = (0, 2**31 - 1)
REPEAT_RANGE = (1, 10)    # seeds per optimizer, drawn faintly (issue 5)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128)  # the batch-size control's choices; a link may hold any size
START_RANGE = (-1e3, 1e3)  # a run's own start; the codec then checks it against the landscape's view
MAX_OPTIMIZERS = 8
MAX_QUERY_LENGTH = 4000  # a link longer than this is not ours (8 runs with every override fit in ~1500)
MAX_VALUE_LENGTH = 100

SIGNIFICANT = 4  # floats are kept to 4 significant digits, so a link reads well and round-trips exactly


def canonical(value: float) -> float:
    """The float a link can carry: 4 significant digits, no negative zero."""
    value = float(f"{float(value):.{SIGNIFICANT}g}")
    return 0.0 if value == 0 else value


def format_number(value: Number) -> str:
    """Shortest text for a canonical number: 0.001, 1e-05, -1.5, 300."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return f"{canonical(value):.{SIGNIFICANT}g}"


def parse_float(text: str) -> Optional[float]:
    """A finite float from text, or None (NaN, inf, garbage and overlong text all give None)."""
    if not isinstance(text, str) or len(text) > MAX_VALUE_LENGTH:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return canonical(value) if math.isfinite(value) else None


def parse_int(text: str) -> Optional[int]:
    """An int from text such as '300' or '3e2' (a whole number), or None. Exact: never rounded."""
    if not isinstance(text, str) or len(text) > MAX_VALUE_LENGTH:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value) or abs(value) > 2**53:
        return None
    return int(value)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_bool(text: str) -> Optional[bool]:
    low = text.strip().lower() if isinstance(text, str) else ""
    return True if low in _TRUE else False if low in _FALSE else None


def in_range(value: Number, bounds) -> bool:
    return bounds[0] <= value <= bounds[1]


# --- Schedules: each has one main parameter, named as in torch.optim.lr_scheduler -------------

@dataclasses.dataclass(frozen=True)
class ScheduleParam:
    """The one parameter a schedule exposes on the page and in the link."""

    key: str               # torch's argument name, also the query-string key
    label: str             # what the slider says
    kind: type             # int or float
    bounds: tuple
    default: Callable[[int], Number]  # steps -> default value
    step: Number           # slider resolution


SCHEDULE_PARAMS = {
    "constant": None,
    "step": ScheduleParam("step_size", "step_size: lr × 0.1 every … steps", int, (1, 2000),
                          lambda steps: max(1, steps // 3), 1),
    "multistep": ScheduleParam("gamma", "gamma: lr factor at 50% and 75% of the run", float, (0.01, 1.0),
                               lambda steps: 0.1, 0.01),
    "exponential": ScheduleParam("gamma", "gamma: lr factor per step", float, (0.9, 1.0),
                                 lambda steps: 0.99, 0.001),
    "cosine": ScheduleParam("T_max", "T_max: steps in one cosine half-period", int, (1, 2000),
                            lambda steps: steps, 1),
    "linear": ScheduleParam("total_iters", "total_iters: warm-up steps from lr/3 to lr", int, (1, 2000),
                            lambda steps: max(5, steps // 10), 1),
    "onecycle": ScheduleParam("pct_start", "pct_start: share of the run spent rising to lr", float,
                              (0.05, 0.95), lambda steps: 0.3, 0.05),
    "plateau": ScheduleParam("patience", "patience: steps without progress before lr × 0.1", int, (0, 500),
                             lambda steps: 10, 1),
}

SCHEDULE_TITLES = {
    "constant": "Constant", "step": "Step decay", "multistep": "Multi-step decay",
    "exponential": "Exponential decay", "cosine": "Cosine annealing", "linear": "Linear warm-up",
    "onecycle": "One-cycle", "plateau": "Reduce on plateau",
}


def schedule_param(name: str) -> Optional[ScheduleParam]:
    return SCHEDULE_PARAMS.get(name)


def schedule_param_keys() -> set:
    return {p.key for p in SCHEDULE_PARAMS.values() if p is not None}


# --- Per-optimizer overrides ---------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Override:
    """One hyperparameter a per-optimizer panel may change.

    The optimizers' own hyperparameters come from the registry (``optimizers.info(name).controls``):
    nothing here names an optimizer. ``torch_name`` is how torch spells it (``betas[0]`` for β₁):
    the members of torch's pairs are separate here (``adam.beta2=0.99`` in a link) and join into
    the pair when the optimizer is built. ``pinned`` overrides replace a scene-wide slider (lr,
    momentum, β₁), so they are kept even when equal to torch's default.

    ``run`` settings are not torch hyperparameters but belong to one run, so every optimizer
    offers them: a learning rate per coordinate (torch's two ``param_groups``, one for x and one
    for y), a constant rate whatever the scene's schedule, and the run's own start. ``default``
    is what an unset run setting means (None: the scene's value).
    """

    key: str
    label: str
    kind: str            # "float" or "bool"
    bounds: tuple = (0.0, 1.0)
    torch_name: Optional[str] = None
    pinned: bool = False
    run: bool = False
    default: object = None


# What the scene's sliders set, so an optimizer's own value for them is kept even at torch's default.
PINNED = ("lr", "momentum", "beta1")
# The sliders' ranges bound the per-optimizer boxes that replace them.
SLIDER_BOUNDS = {"lr": LR_RANGE, "momentum": MOMENTUM_RANGE}


def _engine_overrides() -> dict:
    """Every hyperparameter some registry entry offers, from the entries' own descriptions."""
    out = {}
    for name in optimizers.names():
        for c in optimizers.info(name).controls:
            if c.key not in out:
                out[c.key] = Override(c.key, c.label, c.kind, SLIDER_BOUNDS.get(c.key, tuple(c.bounds)),
                                      c.torch_name, pinned=c.key in PINNED)
    return out


RUN_OVERRIDES = {
    o.key: o
    for o in [
        Override("lr_x", "lr for x", "float", LR_RANGE, pinned=True, run=True),
        Override("lr_y", "lr for y", "float", LR_RANGE, pinned=True, run=True),
        Override("fixed_lr", "constant lr (no schedule)", "bool", run=True, default=False),
        Override("x0", "start x", "float", START_RANGE, pinned=True, run=True),
        Override("y0", "start y", "float", START_RANGE, pinned=True, run=True),
    ]
}
OVERRIDES = {**_engine_overrides(), **RUN_OVERRIDES}
GROUP_KEYS = ("lr_x", "lr_y")  # the two parameter groups' learning rates


def override_keys(name: str) -> list:
    """The override keys an optimizer offers, in panel order: its registry entry's, then the run settings."""
    return [c.key for c in optimizers.info(name).controls] + list(RUN_OVERRIDES)


def torch_part(torch_name: str):
    """("betas", 0) for "betas[0]"; ("eps", None) for a plain name."""
    base, _, index = torch_name.partition("[")
    return base, (int(index[:-1]) if index else None)


def torch_default(key: str, defaults):
    """Torch's default for an override key (a pair's member out of its pair); a run setting's own."""
    spec = OVERRIDES[key]
    if spec.run:
        return spec.default
    base, index = torch_part(spec.torch_name)
    value = defaults[base] if index is None else defaults[base][index]
    # a switch whose torch default is None or a name (L-BFGS's line_search_fn): off or on, as its box shows it
    return bool(value) if spec.kind == "bool" else value


def parse_override(key: str, text: str):
    """An override value from link text, or None if malformed or out of range."""
    spec = OVERRIDES[key]
    if spec.kind == "bool":
        return parse_bool(text)
    value = parse_float(text)
    return value if value is not None and in_range(value, spec.bounds) else None


def same_value(a, b) -> bool:
    """Whether an override equals a default (floats compare canonically)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    try:
        return canonical(a) == canonical(b)
    except (TypeError, ValueError):
        return False
