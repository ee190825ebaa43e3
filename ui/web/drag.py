"""The paths for a slider while it is dragged: one small GET, no Dash.

During a drag, assets/drag.js reads the slider's pointer itself (a Dash prop change costs the
renderer 50-200 ms on this page) and asks ``/_gradscape/paths`` for just the trajectory store of the
scene in the address bar with the dragged control at its new value. The answer is the same store
the scene callback sends (``render_scene``'s, no figure is built), so the page draws it the same way.
Stateless: everything comes with the request, any worker answers it.
"""

from __future__ import annotations

import json

from flask import Response, request

from ui.model import limits
from ui.model import scene as S
from ui.views.render import render_scene
from ui.web import guard, ids
from ui.web import controls as C

ROUTE = "/_gradscape/paths"

# The sliders a drag reads outside Dash: slider id -> (scene key, slider value -> scene value).
DRAG_SLIDERS = {
    ids.LR: ("lr", C.slider_to_lr),
    ids.MOMENTUM: ("momentum", float),
    ids.START_X: ("x0", float),
    ids.START_Y: ("y0", float),
    ids.STEPS: ("steps", lambda v: int(round(float(v)))),
}


def drag_scene(query: str, control: str, value: str):
    """(scene, warnings) of the link ``query`` with slider ``control`` at ``value`` (its slider
    value, as text); read by the URL codec like any link, so a bad value falls back, never raises."""
    scene, warnings = S.parse(query or "")
    if control not in DRAG_SLIDERS:
        raise limits.BadInput(f"control: {control[:40]!r} is not a slider that can be dragged")
    key, convert = DRAG_SLIDERS[control]
    try:
        number = convert(value)
    except (TypeError, ValueError, OverflowError):
        raise limits.BadInput(f"{key}: {str(value)[:40]!r} is not a number") from None
    return S.normalize(scene.replace(**{key: number}), base=scene)


def paths_payload(query: str, control: str, value: str) -> dict:
    """The trajectory store for a dragged slider's value (what ``/_gradscape/paths`` sends)."""
    scene, warnings = drag_scene(query, control, value)
    r = render_scene(scene, warnings, build=())
    return {"store": r.store, "steps": r.steps, "warnings": warnings[:limits.MAX_WARNINGS]}


def install(app) -> None:
    def paths():
        query = request.args.get("scene", "")
        if len(query) > limits.MAX_URL_LENGTH:
            body, status = {"error": "scene: link too long"}, 400
        else:
            try:
                body, status = paths_payload(query, request.args.get("control", ""), request.args.get("value", "")), 200
            except limits.BadInput as e:
                body, status = {"error": str(e)}, 400
        return Response(json.dumps(body, separators=(",", ":")), status=status,
                        headers={"Content-Type": "application/json", "Cache-Control": "no-store"})

    app.server.add_url_rule(ROUTE, "gradscape_paths", paths, methods=["GET"])
