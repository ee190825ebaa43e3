"""What Python and the page's JavaScript share, written once here and given to the page.

``/_gradscape/shared.js`` sets ``window.gradscapeShared`` before any file of ``assets/`` runs (it is
the app's first external script): every element id of ``ui/web/ids.py`` by its constant's name
(``ids.CONTOUR`` is ``gradscapeShared.ids.CONTOUR``), the significant digits of every number the page
shows or links (``scene_fields.SIGNIFICANT``), how many points a path drawn in the browser keeps
(``payload.PATH_POINTS``, thinned by ``payload.thin_index``'s rule), the sliders a drag reads
outside Dash, the lr slider's log10 scale (``controls.lr_slider_scale``: bounds and notches) and the
order of a link's view flags (``scene.encode_view``'s, for the t= and weight= the browser writes).
The rules themselves (number format, thinning, loss transform, the lr slider's two conversions) are
written in the JS with these numbers; tests/browser/test_browser_shared.py checks each against its
Python twin, and tests/test_shared_ids.py fails if a JS file spells an id itself.
"""

from __future__ import annotations

import hashlib
import json

from flask import Response

from ui.model import payload
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.web import ids

ROUTE = "/_gradscape/shared.js"


def element_ids() -> dict:
    """Every id constant of ``ui/web/ids.py``: {"CONTOUR": "contour", ...}."""
    return {name: value for name, value in vars(ids).items() if name.isupper() and isinstance(value, str)}


def view_order() -> list:
    """The view flags' keys in the order ``scene.encode_view`` writes them (read off its output with
    every flag set), so the browser writes t= and weight= where a link made in Python has them."""
    every = {"lesson": "x", "weight": "0.weight[0]", "t": 1, **{k: True for k in S.VIEW_FLAGS}}
    return [pair.split("=", 1)[0] for pair in S.encode_view(every).split("&")]


def constants() -> dict:
    from ui.web.drag import DRAG_SLIDERS  # drag imports the layout's controls; read it late
    from ui.web.controls import lr_slider_scale

    return {"ids": element_ids(), "sliderValues": dict(ids.SLIDER_VALUES), "significant": F.SIGNIFICANT,
            "pathPoints": payload.PATH_POINTS, "dragSliders": list(DRAG_SLIDERS), "lrSlider": lr_slider_scale(),
            "viewOrder": view_order()}


def script() -> str:
    body = json.dumps(constants(), sort_keys=True, separators=(",", ":"))
    return f"window.gradscapeShared = Object.freeze({body});\n"


def install(app) -> None:
    """Serve the script and load it before the assets (Dash puts external scripts first)."""
    text = script()
    version = hashlib.sha1(text.encode()).hexdigest()[:10]

    def shared_js():
        return Response(text, headers={"Content-Type": "application/javascript; charset=utf-8",
                                       "Cache-Control": "public, max-age=86400"})

    app.server.add_url_rule(ROUTE, "gradscape_shared_js", shared_js, methods=["GET"])
    app.config.external_scripts.append(app.get_relative_path(ROUTE) + "?v=" + version)
