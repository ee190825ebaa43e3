"""Bad input never hurts: the hard limits, one error path for every callback, and the checks.

Three layers, from the general to the specific:

1. ``callback_error`` is Dash's app-level ``on_error``: whatever a callback raises ends there. The
   user's ``message`` element gets a sentence (``set_props``), every output keeps its value (so the
   last good scene stays), and the details go to the server log, never to the page. A callback
   added later is covered without a line of its own.
2. ``request_error`` is a Flask error handler for what fails outside a callback: a body that is not
   JSON, an unknown callback, inputs of the wrong shape. The answer is a 400 with a short JSON
   reason, never a 500 or a traceback.
3. The ``check_*`` helpers below, where a message must say exactly what was wrong or where a value
   could cost a worker dearly (a store edited to ask for a million traces). They raise
   ``BadInput``, whose text is shown as it is.

The browser holds every store, so the server trusts none of them: a scene from a store is read
again by the URL codec, exactly as a link is.
"""

from __future__ import annotations

import logging
import math
import numbers
from typing import List, Optional, Tuple

from dash import ctx, html, set_props
from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from ui.model import limits
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.model.limits import BadInput, KEEP
from ui.web import ids
from ui.model.scene_type import Scene

log = logging.getLogger("gradscape")

DISPATCH = "/_dash-update-component"


def _said(value, limit: int = 40) -> str:
    """A value the user sent, quoted and cut short, for a message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# --- 1. every callback: one error path -------------------------------------------------------------

def _trigger() -> str:
    try:
        prop = ctx.triggered[0]["prop_id"] if ctx.triggered else ""
    except (LookupError, TypeError, AttributeError):
        prop = ""
    prop = str(prop).split(".")[0]
    return prop if prop and len(prop) <= 40 and prop.isprintable() else ""


def show_message(text: str) -> None:
    """Put one sentence in the ``message`` element from inside any callback."""
    set_props(ids.MESSAGE, {"children": [html.P(text, className="message-error")]})


def callback_error(err: Exception):
    """Dash's ``on_error`` for the whole app: a message for the user, no output changes."""
    if isinstance(err, BadInput):
        text = str(err)
    else:
        source = _trigger()
        log.error("callback failed (trigger %r): %s: %s", source, type(err).__name__, err, exc_info=err)
        text = (f"That change{f' to “{source}”' if source else ''} could not be used. {KEEP}")
    show_message(text)
    return None  # Dash then leaves every output as it was


# --- 2. malformed requests ----------------------------------------------------------------------------

def request_error(err: Exception):
    """Flask's handler for exceptions outside callbacks: short answers, never a traceback."""
    if isinstance(err, HTTPException):
        if request.path.endswith(DISPATCH):
            return jsonify(error=err.name, message=err.description), err.code
        return err
    if request.path.endswith(DISPATCH):
        log.warning("malformed callback request: %s: %s", type(err).__name__, str(err)[:200])
        return jsonify(error="Bad Request", message="This callback request could not be read."), 400
    log.error("request to %s failed", request.path, exc_info=err)
    return jsonify(error="Internal Server Error"), 500


def install(app) -> None:
    """Limits and the error handler on an app's Flask server (``on_error`` is given to dash.Dash)."""
    app.server.config["MAX_CONTENT_LENGTH"] = limits.MAX_REQUEST_BYTES
    app.server.register_error_handler(Exception, request_error)


# --- 3. explicit checks -------------------------------------------------------------------------------

