"""Clientside callbacks: playback and sharing run in the browser (assets/*.js), never per frame
on the server."""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State

from ui.web import ids
from ui.web.controls import OVERRIDE_PATTERN


# Every control that changes the scene: a change asks the gate for a scene request.
SCENE_CONTROLS = [Input(i, "value") for i in (
    ids.LANDSCAPE, ids.OPTIMIZERS, ids.LR, ids.MOMENTUM, ids.START_X, ids.START_Y, ids.STEPS, ids.SCHEDULE,
    ids.SCHEDULE_PARAM, ids.NOISE, ids.SEED, ids.EXPR, ids.REPEAT, ids.BATCH,
    ids.NET_HIDDEN, ids.NET_ACTIVATION, ids.NET_SEED, ids.NET_LAYER_LR)]


def register(app) -> None:
    # The request gate (assets/gate.js): one scene request in flight at a time; changes made
    # meanwhile are folded into the next one, so a drag never queues stale requests.
    app.clientside_callback(
        ClientsideFunction("gate", "changed"), Output(ids.GATE, "data"),
        *SCENE_CONTROLS, Input(OVERRIDE_PATTERN, "value"))
    app.clientside_callback(
        ClientsideFunction("gate", "served"), Output(ids.GATE, "data", allow_duplicate=True),
        Input(ids.SERVED, "data"), prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("gradscape", "renderFrame"),
        Output(ids.FRAME_LABEL, "children"), Input(ids.FRAME, "value"), Input(ids.TRAJECTORIES, "data"))
    app.clientside_callback(
        ClientsideFunction("gradscape", "togglePlay"),
        Output(ids.PLAY, "children"), Input(ids.PLAY, "n_clicks"), prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("gradscape", "stepBy"),
        Output(ids.FRAME, "value", allow_duplicate=True), Input(ids.STEP_BACK, "n_clicks"),
        Input(ids.STEP_FORWARD, "n_clicks"), prevent_initial_call=True)  # counts from the step on show
    app.clientside_callback(
        ClientsideFunction("gradscape", "setSpeed"),
        Output(ids.SPEED_SET, "data"), Input(ids.SPEED, "value"), State(ids.SPEED, "marks"))
    app.clientside_callback(
        ClientsideFunction("share", "writeUrl"),
        Output(ids.URL_WRITTEN, "data"), Input(ids.QUERY, "data"), Input(ids.VIEW_QUERY, "data"),
        prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("share", "writeStep"),
        Output(ids.STEP_WRITTEN, "data"), Input(ids.FRAME, "value"), Input(ids.FRAME, "max"))
    # (initial call too: a page opened with its scene drawn starts at the link's step, t=)
    app.clientside_callback(
        ClientsideFunction("share", "predictGate"),
        Output(ids.PREDICT_GATE, "data"), Input(ids.FRAME, "value"), Input(ids.FRAME, "max"),
        Input(ids.PREDICT, "value"), Input(ids.REVEAL, "n_clicks"), State(ids.TRAJECTORIES, "data"))
    app.clientside_callback(
        ClientsideFunction("share", "copyLink"),
        Output(ids.COPY_STATUS, "children"), Input(ids.COPY_LINK, "n_clicks"), prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("share", "lrSync"),
        Output(ids.LR, "value", allow_duplicate=True), Output(ids.LR_TEXT, "value"),
        Output(ids.MESSAGE, "children", allow_duplicate=True),
        Input(ids.LR, "value"), Input(ids.LR_TEXT, "value"), prevent_initial_call=True)  # bounds: shared.js
    app.clientside_callback(
        ClientsideFunction("share", "lrValue"),
        Output(ids.LR_VALUE, "children"), Input(ids.LR, "value"))
    for slider, value in ids.SLIDER_VALUES.items():
        app.clientside_callback(
            ClientsideFunction("share", "sliderValue"),
            Output(value, "children"), Input(slider, "value"))
