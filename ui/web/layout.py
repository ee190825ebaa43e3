"""The page: controls on the left, the views on the right, sized for a 1280×720 projector.

The layout is built with the default scene's values; a link's scene replaces them through the
``url`` callback as the page opens (ui/web/callbacks.py).
"""

from __future__ import annotations

from dash import dcc, html

from ui.model import scene_fields as F
from ui.model.results import COLUMNS
from ui.model.scene import default_scene
from ui.views.exports import graph_config
from ui.views.palette import run_colours
from ui.web import fit_panel, ids
from ui.web import network_panel as NP
from ui.web import network_views_panel
from ui.web import controls as C
from ui.web import surface_panels as X
from ui.web import teaching_panels as T
from ui.web import tune_panel as TU
from ui.web.export_panel import export_controls
from ui.model.scene_type import Scene

BLANK_FIGURE = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False},
                                       "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"}}


def header() -> html.Header:
    return html.Header([
        html.Div([html.Span("Gradscape", className="brand"),
                  html.Span("optimizers racing down a loss surface", className="tagline")], className="title"),
        html.Div([*T.header_controls(), html.Span(id=ids.COPY_STATUS, className="copy-status", role="status"),
                  html.Button("Copy link", id=ids.COPY_LINK, n_clicks=0, className="button button-primary",
                              title="Copy a link that opens this exact scene"), *export_controls()], className="share"),
    ], className="header")


def value_label(text: str, slider_id: str) -> list:
    """A slider's label with its current value (filled in by a clientside callback)."""
    return [text, " ", html.Span(id=ids.SLIDER_VALUES[slider_id], className="value")]


def start_slider(id_: str, value: float, props: dict) -> dcc.Slider:
    return dcc.Slider(id=id_, value=value, updatemode="drag", className="slider", **props)


def schedule_param_row(p: dict) -> html.Div:
    """The chosen schedule's one parameter (hidden for a constant rate)."""
    label = [html.Span(p["label"], id=ids.SCHEDULE_PARAM_LABEL), " ",
             html.Span(id=ids.SLIDER_VALUES[ids.SCHEDULE_PARAM], className="value")]
    slider = dcc.Slider(id=ids.SCHEDULE_PARAM, min=p["min"], max=p["max"], step=p["step"], value=p["value"],
                        marks=p["marks"], updatemode="drag", className="slider")
    return html.Div(C.labelled(label, slider), id=ids.SCHEDULE_PARAM_ROW, hidden=p["hidden"])


