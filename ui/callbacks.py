"""Server callbacks: each a few lines over the pure helpers.

Flow: the link (``url``) -> the controls -> ``scene`` store -> ``recompute`` -> store + figures.
The controls never read the URL again after opening, and the URL is written back clientside
(history.replaceState), so there is no callback cycle and no page reload.
"""

from __future__ import annotations

import landscapes
import optimizers
from dash import ALL, Input, Output, Patch, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from . import controls as C
from . import guard, ids, payload
from . import scene as S
from . import scene_fields as F
from .figures import colour_key, loss_figure
from .layout import advanced_panels, colour_key_bar, results_table, run_legend
from .render import CONTOUR_BASE, SURFACE_BASE, render_scene, runs_from_store

OVERRIDE_INPUTS = [Input({"type": t, "index": ALL}, "value") for t in C.OVERRIDE_KEYS]


def _replace_runs(figure: dict, base: int, old_runs: int) -> Patch:
    """A patch that swaps the run traces and keeps the rest (the contour grid stays in the browser)."""
    patch = Patch()
    for _ in range(2 * old_runs + 1):  # ghost and path per run, then the markers trace
        del patch["data"][base]
    patch["data"].extend(figure["data"][base:])
    patch["layout"]["meta"] = figure["layout"]["meta"]
    patch["layout"]["margin"] = figure["layout"]["margin"]
    return patch


def _maps_to_send(r, drawn: dict):
    """(contour, surface, colour key) to send: whole for a new landscape, else patches without the grid."""
    contour, surface = (payload.compact_figure(payload.hollow_runs(f)) for f in (r.contour, r.surface))
    if drawn.get("landscape") != r.landscape:
        return contour, surface, colour_key_bar(colour_key(landscapes.get(r.landscape)))
    patch = _replace_runs(contour, CONTOUR_BASE, drawn.get("runs", 0))
    patch["data"][2] = contour["data"][2]  # the start marker
    return patch, _replace_runs(surface, SURFACE_BASE, drawn.get("runs", 0)), no_update


def _message(lines):
    return [html.P(line) for line in lines]


