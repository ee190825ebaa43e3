"""``create_app()``: the Dash app, built fresh (tests start one per test; gunicorn imports one)."""

from __future__ import annotations


import dash

from ui.paths import ASSETS
from ui.web import callbacks, clientside, export_panel, guard, security, surface_callbacks, teaching_callbacks
from ui.web import tune_panel
from ui.web.layout import make_layout



def create_app(**dash_kwargs) -> dash.Dash:
    """A new Gradscape app. No server-side state: a scene lives in the URL and the browser."""
    app = dash.Dash(__name__, title="Gradscape", assets_folder=ASSETS, update_title=None,
                    suppress_callback_exceptions=True, on_error=guard.callback_error, **dash_kwargs)
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
    # The container HEALTHCHECK and load balancers poll this: no computation, no Dash.
    app.server.add_url_rule("/healthz", "healthz", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
    guard.install(app)     # request limits, and short answers to malformed requests
    security.install(app)  # security headers on every response
    return app