def scene_controls(scene: Scene) -> html.Div:
    start = C.start_slider_props(scene.landscape if not scene.is_network
                                 else "bowl")  # a network has no start to pick: its sliders stay hidden
    return html.Div([
        C.labelled("Landscape", dcc.Dropdown(id=ids.LANDSCAPE, options=C.landscape_options(),
                                             value=scene.landscape, clearable=False, searchable=False),
                   hint=html.Span(id=ids.LANDSCAPE_INFO)),
        X.expr_row(scene),
        C.labelled(f"Optimizers (up to {F.MAX_OPTIMIZERS})", C.optimizer_picker(scene.optimizers)),
        TU.tune_controls(),
        C.labelled(["Learning rate ", html.Span(id=ids.LR_VALUE, className="value"), C.lr_box(scene.lr)],
                   C.lr_slider(scene.lr)),
        C.labelled(value_label("Momentum μ · Adam β₁", ids.MOMENTUM),
                   C.plain_slider(ids.MOMENTUM, F.MOMENTUM_RANGE, 0.001, scene.momentum,
                                  {0: "0", 0.5: "0.5", 0.9: "0.9", 0.999: ""}),
                   hint="SGD and Nesterov momentum μ; β₁ of Adam and its family."),
        C.labelled(value_label("Steps", ids.STEPS),
                   C.plain_slider(ids.STEPS, F.STEPS_RANGE, C.STEPS_STEP, scene.steps,
                                  {10: "10", 500: "500", 1000: "1000", 2000: "2000"})),
        html.Div([
            C.labelled(value_label("Start x", ids.START_X), start_slider(ids.START_X, scene.x0, start["x"])),
            C.labelled(value_label("Start y", ids.START_Y), start_slider(ids.START_Y, scene.y0, start["y"]),
                       hint="…or click the contour map to start there."),
        ], className="control-group", id=ids.START_GROUP, hidden=scene.is_network),
        NP.network_panel(scene),
        NP.network_note(scene),
        C.labelled("Learning-rate schedule",
                   dcc.Dropdown(id=ids.SCHEDULE, options=C.schedule_options(), value=scene.schedule,
                                clearable=False, searchable=False)),
        schedule_param_row(C.schedule_param_props(scene.schedule, scene.steps, scene.schedule_param)),
        html.Details([
            html.Summary("Stochastic gradients: noise, mini-batches, seeds"),
            C.labelled(value_label("Noise σ", ids.NOISE),
                       C.plain_slider(ids.NOISE, F.NOISE_RANGE, 0.01, scene.noise, {0: "0", 5: "5", 10: "10"}),
                       hint="Gaussian noise added to every gradient: stochastic gradient descent."),
            *X.stochastic_controls(scene),
            C.labelled("Seed", dcc.Input(id=ids.SEED, type="number", min=F.SEED_RANGE[0], max=F.SEED_RANGE[1],
                                         step=1, value=scene.seed, debounce=True, className="seed-input")),
        ], className="section"),
        html.Details([
            html.Summary("Per-optimizer settings"),
            html.Div("Empty boxes use the sliders above or torch's defaults.", className="control-hint"),
            html.Div(advanced_panels(scene.optimizers, scene.overrides), id=ids.ADVANCED),
        ], className="section", id=ids.ADVANCED_SECTION, open=False),
        html.Div(X.maps_section(scene), id=ids.MAPS_SECTION, hidden=scene.is_network),
    ], className="controls")


def advanced_panels(names, overrides) -> list:
    """One override panel per chosen optimizer, in its run's colour, holding its overrides."""
    return [C.override_panel(name, colour, overrides.get(name) or {})
            for name, colour in zip(names, run_colours(names))]


def playback(steps: int) -> html.Div:
    return html.Div([
        html.Button("▶ Play", id=ids.PLAY, n_clicks=0, className="button button-play", title="Play / pause (space)"),
        html.Button("|◀", id=ids.RESTART, n_clicks=0, className="button button-step", title="Back to step 0 (Home)"),
        html.Button("◀", id=ids.STEP_BACK, n_clicks=0, className="button button-step", title="One step back (←)"),
        html.Button("▶", id=ids.STEP_FORWARD, n_clicks=0, className="button button-step",
                    title="One step forward (→)"),
        html.Div(C.frame_slider(steps), className="frame-wrap"),
        html.Span(f"step {steps} / {steps}", id=ids.FRAME_LABEL, className="frame-label"),
        html.Div([html.Span("steps/s", className="speed-label"), C.speed_slider()], className="speed-wrap",
                 title="Playback speed in optimizer steps per second"),
    ], className="playback")


def graph(id_: str, class_name: str) -> dcc.Graph:
    return dcc.Graph(id=id_, figure=BLANK_FIGURE, config=graph_config(id_), className=f"graph {class_name}")


