"""Callbacks for issue 5: which controls a surface shows, and the maps, computed on demand.

The maps are one engine call each, run when a button is pressed (never on a slider move), with
both buttons disabled while one runs and a loading dot beside them. The basin map is a layer in
the contour map's slot (``explore_figures.BASIN_SLOT``); recompute clears it when the scene
changes in more than its start, and the legend goes with it (below).
"""

from __future__ import annotations

import time

import landscapes
import optimizers
from dash import Input, Output, Patch, State, no_update
from dash.exceptions import PreventUpdate

from ui.model import limits, maps, network_fields, payload, surfaces
from ui.views import curvature
from ui.views import layers as XF
from ui.web import guard, ids
from ui.web import controls as C
from ui.web import surface_panels as X
from ui.model.scene_type import Scene

RUNNING = [(Output(ids.BASIN_BUTTON, "disabled"), True, False), (Output(ids.STABILITY_BUTTON, "disabled"), True, False)]


def _scene(stored):
    """The scene store's scene as the URL codec reads it (the store is the browser's)."""
    if not guard.holds_scene(stored):
        raise PreventUpdate
    return guard.check_scene_store(stored)[0]


def _check_basin_store(store) -> dict:
    """A basin store as this app writes it, or BadInput (decoding one costs memory)."""
    limit = 4 * limits.MAX_GRID ** 2 * 4 // 3 + 8  # base64 of MAX_GRID² float32s
    ok = (isinstance(store, dict) and store.get("optimizer") in optimizers.names()
          and all(isinstance(store.get(k), dict) and isinstance(store[k].get("bdata"), str)
                  and len(store[k]["bdata"]) <= limit for k in ("labels", "steps", "xs", "ys"))
          and isinstance(store.get("minima"), list) and len(store["minima"]) <= 64
          and all(isinstance(m, list) and len(m) == 2 and all(guard.is_number(v) for v in m) for m in store["minima"])
          and guard.is_number(store.get("n_steps")) and 0 <= store["n_steps"] <= limits.MAX_STEPS)
    if not ok:
        raise limits.BadInput(f"The page sent a basin map that is not one. {limits.KEEP}")
    return store


def basin_store(result, signature: str, name: str) -> dict:
    """What the page keeps of a basin map: enough to redraw it in the other mode."""
    return {"signature": signature, "optimizer": name, "labels": payload.pack(result.labels),
            "steps": payload.pack(result.steps), "xs": payload.pack(result.xs, "f8"),
            "ys": payload.pack(result.ys, "f8"), "minima": result.minima.tolist(), "n_steps": result.n_steps}


def basin_view(store: dict, mode: str):
    """(heatmap trace, legend model) from a stored basin map."""
    store = _check_basin_store(store)
    labels = payload.unpack(store["labels"]).astype(int)
    steps = payload.unpack(store["steps"]).astype(int)
    xs, ys = payload.unpack(store["xs"]), payload.unpack(store["ys"])
    trace = XF.basin_trace(labels, steps, xs, ys, len(store["minima"]), mode, store["n_steps"])
    legend = XF.basin_legend(labels, steps, store["minima"], mode, store["n_steps"])
    title = optimizers.info(store["optimizer"]).title
    legend["title"] = f"{title}: " + legend["title"][0].lower() + legend["title"][1:]
    trace["meta"] = {**trace["meta"], "legend": legend}  # the exported PNG's basin key (assets/export.js)
    return payload.compact_figure(trace), legend


