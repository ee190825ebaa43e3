"""Server callbacks: each a few lines over the pure helpers.

Flow: the link (``url``) -> the controls -> ``scene`` store -> ``recompute`` -> store + figures.
The controls never read the URL again after opening, and the URL is written back clientside
(history.replaceState), so there is no callback cycle and no page reload.
"""

from __future__ import annotations

import optimizers
from dash import Input, Output, Patch, State, html, no_update
from dash.exceptions import PreventUpdate

from ui.model import limits

from ui.model import maps, payload, surfaces
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.views import layers
from ui.views.figures import colour_key
from ui.views.render import CONTOUR_BASE, SURFACE_BASE, render_scene, runs_from_store
from ui.web import guard, ids, surface_callbacks
from ui.web import controls as C
from ui.web.layout import advanced_panels, colour_key_bar, results_table, run_legend
from ui.model.scene_type import Scene

OVERRIDE_INPUTS = [Input(C.OVERRIDE_PATTERN, "value")]


def _replace_runs(figure: dict, base: int, old_total: int) -> Patch:
    """A patch that swaps the traces from ``base`` on (each run's, the markers, the repeated seeds')
    and keeps the rest (the contour grid stays in the browser); the old figure had ``old_total``."""
    patch = Patch()
    for _ in range(old_total - base):
        del patch["data"][base]
    patch["data"].extend(figure["data"][base:])
    patch["layout"]["meta"] = figure["layout"]["meta"]
    patch["layout"]["margin"] = figure["layout"]["margin"]
    return patch


def _maps_to_send(r, drawn: dict, basin_kept: bool):
    """(contour, surface, colour key) to send: whole for a new landscape, else patches without the grid.
    The basin layer (data[1]) stays only while the scene differs from its own by the start alone."""
    contour, surface = (payload.compact_figure(payload.hollow_runs(f)) for f in (r.contour, r.surface))
    if drawn.get("landscape") != r.landscape:
        return contour, surface, colour_key_bar(colour_key(surfaces.get(r.landscape)))
    runs = drawn.get("runs", 0)
    patch = _replace_runs(contour, CONTOUR_BASE, drawn.get("contour_traces", CONTOUR_BASE + 2 * runs + 1))
    patch["data"][CONTOUR_BASE - 1] = contour["data"][CONTOUR_BASE - 1]  # the start marker
    if not basin_kept:
        layers.basin_patch(patch, None)
    old_surface = drawn.get("surface_traces", SURFACE_BASE + 2 * runs + 1)
    return patch, _replace_runs(surface, SURFACE_BASE, old_surface), no_update


def _message(lines):
    return [html.P(line) for line in lines]


def _override_groups(id_lists, value_lists) -> list:
    """``[{"id", "value"}]`` per pattern, as Dash lists pattern-matching inputs."""
    if not isinstance(id_lists, list) or not isinstance(value_lists, list):
        return []
    return [[{"id": i, "value": v} for i, v in zip(ids_, values)]
            for ids_, values in zip(id_lists, value_lists) if isinstance(ids_, list) and isinstance(values, list)]


def _scene_from_controls(controls: dict, groups: list, last_good):
    """The controls' values, checked by the same codec as a link; a bad value keeps its last good one."""
    entries = guard.override_entries(groups)
    lr = guard.check_number(controls["lr"], "lr (log10)", (-20, 20), optional=True)
    previous = last_good.overrides if last_good is not None else {}
    kept = {n: v for n, v in previous.items() if n not in C.panel_names(entries)}
    kept.update(C.overrides_from_inputs(entries))  # panels not drawn yet keep their overrides
    landscape = controls["landscape"]
    raw = {**controls, "lr": C.slider_to_lr(lr), "overrides": kept,
           "batch": (controls["batch"] or None) if surfaces.is_dataset(landscape) else None}  # kept for the next dataset
    return S.normalize(raw, base=last_good)


