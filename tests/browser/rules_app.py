"""A small Dash app holding only the update-rule cards (the teaching layer's ``#rules``), drawn and
typeset by the page's own script (``assets/teaching.js``) from the cards the server makes
(``ui.model.teaching.rule_cards``): for its browser test, which typesets every registry entry's card
in one page instead of opening the whole page once per 8 optimizers."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, dcc, html

import optimizers
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.model.teaching import rule_cards
from ui.paths import ASSETS
from ui.web import ids, shared

NAMES = optimizers.names()
# The page shows at most 8 runs: the cards come from scenes of at most 8, as the page makes them.
SCENES = [NAMES[i:i + F.MAX_OPTIMIZERS] for i in range(0, len(NAMES), F.MAX_OPTIMIZERS)]


def all_cards() -> list:
    cards = []
    for names in SCENES:
        scene, warnings = S.parse("?landscape=bowl&steps=20&opt=" + ",".join(names))
        assert warnings == [] and list(scene.optimizers) == names, warnings
        cards += rule_cards(scene)
    return cards


def create_app() -> dash.Dash:
    # the scripts the cards need: the page's store reader (animation.js, which teaching.js hooks
    # into), the overlay helpers it draws with, teaching.js itself, and the page's look
    app = dash.Dash(__name__, assets_folder=ASSETS,
                    assets_ignore=r"^(?!(animation|overlay|teaching)\.js$|(gradscape|teaching)\.css$)")
    app.layout = html.Div([
        dcc.Store(id=ids.RULES_DATA, data=all_cards()), dcc.Store(id=ids.RULES_DRAWN),
        html.Div(id=ids.RULES, className="rules"),
        # MathJax comes with dcc's bundle, as on the page (whose schedule graph asks for it)
        dcc.Markdown("$x$", mathjax=True, style={"display": "none"}),
    ])
    app.clientside_callback(ClientsideFunction("teaching", "rules"), Output(ids.RULES_DRAWN, "data"),
                            Input(ids.RULES_DATA, "data"))
    shared.install(app)  # the ids the scripts read, as on the page
    return app


if __name__ == "__main__":
    create_app().run(port=8062, debug=False)