def register(app) -> None:
    @app.callback(
        output=dict(expr_hidden=Output(ids.EXPR_ROW, "hidden"), batch_hidden=Output(ids.BATCH_ROW, "hidden"),
                    batch_options=Output(ids.BATCH, "options")),
        inputs=dict(name=Input(ids.LANDSCAPE, "value"), stored=State(ids.SCENE, "data")))
    def surface_controls(name, stored):
        """The formula box for "Custom…"; the batch size for a dataset surface."""
        known = name in landscapes.names() or network_fields.is_network(name)
        size = surfaces.get(name).n_samples if known else 0
        scene = guard.last_good_scene(stored)
        batch = scene.batch if scene is not None else None
        return {"expr_hidden": name != surfaces.CUSTOM, "batch_hidden": not size,
                "batch_options": X.batch_options(size, batch) if size else []}

    @app.callback(
        Output(ids.MAP_OPTIMIZER, "options"), Output(ids.MAP_OPTIMIZER, "value"),
        Input(ids.OPTIMIZERS, "value"), State(ids.MAP_OPTIMIZER, "value"))
    def map_optimizer_choices(chosen, current):
        return X.map_optimizer_choice(chosen, current)

    @app.callback(
        output=dict(contour=Output(ids.CONTOUR, "figure", allow_duplicate=True), store=Output(ids.BASIN, "data"),
                    legend=Output(ids.BASIN_LEGEND, "children"), status=Output(ids.MAP_STATUS, "children")),
        inputs=dict(n=Input(ids.BASIN_BUTTON, "n_clicks"), stored=State(ids.SCENE, "data"),
                    name=State(ids.MAP_OPTIMIZER, "value"), G=State(ids.BASIN_GRID, "value"),
                    mode=State(ids.BASIN_MODE, "value")),
        running=RUNNING, prevent_initial_call=True)
    def basin_map(n, stored, name, G, mode):
        """The basin map of the chosen optimizer as a layer over the contour map. It stays while
        only the start moves (recompute compares the scene's signature with the one it drew)."""
        scene = _scene(stored)
        only_status = {"contour": no_update, "store": no_update, "legend": no_update}
        if not n or name not in scene.optimizers:
            return dict(only_status, status="Pick an optimizer of the scene first.")
        t0 = time.perf_counter()
        try:
            result, notes = maps.basin(scene, name, G)
        except (ValueError, TypeError) as err:
            return dict(only_status, status=f"No basin map: {err}")
        store = basin_store(result, maps.signature(scene), name)
        trace, legend = basin_view(store, mode)
        patch = XF.basin_patch(Patch(), trace)
        g = len(result.xs)
        status = (f"Basin map: {optimizers.info(name).title}, {g} × {g} starts × {result.n_steps} steps, "
                  f"{time.perf_counter() - t0:.2f} s. Click the map to start a run there. " + " ".join(notes))
        return {"contour": patch, "store": store, "legend": X.basin_legend(legend), "status": status}

    @app.callback(
        Output(ids.CONTOUR, "figure", allow_duplicate=True), Output(ids.BASIN_LEGEND, "children", allow_duplicate=True),
        Input(ids.BASIN_MODE, "value"), State(ids.BASIN, "data"), State(ids.DRAWN, "data"), prevent_initial_call=True)
    def basin_mode(mode, store, drawn):
        """The same basin map coloured the other way: no engine call."""
        if not store or (drawn or {}).get("signature") != store.get("signature"):
            raise PreventUpdate
        trace, legend = basin_view(store, mode)
        return XF.basin_patch(Patch(), trace), X.basin_legend(legend)

    @app.callback(
        output=dict(contour=Output(ids.CONTOUR, "figure", allow_duplicate=True),
                    basin=Output(ids.BASIN, "data", allow_duplicate=True),
                    legend=Output(ids.BASIN_LEGEND, "children", allow_duplicate=True),
                    stability_hidden=Output(ids.STABILITY_PANEL, "hidden"),
                    status=Output(ids.MAP_STATUS, "children", allow_duplicate=True),
                    stability_for=Output(ids.STABILITY_FOR, "data", allow_duplicate=True)),
        inputs=dict(n=Input(ids.MAPS_CLEAR, "n_clicks")), prevent_initial_call=True)
    def clear_maps(n):
        """Both maps off: the basin layer, its legend and store, and the stability panel."""
        if not n:
            raise PreventUpdate
        return {"contour": XF.basin_patch(Patch(), None), "basin": None, "legend": [], "stability_hidden": True,
                "status": "", "stability_for": None}

    @app.callback(
        output=dict(figure=Output(ids.STABILITY, "figure"),
                    hidden=Output(ids.STABILITY_PANEL, "hidden", allow_duplicate=True),
                    status=Output(ids.MAP_STATUS, "children", allow_duplicate=True),
                    shown_for=Output(ids.STABILITY_FOR, "data")),
        inputs=dict(n=Input(ids.STABILITY_BUTTON, "n_clicks"), stored=State(ids.SCENE, "data"),
                    name=State(ids.MAP_OPTIMIZER, "value")),
        running=RUNNING, prevent_initial_call=True)
    def stability_map(n, stored, name):
        """Final loss over lr × momentum for the chosen optimizer from the scene's start."""
        scene = _scene(stored)
        usable = maps.map_optimizers(scene, stability=True)
        only_status = {"figure": no_update, "hidden": no_update, "shown_for": no_update}
        if name not in usable:
            title = optimizers.info(name).title if name in optimizers.names() else "This optimizer"
            return dict(only_status, status=(
                f"No stability map: the momentum slider does not set {title}'s settings. Pick "
                + (", ".join(optimizers.info(u).title for u in usable) or "Momentum, Nesterov or an Adam")
                + " as the map's optimizer."))
        t0 = time.perf_counter()
        try:
            result, notes = maps.stability(scene, name)
        except (ValueError, TypeError) as err:
            return dict(only_status, status=f"No stability map: {err}")
        fig = XF.stability_figure(result, current=scene.lr_and_momentum(name),
                                  title=f"{optimizers.info(name).title} on {surfaces.of(scene).title}, from "
                                        f"({scene.x0:g}, {scene.y0:g}), {result.n_steps} steps")
        lrs, formula, more = maps.stability_boundary(scene, name, result)
        edge = curvature.boundary_trace(result.momenta, lrs, formula)
        if edge is not None:  # after the ring (data[2], which stability_marker patches)
            fig["data"].append(edge)
            notes = notes + [f"Dashed: the quadratic stability limit γ·λmax = {formula}."]
        notes = notes + more
        status = (f"Stability map: {len(result.momenta)} × {len(result.lrs)} settings × {result.n_steps} steps, "
                  f"{time.perf_counter() - t0:.2f} s; {int(result.diverged.sum())} diverged. " + " ".join(notes))
        return {"figure": payload.compact_figure(fig), "hidden": False, "status": status, "shown_for": name}

    # What would override the sliders for the map's optimizer: its own lr (and per-coordinate rates), μ and β₁.
    cleared_keys = ("lr", "lr_x", "lr_y", "momentum", "beta1")

    @app.callback(
        output=dict(lr=Output(ids.LR, "value", allow_duplicate=True),
                    momentum=Output(ids.MOMENTUM, "value", allow_duplicate=True),
                    boxes=Output(C.OVERRIDE_PATTERN, "value", allow_duplicate=True)),
        inputs=dict(click=Input(ids.STABILITY, "clickData"), figure=State(ids.STABILITY, "figure"),
                    box_ids=State(C.OVERRIDE_PATTERN, "id")),
        prevent_initial_call=True)
    def stability_clicked(click, figure, box_ids):
        """A cell's (lr, momentum) onto the sliders; the map's optimizer loses its own lr (and x/y
        rates) and momentum/β₁ overrides, so the sliders are what it runs with."""
        point = ((click or {}).get("points") or [{}])[0]
        x, y = point.get("x"), point.get("y")
        if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
            raise PreventUpdate
        name = (((figure or {}).get("layout") or {}).get("meta") or {}).get("optimizer")
        cleared = [None if isinstance(i, dict) and i.get("index") == name and i.get("key") in cleared_keys
                   else no_update for i in (box_ids if isinstance(box_ids, list) else [])]
        return {"lr": round(x, 2), "momentum": round(y, 3), "boxes": cleared}


def stability_marker(scene: Scene, name) -> Patch:
    """The ring on the stability map follows the sliders: where the scene is now (a patch)."""
    if name not in scene.optimizers:
        return no_update
    lr, mu = scene.lr_and_momentum(name)
    patch = Patch()
    patch["data"][2]["x"] = [C.lr_to_slider(lr)]
    patch["data"][2]["y"] = [mu]
    return patch

