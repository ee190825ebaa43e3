"""The scene and its link: the one pure codec, query string (or loose values) -> ``Scene`` -> query string.

A scene is everything that decides the trajectories: a typed, frozen ``Scene``
(``ui/model/scene_type.py``). The codec is the only maker of one: a link, the controls' values
and a store the browser sends back are each read here once per request, and the rest of ui/
reads attributes. Its JSON form (``Scene.to_dict()``, in a ``dcc.Store`` and a scene file) is::

    {"landscape": "rosenbrock", "optimizers": ["sgd", "momentum", "adam"],
     "lr": 0.001, "momentum": 0.9, "x0": -1.5, "y0": 2.0, "steps": 300,
     "schedule": "cosine", "schedule_param": 300, "noise": 0.0, "seed": 0,
     "overrides": {"adam": {"lr": 0.05, "beta2": 0.99}},
     "expr": None, "repeat": 1, "batch": None}

and its link reads::

    ?landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.001&momentum=0.9&x0=-1.5&y0=2&steps=300
     &schedule=cosine&T_max=300&adam.lr=0.05&adam.beta2=0.99

The schedule's parameter goes under its torch name (``step_size``, ``gamma``, ``T_max``,
``total_iters``, ``pct_start``, ``patience``); ``noise`` and ``seed`` appear when not 0; each
override is ``<optimizer>.<hyperparameter>``. A custom surface is ``landscape=custom&expr=<formula>``
(the formula is parsed, never run: ``ui/model/surfaces.py``); ``repeat`` (seeds per optimizer) appears
above 1 and ``batch`` (mini-batch size, dataset surfaces only) when set. ``parse`` never raises: whatever is unknown,
out of range or malformed falls back to its default, and a warning naming the field says so.
``normalize`` (= parse after encode) is how controls' raw values become a scene.
"""

from __future__ import annotations

import re
from typing import List, Mapping, Optional, Tuple
from urllib.parse import parse_qsl, quote

import landscapes
import optimizers

from ui.model import lesson_catalog, surfaces
from ui.model import network_fields as N
from ui.model import scene_fields as F
from ui.model.scene_type import Scene

PREFERRED_LANDSCAPE = "rosenbrock"
PREFERRED_OPTIMIZERS = ("sgd", "momentum", "adam")  # the first-open lesson: momentum helps in a ravine
DEFAULT_LR = 0.001
DEFAULT_MOMENTUM = 0.9
DEFAULT_STEPS = 300
DEFAULT_OVERRIDES = {"adam": {"lr": 0.05}}


def _show(text: str, limit: int = 24) -> str:
    """A user's value, quoted and cut short, for a warning."""
    text = str(text)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def default_landscape() -> str:
    names = landscapes.names()
    return PREFERRED_LANDSCAPE if PREFERRED_LANDSCAPE in names else names[0]


def default_start(landscape: str) -> Tuple[float, float]:
    if N.is_network(landscape):
        return 0.0, 0.0  # a network starts at its seeded initialisation: the origin of its plane
    x, y = surfaces.get(landscape).start
    return F.canonical(x), F.canonical(y)


def default_scene() -> Scene:
    """The scene a page opens on without a link: SGD, momentum and Adam in Rosenbrock's ravine."""
    name = default_landscape()
    known = optimizers.names()
    opts = [o for o in PREFERRED_OPTIMIZERS if o in known] or known[:3]
    x0, y0 = default_start(name)
    # Adam's lr is roughly its step length, so at SGD's rate it would barely move: its own rate
    # makes three distinct behaviours, and shows the per-optimizer panel in use.
    overrides = {n: dict(v) for n, v in DEFAULT_OVERRIDES.items() if n in opts}
    return Scene(landscape=name, optimizers=tuple(opts), lr=DEFAULT_LR, momentum=DEFAULT_MOMENTUM,
                 x0=x0, y0=y0, steps=DEFAULT_STEPS, overrides=overrides)


# --- encode ----------------------------------------------------------------------------------

def _text(value) -> str:
    """Link text for one value; odd values (from controls) pass through for parse to judge."""
    if isinstance(value, (bool, int, float)):
        try:
            return F.format_number(value)
        except (OverflowError, ValueError):
            return str(value)
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    return "" if value is None else str(value)


