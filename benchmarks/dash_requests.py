"""Callback requests as the Dash renderer sends them to ``/_dash-update-component``.

One body builder for the HTTP tests, the fuzz test, the deployment tests and the load benchmark.
A callback is named by its output key (``app.callback_map``'s key, or an entry of the page's
``/_dash-dependencies``); inputs and states are given by ``(id, property)``.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable, Mapping, Union

DISPATCH = "/_dash-update-component"


def parse_id(text: str):
    """An id as the renderer sends it: a string, or the dict of a pattern-matching id."""
    return json.loads(text) if isinstance(text, str) and text.startswith("{") else text


def is_wildcard(id_) -> bool:
    return isinstance(id_, dict) and any(isinstance(v, list) for v in id_.values())


def concrete(id_, index="fuzz"):
    """A pattern-matching id with its wildcards filled in (a component such a callback could see)."""
    return {k: (index if isinstance(v, list) else v) for k, v in id_.items()}


def outputs_of(key: str):
    """The ``outputs`` field for a callback's output key (``..a.p...b.q..`` for several)."""
    multi = key.startswith("..") and key.endswith("..")
    parts = key[2:-2].split("...") if multi else [key]
    outs = []
    for part in parts:
        id_, prop = part.rsplit(".", 1)
        id_, prop = parse_id(id_), prop.split("@")[0]  # "@hash" marks allow_duplicate outputs
        outs.append([{"id": concrete(id_), "property": prop}] if is_wildcard(id_) else {"id": id_, "property": prop})
    return outs if multi else outs[0]


Values = Union[Mapping, Callable[[dict], object]]


def _value(values: Values, dep: dict):
    if callable(values):
        return values(dep)
    return values.get((dep["id"], dep["property"]), values.get(dep["id"]))


def _entry(dep: dict, value):
    id_ = parse_id(dep["id"])
    if is_wildcard(id_):  # the renderer sends every matching component: here the list is the value given
        return value if value is not None else []
    return {"id": id_, "property": dep["property"], "value": value}


def body(key: str, inputs: Iterable[dict], state: Iterable[dict], values: Values, changed=None) -> dict:
    """The JSON body for one call. ``values`` maps an id (or ``(id, property)``) to its value, or is
    a function of the dependency ``{"id", "property"}``; ``changed`` lists the triggering prop ids
    (default: the first input)."""
    inputs, state = list(inputs), list(state)
    if changed is None:
        changed = [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else []
    return {"output": key, "outputs": outputs_of(key),
            "inputs": [_entry(d, _value(values, d)) for d in inputs],
            "state": [_entry(d, _value(values, d)) for d in state],
            "changedPropIds": changed}


def find_key(callback_map: Mapping, output_id: str) -> str:
    """The key of the first callback whose first output is ``output_id``."""
    for key in callback_map:
        out = outputs_of(key)
        out = out[0] if isinstance(out, list) else out
        out = out[0] if isinstance(out, list) else out
        if out["id"] == output_id:
            return key
    raise KeyError(output_id)


def body_for(callback_map: Mapping, output_id: str, values: Values, changed=None) -> dict:
    """The body that calls the (first) callback whose first output is ``output_id``."""
    key = find_key(callback_map, output_id)
    spec = callback_map[key]
    return body(key, spec["inputs"], spec["state"], values, changed)


def scene_values(scene: dict, /, **extra) -> dict:
    """The values a page's controls hold for a (normalized) scene, as ``body_for`` takes them: the
    scene request reads the controls (not the scene store), as the page's request gate sends them."""
    from ui.web import controls as C
    from ui.web import ids

    values = {id_: v for (id_, _), v in C.by_target(C.OPEN_SCENE_OUTPUTS, C.open_scene(scene, [])).items()}
    values.update({ids.START_X: scene.x0, ids.START_Y: scene.y0,
                   ids.SCHEDULE_PARAM: scene.schedule_param, ids.REQUEST: 1})
    values[ids.SCENE] = {"scene": scene.to_dict(), "warnings": []}
    values.update(extra)
    return values
