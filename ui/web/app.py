"""``create_app()``: the Dash app, built fresh (tests start one per test; gunicorn imports one)."""

from __future__ import annotations

import dash

from ui.paths import ASSETS
from ui.web import callbacks, clientside, drag, export_panel, guard, opening, security, surface_callbacks
from ui.web import network_panel, network_views_panel, shared, teaching_callbacks, tune_panel
from ui.web.layout import make_layout

# Without it a phone lays the page out ~980 px wide and shrinks it: the one-column layout of
# assets/screens.css never applies.
META_TAGS = [{"name": "viewport", "content": "width=device-width, initial-scale=1"}]


def create_app(**dash_kwargs) -> dash.Dash:
    """A new Gradscape app. No server-side state: a scene lives in the URL and the browser."""
    app = dash.Dash(__name__, title="Gradscape", assets_folder=ASSETS, update_title=None,
                    suppress_callback_exceptions=True, on_error=guard.callback_error,
                    meta_tags=META_TAGS, **dash_kwargs)
    app.layout = make_layout()
    # The renderer's request_post hook hands each answer to assets/animation.js as it arrives, so
    # the new paths are on the map before Dash has applied the rest of the answer.
    app.renderer = ("var renderer = new DashRenderer({request_post: function (payload, response) {"
                    "if (window.gradscape && window.gradscape.early) { window.gradscape.early(response); }}});")
    callbacks.register(app)
    surface_callbacks.register(app)
    clientside.register(app)
    export_panel.register(app)
    teaching_callbacks.register(app)
    tune_panel.register(app)
    network_panel.register(app)
    network_views_panel.register(app, network_views_panel.page_runs)
    # The container HEALTHCHECK and load balancers poll this: no computation, no Dash.
    app.server.add_url_rule("/healthz", "healthz", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
    shared.install(app)    # /_gradscape/shared.js: the ids and rules the JS shares with Python, first
    opening.install(app)   # /_dash-layout holds the opened link's scene, drawn
    drag.install(app)      # /_gradscape/paths: a dragged slider's paths, outside Dash
    guard.install(app)     # request limits, and short answers to malformed requests
    security.install(app)  # security headers on every response
    return app