def encode(scene) -> str:
    """The query string (no leading '?') for a Scene, or for loose values (a dict: the controls', an
    edited store's or a scene file's), in a fixed, readable order. Values of the wrong type pass
    through as text for parse to judge."""
    scene = scene.to_dict() if isinstance(scene, Scene) else scene if isinstance(scene, dict) else {}
    chosen = scene.get("optimizers") or []
    chosen = list(chosen) if isinstance(chosen, (list, tuple)) else [chosen]
    schedule = scene.get("schedule") or "constant"
    pairs = [("landscape", scene.get("landscape"))]
    if scene.get("landscape") == surfaces.CUSTOM:
        expr = scene.get("expr")
        pairs.append(("expr", surfaces.DEFAULT_EXPRESSION if expr is None else expr))  # "" says "empty"
    network = N.is_network(scene.get("landscape"))
    pairs += [("opt", chosen), ("lr", scene.get("lr")), ("momentum", scene.get("momentum"))]
    if not network:  # a network starts at its seeded initialisation
        pairs += [("x0", scene.get("x0")), ("y0", scene.get("y0"))]
    pairs += [("steps", scene.get("steps")), ("schedule", schedule)]
    param = F.schedule_param(schedule) if isinstance(schedule, str) else None
    if param is not None and scene.get("schedule_param") is not None:
        pairs.append((param.key, scene["schedule_param"]))
    for key in ("noise", "seed", "batch"):
        if scene.get(key):
            pairs.append((key, scene[key]))
    if scene.get("repeat") not in (None, 1):
        pairs.append(("repeat", scene["repeat"]))
    if network:
        pairs += [("hidden", scene.get("hidden")), ("activation", scene.get("activation"))]
        pairs += [(key, scene[key]) for key in ("net_seed", "layer_lr") if scene.get(key)]
    overrides = scene.get("overrides")
    overrides = overrides if isinstance(overrides, Mapping) else {}
    for name in chosen:
        own = overrides.get(name) if isinstance(name, str) else None
        for key, value in (own if isinstance(own, Mapping) else {}).items():
            pairs.append((f"{name}.{key}", value))
    return "&".join(f"{quote(str(k), safe='._')}={quote(_text(v), safe=',.-_*()')}" for k, v in pairs)


# --- parse -----------------------------------------------------------------------------------

def _read_pairs(query, warnings) -> dict:
    """key -> first value; duplicates, overlong links and junk are warned about, never raised."""
    query = query if isinstance(query, str) else ""
    query = query[1:] if query.startswith("?") else query
    if len(query) > F.MAX_QUERY_LENGTH:
        warnings.append(f"link: longer than {F.MAX_QUERY_LENGTH} characters; opened the default scene")
        return {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=200)
    except ValueError:
        warnings.append("link: too many parameters; opened the default scene")
        return {}
    values, repeated = {}, set()
    for key, value in pairs:
        if key not in values:
            values[key] = value
        elif value != values[key] and key not in repeated:
            repeated.add(key)
            warnings.append(f"{key}: given more than once; using the first, {_show(values[key])}")
    return values


def _fallback(default, kept, bounds, unit=""):
    """(value, words) a bad field falls back to: the last good scene's value when there is one
    (the controls' case: the scene stays as it was), else the default (a link's case)."""
    if isinstance(kept, (int, float)) and not isinstance(kept, bool) and F.in_range(kept, bounds):
        return kept, f"keeping {F.format_number(kept)}"
    return default, f"using {F.format_number(default)}{unit}"


def _number(values, key, reader, bounds, default, warnings, unit="", kept=None):
    """One numeric field: the link's value if it reads and lies in bounds, else the fallback."""
    if key not in values:
        return default
    text = values.pop(key)
    value = reader(text)
    if value is None:
        kind = "whole" if reader is F.parse_int else "finite"
        fallback, words = _fallback(default, kept, bounds, unit)
        warnings.append(f"{key}: {_show(text)} is not a {kind} number; {words}")
        return fallback
    if not F.in_range(value, bounds):
        fallback, words = _fallback(default, kept, bounds, unit)
        warnings.append(f"{key}: {_show(text)} is outside "
                        f"{F.format_number(bounds[0])}..{F.format_number(bounds[1])}; {words}")
        return fallback
    return value


