"""A network scene's decision boundary and "what one weight sees": the payload the browser plays
(ui/model/network_views.py), its figures (ui/views/network_views.py) and the panel's server answer."""

import json

import landscapes
import numpy as np
import optimizers
import pytest
from landscapes import slices

from ui.model import network_views as M
from ui.model.payload import unpack
from ui.views import network_views as V
from ui.web import network_views_panel as W

COLOURS, TITLES = ["#0072B2", "#009E73"], ["sgd", "adam"]


@pytest.fixture(scope="module")
def scene():
    net = landscapes.network("moons", hidden=(8, 8), activation="tanh")
    trajs = optimizers.run(net, [optimizers.get("sgd", lr=0.5, momentum=0.9), optimizers.get("adam", lr=0.02)],
                           steps=90, batch_size=32)
    paths = [t.params[:, 0] for t in trajs]
    return net, paths, M.views_payload(net, paths, weight="2.weight[5]")


# --- key steps -------------------------------------------------------------------------------------

@pytest.mark.parametrize("last, limit", [(0, 40), (7, 40), (39, 40), (90, 40), (300, 40), (5000, 40), (300, 10)])
def test_key_steps_hold_0_and_the_last_within_the_limit_densest_early(last, limit):
    steps = M.key_steps(last, limit)
    assert steps[0] == 0 and steps[-1] == last and len(steps) <= limit
    assert np.all(np.diff(steps) > 0)
    if last + 1 > limit:
        assert len(steps) >= limit - 1          # the duplicates of the log spacing are made up
        assert steps[1] - steps[0] < steps[-1] - steps[-2]


def test_key_steps_keep_to_the_frames_the_page_shows_and_the_browser_picks_the_one_at_or_before():
    steps = M.key_steps(300, 40, frames=range(0, 301, 10))
    assert set(steps) <= set(range(0, 301, 10)) and steps[0] == 0 and steps[-1] == 300
    s = [0, 1, 3, 10]
    assert [M.key_index(s, f) for f in (0, 1, 2, 3, 9, 10, 500, -4)] == [0, 1, 1, 2, 2, 3, 3, 0]
    assert M.key_index(s, None) == 3


# --- the decision boundary ---------------------------------------------------------------------------

