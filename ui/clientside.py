"""Clientside callbacks: playback and sharing run in the browser (assets/*.js), never per frame
on the server."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State

from . import ids


def register(app) -> None:
    app.clientside_callback(
        ClientsideFunction("gradscape", "renderFrame"),
        Output(ids.FRAME_LABEL, "children"), Input(ids.FRAME, "value"), Input(ids.TRAJECTORIES, "data"))
    app.clientside_callback(
        ClientsideFunction("gradscape", "togglePlay"),
        Output(ids.PLAY, "children"), Input(ids.PLAY, "n_clicks"), prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("gradscape", "stepBy"),
        Output(ids.FRAME, "value", allow_duplicate=True), Input(ids.STEP_BACK, "n_clicks"),
        Input(ids.STEP_FORWARD, "n_clicks"), State(ids.FRAME, "value"), State(ids.FRAME, "max"),
        prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("gradscape", "setSpeed"),
        Output(ids.SPEED_SET, "data"), Input(ids.SPEED, "value"), State(ids.SPEED, "marks"))
    app.clientside_callback(
        ClientsideFunction("share", "writeUrl"),
        Output(ids.URL_WRITTEN, "data"), Input(ids.QUERY, "data"), Input(ids.VIEW_QUERY, "data"),
        prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("share", "copyLink"),
        Output(ids.COPY_STATUS, "children"), Input(ids.COPY_LINK, "n_clicks"), prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction("share", "lrValue"),
        Output(ids.LR_VALUE, "children"), Input(ids.LR, "value"))
    for slider, value in ids.SLIDER_VALUES.items():
        app.clientside_callback(
            ClientsideFunction("share", "sliderValue"),
            Output(value, "children"), Input(slider, "value"))