def _landscape(values, warnings) -> str:
    name = values.pop("landscape", None)
    if name is None or name in landscapes.names() or name == surfaces.CUSTOM or N.is_network(name):
        return name or default_landscape()
    warnings.append(f"landscape: unknown surface {_show(name)}; using {default_landscape()}")
    return default_landscape()


def _expression(values, landscape, warnings, base):
    """A custom surface's formula; one that cannot be drawn falls back (to the last good one, for
    the controls) and the warning says why, in the parser's words."""
    text = values.pop("expr", None)
    if landscape != surfaces.CUSTOM:
        if text is not None:
            warnings.append("expr: a formula is used only with landscape=custom; ignored")
        return None
    kept = base.get("expr") if base.get("landscape") == surfaces.CUSTOM else None
    fallback = kept if isinstance(kept, str) and surfaces.expression_error(kept) is None \
        else surfaces.DEFAULT_EXPRESSION
    if text is None:
        return fallback
    error = surfaces.expression_error(text)
    if error is None:
        return text
    warnings.append(f"expr: {error}; showing {fallback}")
    return fallback


def _batch(values, landscape, warnings):
    """A mini-batch size for a dataset surface: 1..its sample count, else the full batch."""
    if "batch" not in values:
        return None
    text = values.pop("batch")
    size = N.N_SAMPLES if N.is_network(landscape) else surfaces.get(landscape).n_samples
    if not size:
        warnings.append("batch: only dataset surfaces have mini-batches; ignored")
        return None
    value = F.parse_int(text)
    if value is None or not 1 <= value <= size:
        warnings.append(f"batch: {_show(text)} is not a whole number in 1..{size}; using the full batch")
        return None
    return None if value == size else value


def _optimizers(values, warnings) -> list:
    if "opt" not in values:
        return list(default_scene().optimizers)
    known, chosen, over = optimizers.names(), [], []
    for name in (n.strip() for n in values.pop("opt").split(",")):
        if not name:
            continue
        if name not in known:
            warnings.append(f"opt: unknown optimizer {_show(name)} left out")
        elif name in chosen or name in over:
            warnings.append(f"opt: {name} listed twice; kept once")
        elif len(chosen) == F.MAX_OPTIMIZERS:
            over.append(name)
        else:
            chosen.append(name)
    if over:  # one message however many: a link with all 21 says so once
        warnings.append(f"opt: at most {F.MAX_OPTIMIZERS} optimizers in one scene; {', '.join(over)} left out")
    return chosen


def _schedule(values, steps, warnings, base) -> Tuple[str, object]:
    name = values.pop("schedule", "constant")
    if name not in optimizers.schedule_names() or name not in F.SCHEDULE_PARAMS:
        warnings.append(f"schedule: unknown schedule {_show(name)}; using constant")
        name = "constant"
    param = F.schedule_param(name)
    value = None
    if param is not None:
        reader = F.parse_int if param.kind is int else F.parse_float
        kept = base.get("schedule_param") if base.get("schedule") == name else None
        value = _number(values, param.key, reader, param.bounds, param.default(steps), warnings, kept=kept)
    for key in sorted(F.schedule_param_keys() & set(values)):
        values.pop(key)
        warnings.append(f"{key}: not a parameter of the {name} schedule; ignored")
    return name, value