def register(app) -> None:
    @app.callback(*[Output(i, p) for i, p in C.OPEN_SCENE_OUTPUTS], Input(ids.URL, "search"))
    def open_link(search):
        """A link's scene onto the controls."""
        return C.open_scene(*S.parse(search or ""))

    @app.callback(
        [Output(ids.START_X, p) for p in ("min", "max", "step", "marks", "value")]
        + [Output(ids.START_Y, p) for p in ("min", "max", "step", "marks", "value")]
        + [Output(ids.LANDSCAPE_INFO, "children")],
        Input(ids.LANDSCAPE, "value"), State(ids.SCENE, "data"))
    def landscape_changed(name, stored):
        """New bounds for the start sliders; the start is the link's if it came with this surface."""
        if name not in landscapes.names():
            raise PreventUpdate
        scene = guard.stored_scene(stored)
        x0, y0 = scene.get("x0"), scene.get("y0")
        if scene.get("landscape") != name or not (guard.is_number(x0) and guard.is_number(y0)):
            x0, y0 = S.default_start(name)
        props = C.start_slider_props(name)
        return ([props["x"][k] for k in ("min", "max", "step", "marks")] + [x0]
                + [props["y"][k] for k in ("min", "max", "step", "marks")] + [y0]
                + [landscapes.get(name).description])

    @app.callback(
        Output(ids.START_X, "value", allow_duplicate=True), Output(ids.START_Y, "value", allow_duplicate=True),
        Input(ids.CONTOUR, "clickData"), prevent_initial_call=True)
    def contour_clicked(click):
        point = guard.check_click(click)
        if point is None:
            raise PreventUpdate
        return round(point[0], 3), round(point[1], 3)

    @app.callback(
        [Output(ids.SCHEDULE_PARAM, p) for p in ("min", "max", "step", "marks", "value")]
        + [Output(ids.SCHEDULE_PARAM_LABEL, "children"), Output(ids.SCHEDULE_PARAM_ROW, "hidden")],
        Input(ids.SCHEDULE, "value"), State(ids.STEPS, "value"), State(ids.SCENE, "data"))
    def schedule_changed(name, steps, stored):
        name = guard.check_choice(name, F.SCHEDULE_PARAMS, "schedule")
        steps = guard.check_number(steps, "steps", F.STEPS_RANGE, optional=True)
        scene = guard.stored_scene(stored)
        value = scene.get("schedule_param") if scene.get("schedule") == name else None
        p = C.schedule_param_props(name, int(steps or S.DEFAULT_STEPS), value if guard.is_number(value) else None)
        return [p["min"], p["max"], p["step"], p["marks"], p["value"], p["label"], p["hidden"]]

    @app.callback(
        Output(ids.ADVANCED, "children"), Output(ids.OPTIMIZERS, "options"), Output(ids.ADVANCED_SECTION, "open"),
        Input(ids.OPTIMIZERS, "value"), State(ids.SCENE, "data"), prevent_initial_call=True)
    def optimizers_changed(chosen, stored):
        """Swatches in the runs' colours, and one override panel per run keeping its overrides;
        overrides in the scene open the section, so a link's settings are in view."""
        chosen = guard.check_names(chosen, optimizers.names(), "optimizers", guard.MAX_RUNS)[:F.MAX_OPTIMIZERS]
        overrides = guard.stored_overrides(stored)
        opened = True if any(n in overrides for n in chosen) else no_update
        return advanced_panels({"optimizers": chosen, "overrides": overrides}), C.optimizer_options(chosen), opened

    @app.callback(
        Output(ids.SCENE, "data", allow_duplicate=True), Output(ids.QUERY, "data"),
        Input(ids.LANDSCAPE, "value"), Input(ids.OPTIMIZERS, "value"), Input(ids.LR, "value"),
        Input(ids.MOMENTUM, "value"), Input(ids.START_X, "value"), Input(ids.START_Y, "value"),
        Input(ids.STEPS, "value"), Input(ids.SCHEDULE, "value"), Input(ids.SCHEDULE_PARAM, "value"),
        Input(ids.NOISE, "value"), Input(ids.SEED, "value"), *OVERRIDE_INPUTS, State(ids.SCENE, "data"),
        prevent_initial_call=True)
    def controls_changed(landscape, chosen, lr, momentum, x0, y0, steps, schedule, param, noise, seed, *rest):
        """The controls' values, checked by the same codec as a link, become the scene."""
        stored = guard.stored_dict(rest[-1])
        entries = guard.override_entries(ctx.inputs_list[11:11 + len(OVERRIDE_INPUTS)])
        lr = guard.check_number(lr, "lr (log10)", (-20, 20), optional=True)
        last_good = guard.last_good_scene(stored)
        previous = (last_good or {}).get("overrides", {})
        overrides = {n: v for n, v in previous.items() if n not in C.panel_names(entries)}
        overrides.update(C.overrides_from_inputs(entries))  # panels not drawn yet keep their overrides
        raw = {"landscape": landscape, "optimizers": chosen, "lr": C.slider_to_lr(lr), "momentum": momentum,
               "x0": x0, "y0": y0, "steps": steps, "schedule": schedule, "schedule_param": param,
               "noise": noise, "seed": seed, "overrides": overrides}
        scene, warnings = S.normalize(raw, base=last_good)  # a bad value keeps its last good one
        new = {"scene": scene, "warnings": warnings, "source": "controls"}
        # A link's warnings stay up until the scene changes; a control's last until it is fixed.
        unchanged = scene == stored.get("scene") and (stored.get("source") == "link" and not warnings
                                                      or stored.get("warnings") == warnings)
        return (no_update if unchanged else new), S.encode(scene)

    @app.callback(
        Output(ids.TRAJECTORIES, "data"), Output(ids.CONTOUR, "figure"), Output(ids.SURFACE, "figure"),
        Output(ids.LOSS_CURVE, "figure"), Output(ids.RESULTS, "children"), Output(ids.MESSAGE, "children"),
        Output(ids.FRAME, "max"), Output(ids.FRAME, "marks"), Output(ids.FRAME, "value"), Output(ids.DRAWN, "data"),
        Output(ids.RUN_LEGEND, "children"), Output(ids.COLOUR_KEY, "children"),
        Input(ids.SCENE, "data"), State(ids.DRAWN, "data"), State(ids.LOG_Y, "value"), prevent_initial_call=True)
    def recompute(stored, drawn, log_y):
        """Run the engine once for the scene; send the trajectories and the figures' new parts."""
        if not stored:
            raise PreventUpdate
        scene, warnings = guard.check_scene_store(stored)  # the store is the browser's: read it again
        r = render_scene(scene, warnings, guard.checked_on(log_y, "log"))
        contour, surface, key = _maps_to_send(r, guard.check_drawn(drawn))
        loss = payload.compact_figure(payload.hollow_runs(r.loss))
        return (r.store, contour, surface, loss, results_table(r.rows), _message(r.messages), r.steps,
                C.frame_marks(r.steps), r.steps, {"landscape": r.landscape, "runs": r.n_runs},
                run_legend(r.legend), key)

    @app.callback(
        Output(ids.LOSS_CURVE, "figure", allow_duplicate=True),
        Input(ids.LOG_Y, "value"), State(ids.TRAJECTORIES, "data"), State(ids.SCENE, "data"),
        prevent_initial_call=True)
    def log_y_toggled(log_y, store, stored):
        """Redraw the loss curve on the other axis from the stored runs: no engine call."""
        scene = guard.last_good_scene(stored)  # the store is the browser's: read by the codec
        if not store or scene is None:
            raise PreventUpdate
        store = guard.check_trajectory_store(store)
        L = landscapes.get(scene["landscape"])
        fig = loss_figure(L, runs_from_store(store), log_y=guard.checked_on(log_y, "log"), key=store["key"])
        return payload.compact_figure(payload.hollow_runs(fig))
