"""Controls and panels for issue 5: the custom formula, noise/repeat/batch, the maps.

Factories only; ``ui/web/layout.py`` places them and ``ui/web/surface_callbacks.py`` wires them.
"""

from __future__ import annotations

import optimizers
from dash import dcc, html

from landscapes import datasets

from ui.model import maps, surfaces
from ui.model import scene_fields as F
from ui.views import exports
from ui.web import ids
from ui.web import controls as C
from ui.model.scene_type import Scene

FUNCTIONS_HINT = ("x, y, pi, e, numbers, + - * / ^ (or **), and sin cos tan asin acos atan atan2 sinh cosh tanh "
                  "asinh acosh atanh exp log log10 log2 sqrt abs sigmoid. View [-3, 3] × [-3, 3].")


def expr_row(scene: Scene) -> html.Div:
    """The formula box, shown when the landscape is "Custom…"."""
    box = dcc.Input(id=ids.EXPR, type="text", value=scene.expr or surfaces.DEFAULT_EXPRESSION,
                    debounce=True, spellCheck=False, className="expr-input",  # no maxLength: a formula over the
                    # limit gets the link's message, "expression too long (N > 500 characters)", not a cut-off one
                    placeholder=surfaces.EXAMPLES[0])
    return html.Div(C.labelled("Your formula f(x, y) =", box, hint=FUNCTIONS_HINT), id=ids.EXPR_ROW,
                    hidden=scene.landscape != surfaces.CUSTOM)


def batch_options(n_samples: int, current=None) -> list:
    """The batch-size choices for a dataset of n samples: 0 is the full batch (plain GD)."""
    sizes = [b for b in F.BATCH_SIZES if b < n_samples]
    if current and current not in sizes and current < n_samples:
        sizes = sorted(sizes + [current])
    return ([{"label": f"full batch ({n_samples}): gradient descent", "value": 0}]
            + [{"label": f"{b}" + (": pure SGD" if b == 1 else ""), "value": b} for b in sizes])


def stochastic_controls(scene: Scene) -> list:
    """Noise's companions: repeat (seeds per optimizer) and the batch size of a dataset surface."""
    repeat = C.labelled(["Repeat × ", html.Span(id=ids.SLIDER_VALUES[ids.REPEAT], className="value")],
                        C.plain_slider(ids.REPEAT, F.REPEAT_RANGE, 1, scene.repeat or 1,
                                       {1: "1", 5: "5", 10: "10"}),
                        hint="Runs each optimizer with this many seeds (up to 10); the extra ones are drawn faintly. "
                             "Needs noise or mini-batches.")
    n = datasets.N_SAMPLES
    batch = C.labelled("Mini-batch size",
                       dcc.Dropdown(id=ids.BATCH, options=batch_options(n, scene.batch),
                                    value=scene.batch or 0, clearable=False, searchable=False),
                       hint="Each step's gradient averages this many samples, reshuffled every epoch. "
                            "The contour shows the full-batch loss.")
    return [repeat, html.Div(batch, id=ids.BATCH_ROW, hidden=not surfaces.is_dataset(surfaces.name_of(scene)))]


def loss_kind_toggle() -> html.Span:
    """Over the loss curve, beside "log y": the mini-batch loss instead of the full loss."""
    return html.Span(dcc.Checklist(id=ids.LOSS_KIND, options=[{"label": "mini-batch loss", "value": "batch"}],
                                   value=[], inline=True), id=ids.LOSS_KIND_WRAP, className="loss-kind", hidden=True)


def loss_x_toggle() -> html.Span:
    """Over the loss curve, beside "log y": the loss against gradient evaluations instead of steps,
    so a rule that evaluates the landscape many times a step (L-BFGS) is seen at its real cost."""
    return html.Span(dcc.Checklist(id=ids.LOSS_X, options=[{"label": "x: evaluations", "value": "evals"}],
                                   value=[], inline=True), className="loss-x")


def maps_section(scene: Scene) -> html.Details:
    """On-demand maps: which optimizer, the basin grid, two buttons, and the caps in words."""
    options, value = map_optimizer_choice(maps.map_optimizers(scene))
    return html.Details([
        html.Summary("Maps: basins and stability"),
        C.labelled("Optimizer", dcc.Dropdown(id=ids.MAP_OPTIMIZER, options=options, value=value, clearable=False,
                                             searchable=False)),
        html.Div([
            html.Button("Basin map", id=ids.BASIN_BUTTON, n_clicks=0, className="button button-primary",
                        title="Run from every point of a grid: where does each start end up?"),
            html.Button("Stability map", id=ids.STABILITY_BUTTON, n_clicks=0, className="button button-primary",
                        title="Final loss over learning rate × momentum from the start: click a cell to use it"),
        ], className="map-row"),
        html.Div([html.Span("Basin grid", className="map-label"),
                  dcc.RadioItems(id=ids.BASIN_GRID, value=maps.DEFAULT_GRID, inline=True,
                                 className="basin-grid",
                                 options=[{"label": f"{g}²", "value": g} for g in maps.GRID_CHOICES])],
                 className="map-row"),
        html.Div([html.Span("Colour by", className="map-label"),
                  dcc.RadioItems(id=ids.BASIN_MODE, value="minimum", inline=True, className="basin-mode",
                                 options=[{"label": "minimum reached", "value": "minimum"},
                                          {"label": "steps", "value": "steps"}])], className="map-row"),
        html.Div(html.Button("Clear maps", id=ids.MAPS_CLEAR, n_clicks=0, className="button"), className="map-row"),
        dcc.Loading(html.Div(id=ids.MAP_STATUS, className="map-status", role="status"), type="dot",
                    className="map-loading"),
        html.Div(maps.CAPS_TEXT, className="control-hint"),
    ], className="section", open=False)


def map_optimizer_options(names) -> list:
    return [{"label": optimizers.info(n).title, "value": n} for n in names]


def map_optimizer_choice(chosen, current=None) -> tuple:
    """(options, value) of the maps' optimizer for a scene's optimizers: ``current`` while it is one
    of them, else the scene's first (a link's scene has its own runs, never the default page's)."""
    names = list(chosen or [])
    return map_optimizer_options(names), current if current in names else (names[0] if names else None)


def stability_panel() -> html.Div:
    """Under the views: the stability heatmap, hidden until one is made."""
    graph = dcc.Graph(id=ids.STABILITY, figure={"data": [], "layout": {}}, className="graph-stability",
                      style={"height": "460px"}, config=exports.graph_config(ids.STABILITY))
    return html.Div([
        html.Div("Stability map: final loss for every learning rate × momentum. Click a cell to set the sliders.",
                 className="panel-title"),
        graph,
        dcc.Store(id=ids.STABILITY_FOR),
    ], id=ids.STABILITY_PANEL, className="panel-stability", hidden=True)


def basin_legend(legend: dict) -> list:
    """The basin map's legend over the contour map (``explore_figures.basin_legend``'s model)."""
    if not legend:
        return []
    parts = [html.Div(legend["title"], className="basin-title")]
    if "gradient" in legend:
        stops = ", ".join(f"{c} {100 * f:.0f}%" for f, c in legend["gradient"])
        bar = html.Span(className="basin-bar", style={"background": f"linear-gradient(to right, {stops})"})
        parts.append(html.Div([html.Span(legend["low"]), bar, html.Span(legend["high"])], className="basin-scale"))
    for row in legend["rows"]:
        swatch = [] if row["colour"] is None else [html.Span(className="basin-swatch",
                                                             style={"background": row["colour"]})]
        parts.append(html.Div(swatch + [row["text"]], className="basin-row"))
    return parts