def _overrides(values, chosen, warnings, base, bounds) -> dict:
    overrides, kept_overrides = {}, base.get("overrides")
    kept_overrides = kept_overrides if isinstance(kept_overrides, Mapping) else {}
    for key in [k for k in values if "." in k]:
        text = values.pop(key)
        name, _, hyper = key.partition(".")
        if name not in chosen:
            warnings.append(f"{key}: {_show(name)} is not among the chosen optimizers; ignored")
            continue
        defaults = optimizers.info(name).defaults
        if hyper not in F.override_keys(name):
            warnings.append(f"{key}: {name} has no hyperparameter {_show(hyper)} to set here; ignored")
            continue
        value = F.parse_override(hyper, text)
        spec = F.OVERRIDES[hyper]
        if value is None:
            expected = "on/off" if spec.kind == "bool" else \
                f"a number in {F.format_number(spec.bounds[0])}..{F.format_number(spec.bounds[1])}"
            own = kept_overrides.get(name)
            kept = own.get(hyper) if isinstance(own, Mapping) else None
            kept = None if kept is None else F.parse_override(hyper, _text(kept))
            if kept is None:
                warnings.append(f"{key}: {_show(text)} is not {expected}; using the default")
                continue
            warnings.append(f"{key}: {_show(text)} is not {expected}; keeping {_text(kept)}")
            value = kept
        view = dict(zip(("x0", "y0"), bounds)).get(hyper)
        if view is not None and not F.in_range(value, view):
            warnings.append(f"{key}: {_show(text)} is outside the view "
                            f"{F.format_number(view[0])}..{F.format_number(view[1])}; using the scene's start")
            continue
        if spec.pinned or not F.same_value(value, F.torch_default(hyper, defaults)):
            overrides.setdefault(name, {})[hyper] = value
    # A fixed key order keeps equal scenes equal as JSON too.
    return {name: {k: overrides[name][k] for k in F.OVERRIDES if k in overrides[name]}
            for name in chosen if name in overrides}


def parse(query, base=None) -> Tuple[Scene, List[str]]:
    """(scene, warnings) from a query string. Never raises; every warning names its field.

    A bad value falls back to its default, or, given ``base`` (a valid scene: the controls' last
    good one), to base's value, so the scene stays as it was in that field.
    """
    warnings: List[str] = []
    base = base.to_dict() if isinstance(base, Scene) else base if isinstance(base, dict) else {}
    values = _read_pairs(query, warnings)
    lesson = _view(values, warnings)["lesson"]
    if not values:
        if lesson is not None:  # a short lesson link, "?lesson=divergence": the lesson's own scene
            return parse(lesson_catalog.queries()[lesson])[0], warnings
        return default_scene(), warnings  # first open: the teaching scene, overrides included
    scene = {"landscape": _landscape(values, warnings)}
    scene["expr"] = _expression(values, scene["landscape"], warnings, base)
    scene["optimizers"] = _optimizers(values, warnings)
    if N.is_network(scene["landscape"]):
        return _network_scene(scene, values, warnings, base)
    surface = surfaces.surface_name(scene["landscape"], scene["expr"])
    scene["lr"] = _number(values, "lr", F.parse_float, F.LR_RANGE, DEFAULT_LR, warnings, kept=base.get("lr"))
    scene["momentum"] = _number(values, "momentum", F.parse_float, F.MOMENTUM_RANGE, DEFAULT_MOMENTUM, warnings,
                                kept=base.get("momentum"))
    (xmin, xmax), (ymin, ymax) = surfaces.get(surface).bounds
    x0, y0 = default_start(surface)
    here = base if base.get("landscape") == scene["landscape"] else {}
    scene["x0"] = _number(values, "x0", F.parse_float, (xmin, xmax), x0, warnings, " (the surface's start)",
                          kept=here.get("x0"))
    scene["y0"] = _number(values, "y0", F.parse_float, (ymin, ymax), y0, warnings, " (the surface's start)",
                          kept=here.get("y0"))
    if (scene["x0"], scene["y0"]) != (x0, y0) and not surfaces.finite_at(surface, scene["x0"], scene["y0"]):
        warnings.append(f"x0, y0: f is not finite at ({F.format_number(scene['x0'])}, "
                        f"{F.format_number(scene['y0'])}); using the surface's start")
        scene["x0"], scene["y0"] = x0, y0
    scene["steps"] = _number(values, "steps", F.parse_int, F.STEPS_RANGE, DEFAULT_STEPS, warnings,
                             kept=base.get("steps"))
    scene["schedule"], scene["schedule_param"] = _schedule(values, scene["steps"], warnings, base)
    scene["noise"] = _number(values, "noise", F.parse_float, F.NOISE_RANGE, 0.0, warnings, kept=base.get("noise"))
    scene["seed"] = _number(values, "seed", F.parse_int, F.SEED_RANGE, 0, warnings, kept=base.get("seed"))
    scene["overrides"] = _overrides(values, scene["optimizers"], warnings, base, ((xmin, xmax), (ymin, ymax)))
    scene["repeat"] = _number(values, "repeat", F.parse_int, F.REPEAT_RANGE, 1, warnings, kept=base.get("repeat"))
    scene["batch"] = _batch(values, surface, warnings)
    for key in values:
        warnings.append(f"{_show(key)}: unknown parameter; ignored")
    return Scene.from_dict(scene), warnings


