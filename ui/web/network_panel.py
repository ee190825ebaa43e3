"""The network scene's own controls: hidden widths, activation, seed and a learning rate per layer.

They show for the picker's ``net_<dataset>`` entries, where the start sliders and the basin and
stability maps (which need a 2-D surface) are hidden and a line says why. Their values reach the
scene through ``scene_changed``'s controls and the codec (``ui/model/scene.py``), like any control
(each is one of ``ui/web/clientside.py``'s SCENE_CONTROLS: a change asks the request gate for a scene).
"""

from __future__ import annotations

from dash import Input, Output, dcc, html

from ui.model import network_fields as N
from ui.model import scene_fields as F
from ui.web import controls as C
from ui.web import ids
from ui.model.scene_type import Scene

def layers_text(hidden_text) -> str:
    hidden, why = N.parse_hidden(hidden_text if isinstance(hidden_text, str) else str(hidden_text))
    if why is not None:
        return f"Hidden widths {why}."
    return (f"{N.dim_of(hidden)} parameters. Layers {', '.join(N.layer_names(hidden))} "
            f"(the last is the classifier): give layer_lr one multiplier each, e.g. "
            f"{','.join(['0.1'] * len(hidden) + ['1'])}.")


def network_panel(scene: Scene) -> html.Div:
    hidden, activation, seed, layer_lr = C.network_values(scene)
    return html.Div([
        C.labelled("Hidden widths", dcc.Input(id=ids.NET_HIDDEN, type="text", value=hidden, debounce=True,
                                             className="net-input"),
                   hint=f"e.g. 16 or 16,16: up to {N.MAX_LAYERS} layers, {N.MAX_DIM} parameters."),
        C.labelled("Activation", dcc.RadioItems(id=ids.NET_ACTIVATION, options=list(N.ACTIVATIONS), value=activation,
                                                inline=True)),
        C.labelled("Network seed", dcc.Input(id=ids.NET_SEED, type="number", min=F.SEED_RANGE[0],
                                              max=F.SEED_RANGE[1], step=1, value=seed, debounce=True,
                                              className="seed-input"),
                   hint="Seeds the data and the initialisation (torch's nn.Linear default)."),
        C.labelled("Learning rate per layer (× lr)", dcc.Input(id=ids.NET_LAYER_LR, type="text", value=layer_lr,
                                                                 debounce=True, placeholder="every layer × 1",
                                                                 className="net-input"),
                   hint=html.Span(layers_text(hidden), id=ids.NET_LAYERS)),
    ], id=ids.NET_PANEL, className="control-group", hidden=not scene.is_network)


def network_note(scene: Scene) -> html.Div:
    return html.Div("A network starts at its seeded initialisation, the origin of the map's plane; the basin and "
                    "stability maps need a 2-D surface and the step inspector a 2-D point, so they are not offered.",
                    id=ids.NET_NOTE, className="control-hint", hidden=not scene.is_network)


FOOTER_KEYS = ("Space plays and pauses · ← → step · Home back to step 0 · L next lesson · "
               "drag the step slider to scrub")


def footer_words(name) -> str:
    """The page's footer for a scene on landscape ``name``: the keys, then what the map does: a
    click moves a surface's start; a network starts at its seeded initialisation, so its map is read."""
    if N.is_network(name):
        return FOOTER_KEYS + " · a network starts at its initialisation"  # one line at 1024 px
    return FOOTER_KEYS + " · click the map to move the start"


def register(app) -> None:
    @app.callback(output=dict(panel=Output(ids.NET_PANEL, "hidden"), note=Output(ids.NET_NOTE, "hidden"),
                              start=Output(ids.START_GROUP, "hidden"), maps=Output(ids.MAPS_SECTION, "hidden"),
                              footer=Output(ids.FOOTER, "children")),
                  inputs=dict(name=Input(ids.LANDSCAPE, "value")))
    def network_shown(name):
        """A network's own controls in place of the start sliders and the maps (which need a 2-D surface)."""
        network = N.is_network(name)
        return {"panel": not network, "note": not network, "start": network, "maps": network,
                "footer": footer_words(name)}

    @app.callback(Output(ids.NET_LAYERS, "children"), Input(ids.NET_HIDDEN, "value"))
    def layers_changed(hidden):
        return layers_text(hidden)