def test_a_boundary_frame_has_the_networks_own_sign_on_the_grid(scene):
    net, paths, payload = scene
    b = payload["boundary"]
    z = M.unpack_i1(b["z"])
    assert z.shape == (2, len(payload["steps"]), M.GRID, M.GRID)
    points = np.stack(np.meshgrid(b["x"], b["y"]), -1).reshape(-1, 2)
    for run in (0, 1):
        for ki in (0, len(payload["steps"]) // 2, -1):
            exact = net.logits(paths[run][payload["steps"][ki]], points).reshape(M.GRID, M.GRID)
            sent = M.dequantise(z[run, ki])
            clear = np.abs(exact) > M.CLIP / M.LEVELS / 2         # more than half a quantum from 0
            assert np.array_equal(np.sign(sent[clear]), np.sign(exact[clear]))
            inside = np.abs(exact) < M.CLIP
            assert np.max(np.abs(sent[inside] - exact[inside])) <= M.CLIP / M.LEVELS / 2 + 1e-12
    X = np.asarray(net.data[0])
    assert b["x"][0] < X[:, 0].min() and b["x"][-1] > X[:, 0].max()
    assert b["y"][0] < X[:, 1].min() and b["y"][-1] > X[:, 1].max()


def test_the_boundary_moves_as_the_network_trains(scene):
    _, _, payload = scene
    z = M.unpack_i1(payload["boundary"]["z"])
    assert np.mean(np.sign(z[0, 0]) != np.sign(z[0, -1])) > 0.05


def test_the_payload_is_json_and_small(scene):
    _, _, payload = scene
    text = json.dumps(payload)
    K = len(payload["steps"])
    # int8 logits: 2 runs × K key steps × 41² bytes, in base64
    assert len(payload["boundary"]["z"]["bdata"]) == 4 * -(-2 * K * M.GRID ** 2 // 3)
    assert len(text) < 1.5 * 2 * K * M.GRID ** 2


# --- what one weight sees ----------------------------------------------------------------------------

def test_the_held_loss_is_the_networks_loss_at_that_step_and_the_slope_its_gradient(scene):
    net, paths, payload = scene
    w = payload["weight"]
    index = M.weight_index(net, "2.weight[5]")
    assert w["index"] == index and w["name"] == "2.weight[5]"
    at, loss_at, slope_at = unpack(w["at"]), unpack(w["loss_at"]), unpack(w["slope_at"])
    for run in (0, 1):
        for ki, step in enumerate(payload["steps"]):
            p = paths[run][step]
            assert at[run, ki] == p[index]
            assert loss_at[run, ki] == pytest.approx(float(net.loss(p)), rel=1e-12, abs=1e-14)
    # the slope is the loss's derivative along the weight, by central differences
    for run, ki in ((0, 3), (1, len(payload["steps"]) - 1)):
        p, h = paths[run][payload["steps"][ki]].copy(), 1e-5
        up, down = p.copy(), p.copy()
        up[index] += h
        down[index] -= h
        fd = (float(net.loss(up)) - float(net.loss(down))) / (2 * h)
        assert slope_at[run, ki] == pytest.approx(fd, rel=1e-5, abs=1e-9)


def test_the_curve_is_the_loss_along_the_weight_with_every_other_held(scene):
    net, paths, payload = scene
    w = payload["weight"]
    values, loss = unpack(w["values"]), unpack(w["loss"])
    ki = 5
    p = paths[1][payload["steps"][ki]]
    ref = slices.along_weight(net, p, w["index"], values)
    np.testing.assert_allclose(loss[1, ki], ref.loss, rtol=2e-7)     # float32 on the wire
    assert values[0] < unpack(w["at"]).min() and values[-1] > unpack(w["at"]).max()


@pytest.mark.parametrize("hidden, activation", [((8, 8), "tanh"), ((6,), "relu"), ((4, 3, 5), "tanh")])
def test_losses_along_matches_slices_along_weight_for_every_parameter(hidden, activation):
    net = landscapes.network("xor", hidden=hidden, activation=activation, n_samples=64, seed=3)
    p = net.start + 0.3 * np.random.default_rng(0).standard_normal(net.dim)
    worst = 0.0
    for index in range(net.dim):
        values = p[index] + np.linspace(-2.5, 2.5, 7)
        fast = M.losses_along(net, p, index, values)
        worst = max(worst, float(np.max(np.abs(fast - slices.along_weight(net, p, index, values).loss))))
    assert worst < 1e-12


def test_weight_names_label_units_and_inputs_and_bad_names_are_refused():
    net = landscapes.network("moons", hidden=(3,))
    options = M.weight_options(net)
    assert len(options) == net.dim and options[0]["value"] == "0.weight[0]"
    assert {o["value"]: o["label"] for o in options}["0.weight[3]"] == "0.weight[3] · unit 1 ← input 1"
    assert {o["value"]: o["label"] for o in options}["2.bias[0]"] == "2.bias[0] · bias of unit 0"
    assert [M.weight_index(net, o["value"]) for o in options] == list(range(net.dim))
    for bad, match in [("0.weight[6]", "has 6 entries"), ("4.weight[0]", "no '4.weight'"),
                       ("weight", "not a weight name"), (None, "not a weight name"), ("x" * 500, "not a weight name")]:
        with pytest.raises(ValueError, match=match):
            M.weight_index(net, bad)


def test_a_diverged_run_holds_at_its_last_finite_step():
    net = landscapes.network("moons", hidden=(4,))
    good = optimizers.run(net, optimizers.get("sgd", lr=0.1), steps=20).params[:, 0]
    bad = good.copy()
    bad[12:] = np.nan
    payload = M.views_payload(net, [good, bad])
    assert payload["last"] == [20, 11]
    at = unpack(payload["weight"]["at"])
    assert np.all(np.isfinite(at)) and at[1, -1] == bad[11, 0]


# --- figures -----------------------------------------------------------------------------------------

def test_the_boundary_figure_shows_two_classes_and_a_zero_line_per_run_at_the_frame(scene):
    net, _, payload = scene
    fig = V.boundary_figure(payload, net.data, COLOURS, TITLES, frame=5)
    classes = [t for t in fig["data"] if t["type"] == "scatter"]
    assert len(classes) == 2 and {t["marker"]["symbol"] for t in classes} == {"circle-open", "x-thin-open"}
    assert sum(len(t["x"]) for t in classes) == len(net.data[1])
    lines = [t for t in fig["data"] if t.get("meta", {}).get("role") == "boundary"]
    assert [t["line"]["color"] for t in lines] == COLOURS and [t["name"] for t in lines] == TITLES
    assert all(t["contours"] == {"start": 0, "end": 0, "size": 1, "coloring": "none"} for t in lines)
    ki = M.key_index(payload["steps"], 5)
    np.testing.assert_allclose(lines[1]["z"], V.boundary_z(payload, 1, ki), atol=1e-3)
    assert fig["layout"]["meta"] == {"key": payload["boundary"]["key"], "view": "boundary", "what": "Decision boundary"}
    assert fig["layout"]["title"]["text"] == f"Decision boundary · step {payload['steps'][ki]}"


def test_the_weight_figure_draws_curve_tangent_and_held_value_per_run(scene):
    _, _, payload = scene
    fig = V.weight_figure(payload, COLOURS, TITLES)
    roles = [(t["meta"]["role"], t["meta"]["run"]) for t in fig["data"]]
    assert roles == [(r, i) for i in (0, 1) for r in ("curve", "tangent", "held")]
    assert all(t["line"]["color"] == COLOURS[t["meta"]["run"]] for t in fig["data"] if "line" in t)
    w = payload["weight"]
    at, loss_at, slope = (unpack(w[k])[1, -1] for k in ("at", "loss_at", "slope_at"))
    curve, tan, held = fig["data"][3:6]
    assert held["x"] == [at] and held["y"] == [loss_at]
    assert at in curve["x"] and curve["y"][curve["x"].index(at)] == loss_at   # the curve goes through it
    assert np.all(np.diff(curve["x"]) >= 0)
    assert tan["x"] == pytest.approx([at - w["half"], at + w["half"]])
    assert (tan["y"][1] - tan["y"][0]) / (tan["x"][1] - tan["x"][0]) == pytest.approx(slope)
    assert fig["layout"]["xaxis"]["range"] == w["range"]
    assert fig["layout"]["meta"]["key"] == w["key"] and fig["layout"]["meta"]["what"] == "What 2.weight[5] sees"


# --- the panel's server answer -----------------------------------------------------------------------

def test_the_panel_hides_without_a_network_and_falls_back_from_a_bad_weight_with_a_message(scene):
    net, paths, _ = scene
    off = W.panel_outputs(None, "0.weight[0]")
    assert off["hidden"] is True and off["payload"] is None
    runs = M.NetworkRuns(net=net, paths=paths, titles=TITLES, colours=COLOURS)
    out = W.panel_outputs(runs, "9.weight[0]")
    assert out["hidden"] is False and out["weight"] == "0.weight[0]" == out["payload"]["weight"]["name"]
    assert "no '9.weight'" in out["message"] and "showing 0.weight[0]" in out["message"]
    assert len(out["options"]) == net.dim


def test_a_new_weight_alone_patches_only_the_weight_part(scene):
    net, paths, payload = scene
    runs = M.NetworkRuns(net=net, paths=paths, titles=TITLES, colours=COLOURS)
    out = W.panel_outputs(runs, "0.bias[2]", weight_only=True)
    assert out["boundary"] is W.no_update and out["message"] is None
    ops = out["payload"].to_plotly_json()["operations"]
    assert [(o["operation"], o["location"]) for o in ops] == [("Assign", ["weight"])]
    part = ops[0]["params"]["value"]
    assert part["name"] == "0.bias[2]" and part["key"] == out["weight_plot"]["layout"]["meta"]["key"]
    assert part["key"] != payload["weight"]["key"]
    fresh = M.views_payload(net, paths, weight="0.bias[2]")["weight"]
    assert part == fresh                                       # the same key steps as the whole payload


def test_the_adapter_takes_a_computed_scene_and_leaves_out_other_landscapes(scene):
    from types import SimpleNamespace as NS

    net, paths, _ = scene
    runs = [NS(params=paths[0][:, None, :], title="sgd", colour=COLOURS[0]),
            NS(params=paths[1], title="adam", colour=COLOURS[1])]
    got = M.network_runs(NS(landscape=net, ok_runs=runs))
    assert got.titles == ["sgd", "adam"] and got.colours == COLOURS and got.net is net
    assert all(np.array_equal(a, b) for a, b in zip(got.paths, paths))
    assert M.network_runs(NS(landscape=landscapes.get("rosenbrock"), ok_runs=runs)) is None
    assert M.network_runs(NS(landscape=net, ok_runs=[])) is None


def test_the_page_adapter_runs_a_network_scene_and_skips_every_other():
    """``page_runs`` hands the views the page's own run (whole vectors, not the plane's 2-D
    projection), and a 2-D scene never computes anything for them."""
    from ui.model import scene as S
    from ui.web import network_views_panel as P

    scene, _ = S.normalize({"landscape": "net_moons", "optimizers": ["sgd", "adam"], "steps": 60, "lr": 0.05})
    runs = P.page_runs({"scene": scene.to_dict()})
    assert runs is not None and runs.net.dim == runs.paths[0].shape[1] > 2
    assert [p.shape[0] for p in runs.paths] == [61, 61]
    np.testing.assert_array_equal(runs.paths[0][0], runs.net.start)
    assert P.page_runs({"scene": S.normalize({})[0].to_dict()}) is None
    assert P.page_runs({"nonsense": 1}) is None


def test_the_weight_shown_is_a_view_flag_of_the_link():
    """``weight=`` names the weight the page shows; a bad one is named and dropped; the one-weight
    lesson opens on its weight, and the page opened from a link starts on it."""
    from ui.model import lessons
    from ui.model import scene as S
    from ui.web import ids, opening
    from ui.web.opening import _by_id

    view = S.parse_view("landscape=net_moons&weight=2.weight%5B0%5D")
    assert view["weight"] == "2.weight[0]"
    assert "weight=2.weight[0]" in S.encode_view(view)
    assert S.parse_view(S.encode_view(view))["weight"] == "2.weight[0]"
    scene, warnings = S.parse("landscape=net_moons&weight=alert(1)")
    assert S.parse_view("weight=alert(1)")["weight"] is None
    assert any(w.startswith("weight: ") for w in warnings) and scene.landscape == "net_moons"
    one = {lesson.id: lesson for lesson in lessons.LESSONS}["one-weight"]
    assert S.parse_view(one.link()[1:])["weight"] == "2.weight[0]"
    layout = opening.first_layout("landscape=net_moons&opt=sgd&steps=20&hidden=4&weight=2.weight%5B1%5D")
    assert _by_id(layout)[ids.NET_WEIGHT].value == "2.weight[1]"
    picker = _by_id(opening.first_layout("landscape=net_moons&steps=20&hidden=4"))[ids.NET_WEIGHT]
    assert picker.value == picker.options[0]["value"] == "0.weight[0]"   # none named: the panel's default


@pytest.fixture(scope="module")
def page_app():
    from ui import create_app

    return create_app()


@pytest.mark.parametrize("changed, patched", [(["net-weight.value"], True),
                                              (["scene.data", "net-weight.value"], False),
                                              (["net-weight.value", "scene.data"], False)])
def test_the_page_patches_the_payload_only_when_the_weight_alone_changed(page_app, changed, patched):
    """A lesson sets a new scene and its weight in one update: the store may hold no payload yet
    (the scene before was a surface), so that answer is whole; a Patch of it would fail in the browser."""
    from benchmarks.dash_requests import DISPATCH, body_for, scene_values
    from ui.model import scene as S
    from ui.web import ids

    app = page_app
    scene, _ = S.parse("landscape=net_xor&opt=sgd&lr=0.1&steps=40&hidden=4")
    values = scene_values(scene, **{ids.NET_WEIGHT: "0.bias[1]"})
    response = app.server.test_client().post(DISPATCH, json=body_for(
        app.callback_map, ids.NET_VIEWS, values, changed=changed))
    assert response.status_code == 200
    stored = response.get_json()["response"][ids.NET_VIEWS]["data"]
    assert ("__dash_patch_update" in stored) == patched
    if not patched:
        assert stored["weight"]["name"] == "0.bias[1]"
