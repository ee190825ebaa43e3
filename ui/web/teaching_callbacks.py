"""Callbacks of the teaching layer: each a few lines over the pure helpers.

The link's view flags (lesson, teach, present) -> toggles and the lesson store -> the view's part
of the link (written clientside with the scene's). While "Why?" is on, a scene change (or another
run to follow, or another slice) computes the teach store once; the browser plays it
(assets/teaching.js), so playback still asks the server nothing.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, html
from dash.exceptions import PreventUpdate

from ui.model import lessons, payload
from ui.model import scene as S
from ui.model.compute import run_scene
from ui.model.diagram import diagram_class, diagram_notes
from ui.model.teaching import rule_cards, teach_payload
from ui.views.schedule import schedule_figure
from ui.web import guard, ids
from ui.web.teaching_panels import lesson_bar_children, lesson_items

ON = ["on"]


def _on(value) -> bool:
    return guard.checked_on(value, "on")


def _scene(stored) -> dict:
    """The scene store read again by the codec (the browser holds it, so it is not trusted)."""
    if not stored:
        raise PreventUpdate
    return guard.check_scene_store(stored)[0]


def _lesson(value):
    return value if isinstance(value, str) and value in lessons.ids() else None


def register(app) -> None:
    @app.callback(output=dict(lesson=Output(ids.LESSON, "data"), teach=Output(ids.TEACH, "value"),
                              present=Output(ids.PRESENT, "value"), predict=Output(ids.PREDICT, "value")),
                  inputs=dict(search=Input(ids.URL, "search")))
    def open_view(search):
        """The link's view flags onto the toggles (its scene is read by ``open_link``)."""
        view = S.parse_view(search or "")
        return {"lesson": view["lesson"], **{key: ON if view[key] else [] for key in ("teach", "present", "predict")}}

    @app.callback(output=dict(query=Output(ids.VIEW_QUERY, "data"), lessons=Output(ids.LESSON_LIST, "children"),
                              next=Output(ids.NEXT_LESSON, "href"), bar=Output(ids.LESSON_BAR, "children"),
                              bar_hidden=Output(ids.LESSON_BAR, "hidden")),
                  inputs=dict(lesson=Input(ids.LESSON, "data"), teach=Input(ids.TEACH, "value"),
                              present=Input(ids.PRESENT, "value"), predict=Input(ids.PREDICT, "value")))
    def view_changed(lesson, teach, present, predict):
        """The view's part of the link (the step, t=, is added in the browser); lesson links that keep
        presentation mode on."""
        present, lesson = _on(present), _lesson(lesson)
        query = S.encode_view({"lesson": lesson, "teach": _on(teach), "present": present, "predict": _on(predict)})
        return {"query": query, "lessons": lesson_items(present), "next": lessons.next_lesson(lesson).link(present),
                "bar": lesson_bar_children(lesson) if lesson else [], "bar_hidden": not lesson}

    @app.callback(output=dict(rules=Output(ids.RULES_DATA, "data"), diagram=Output(ids.DIAGRAM, "className"),
                              notes=Output(ids.DIAGRAM_NOTES, "children"), options=Output(ids.INSPECT_RUN, "options"),
                              chosen=Output(ids.INSPECT_RUN, "value")),
                  inputs=dict(_shown=Input(ids.TEACH_SCENE, "data"), teach=Input(ids.TEACH, "value"),
                              stored=State(ids.SCENE, "data"), inspected=State(ids.INSPECT_RUN, "value")))
    def explain_scene(_shown, teach, stored, inspected):
        """Update rules, the diagram's highlights and the runs to follow: no engine call."""
        if not _on(teach):
            raise PreventUpdate
        scene = _scene(stored)
        options = [{"label": scene.run_title(n), "value": n} for n in scene.optimizers]
        chosen = inspected if inspected in scene.optimizers else (scene.optimizers or [None])[0]
        return {"rules": rule_cards(scene), "diagram": diagram_class(scene),
                "notes": [html.Li(note) for note in diagram_notes(scene)], "options": options, "chosen": chosen}

    @app.callback(output=dict(store=Output(ids.TEACH_DATA, "data"), figure=Output(ids.SCHEDULE_PLOT, "figure"),
                              mathjax=Output(ids.SCHEDULE_PLOT, "mathjax")),
                  inputs=dict(_shown=Input(ids.TEACH_SCENE, "data"), teach=Input(ids.TEACH, "value"),
                              inspected=Input(ids.INSPECT_RUN, "value"), direction=Input(ids.SLICE_DIRECTION, "value"),
                              stored=State(ids.SCENE, "data")))
    def teach_data(_shown, teach, inspected, direction, stored):
        """One engine run with the buffers recorded; every step of the followed run, for the browser."""
        if not _on(teach):
            raise PreventUpdate
        scene = _scene(stored)
        result = run_scene(scene, record_state=True)
        key = payload.scene_key(scene)
        # A network's runs have no 2-D point to inspect: the panels show only the per-group rates.
        store = None if result.network is not None else teach_payload(result, inspected, direction, key)
        figure = schedule_figure(result.ok_runs, scene.steps, key=key)
        return {"store": store, "figure": payload.compact_figure(figure), "mathjax": True}

    app.clientside_callback(
        ClientsideFunction("teaching", "viewClass"),
        Output(ids.APP, "className"), Input(ids.TEACH, "value"), Input(ids.PRESENT, "value"))
    app.clientside_callback(
        ClientsideFunction("teaching", "load"),
        Output(ids.TEACH_DRAWN, "data"), Input(ids.TEACH_DATA, "data"), Input(ids.TEACH_SHOW, "value"),
        Input(ids.TEACH, "value"), State(ids.DIAGRAM_SOURCE, "data"))
    app.clientside_callback(
        ClientsideFunction("teaching", "rules"), Output(ids.RULES_DRAWN, "data"), Input(ids.RULES_DATA, "data"))
    app.clientside_callback(
        ClientsideFunction("gradscape", "restart"),
        Output(ids.FRAME, "value", allow_duplicate=True), Input(ids.RESTART, "n_clicks"), prevent_initial_call=True)

