"""The page's first scene in its layout: paths on screen with no callback chain before them.

Dash asks ``/_dash-layout`` for the page; this answers with the layout already holding the scene
of the link being opened (read from the request's Referer, i.e. the page's own address, by the
same codec as any link): the controls at its values, the contour map, surface and loss curve,
the trajectory store, the table and the message. ``assets/animation.js`` draws the paths from the
store as soon as the graphs mount, like the bare page draws its figures; the 3-D figure goes in only
after that (``SURFACE_PENDING``), so its WebGL set-up never delays the map. The callbacks that still
run on opening find the scene drawn already (``drawn`` holds its key) and send next to nothing.
Stateless: every answer is computed from the request alone.
"""

from __future__ import annotations

import copy
import functools
from urllib.parse import urlparse

from dash import no_update
from dash._utils import to_json
from flask import Response, request

from ui.model import limits
from ui.model import scene as S
from ui.web import callbacks, guard, ids
from ui.web import controls as C
from ui.web import network_panel as NP
from ui.web import network_views_panel as NVP
from ui.web import surface_panels as X
from ui.web.layout import advanced_panels, make_layout

# scene_changed's outputs that a first answer fills (ui/web/callbacks.py names them the same).
FIRST_OUTPUTS = {
    "store": (ids.TRAJECTORIES, "data"), "contour": (ids.CONTOUR, "figure"),
    # the 3-D view waits in a store until the map shows its paths (assets/animation.js): creating its
    # WebGL scene is the page's longest task, and it must not hold back the 2-D views
    "surface": (ids.SURFACE_PENDING, "data"),
    "loss": (ids.LOSS_CURVE, "figure"), "results": (ids.RESULTS, "children"), "message": (ids.MESSAGE, "children"),
    "frame_max": (ids.FRAME, "max"), "frame_marks": (ids.FRAME, "marks"), "frame": (ids.FRAME, "value"),
    "drawn": (ids.DRAWN, "data"), "legend": (ids.RUN_LEGEND, "children"), "key": (ids.COLOUR_KEY, "children"),
    "batch_hidden": (ids.LOSS_KIND_WRAP, "hidden"), "info": (ids.LANDSCAPE_INFO, "children"),
    "fit": (ids.FIT, "figure"), "fit_hidden": (ids.FIT_PANEL, "hidden")}


LAYOUTS_KEPT = 32  # first layouts kept per app (about 200 KB each)


def _by_id(layout) -> dict:
    found = {getattr(layout, "id", None): layout}
    for c in layout._traverse():
        i = getattr(c, "id", None)
        if isinstance(i, str):
            found[i] = c
    return found


def first_layout(search: str, base=None):
    """A fresh layout (a copy of the app's ``base`` layout, or a new one) holding the scene of
    ``search`` (a link's query), drawn."""
    layout = copy.deepcopy(base) if base is not None else make_layout()
    scene, warnings = S.parse(search or "")
    parts = _by_id(layout)
    values = C.by_target(C.OPEN_SCENE_OUTPUTS, C.open_scene(scene, warnings))
    values[(ids.QUERY, "data")] = S.encode(scene)
    out = callbacks.first_scene_outputs(scene, warnings)
    for name, target in FIRST_OUTPUTS.items():
        if name in out and out[name] is not no_update:
            values[target] = out[name]
    # The step it opens at, as open_link and scene_changed would choose it: the link's t=, 0 to
    # predict first, else the last step (the callbacks find this scene drawn and leave the step be).
    view = S.parse_view(search or "")
    opens_at = view["t"] if view["t"] is not None else (0 if view["predict"] else None)
    values[(ids.FRAME, "value")] = callbacks.opening_step({"source": "link", "open_at": opens_at},
                                                          scene.steps, bool(view["predict"]))
    values.update(_controls_set_by_callbacks(scene))
    values[(ids.FOOTER, "children")] = NP.footer_words(scene.landscape)  # a network's has no click to start
    # the maps' optimizer is one of the link's runs from the start (not the default page's SGD)
    values[(ids.MAP_OPTIMIZER, "options")], values[(ids.MAP_OPTIMIZER, "value")] = X.map_optimizer_choice(
        scene.optimizers)
    if scene.is_network:  # its panel, at the link's weight (the panel falls back if it is not one)
        values.update(NVP.first_values(values[(ids.SCENE, "data")], view["weight"]))
    for (id_, prop), value in values.items():
        if id_ in parts:
            setattr(parts[id_], prop, value)
    return layout


def _controls_set_by_callbacks(scene) -> dict:
    """The controls that callbacks set from the link's scene, as they set them: the start sliders
    (``landscape_changed``), the schedule's parameter (``schedule_changed``) and the per-optimizer
    panels (``optimizers_changed``). Their answers can come after the page's first scene request has
    gone: with the default scene's values still there (Adam's lr box 0.05, the default start) that
    request computed another scene, and the link's own came back second as a change of the
    controls, so the page opened at its last step and lost the link's t=."""
    out = C.by_target(C.START_CONTROLS, C.start_controls(scene.landscape, scene) or {})
    out.update(C.by_target(C.SCHEDULE_CONTROLS, C.schedule_controls(scene.schedule, scene.steps, scene)))
    out[(ids.ADVANCED, "children")] = advanced_panels(scene.optimizers, scene.overrides)
    if any(name in scene.overrides for name in scene.optimizers):
        out[(ids.ADVANCED_SECTION, "open")] = True
    return out


def _page_query() -> str:
    """The query of the page asking for its layout (its Referer), or "" if none came."""
    referrer = request.referrer or ""
    if len(referrer) > limits.MAX_URL_LENGTH + 200:
        return ""
    return urlparse(referrer).query


def install(app) -> None:
    """Serve ``/_dash-layout`` with the opened link's scene in it."""
    rule = next(r for r in app.server.url_map.iter_rules() if r.rule.endswith("_dash-layout"))
    plain = app.server.view_functions[rule.endpoint]

    # The answer is a pure function of the link (and this app's layout): the last few are kept, so a
    # class opening one lesson's link, or a reload, costs no engine run (~100 ms). Not state: any
    # worker computes the same answer.
    @functools.lru_cache(maxsize=LAYOUTS_KEPT)
    def layout_json(query: str) -> str:
        return to_json(first_layout(query, app.layout))

    def serve_layout():
        try:
            body = layout_json(_page_query())
        except Exception:  # noqa: BLE001 - a page must open even if its scene cannot be drawn here
            guard.log.exception("first scene not drawn into the layout")
            return plain()
        return Response(body, mimetype="application/json")

    app.server.view_functions[rule.endpoint] = serve_layout
