"""Tune each (issue 15): a button that tunes every chosen optimizer's lr on the same budget, sets
each one's own lr box, and shows the lr-sensitivity plot. A feature as a component: its layout,
its ids (ui/web/ids.py, TUNE_*) and ``register(app)``; the model is ``ui/model/tuning.py``, the figure
``ui/views/tune.py``.

How the tuned rates reach the scene (and so the link): the answer sets the "lr" box of every
tuned optimizer's override panel, and each box that changes asks the request gate
(assets/gate.js) for a scene, as typing into it would. A box that is not on the page (its panel
not drawn yet: the panels are drawn by a callback when optimizers are chosen) cannot be set, so
for such an optimizer the answer also writes the rate into the scene store, which is where the
scene request keeps the overrides of panels not drawn (``callbacks._scene_from_controls``); a
clientside hook on TUNE_APPLIED then asks the gate for the scene request, which carries it.
"""

from __future__ import annotations

import time

from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from ui.model import payload, tuning
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.views import exports
from ui.views import tune as TF
from ui.web import guard, ids
from ui.web import controls as C
from ui.model.scene_type import Scene

# --- layout ----------------------------------------------------------------------------------------


def tune_controls() -> html.Div:
    """Beside the optimizers: the button, the score it ranks by, and its status line."""
    score = dcc.RadioItems(id=ids.TUNE_SCORE, value=tuning.DEFAULT_SCORE, inline=True, className="tune-score",
                           options=[{"label": label, "value": key} for key, label in tuning.SCORE_LABELS.items()])
    button = html.Button("Tune each", id=ids.TUNE_BUTTON, n_clicks=0, className="button button-primary",
                         title="Try 41 learning rates 10⁻⁴…1 for every chosen optimizer on this scene's budget, "
                               "and set each one's own lr to its best")
    return html.Div([
        html.Div([button, html.Span("score:", className="map-label tune-label"), score], className="map-row"),
        dcc.Loading(html.Div(id=ids.TUNE_STATUS, className="map-status tune-status", role="status"), type="dot",
                    className="map-loading"),
    ], className="control tune-controls")


def tune_panel() -> html.Div:
    """Under the views: the lr-sensitivity plot, the budget in words and each best rate (hidden until tuned)."""
    graph = dcc.Graph(id=ids.TUNE_PLOT, figure={"data": [], "layout": {}}, className="graph-tune",
                      style={"height": "380px"}, config=exports.graph_config(ids.TUNE_PLOT))
    return html.Div([
        html.Div("Fair race: every optimizer tuned on the same budget", className="panel-title"),
        html.Div(id=ids.TUNE_BUDGET, className="tune-budget"),
        graph,
        html.Ul(id=ids.TUNE_BEST, className="tune-best"),
        dcc.Store(id=ids.TUNE_APPLIED),
        dcc.Store(id=ids.TUNE_GATE),
    ], id=ids.TUNE_PANEL, className="panel-stability panel-tune", hidden=True)


def best_list(rows) -> list:
    return [html.Li([html.Span(className="swatch", style={"background": row["colour"]}),
                     html.B(row["title"] + ": "), row["text"]], **{"data-run": row["name"]}) for row in rows]


# --- the model of the callback --------------------------------------------------------------------

OUTPUTS = ("figure", "hidden", "budget", "best", "status", "boxes", "stored", "applied")


def _box_id(output) -> dict:
    id_ = output.get("id") if isinstance(output, dict) else None
    return id_ if isinstance(id_, dict) else {}