def _scene_outputs(scene: Scene, warnings: list, drawn: dict, basin, log_y, loss_kind, loss_x=None) -> dict:
    """The outputs of a scene the page does not show yet: whole figures for a new surface, patches
    for new runs, and nothing of the contour map or the surface when only the paths moved."""
    log_y = guard.checked_on(log_y, "log")
    kind = "batch" if guard.checked_on(loss_kind, "batch") else "full"
    signature = maps.signature(scene)
    basin_stale = bool(basin) and guard.stored_dict(basin).get("signature") != signature
    new_surface = drawn.get("landscape") != surfaces.name_of(scene)
    x_axis = "evals" if guard.checked_on(loss_x, "evals") else "steps"
    r = render_scene(scene, warnings, log_y, kind, build=("loss",), loss_x=x_axis)
    same_figures = drawn.get("figures") == r.figure_key and not new_surface
    out = {"store": r.store, "loss": payload.compact_figure(payload.hollow_runs(r.loss)),
           "results": results_table(r.rows), "message": _message(r.messages),
           "batch_hidden": not scene.batch, "info": surfaces.of(scene).description}
    if basin_stale:
        out["basin"], out["basin_legend"] = None, []
    if drawn.get("steps") != str(r.steps):
        out["frame_max"], out["frame_marks"] = r.steps, C.frame_marks(r.steps)
    out["frame"] = r.steps
    now = {**drawn, "key": r.key, "warnings": payload.scene_key(warnings), "steps": str(r.steps),
           "signature": signature}
    if same_figures:
        if basin_stale:
            out["contour"] = layers.basin_patch(Patch(), None)
    else:
        r = render_scene(scene, warnings, log_y, kind, loss_x=x_axis)
        out["contour"], out["surface"], out["key"] = _maps_to_send(r, drawn, not basin_stale)
        out["legend"] = run_legend(r.legend)
        out["fit"], out["fit_hidden"] = (r.fit, False) if r.fit is not None else (no_update, True)
        now.update(landscape=r.landscape, runs=r.n_runs, contour_traces=len(r.contour["data"]),
                   surface_traces=len(r.surface["data"]), figures=r.figure_key)
    out["drawn"] = now
    return out


def opening_step(stored: dict, steps: int, predict: bool) -> int:
    """The step a newly computed scene shows: a link's own (t=, once), 0 to predict first, else the end."""
    opens_at = stored.get("open_at") if stored.get("source") == "link" else None
    if type(opens_at) is int and opens_at >= 0:
        return min(opens_at, steps)
    return 0 if predict else steps


def first_scene_outputs(scene: Scene, warnings) -> dict:
    """What the scene callback would send for a page that shows nothing yet (ui/web/opening.py puts
    it in the layout); its ``drawn`` makes that callback's first run a no-op."""
    return _scene_outputs(scene, warnings, {}, None, ["log"], "full")


