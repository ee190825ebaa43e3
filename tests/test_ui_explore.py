"""Issue 5 in the app without a browser: surfaces by name, repeats and mini-batches in the runs,
the pure figure builders (spread, mini-batch loss, basin layer and legend, stability map), the
payload's gaps, the map callbacks over HTTP."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

import landscapes
import optimizers
from optimizers.maps import DIVERGED, ELSEWHERE, NOT_CONVERGED
from ui import create_app
from ui.model import grid, limits, maps, payload, surfaces
from ui.model import scene as S
from ui.model.compute import run_scene
from ui.views import layers as XF
from ui.views.render import render_scene, runs_from_store
from ui.web import ids
from layout_tree import walk


def scene(**changes):
    return S.default_scene().replace(**{"overrides": {}, **changes})


# --- surfaces by name --------------------------------------------------------------------------------

def test_a_custom_surface_is_rebuilt_from_its_name_alone():
    L = surfaces.get("custom:x^2 + 3*y^2")
    assert L.name == "custom:x^2 + 3*y^2" and surfaces.get("custom:x^2 + 3*y^2") is L  # cached
    np.testing.assert_allclose(L.grad([1.0, 1.0]), [2.0, 6.0])
    assert surfaces.surface_name("custom", "x") == "custom:x"
    assert surfaces.surface_name("custom", None) == "custom:" + surfaces.DEFAULT_EXPRESSION
    assert surfaces.surface_name("bowl", None) == "bowl"
    with pytest.raises(ValueError, match="unknown name 'z'"):
        surfaces.get("custom:z")
    assert surfaces.expression_error("x.real").startswith("attribute access")
    assert surfaces.expression_error("x^2") is None
    assert surfaces.is_dataset("linear_regression") and not surfaces.is_dataset("custom:x")


def test_grid_of_a_formula_with_gaps_and_outliers():
    g = grid.surface_grid("custom:log(x) + 1/(y^2 + 0.0001)", 41)
    assert 0.4 < g.nonfinite < 0.6                     # x <= 0: half the view
    assert np.isnan(g.loss[:, 0]).all() and np.isnan(g.height[:, 0]).all()
    assert g.clip is not None                          # 1/y near y = 0 would flatten the colours
    assert np.nanmax(g.loss) <= g.clip[1] and np.nanmin(g.loss) >= g.clip[0]
    notes = XF.surface_notes(g)
    assert len(notes) == 2 and "not finite on 5" in notes[0] and "clipped" in notes[1]


def test_clipping_bounds_lie_within_the_values_and_the_note_names_the_side_clipped():
    """exp(exp(x)) is above 1 everywhere (1.05 at the view's left edge, 5e8 at its right): only its top is
    clipped, and the note never names a bound outside the values f takes (it said -9.17e+07)."""
    g = grid.surface_grid("custom:exp(exp(x))", grid.CONTOUR_RESOLUTION)
    lo, hi = g.clip
    assert lo == pytest.approx(np.exp(np.exp(-3.0))) and 1.0 < lo < hi < np.exp(np.exp(3.0))
    assert np.nanmin(g.loss) == lo and np.nanmax(g.loss) == hi
    note = XF.surface_notes(g)[0]
    assert "-" not in note.split("clipped")[1].split(":")[0] and f"{hi:.3g}" in note and "5.28e+08" in note
    assert note.startswith("The colours show f clipped at")
    g2 = grid.surface_grid("custom:-exp(exp(x))", grid.CONTOUR_RESOLUTION)  # the mirror: only the bottom
    assert g2.clip[1] == pytest.approx(-np.exp(np.exp(-3.0))) and "from below at" in XF.surface_notes(g2)[0]


@pytest.mark.parametrize("name", landscapes.names())
def test_registry_grids_have_no_gaps_and_no_clipping(name):
    g = grid.surface_grid(name, 60)
    assert g.nonfinite == 0.0 and g.clip is None and XF.surface_notes(g) == []


# --- repeats and mini-batches in the runs -------------------------------------------------------------

def test_repeat_runs_the_next_seeds_and_keeps_the_main_path():
    base = scene(landscape="bowl", x0=-1.5, y0=1.2, noise=0.5, seed=4, optimizers=["sgd", "adam"])
    one = run_scene(base)
    four = run_scene(base.replace(repeat=4))
    for a, b in zip(one.runs, four.runs):
        np.testing.assert_array_equal(a.params, b.params)      # adding repeats never moves the main path
        assert b.spread.shape == (3, 301, 2) and b.spread_loss.shape == (3, 301)
    seed5 = run_scene(base.replace(seed=5))
    np.testing.assert_array_equal(four.runs[0].spread[0], seed5.runs[0].params)
    assert not np.array_equal(four.runs[0].spread[0], four.runs[0].spread[1])


def test_repeat_without_noise_or_batches_says_it_changes_nothing():
    result = run_scene(scene(landscape="bowl", x0=-1.5, y0=1.2, repeat=5))
    assert result.runs[0].spread is None
    assert any("every seed gives the same path" in n for n in result.notes)


def test_batch_size_reaches_the_engine_and_the_batch_loss_is_kept():
    s = scene(landscape="linear_regression", x0=-1.5, y0=2.0, optimizers=["sgd"], lr=0.05, steps=50, batch=8)
    run = run_scene(s).runs[0]
    traj = optimizers.run(landscapes.get("linear_regression"), optimizers.get("sgd", lr=0.05), start=(-1.5, 2.0),
                          steps=50, batch_size=8, tol=1e-4)
    np.testing.assert_array_equal(run.params, traj.params[:, 0])
    np.testing.assert_array_equal(run.batch_loss, traj.batch_loss[:, 0])
    full = run_scene(s.replace(batch=None)).runs[0]
    assert full.batch_loss is None and not np.array_equal(full.params, run.params)


# --- figure builders -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def noisy():
    return run_scene(scene(landscape="linear_regression", x0=-1.5, y0=2.0, optimizers=["sgd", "adam"], lr=0.05,
                           steps=200, batch=8, repeat=4, noise=0.1))


def test_spread_traces_one_faint_trace_per_run_with_gaps(noisy):
    traces = XF.spread_traces(noisy.ok_runs)
    assert len(traces) == 2
    for run, t in zip(noisy.ok_runs, traces):
        assert t["meta"] == {"gaps": True, "spread": noisy.ok_runs.index(run)} and t["opacity"] < 0.5
        assert t["line"]["color"] == run.colour and t["connectgaps"] is False
        assert np.isnan(t["x"]).sum() == 2                # three paths, two gaps
        assert len(t["x"]) <= 3 * (payload.SPREAD_POINTS + 2) + 2
        starts = np.flatnonzero(np.isnan(t["x"])) + 1
        np.testing.assert_array_equal(t["x"][starts], [-1.5, -1.5])  # each path starts at the start


def test_thinning_keeps_the_ends_and_is_idempotent():
    for n in (1, 2, 300, 301, 2001):
        idx = payload.thin_index(n)
        assert idx[0] == 0 and idx[-1] == n - 1 and len(idx) <= payload.SPREAD_POINTS + 2
        assert np.array_equal(payload.thin_index(len(idx)), np.arange(len(idx)))


def test_loss_view_full_or_minibatch(noisy):
    L = noisy.landscape
    full = XF.loss_view(L, noisy.ok_runs, log_y=False, kind="full")
    batch = XF.loss_view(L, noisy.ok_runs, log_y=False, kind="batch")
    assert full["layout"]["meta"]["lossMap"]["source"] == "full"
    assert batch["layout"]["meta"]["lossMap"]["source"] == "batch"
    assert batch["layout"]["yaxis"]["title"]["text"].startswith("mini-batch")
    ghost = lambda fig: [t for t in fig["data"] if (t.get("meta") or {}).get("role") == "ghost"]  # noqa: E731
    np.testing.assert_array_equal(ghost(full)[0]["y"], noisy.ok_runs[0].loss)
    np.testing.assert_array_equal(ghost(batch)[0]["y"], noisy.ok_runs[0].batch_loss)
    spread = [t for t in batch["data"] if "spread" in (t.get("meta") or {})]
    assert len(spread) == 2 and np.nanmax(spread[0]["x"]) == 199  # mini-batch curves: one per step
    # no batches: the toggle falls back to the full loss
    plain = run_scene(scene(landscape="bowl", x0=-1.5, y0=1.2))
    assert XF.loss_view(plain.landscape, plain.ok_runs, kind="batch")["layout"]["meta"]["lossMap"]["source"] == "full"
    go.Figure(batch)


def test_render_and_store_round_trip_the_extras(noisy):
    s = scene(landscape="linear_regression", x0=-1.5, y0=2.0, optimizers=["sgd"], lr=0.05, steps=200, batch=8,
              repeat=3, noise=0.1)
    r = render_scene(s, loss_kind="batch")
    assert r.loss["layout"]["meta"]["lossMap"]["source"] == "batch"
    assert any("spread" in (t.get("meta") or {}) for t in r.contour["data"])
    runs = runs_from_store(json.loads(json.dumps(r.store)))
    assert runs[0].batch_loss.shape == (200,) and runs[0].spread_loss.shape == (2, 201)
    assert runs[0].spread_batch_loss.shape == (2, 200)
    again = XF.loss_view(surfaces.of(s), runs, kind="batch")
    assert len([t for t in again["data"] if "spread" in (t.get("meta") or {})]) == 1


def test_payload_keeps_nan_only_where_a_trace_means_gaps():
    fig = {"data": [{"x": np.array([1.0, np.nan, 2.0, 3.0, 4.0]), "meta": {"gaps": True}},
                    {"x": np.array([1.0, np.nan, 2.0, 3.0, 4.0])}]}
    out = payload.compact_figure(fig)
    with_gaps, without = payload.unpack(out["data"][0]["x"]), payload.unpack(out["data"][1]["x"])
    assert np.isnan(with_gaps[1]) and without[1] == 0.0
    small = payload.compact_figure({"meta": {"gaps": True}, "y": np.array([np.nan, 1.0])})
    assert small["y"] == [None, 1.0]


def test_basin_trace_and_legend_by_minimum_and_by_steps():
    labels = np.array([[0, 1, DIVERGED], [NOT_CONVERGED, ELSEWHERE, 1]])
    steps = np.array([[10, 20, -1], [-1, 50, 30]])
    minima = [[3.0, 2.0], [-2.8, 3.1]]
    t = XF.basin_trace(labels, steps, [0, 1, 2], [0, 1], 2, "minimum", 100)
    np.testing.assert_array_equal(t["z"], [[0, 1, 4], [3, 2, 1]])  # minima, then elsewhere, not converged, diverged
    cats = XF.basin_categories(2)
    assert [c[2] for c in cats] == ["minimum 1", "minimum 2", "settled elsewhere", "not converged", "diverged"]
    scale = t["colorscale"]
    assert len(scale) == 10 and (t["zmin"], t["zmax"]) == (-0.5, 4.5)
    for i, (_, colour, _) in enumerate(cats):  # category i's colour sits at the middle of its band
        assert scale[2 * i][1] == scale[2 * i + 1][1] == colour
    legend = XF.basin_legend(labels, steps, minima, "minimum", 100)
    texts = [r["text"] for r in legend["rows"]]
    assert texts == ["minimum 1 (3.00, 2.00): 17%", "minimum 2 (-2.80, 3.10): 33%", "settled elsewhere: 17%",
                     "not converged: 17%", "diverged: 17%"]
    s = XF.basin_trace(labels, steps, [0, 1, 2], [0, 1], 2, "steps", 100)
    assert np.isnan(s["z"][0, 2]) and s["z"][1, 2] == 30 and s["zmax"] == 100
    legend = XF.basin_legend(labels, steps, minima, "steps", 100)
    assert legend["high"] == "100" and "not within 100 steps (33%)" in legend["rows"][0]["text"]
    assert legend["rows"][1]["text"] == "median 25, slowest 50"
    go.Figure({"data": [t, s]})


def test_basin_patch_shows_or_hides_the_layer():
    from dash import Patch

    shown = XF.basin_patch(Patch(), {"type": "heatmap"}).to_plotly_json()["operations"]
    hidden = XF.basin_patch(Patch(), None).to_plotly_json()["operations"]
    assert {"operation": "Assign", "location": ["data", 1], "params": {"value": {"type": "heatmap"}}} in shown
    assert any(op["location"] == ["data", 0, "contours", "coloring"] and op["params"]["value"] == "none"
               for op in shown)
    assert any(op["location"] == ["data", 1, "visible"] and op["params"]["value"] is False for op in hidden)
    assert any(op["params"].get("value") == "fill" for op in hidden)


def test_stability_figure_axes_cells_diverged_and_marker():
    smap = optimizers.stability_map(landscapes.get("rosenbrock"), "momentum", lrs=maps.STABILITY_LRS,
                                    momenta=maps.STABILITY_MOMENTA, steps=100)
    fig = XF.stability_figure(smap, current=(0.001, 0.9), title="t")
    loss, diverged, now = fig["data"]
    assert loss["z"].shape == diverged["z"].shape == (50, 41)
    np.testing.assert_allclose(loss["x"], np.log10(smap.lrs))
    np.testing.assert_array_equal(loss["y"], smap.momenta)
    assert np.isnan(loss["z"][smap.diverged]).all() and np.isfinite(loss["z"][~smap.diverged]).all()
    assert (diverged["z"][smap.diverged] == 1).all() and np.isnan(diverged["z"][~smap.diverged]).all()
    assert now["x"] == [pytest.approx(-3.0)] and now["y"] == [0.9]
    assert fig["layout"]["xaxis"]["ticktext"][:3] == ["10⁻⁵", "10⁻⁴", "10⁻³"]
    assert fig["layout"]["xaxis"]["ticktext"][-3:] == ["0.1", "1", "10"]
    assert fig["layout"]["meta"] == {"figure": "stability", "param": "momentum", "optimizer": "momentum"}
    assert "μ" in fig["layout"]["yaxis"]["title"]["text"]
    go.Figure(payload.compact_figure(fig))
    # Hovers name the real lr ("lr 0.112"), never its log ("lr 10^-0.95"); gaps hover nothing.
    for layer in (loss, diverged):
        assert "10^" not in layer["hovertemplate"] and layer["hovertemplate"].startswith("lr %{customdata")
        assert layer["hoverongaps"] is False
    cells = np.asarray(diverged["customdata"])
    np.testing.assert_allclose(cells[..., 0], np.broadcast_to(smap.lrs, (50, 41)))
    np.testing.assert_array_equal(cells[..., 1][smap.diverged], smap.diverged_at[smap.diverged])
    assert "%{customdata[0]:.3g}" in diverged["hovertemplate"] and "%{customdata[1]:d}" in diverged["hovertemplate"]


def test_stability_cells_lie_on_the_sliders_steps():
    from ui.web import controls as C

    for lr in maps.STABILITY_LRS:
        assert S.normalize(dict(S.default_scene().to_dict(), lr=C.slider_to_lr(round(np.log10(lr), 2))))[0].lr == lr
    assert len(maps.STABILITY_LRS) >= 40 and len(maps.STABILITY_MOMENTA) >= 40
    assert maps.STABILITY_MOMENTA.max() <= 0.999


# --- the map computations with the app's caps -------------------------------------------------------------

def test_maps_use_the_scenes_settings_and_caps():
    s = scene(landscape="himmelblau", x0=-0.3, y0=-0.9, optimizers=["adam"], lr=0.05, steps=2000,
              overrides={"adam": {"beta2": 0.99}})
    b, notes = maps.basin(s, "adam", G=50)
    assert b.labels.shape == (50, 50) and b.n_steps == maps.MAX_STEPS
    assert any("1000 steps, not 2000" in n for n in notes)
    direct = optimizers.basin_map(landscapes.get("himmelblau"), optimizers.get("adam", lr=0.05, betas=(0.9, 0.99)),
                                  G=50, steps=1000, tol=1e-4)
    np.testing.assert_array_equal(b.labels, direct.labels)
    ds = scene(landscape="logistic_regression", x0=-2.5, y0=-1.5, optimizers=["adam"], lr=0.05, steps=500)
    b, notes = maps.basin(ds, "adam", G=200)
    assert b.labels.shape == (maps.DATASET_GRID,) * 2 and b.n_steps == 300 and len(notes) == 2
    st, _ = maps.stability(s.replace(steps=100), "adam")
    assert st.param == "beta1" and st.final_loss.shape == (50, 41)
    assert maps.map_optimizers(scene(optimizers=["sgd", "momentum", "adam", "adagrad"]), True) == \
        ["momentum", "adam"]
    assert maps.signature(s.replace(x0=1.0)) == maps.signature(s) != maps.signature(
        s.replace(lr=0.01))


# --- the callbacks over HTTP ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app():
    return create_app()


def post(app, output_id, inputs, state=(), changed=None):
    client = app.server.test_client()
    client.get("/")
    key = next(k for k in app.callback_map if f"{output_id}." in k and all(
        i["id"] in inputs for i in app.callback_map[k]["inputs"]))
    spec = app.callback_map[key]
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]}
               for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": [{"id": i["id"], "property": i["property"], "value": inputs[i["id"]]} for i in spec["inputs"]],
            "state": [{"id": s["id"], "property": s["property"], "value": dict(state).get(s["id"])}
                      for s in spec["state"]],
            "changedPropIds": [changed or f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data[:300]
    return response.get_json()["response"] if response.status_code == 200 else None


def test_basin_button_patches_the_contour_slot_and_fills_the_legend(app):
    stored = {"scene": scene(landscape="himmelblau", x0=-0.3, y0=-0.9, optimizers=["adam"], lr=0.05, steps=200).to_dict()}
    out = post(app, ids.BASIN, {ids.BASIN_BUTTON: 1},
               [(ids.SCENE, stored), (ids.MAP_OPTIMIZER, "adam"), (ids.BASIN_GRID, 50), (ids.BASIN_MODE, "minimum")])
    ops = out[ids.CONTOUR]["figure"]["operations"]
    assert ops[0]["location"] == ["data", 1] and ops[0]["params"]["value"]["type"] == "heatmap"
    assert out[ids.BASIN]["data"]["signature"] == maps.signature(S.read(stored["scene"]))
    legend = json.dumps(out[ids.BASIN_LEGEND]["children"])
    assert "Adam: basin" in legend and legend.count("minimum ") == 4
    assert out[ids.MAP_STATUS]["children"].startswith("Basin map: Adam, 50 × 50 starts × 200 steps")


def test_basin_button_reads_the_store_through_the_codec(app):
    stored = {"scene": scene(optimizers=["adam"], steps=50, overrides={"adam": {"lr": 0.05, "eps": -1.0}}).to_dict()}
    grid = [(ids.SCENE, stored), (ids.MAP_OPTIMIZER, "adam"), (ids.BASIN_GRID, 50), (ids.BASIN_MODE, "minimum")]
    out = post(app, ids.BASIN, {ids.BASIN_BUTTON: 1}, grid)  # eps = -1 (refused by torch) never gets there
    assert out[ids.MAP_STATUS]["children"].startswith("Basin map: Adam, 50 × 50 starts × 50 steps")
    grid[1] = (ids.MAP_OPTIMIZER, "sgd")
    out = post(app, ids.BASIN, {ids.BASIN_BUTTON: 1}, grid)
    assert out[ids.MAP_STATUS]["children"] == "Pick an optimizer of the scene first."


def test_a_tampered_basin_store_is_refused_with_a_message(app):
    from ui.web import guard
    from ui.web.surface_callbacks import basin_view

    with pytest.raises(limits.BadInput, match="not one"):
        basin_view({"optimizer": "adam", "labels": {"bdata": "A" * 10**6}}, "minimum")


def test_stability_button_needs_an_optimizer_the_momentum_slider_sets(app):
    stored = {"scene": scene(optimizers=["sgd", "adagrad"]).to_dict()}
    out = post(app, ids.STABILITY, {ids.STABILITY_BUTTON: 1}, [(ids.SCENE, stored), (ids.MAP_OPTIMIZER, "sgd")])
    assert "the momentum slider does not set SGD's settings" in out[ids.MAP_STATUS]["children"]
    stored = {"scene": scene(optimizers=["momentum"], steps=100).to_dict()}
    out = post(app, ids.STABILITY, {ids.STABILITY_BUTTON: 1}, [(ids.SCENE, stored), (ids.MAP_OPTIMIZER, "momentum")])
    assert out[ids.STABILITY_PANEL]["hidden"] is False
    fig = out[ids.STABILITY]["figure"]
    assert fig["layout"]["meta"]["optimizer"] == "momentum" and len(fig["data"]) == 3
    assert out[ids.MAP_STATUS]["children"].startswith("Stability map: 50 × 41 settings × 100 steps")



def test_a_links_first_layout_gives_the_maps_one_of_its_own_runs():
    """The page opens with the link's scene in its layout (ui/web/opening.py): the maps' optimizer is
    the scene's first run from the start, not the default scene's SGD (which a quick click on
    "Stability map" used to send: 'the momentum slider does not set SGD's settings')."""
    from ui.web import opening
    from ui.web.opening import _by_id

    dropdown = _by_id(opening.first_layout("landscape=rosenbrock&opt=adam,momentum"))[ids.MAP_OPTIMIZER]
    assert dropdown.value == "adam"
    assert [o["value"] for o in dropdown.options] == ["adam", "momentum"]
    assert _by_id(opening.first_layout(""))[ids.MAP_OPTIMIZER].value == S.default_scene().optimizers[0]

def test_clicking_a_stability_cell_sets_the_sliders_and_clears_that_optimizers_overrides(app):
    figure = {"layout": {"meta": {"figure": "stability", "optimizer": "adam"}}}
    boxes = [{"type": ids.OPT_HYPER, "index": name, "key": key}
             for name, key in [("sgd", "lr"), ("adam", "lr"), ("adam", "beta1"), ("adam", "eps")]]
    client = app.server.test_client()
    client.get("/")
    key = next(k for k in app.callback_map if k.startswith(f"..{ids.LR}.value"))
    spec = app.callback_map[key]
    body = {"output": key, "outputs": [
        {"id": ids.LR, "property": "value"}, {"id": ids.MOMENTUM, "property": "value"},
        [{"id": i, "property": "value"} for i in boxes]],
        "inputs": [{"id": ids.STABILITY, "property": "clickData",
                    "value": {"points": [{"x": -1.6500000001, "y": 0.7400000002, "curveNumber": 0}]}}],
        "state": [{"id": ids.STABILITY, "property": "figure", "value": figure},
                  [{"id": i, "property": "id", "value": i} for i in boxes]],
        "changedPropIds": [f"{ids.STABILITY}.clickData"]}
    assert len(spec["state"]) == 2
    out = client.post("/_dash-update-component", json=body).get_json()["response"]
    assert out[ids.LR]["value"] == -1.65 and out[ids.MOMENTUM]["value"] == 0.74
    cleared = {(json.loads(k)["index"], json.loads(k)["key"]): v["value"] for k, v in out.items() if k.startswith("{")}
    assert cleared == {("adam", "lr"): None, ("adam", "beta1"): None}  # sgd keeps its own lr, adam its eps


def test_map_buttons_are_disabled_while_a_map_runs(app):
    specs = [s for s in app._callback_list if "basin-button.disabled" in (s.get("running") or {}).get("running", {})]
    outputs = sorted(o for s in specs for o in s["output"].strip(".").split("..."))
    assert any(o.startswith("basin.data") for o in outputs)
    assert any(o.startswith("stability-map.figure") for o in outputs)
    for s in specs:
        assert s["running"]["running"] == {"basin-button.disabled": True, "stability-button.disabled": True}
        assert s["running"]["runningOff"] == {"basin-button.disabled": False, "stability-button.disabled": False}


def test_a_long_recompute_shows_progress_and_holds_the_repeat_control(app):
    from dash import dcc

    loading = [c for c in walk(app.layout) if isinstance(c, dcc.Loading)]
    assert any(getattr(c.children, "id", None) == ids.RESULTS and c.delay_show == 300 for c in loading)
    assert any(getattr(c.children, "id", None) == ids.MAP_STATUS for c in loading)
    spec = next(s for s in app._callback_list if s["output"].startswith(f"..{ids.TRAJECTORIES}.data"))
    assert spec["running"]["running"] == {f"{ids.REPEAT}.disabled": True}


def test_the_map_caps_sit_inside_the_hard_limits():
    from ui.web import guard

    assert max(maps.GRID_CHOICES) <= limits.MAX_GRID == optimizers.maps.MAX_GRID
    assert maps.MAX_STEPS <= limits.MAX_STEPS and maps.DATASET_STEPS <= maps.MAX_STEPS
    assert len(maps.STABILITY_LRS) * len(maps.STABILITY_MOMENTA) <= limits.MAX_GRID ** 2