def views(scene: Scene) -> html.Div:
    return html.Div([
        playback(scene.steps),
        html.Div(id=ids.MESSAGE, className="message", role="status", **{"aria-live": "polite"}),
        T.lesson_bar(),
        html.Div([
            html.Div([graph(ids.CONTOUR, "graph-contour"), html.Div(id=ids.CONTOUR_OVERLAY, className="overlay"),
                      html.Div("updating…", id=ids.WORKING, className="working", role="status"),
                      html.Div(id=ids.RUN_LEGEND, className="run-legend"),
                      html.Div(id=ids.BASIN_LEGEND, className="basin-legend"),  # before the key: the CSS hides
                      html.Div(id=ids.COLOUR_KEY, className="colour-key")],     # the key after a shown legend
                     className="panel panel-contour"),
            html.Div(graph(ids.SURFACE, "graph-surface"), className="panel panel-surface"),
            html.Div([
                html.Div([X.loss_kind_toggle(), X.loss_x_toggle(),
                          dcc.Checklist(id=ids.LOG_Y, options=[{"label": "log y", "value": "log"}], value=["log"],
                                        inline=True)], className="log-y"),
                graph(ids.LOSS_CURVE, "graph-loss"),
                html.Div(id=ids.LOSS_CURVE_OVERLAY, className="overlay"),
            ], className="panel panel-loss"),
            fit_panel.fit_panel(),
            T.teach_panel(),
        ], className="views-grid"),
        # A long recompute (repeated seeds, many steps) shows a dot here after 0.3 s; a quick one never does.
        dcc.Loading(html.Div(results_table([]), id=ids.RESULTS, className="results"), type="dot", delay_show=300,
                    show_initially=False),
        X.stability_panel(),
        TU.tune_panel(),
        network_views_panel.panel(),
    ], className="views")


def results_table(rows: list) -> html.Table:
    """The results table: one row per run, its colour swatch first."""
    head = html.Thead(html.Tr([html.Th(title) for _, title in COLUMNS]))
    body = []
    for row in rows:
        cells = [html.Td([html.Span(className="swatch", style={"background": row["colour"]}), row["optimizer"],
                          *_same_path(row)])]
        cells += [html.Td(row[key], className=f"cell-{key}") for key, _ in COLUMNS[1:]]
        body.append(html.Tr(cells, **{"data-run": row["name"]}))
    return html.Table([head, html.Tbody(body)], className="results-table")


def _same_path(row: dict) -> list:
    """Says so when a run's path is another's, point for point (it is drawn dashed over it)."""
    twin = row.get("same_as")
    return [html.Span(f"\u00a0= {twin}, same path", className="same-path")] if twin else []


def run_legend(rows: list) -> list:
    """Which colour is which optimizer, drawn over the contour map."""
    return [html.Span([html.Span(className="swatch", style={"background": r["colour"]}), r["optimizer"], *_same_path(r)],
                      className="legend-item") for r in rows]


def colour_key_bar(key: dict) -> list:
    """The colour key of ``figures.colour_key``: a gradient bar with labelled ticks."""
    ticks = [html.Span(label, className="colour-tick", style={"bottom": f"{100 * f:.1f}%"})
             for f, label in key["ticks"]]
    return [html.Div(key["title"] + (" (log)" if key["log"] else ""), className="colour-title"),
            html.Div([html.Div(className="colour-bar", style={"background": key["gradient"]}), *ticks],
                     className="colour-scale")]


def make_layout() -> html.Div:
    scene = default_scene()
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.SCENE),
        dcc.Store(id=ids.QUERY),
        dcc.Store(id=ids.TRAJECTORIES),
        dcc.Store(id=ids.DRAWN, data={}),
        dcc.Store(id=ids.SURFACE_PENDING),
        dcc.Store(id=ids.URL_WRITTEN),
        dcc.Store(id=ids.SPEED_SET),
        dcc.Store(id=ids.REQUEST, data=0),
        dcc.Store(id=ids.SERVED),
        dcc.Store(id=ids.GATE),
        dcc.Store(id=ids.BASIN),
        *T.stores(),
        header(),
        html.Main([html.Aside(scene_controls(scene), className="sidebar"), views(scene)], className="main"),
        html.Footer(NP.footer_words(scene.landscape), id=ids.FOOTER, className="footer"),
    ], className="app", id=ids.APP)