def register(app) -> None:
    @app.callback(output=C.named_outputs(C.OPEN_SCENE_OUTPUTS), inputs=dict(search=Input(ids.URL, "search")))
    def open_link(search):
        """A link's scene onto the controls, with the step it opens at (t=, or 0 to predict first)."""
        out = C.open_scene(*S.parse(search or ""))
        view = S.parse_view(search or "")
        opens_at = view["t"] if view["t"] is not None else (0 if view["predict"] else None)
        if opens_at is not None:
            out["stored"]["open_at"] = opens_at
        return out

    @app.callback(output=C.named_outputs(C.START_CONTROLS),
                  inputs=dict(name=Input(ids.LANDSCAPE, "value"), stored=State(ids.SCENE, "data")))
    def landscape_changed(name, stored):
        """New bounds for the start sliders; the start is the link's if it came with this surface."""
        out = C.start_controls(name, guard.last_good_scene(stored))
        if out is None:
            raise PreventUpdate
        return out

    @app.callback(
        Output(ids.START_X, "value", allow_duplicate=True), Output(ids.START_Y, "value", allow_duplicate=True),
        Input(ids.CONTOUR, "clickData"), prevent_initial_call=True)
    def contour_clicked(click):
        point = guard.check_click(click)
        if point is None:
            raise PreventUpdate
        return round(point[0], 3), round(point[1], 3)

    @app.callback(output=C.named_outputs(C.SCHEDULE_CONTROLS),
                  inputs=dict(name=Input(ids.SCHEDULE, "value"), steps=State(ids.STEPS, "value"),
                              stored=State(ids.SCENE, "data")))
    def schedule_changed(name, steps, stored):
        """The schedule's own parameter slider: its range, label and value (the scene's, for its schedule)."""
        name = guard.check_choice(name, F.SCHEDULE_PARAMS, "schedule")
        steps = guard.check_number(steps, "steps", F.STEPS_RANGE, optional=True)
        return C.schedule_controls(name, int(steps or S.DEFAULT_STEPS), guard.last_good_scene(stored))

    @app.callback(
        Output(ids.ADVANCED, "children"), Output(ids.ADVANCED_SECTION, "open"),
        Input(ids.OPTIMIZERS, "value"), State(ids.SCENE, "data"), prevent_initial_call=True)
    def optimizers_changed(chosen, stored):
        """One override panel per run keeping its overrides; overrides in the scene open the
        section, so a link's settings are in view."""
        chosen = guard.check_names(chosen, optimizers.names(), "optimizers", limits.MAX_RUNS)[:F.MAX_OPTIMIZERS]
        scene = guard.last_good_scene(stored)
        overrides = scene.overrides if scene is not None else {}
        opened = True if any(n in overrides for n in chosen) else no_update
        return advanced_panels(chosen, overrides), opened

    @app.callback(
        Output(ids.OPTIMIZERS, "options"), Output(ids.OPTIMIZER_STATUS, "children"),
        Input(ids.OPTIMIZERS, "value"), Input(ids.OPTIMIZER_SEARCH, "value"), prevent_initial_call=True)
    def picker_changed(chosen, search):
        """The picker's rows for what is ticked and searched: swatches in the runs' colours."""
        chosen = guard.check_names(chosen, optimizers.names(), "optimizers", limits.MAX_RUNS)
        search = search[:100] if isinstance(search, str) else ""  # a filter only: anything else shows all
        return C.optimizer_options(chosen, search), C.picker_status(chosen, search)

    @app.callback(
        output=dict(
            store=Output(ids.TRAJECTORIES, "data"),
            stored=Output(ids.SCENE, "data", allow_duplicate=True), query=Output(ids.QUERY, "data"), contour=Output(ids.CONTOUR, "figure"),
            surface=Output(ids.SURFACE, "figure"), loss=Output(ids.LOSS_CURVE, "figure"),
            results=Output(ids.RESULTS, "children"), message=Output(ids.MESSAGE, "children"),
            frame_max=Output(ids.FRAME, "max"), frame_marks=Output(ids.FRAME, "marks"),
            frame=Output(ids.FRAME, "value"), drawn=Output(ids.DRAWN, "data"),
            legend=Output(ids.RUN_LEGEND, "children"), key=Output(ids.COLOUR_KEY, "children"),
            basin=Output(ids.BASIN, "data", allow_duplicate=True),
            basin_legend=Output(ids.BASIN_LEGEND, "children", allow_duplicate=True),
            batch_hidden=Output(ids.LOSS_KIND_WRAP, "hidden"),
            info=Output(ids.LANDSCAPE_INFO, "children", allow_duplicate=True),
            stability=Output(ids.STABILITY, "figure", allow_duplicate=True),
            teach_scene=Output(ids.TEACH_SCENE, "data"),
            fit=Output(ids.FIT, "figure"), fit_hidden=Output(ids.FIT_PANEL, "hidden"),
            x0=Output(ids.START_X, "value", allow_duplicate=True), y0=Output(ids.START_Y, "value", allow_duplicate=True),
            served=Output(ids.SERVED, "data")),
        inputs=dict(
            ticket=Input(ids.REQUEST, "data"),
            controls=dict(
                landscape=State(ids.LANDSCAPE, "value"), optimizers=State(ids.OPTIMIZERS, "value"),
                lr=State(ids.LR, "value"), momentum=State(ids.MOMENTUM, "value"), x0=State(ids.START_X, "value"),
                y0=State(ids.START_Y, "value"), steps=State(ids.STEPS, "value"), schedule=State(ids.SCHEDULE, "value"),
                schedule_param=State(ids.SCHEDULE_PARAM, "value"), noise=State(ids.NOISE, "value"),
                seed=State(ids.SEED, "value"), expr=State(ids.EXPR, "value"), repeat=State(ids.REPEAT, "value"),
                batch=State(ids.BATCH, "value"), hidden=State(ids.NET_HIDDEN, "value"),
                activation=State(ids.NET_ACTIVATION, "value"), net_seed=State(ids.NET_SEED, "value"),
                layer_lr=State(ids.NET_LAYER_LR, "value")),
            overrides=[State(C.OVERRIDE_PATTERN, "value")],
            override_ids=[State(C.OVERRIDE_PATTERN, "id")],
            stored=State(ids.SCENE, "data"), drawn=State(ids.DRAWN, "data"), basin=State(ids.BASIN, "data"),
            log_y=State(ids.LOG_Y, "value"), loss_kind=State(ids.LOSS_KIND, "value"),
            loss_x=State(ids.LOSS_X, "value"), stability_for=State(ids.STABILITY_FOR, "data"),
            teach=State(ids.TEACH, "value"), predict=State(ids.PREDICT, "value")),
        running=[(Output(ids.REPEAT, "disabled"), True, False)], prevent_initial_call=True)
    def scene_changed(ticket, controls, overrides, override_ids, stored, drawn, basin, log_y, loss_kind,
                      stability_for, teach, loss_x=None, predict=None):
        """One round trip per change: the controls (read when the browser's request gate lets the
        request go, so they are the newest) become the scene, the engine runs once, and only what
        changed is sent: for a new lr, momentum, start or step count that is the trajectory store
        (the browser draws the paths from it), the loss curve and the table, never the contour grid
        or the surface."""
        stored = guard.stored_dict(stored)
        last_good = guard.last_good_scene(stored)
        scene, warnings = _scene_from_controls(controls, _override_groups(override_ids, overrides), last_good)
        # A link's warnings stay up until the scene changes; a control's last until it is fixed.
        same = scene == last_good
        if same and stored.get("source") == "link" and not warnings:
            warnings = guard.stored_warnings(stored)
        new = guard.scene_store(scene, warnings, stored.get("source", "controls") if same else "controls")
        drawn = guard.check_drawn(drawn)
        out = {name: no_update for name in scene_changed_outputs}
        # The gate's ticket goes back as it came: a number the page counts up (anything else: None).
        out["served"] = ticket if type(ticket) is int and 0 <= ticket < 2 ** 31 else None
        key = payload.scene_key(scene)
        if drawn.get("key") == key and drawn.get("warnings") == payload.scene_key(warnings):
            return out  # the paths drawn are this scene's already
        out["stored"], out["query"] = new, S.encode(scene)
        out.update(_scene_outputs(scene, warnings, drawn, basin, log_y, loss_kind, loss_x))
        out["frame"] = opening_step(stored, scene.steps, guard.checked_on(predict, "on"))
        # The other views that follow the scene, only when they are shown: no request of their own.
        if isinstance(stability_for, str):
            out["stability"] = surface_callbacks.stability_marker(scene, stability_for)
        if guard.checked_on(teach, "on"):
            out["teach_scene"] = key
        if scene.landscape == surfaces.CUSTOM and (controls["x0"], controls["y0"]) != (scene.x0, scene.y0):
            out["x0"], out["y0"] = scene.x0, scene.y0  # a formula not finite at the start moved it
        return out

    scene_changed_outputs = ("stored", "query", "store", "contour", "surface", "loss", "results", "message",
                             "frame_max", "frame_marks", "frame", "drawn", "legend", "key", "basin", "basin_legend",
                             "batch_hidden", "info", "stability", "teach_scene", "x0", "y0", "served",
                             "fit", "fit_hidden")

    @app.callback(
        output=Output(ids.LOSS_CURVE, "figure", allow_duplicate=True),
        inputs=dict(log_y=Input(ids.LOG_Y, "value"), loss_kind=Input(ids.LOSS_KIND, "value"),
                    loss_x=Input(ids.LOSS_X, "value"), store=State(ids.TRAJECTORIES, "data"),
                    stored=State(ids.SCENE, "data")), prevent_initial_call=True)
    def loss_view_toggled(log_y, loss_kind, loss_x, store, stored):
        """Redraw the loss curve (other axis, or mini-batch/full loss) from the stored runs: no engine call."""
        scene = guard.last_good_scene(stored)  # the store is the browser's: read by the codec
        if not store or scene is None:
            raise PreventUpdate
        store = guard.check_trajectory_store(store)
        fig = layers.loss_view(surfaces.of(scene), runs_from_store(store),
                                        log_y=guard.checked_on(log_y, "log"), key=store.get("figures") or store["key"],
                                        kind="batch" if guard.checked_on(loss_kind, "batch") else "full",
                                        x_axis="evals" if guard.checked_on(loss_x, "evals") else "steps")
        return payload.compact_figure(payload.hollow_runs(fig))
