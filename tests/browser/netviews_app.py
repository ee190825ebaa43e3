"""A small Dash app holding only the network views panel, with a frame box and a scene store standing
in for the page's (``ui/web/network_views_panel.py``): for its browser test and its screenshots."""

from __future__ import annotations

import dash
from dash import Input, dcc, html

import landscapes
import optimizers
from landscapes.network import DATASETS
from ui.model.network_views import NetworkRuns
from ui.paths import ASSETS
from ui.views.palette import scene_colours
from ui.web import ids, network_views_panel, shared

SCENE = {"dataset": "moons", "hidden": [16, 16], "steps": 120, "optimizers": ["sgd", "adam"]}
SETTINGS = {"sgd": dict(lr=0.5, momentum=0.9), "adam": dict(lr=0.02)}


def runs_for(scene):
    """The page's adapter, as the test plays it: the network scene's runs, or None."""
    if not isinstance(scene, dict) or scene.get("dataset") not in DATASETS:
        return None
    net = landscapes.network(scene["dataset"], hidden=tuple(scene["hidden"]))
    names = scene["optimizers"]
    trajs = optimizers.run(net, [optimizers.get(n, **SETTINGS[n]) for n in names], steps=scene["steps"],
                           batch_size=32)
    colours = scene_colours(names)
    return NetworkRuns(net=net, paths=[t.params[:, 0] for t in trajs], titles=names,
                       colours=[colours[n] for n in names], key=repr(scene))


def create_app(scene=SCENE) -> dash.Dash:
    # this panel's own assets, the address bar's one writer (share.js: weight=) and the page's look; the
    # page's other scripts look for elements not here
    app = dash.Dash(__name__, assets_folder=ASSETS, assets_ignore=r"^(?!network_views|share\.js|gradscape\.css)")
    app.layout = html.Div([
        dcc.Input(id=ids.FRAME, type="number", value=scene["steps"], min=0, max=scene["steps"], debounce=False),
        dcc.Store(id="netviews-scene", data=scene),
        html.Div(id=ids.MESSAGE),
        network_views_panel.panel(),
    ])
    network_views_panel.register(app, runs_for, scene_input=Input("netviews-scene", "data"))
    shared.install(app)  # the ids the panel's script reads, as on the page
    return app


if __name__ == "__main__":
    create_app().run(port=8061, debug=False)