def _network_scene(scene: Scene, values: dict, warnings: list, base: dict) -> Tuple[Scene, List[str]]:
    """The rest of a network scene: no start to pick (the network's seeded initialisation is the
    origin of its plane), and the network's own fields (``ui/model/network_fields.py``)."""
    here = base if base.get("landscape") == scene["landscape"] else {}
    scene["lr"] = _number(values, "lr", F.parse_float, F.LR_RANGE, DEFAULT_LR, warnings, kept=base.get("lr"))
    scene["momentum"] = _number(values, "momentum", F.parse_float, F.MOMENTUM_RANGE, DEFAULT_MOMENTUM, warnings,
                                kept=base.get("momentum"))
    for key in ("x0", "y0"):
        text = values.pop(key, None)
        if text is not None and F.parse_float(text) != 0.0:
            warnings.append(f"{key}: a network starts at its seeded initialisation (net_seed); ignored")
    scene["x0"] = scene["y0"] = 0.0
    scene["steps"] = _number(values, "steps", F.parse_int, F.STEPS_RANGE, DEFAULT_STEPS, warnings,
                             kept=base.get("steps"))
    scene["schedule"], scene["schedule_param"] = _schedule(values, scene["steps"], warnings, base)
    scene["noise"] = _number(values, "noise", F.parse_float, F.NOISE_RANGE, 0.0, warnings, kept=base.get("noise"))
    scene["seed"] = _number(values, "seed", F.parse_int, F.SEED_RANGE, 0, warnings, kept=base.get("seed"))
    unbounded = ((-float("inf"), float("inf")),) * 2
    overrides = _overrides(values, scene["optimizers"], warnings, base, unbounded)
    for name, own in overrides.items():
        for key in [k for k in own if k in ("lr_x", "lr_y", "x0", "y0")]:
            own.pop(key)
            warnings.append(f"{name}.{key}: a network has no x and y; use layer_lr for its layers' rates; ignored")
    scene["overrides"] = {name: own for name, own in overrides.items() if own}
    scene["repeat"] = _number(values, "repeat", F.parse_int, F.REPEAT_RANGE, 1, warnings, kept=base.get("repeat"))
    scene["batch"] = _batch(values, scene["landscape"], warnings)
    scene["hidden"] = list(_network_field(values, "hidden", N.parse_hidden, here, N.DEFAULT_HIDDEN, warnings))
    activation = values.pop("activation", None)
    if activation is not None and activation not in N.ACTIVATIONS:
        warnings.append(f"activation: {_show(activation)} is not one of {', '.join(N.ACTIVATIONS)}; "
                        f"using {N.DEFAULT_ACTIVATION}")
        activation = None
    scene["activation"] = activation or N.DEFAULT_ACTIVATION
    scene["net_seed"] = _number(values, "net_seed", F.parse_int, F.SEED_RANGE, 0, warnings,
                                kept=here.get("net_seed"))
    layer_lr = None
    if "layer_lr" in values:
        text = values.pop("layer_lr")
        layer_lr, why = N.parse_layer_lr(text, scene["hidden"]) if text != "" else (None, None)
        if why is not None:
            warnings.append(f"layer_lr: {_show(text)} {why}; every layer at the optimizer's lr")
    scene["layer_lr"] = None if layer_lr is None or all(v == 1.0 for v in layer_lr) else list(layer_lr)
    scene["expr"] = None
    for key in values:
        warnings.append(f"{_show(key)}: unknown parameter; ignored")
    return Scene.from_dict(scene), warnings