def tune_outputs(n_clicks, score, stored, boxes) -> dict:
    """The answer to a click: keyed like the callback's outputs. ``boxes`` lists the lr boxes the
    answer sets (the pattern-matching output's ``[{"id": {...}, "property": "value"}]``)."""
    if not n_clicks:
        raise PreventUpdate
    out = {key: no_update for key in OUTPUTS}
    out["boxes"] = [no_update] * len(boxes)
    if not guard.holds_scene(stored):
        out["status"] = "Nothing to tune yet: the scene is still loading."
        return out
    scene, warnings = guard.check_scene_store(stored)
    score = score if score in tuning.SCORE_LABELS else tuning.DEFAULT_SCORE
    if not scene.optimizers:
        out["status"] = "Choose an optimizer to tune first."
        return out
    t0 = time.perf_counter()
    try:
        tuned = tuning.tune_scene(scene, score)
    except (ValueError, TypeError) as err:
        out["status"] = f"Not tuned: {err}."
        return out
    lrs = tuning.tuned_lrs(tuned)
    cleared = set(tuned.cleared) & set(lrs)
    box_ids = [_box_id(b) for b in boxes]
    for k, id_ in enumerate(box_ids):
        name, key = id_.get("index"), id_.get("key")
        if name in lrs and key == "lr":
            out["boxes"][k] = F.format_number(lrs[name])
        elif name in cleared and key in F.GROUP_KEYS:
            out["boxes"][k] = None
    drawn = {i.get("index") for i in box_ids if i.get("key") == "lr"}
    if set(lrs) - drawn:  # a panel not drawn: the rate goes into the scene the request keeps it from
        out["stored"] = guard.scene_store(applied_scene(scene, lrs, cleared), warnings, "controls")
    fig = TF.sensitivity_figure(tuned.result, tuned.colours, tuned.titles)
    out.update(figure=payload.compact_figure(fig), hidden=False, budget=tuning.budget_text(tuned),
               best=best_list(tuning.best_rows(tuned)),
               status=tuning.status_text(tuned, time.perf_counter() - t0),
               applied={"lrs": {k: F.format_number(v) for k, v in lrs.items()}, "clicks": n_clicks if type(n_clicks) is int and 0 < n_clicks < 2 ** 31 else 1})
    return out


def applied_scene(scene: Scene, lrs: dict, cleared=()) -> Scene:
    """The scene with each optimizer's own lr set to its tuned rate (its own x/y rates cleared)."""
    overrides = {name: dict(own) for name, own in scene.overrides.items()}
    for name, lr in lrs.items():
        own = overrides.setdefault(name, {})
        own["lr"] = lr
        if name in cleared:
            for key in F.GROUP_KEYS:
                own.pop(key, None)
    return S.normalize(scene.replace(overrides=overrides))[0]


# --- wiring ------------------------------------------------------------------------------------------

# After an answer: ask the request gate for a scene (it folds this into any request on its way),
# and bring the plot into view.
AFTER_TUNE_JS = """
function (applied) {
    if (!applied) { return window.dash_clientside.no_update; }
    var gate = window.dash_clientside.gate;
    if (gate && gate.changed) { gate.changed(); }
    window.requestAnimationFrame(function () {
        var panel = document.getElementById("%s");
        if (panel && !panel.hidden) { panel.scrollIntoView({block: "nearest"}); }
    });
    return applied.clicks;
}
""" % ids.TUNE_PANEL


def register(app) -> None:
    @app.callback(
        output=dict(figure=Output(ids.TUNE_PLOT, "figure"), hidden=Output(ids.TUNE_PANEL, "hidden"),
                    budget=Output(ids.TUNE_BUDGET, "children"), best=Output(ids.TUNE_BEST, "children"),
                    status=Output(ids.TUNE_STATUS, "children"),
                    boxes=Output(C.OVERRIDE_PATTERN, "value", allow_duplicate=True),
                    stored=Output(ids.SCENE, "data", allow_duplicate=True),
                    applied=Output(ids.TUNE_APPLIED, "data")),
        inputs=dict(n_clicks=Input(ids.TUNE_BUTTON, "n_clicks"), score=State(ids.TUNE_SCORE, "value"),
                    stored=State(ids.SCENE, "data")),
        running=[(Output(ids.TUNE_BUTTON, "disabled"), True, False)], prevent_initial_call=True)
    def tune_each(n_clicks, score, stored):
        """Tune every chosen optimizer's lr on the scene's budget and set each one's lr box."""
        boxes = (ctx.outputs_grouping or {}).get("boxes") if isinstance(ctx.outputs_grouping, dict) else None
        return tune_outputs(n_clicks, score, stored, boxes if isinstance(boxes, list) else [])

    app.clientside_callback(AFTER_TUNE_JS, Output(ids.TUNE_GATE, "data"), Input(ids.TUNE_APPLIED, "data"),
                            prevent_initial_call=True)