def is_number(value) -> bool:
    """A finite int or float, not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def check_number(value, field: str, bounds=None, optional=False) -> Optional[float]:
    """A finite number (within bounds if given), or None when optional; else BadInput naming the field."""
    if value is None and optional:
        return None
    if not is_number(value):
        raise BadInput(f"{field}: {_said(value)} is not a finite number. {KEEP}")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise BadInput(f"{field}: {_said(value)} is outside {bounds[0]:g}..{bounds[1]:g}. {KEEP}")
    return value


def check_choice(value, options, field: str) -> str:
    if not isinstance(value, str) or value not in options:
        raise BadInput(f"{field}: {_said(value)} is not one of the choices. {KEEP}")
    return value


def check_names(value, options, field: str, limit: int) -> List[str]:
    """A list of known names (a checklist's value), each once, at most ``limit``."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > limit:
        raise BadInput(f"{field}: expected a list of at most {limit} names. {KEEP}")
    names = [v for v in value if isinstance(v, str) and v in options]
    return list(dict.fromkeys(names))


def stored_dict(value) -> dict:
    """A store's content where a dict is expected; anything else counts as empty."""
    return value if isinstance(value, dict) else {}


def stored_warnings(stored: dict) -> List[str]:
    warnings = stored.get("warnings")
    if not isinstance(warnings, list):
        return []
    return [w[:limits.MAX_WARNING_LENGTH] for w in warnings[:limits.MAX_WARNINGS] if isinstance(w, str)]


def check_scene_store(stored) -> Tuple[Scene, List[str]]:
    """(scene, warnings) from the scene store, the scene read again by the URL codec: a store
    edited in the browser gets the same fallbacks and messages as a bad link."""
    stored = stored_dict(stored)
    if not isinstance(stored.get("scene"), dict):
        raise BadInput(f"The page sent something that is not a scene. {KEEP}")
    scene, problems = S.normalize(stored["scene"])
    check_scene_limits(scene)  # the codec's ranges are tighter; this holds if they ever widen
    return scene, stored_warnings(stored) + problems


def scene_store(scene: Scene, warnings, source: str, **more) -> dict:
    """The scene store's value: the scene's JSON form, its warnings and where it came from ("link"
    or "controls"); read back by ``last_good_scene`` and ``check_scene_store``."""
    return {"scene": scene.to_dict(), "warnings": list(warnings), "source": source, **more}


def holds_scene(stored) -> bool:
    """Whether a store holds a scene to read (the page's first moments hold none)."""
    scene = stored_dict(stored).get("scene")
    return isinstance(scene, dict) and bool(scene)


def last_good_scene(stored) -> Optional[Scene]:
    """The Scene in a store as the codec reads it (valid), or None if the store holds none."""
    return S.read(stored_dict(stored).get("scene"))


def checked_on(value, option: str) -> bool:
    """Whether a checklist's value (a list) has an option ticked."""
    return isinstance(value, list) and option in value


def override_entries(groups) -> List[dict]:
    """The pattern-matching inputs' ``[{"id": {...}, "value": ...}]`` entries that are well formed."""
    entries = []
    for group in groups if isinstance(groups, list) else []:
        for entry in group if isinstance(group, list) else []:
            id_ = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(id_, dict) and isinstance(id_.get("type"), str) and isinstance(id_.get("index"), str) \
                    and isinstance(id_.get("key"), str):
                entries.append(entry)
    return entries[:limits.MAX_RUNS * len(F.OVERRIDES)]


def check_drawn(drawn) -> dict:
    """What the graphs already hold, or {} (send everything) when the store makes no sense. Every
    count in it sizes a loop over traces, so each is held to limits.MAX_DRAWN_TRACES; texts are names."""
    drawn = stored_dict(drawn)
    for value in drawn.values():
        count = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limits.MAX_DRAWN_TRACES
        # texts: a surface's name ("custom:" + formula) and the scene's signature
        if not (count or isinstance(value, str) and len(value) <= limits.MAX_EXPRESSION_LENGTH + 20):
            return {}
    return drawn if isinstance(drawn.get("runs", 0), int) and drawn.get("runs", 0) <= limits.MAX_RUNS else {}


def check_trajectory_store(store) -> dict:
    """The trajectory store, if it is one of ours in shape and size (decoding it costs memory)."""
    runs = stored_dict(store).get("runs")
    if not isinstance(runs, list) or len(runs) > limits.MAX_RUNS or not isinstance(store.get("key", ""), str):
        raise BadInput(f"The page sent a trajectory store that is not one. {KEEP}")
    fields = ("name", "title", "colour")
    limit = 4 * (limits.MAX_STEPS + 1) * 8  # base64 of limits.MAX_STEPS + 1 float32s, with room to spare
    for run in runs:
        if not isinstance(run, dict) or not all(isinstance(run.get(k), dict) and isinstance(run[k].get("bdata"), str)
                                                and len(run[k]["bdata"]) <= limit for k in ("x", "y", "loss")) \
                or not all(isinstance(run.get(k), str) and len(run[k]) <= 100 for k in fields):
            raise BadInput(f"The page sent a trajectory store that is not one. {KEEP}")
        for k in ("batch_loss", "spread_loss", "spread_batch_loss", "evals", "accuracy", "accuracy_steps"):  # optional, checked alike
            if k in run and not (isinstance(run[k], dict) and isinstance(run[k].get("bdata"), str)
                                 and len(run[k]["bdata"]) <= limit):
                raise BadInput(f"The page sent a trajectory store that is not one. {KEEP}")
    return {**store, "key": store.get("key", "")[:100]}


def check_click(click) -> Optional[Tuple[float, float]]:
    """(x, y) of a click on a graph, or None if the event holds no finite point."""
    points = stored_dict(click).get("points")
    point = points[0] if isinstance(points, list) and points else None
    if not isinstance(point, dict) or not (is_number(point.get("x")) and is_number(point.get("y"))):
        return None
    return float(point["x"]), float(point["y"])


def check_scene_limits(scene: Scene) -> None:
    """The hard limits on a scene the engine is about to run (the codec's ranges are tighter)."""
    steps, runs = scene.steps, scene.optimizers
    if not isinstance(steps, int) or not 0 <= steps <= limits.MAX_STEPS:
        raise BadInput(f"steps: at most {limits.MAX_STEPS}. {KEEP}")
    if len(runs) > limits.MAX_RUNS:
        raise BadInput(f"At most {limits.MAX_RUNS} runs in one scene. {KEEP}")
    expression = scene.expr
    if isinstance(expression, str) and len(expression) > limits.MAX_EXPRESSION_LENGTH:
        raise BadInput(f"expression: at most {limits.MAX_EXPRESSION_LENGTH} characters. {KEEP}")


def limits_hold() -> List[str]:
    """The scene's ranges that break a hard limit (a test keeps this empty)."""
    broken = []
    if F.STEPS_RANGE[1] > limits.MAX_STEPS:
        broken.append(f"steps up to {F.STEPS_RANGE[1]} > {limits.MAX_STEPS}")
    if F.MAX_OPTIMIZERS > limits.MAX_RUNS:
        broken.append(f"{F.MAX_OPTIMIZERS} optimizers > {limits.MAX_RUNS} runs")
    if F.MAX_QUERY_LENGTH > limits.MAX_URL_LENGTH:
        broken.append(f"links up to {F.MAX_QUERY_LENGTH} > {limits.MAX_URL_LENGTH} characters")
    return broken