def _network_field(values, key, reader, here, default, warnings):
    """One network field read by ``reader`` (text -> (value, why)); a bad one keeps the last good."""
    if key not in values:
        return default
    text = values.pop(key)
    value, why = reader(text)
    if why is None:
        return value
    kept = here.get(key)
    fallback = tuple(kept) if isinstance(kept, list) and reader(_text(kept))[1] is None else default
    warnings.append(f"{key}: {_show(text)} {why}; using {_text(list(fallback))}")
    return fallback


def normalize(raw, base=None) -> Tuple[Scene, List[str]]:
    """A Scene from loose values (the controls', a store's, a scene file's: a dict, or a Scene that was
    changed by ``replace``): the same checks as a link; a bad value falls back to ``base``'s (the last
    good Scene's) where given, else to its default."""
    return parse(encode(raw), base)


def read(value) -> Optional[Scene]:
    """The Scene in a store's loose dict, read by the codec (None when it holds none)."""
    return normalize(value)[0] if isinstance(value, (dict, Scene)) and value else None


# --- the view: how the page shows a scene (never what the runs are) -------------------------------
#
# A link also carries view flags, after the scene: ``lesson=<id>`` (its caption, and where
# the L key goes next), ``teach=1`` (the step inspector and the other "why" panels),
# ``present=1`` (presentation mode), ``predict=1`` (predict first: the scene opens at step 0 and
# the results stay hidden until it is played to the end), ``t=<step>`` (the step shown; the
# browser writes it as the animation plays, assets/share.js) and, on a network scene,
# ``weight=<name>`` (the weight whose view is shown, e.g. ``2.weight[0]``; the browser writes it as
# it is picked, assets/network_views.js). ``parse`` reads past them, warning about bad ones.

VIEW_DEFAULTS = {"lesson": None, "teach": False, "present": False, "predict": False, "t": None, "weight": None}
WEIGHT_NAME = re.compile(r"[0-9]{1,2}\.(weight|bias)\[[0-9]{1,4}\]")  # a parameter's torch name and index
VIEW_FLAGS = ("teach", "present", "predict")


def _view(values, warnings) -> dict:
    """Pop the view flags off a link's values; a bad one is named and dropped."""
    view = dict(VIEW_DEFAULTS)
    lesson = values.pop("lesson", None)
    if lesson is not None:
        if lesson in lesson_catalog.queries():
            view["lesson"] = lesson
        else:
            warnings.append(f"lesson: unknown lesson {_show(lesson)}; ignored")
    for key in VIEW_FLAGS:
        if key in values:
            flag = F.parse_bool(values.pop(key))
            if flag is None:
                warnings.append(f"{key}: expected 1 or 0; ignored")
            view[key] = bool(flag)
    if "t" in values:
        text = values.pop("t")
        step = F.parse_int(text)
        if step is None or not 0 <= step <= F.STEPS_RANGE[1]:
            warnings.append(f"t: {_show(text)} is not a step in 0..{F.STEPS_RANGE[1]}; ignored")
        else:
            view["t"] = step
    if "weight" in values:
        text = values.pop("weight")
        if WEIGHT_NAME.fullmatch(text or ""):
            view["weight"] = text
        else:
            warnings.append(f"weight: {_show(text)} is not a parameter's name such as 2.weight[0]; ignored")
    return view


def parse_view(query) -> dict:
    """The view flags of a link (``parse`` reports what was wrong with them)."""
    return _view(_read_pairs(query, []), [])


def encode_view(view: dict) -> str:
    """The view flags' part of a link ('' for the defaults), to follow ``encode(scene)``."""
    view = view or {}
    pairs = [("lesson", view["lesson"])] if view.get("lesson") else []
    if isinstance(view.get("weight"), str) and WEIGHT_NAME.fullmatch(view["weight"]):
        pairs.append(("weight", view["weight"]))
    pairs += [(key, "1") for key in VIEW_FLAGS if view.get(key)]
    if isinstance(view.get("t"), int) and not isinstance(view["t"], bool):
        pairs.append(("t", view["t"]))
    return "&".join(f"{k}={quote(str(v), safe='-_.[]')}" for k, v in pairs)


def link(scene, view: dict = None) -> str:
    """The whole query string of a scene shown with a view."""
    return "&".join(part for part in (encode(scene), encode_view(view)) if part)
