"""Network scenes on the page: the codec, the compute (plane, projections, grid, groups) and the views' parts."""

import numpy as np
import pytest

from landscapes import slices
from ui.model import compute, grid, network_fields, surfaces
from ui.model import network_scene as NS
from ui.model import scene as S
from ui.model.payload import trajectories_payload
from ui.views import layers, schedule
from ui.views.render import render_scene, runs_from_store

LINK = "landscape=net_moons&opt=sgd,momentum,adam&lr=0.05&steps=120&batch=32&hidden=8&activation=tanh"


@pytest.fixture(scope="module")
def scene():
    scene, warnings = S.parse(LINK)
    assert warnings == []
    return scene


@pytest.fixture(scope="module")
def result(scene):
    return compute.run_scene(scene)


# --- the codec ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("link", [
    LINK,
    "landscape=net_spirals&opt=adam&lr=0.01&hidden=16,16&activation=relu&net_seed=3&layer_lr=0.1,0.1,1&seed=2",
    "landscape=net_xor&opt=sgd&lr=0.1&steps=50&schedule=cosine&T_max=50&sgd.momentum=0.5",
])
def test_net001_link_round_trips(link):
    scene, warnings = S.parse(link)
    assert warnings == []
    assert S.parse(S.encode(scene)) == (scene, [])
    assert "x0" not in S.encode(scene) and "hidden=" in S.encode(scene)


def test_net002_network_fields_read_from_the_link():
    scene, _ = S.parse("landscape=net_circles&opt=adam&hidden=16,8&activation=relu&net_seed=7&layer_lr=0.1,1,1")
    assert (list(scene.hidden), scene.activation, scene.net_seed, scene.layer_lr and list(scene.layer_lr)) == ([16, 8], "relu", 7,
                                                                                         [0.1, 1.0, 1.0])
    assert (scene.x0, scene.y0) == (0.0, 0.0)


@pytest.mark.parametrize("bad, field, words", [
    ("hidden=100", "hidden", "width"),
    ("hidden=64,64,64", "hidden", "parameters"),
    ("hidden=a,b", "hidden", "layer widths"),
    ("hidden=8,8,8,8", "hidden", "hidden layers"),
    ("activation=sigmoid", "activation", "tanh, relu"),
    ("layer_lr=0.1", "layer_lr", "2 multipliers"),
    ("layer_lr=0.1,1e9", "layer_lr", "every multiplier"),
    ("x0=1", "x0", "seeded initialisation"),
    ("sgd.lr_x=0.1", "sgd.lr_x", "layer_lr"),
    ("batch=999", "batch", "1..256"),
])
def test_net003_bad_values_fall_back_with_a_message(bad, field, words):
    scene, warnings = S.parse(f"landscape=net_moons&opt=sgd&{bad}")
    assert any(w.startswith(field + ":") and words in w for w in warnings), warnings
    assert scene.hidden == (16,) and scene.activation == "tanh" and scene.layer_lr is None
    assert network_fields.dim_of(scene.hidden) <= network_fields.MAX_DIM
    assert S.parse(S.encode(scene)) == (scene, [])


def test_net004_a_bad_control_keeps_the_last_good_network():
    base, _ = S.parse("landscape=net_moons&opt=sgd&hidden=8,8")
    scene, warnings = S.normalize({**base.to_dict(), "hidden": "8,nope"}, base=base)
    assert scene.hidden == (8, 8) and warnings and warnings[0].startswith("hidden:")


# --- the compute -------------------------------------------------------------------------------------

def test_net010_runs_share_start_and_project_onto_the_plane(result, scene):
    net = result.network
    assert net.dim == network_fields.dim_of((8,)) and result.landscape.dim == 2
    for run in result.ok_runs:
        assert run.path.shape == (scene.steps + 1, net.dim)
        assert run.params.shape == (scene.steps + 1, 2)
        np.testing.assert_array_equal(run.path[0], net.start)   # the same seeded initialisation
        np.testing.assert_allclose(run.params[0], [0.0, 0.0], atol=1e-12)  # the plane goes through the start
        np.testing.assert_array_equal(run.loss, run.trajectory.loss[:, 0])  # the full-batch loss
        assert run.batch_loss.shape == (scene.steps,)
    dirs = result.landscape.directions
    expected = slices.project(result.ok_runs[1].path, dirs.centre, dirs.d1, dirs.d2)
    np.testing.assert_allclose(result.ok_runs[1].params, expected)


def test_net011_the_plane_states_its_share(result):
    dirs = result.landscape.directions
    assert 0.0 <= dirs.share <= 1.0
    shares = [f"{100 * s:.0f}%" for s in dirs.explained]
    assert result.landscape.axis_names == (f"PC1 ({shares[0]})", f"PC2 ({shares[1]})")
    assert f"this plane shows {100 * dirs.share:.0f}% of the paths' movement" in result.landscape.description


def test_net012_low_share_warns():
    scene, _ = S.parse("landscape=net_spirals&opt=sgd,adam,rmsprop&lr=0.05&steps=200&batch=8&hidden=16")
    result = compute.run_scene(scene)
    share = result.landscape.directions.share
    warned = any("shows only" in n for n in result.notes)
    assert warned == (share < NS.LOW_SHARE)


def test_net013_grid_is_the_41_by_41_slice(result, scene):
    name = surfaces.name_of(scene)
    assert name == result.landscape.name and name.startswith(surfaces.NETWORK_PREFIX)
    g = grid.surface_grid(name, grid.CONTOUR_RESOLUTION)
    assert g.loss.shape == (NS.GRID, NS.GRID)
    dirs = result.landscape.directions
    direct = slices.slice_grid(result.network, dirs.centre, dirs.d1, dirs.d2, g.xs, g.ys)
    np.testing.assert_allclose(g.loss, direct, rtol=1e-12)
    (xmin, xmax), (ymin, ymax) = result.landscape.bounds
    for run in result.ok_runs:  # every path lies inside the view
        assert xmin <= run.params[:, 0].min() and run.params[:, 0].max() <= xmax
        assert ymin <= run.params[:, 1].min() and run.params[:, 1].max() <= ymax


def test_net014_plane_rebuilds_from_its_name_alone(result, scene):
    NS._compute.cache_clear()
    plane = surfaces.get(surfaces.name_of(scene))
    np.testing.assert_allclose(plane.directions.d1, result.landscape.directions.d1)


def test_net015_accuracy_over_the_path(result):
    net = result.network
    for run in result.ok_runs:
        assert run.accuracy_steps[0] == 0 and run.accuracy_steps[-1] == len(run.path) - 1
        np.testing.assert_allclose(run.accuracy, net.accuracy(run.path[run.accuracy_steps]))
        assert np.all((0 <= run.accuracy) & (run.accuracy <= 1))
    assert max(r.accuracy[-1] for r in result.ok_runs) > 0.8  # they learn the moons


def test_net016_layer_rates_become_param_groups():
    scene, _ = S.parse("landscape=net_moons&opt=sgd,adam&lr=0.1&steps=30&hidden=8,8&layer_lr=0.1,0.5,1")
    result = compute.run_scene(scene)
    net = result.network
    for run in result.ok_runs:
        groups = run.hyper["groups"]
        assert [g["params"] for g in groups] == [np.arange(net.dim)[s].tolist() for s in net.layer_slices.values()]
        np.testing.assert_allclose(run.lr, np.tile([0.01, 0.05, 0.1], (30, 1)))
        assert run.lr_names == ["layer 0 (×0.1)", "layer 2 (×0.5)", "layer 4 (×1)"]
    fig = schedule.schedule_figure(result.ok_runs, 30)
    assert len([t for t in fig["data"] if t["meta"]["role"] == "lr"]) == 2 * 3
    # the feature layers at lr/10 move less than they would at lr
    plain = compute.run_scene(S.parse("landscape=net_moons&opt=sgd&lr=0.1&steps=30&hidden=8,8")[0]).ok_runs[0]
    first = net.layer_slices["0"]
    slow = result.ok_runs[0]
    assert np.linalg.norm(slow.path[-1, first] - slow.path[0, first]) < \
        0.5 * np.linalg.norm(plain.path[-1, first] - plain.path[0, first])


def test_net017_schedule_plot_without_groups_draws_one_line(result):
    fig = schedule.schedule_figure(result.ok_runs, 120)
    assert len(fig["data"]) == len(result.ok_runs)


# --- the views ---------------------------------------------------------------------------------------

def test_net020_render_draws_the_plane_with_named_axes(scene, result):
    r = render_scene(scene)
    assert r.contour["layout"]["xaxis"]["title"]["text"].startswith("PC1 (")
    assert r.contour["layout"]["yaxis"]["title"]["text"].startswith("PC2 (")
    assert r.landscape == surfaces.name_of(scene)
    store = r.store
    assert [run["name"] for run in store["runs"]] == list(scene.optimizers)
    assert "accuracy" in store["runs"][0]
    acc = [t for t in r.loss["data"] if (t.get("meta") or {}).get("part") == "accuracy"]
    assert len(acc) == 3 and r.loss["layout"]["yaxis2"]["range"][0] == 0
    assert r.loss["layout"]["meta"]["lossMap"]["offset"] == 0.0  # BCE measured from 0, not the lowest seen


def test_net021_loss_redraw_from_the_store_keeps_accuracy(scene, result):
    store = trajectories_payload(result, "k")
    runs = runs_from_store(store)
    fig = layers.loss_view(surfaces.of(scene), runs, log_y=False)
    assert len([t for t in fig["data"] if (t.get("meta") or {}).get("part") == "accuracy"]) == 3


def test_net022_every_dataset_opens(scene):
    for name in network_fields.NAMES:
        s, w = S.parse(f"landscape={name}&opt=adam&lr=0.01&steps=20")
        assert w == []
        r = render_scene(s)
        assert r.n_runs == 1 and r.landscape.startswith(surfaces.NETWORK_PREFIX)


# --- the CSV export ----------------------------------------------------------------------------------

def test_net030_csv_holds_every_parameter_and_recreates_them():
    import io

    import pandas as pd

    from ui.views.exports import trajectories_csv

    scene, _ = S.parse("landscape=net_circles&opt=sgd,adam&lr=0.05&steps=40&batch=16&hidden=4,3&layer_lr=0.1,1,1")
    text = trajectories_csv(scene)
    table = pd.read_csv(io.StringIO(text), comment="#")
    result = compute.run_scene(scene)
    net = result.network
    names = [c for c in table.columns if "[" in c]
    assert len(names) == net.dim and names[0] == "0.weight[0]" and names[-1] == "4.bias[0]"
    assert list(table.columns[:7]) == ["optimizer", "run", "step", "pc1", "pc2", "loss", "batch_loss"]
    for run in result.ok_runs:
        rows = table[table.optimizer == run.name]
        np.testing.assert_array_equal(rows[names].to_numpy(), run.path)  # full precision: read back exactly
        np.testing.assert_array_equal(rows["loss"].to_numpy(), run.loss)
    # the comment lines' notebook code re-creates every number
    code = "\n".join(line[4:] for line in text.splitlines()
                     if line.startswith("#   "))
    space = {}
    exec(code, space)
    for run in result.ok_runs:
        np.testing.assert_array_equal(space[run.name].params[:, 0], run.path)


def test_net031_gif_scene_file_and_tune_answer_a_network_scene(scene):
    from ui.model import scene_file, tuning
    from ui.views import gif

    image = gif.scene_gif(scene)
    assert image[:6] == b"GIF89a"
    back, warnings = scene_file.loads(scene_file.dumps(scene))
    assert back == scene and warnings == []
    with pytest.raises(ValueError, match="network"):
        tuning.tune_scene(scene)


def test_a_network_planes_map_does_not_offer_to_move_the_start():
    """A network starts at its initialisation: the map's hover reads the point and offers no click,
    while a 2-D surface's still does."""
    from ui.model import compute
    from ui.model import scene as S
    from ui.views import figures

    net, _ = S.parse("landscape=net_moons&opt=sgd&lr=0.1&steps=20&hidden=4")
    flat, _ = S.parse("landscape=rosenbrock&opt=sgd&steps=20")
    hovers = []
    for scene in (net, flat):
        result = compute.run_scene(scene)
        fig = figures.contour_figure(result.landscape, result.runs, (0.0, 0.0))
        hovers.append(next(t for t in fig["data"] if t.get("type") == "contour")["hovertemplate"])
    assert "click" not in hovers[0] and hovers[0].startswith("x ")
    assert "click to start here" in hovers[1]


def test_the_footer_says_what_the_map_does_for_the_scene():
    """The footer's last words follow the scene: a link's first layout and a change of landscape
    (ui/web/network_panel.py network_shown) give a network's footer no click to move the start."""
    from ui import create_app
    from ui.web import ids, opening
    from ui.web.opening import _by_id

    net = _by_id(opening.first_layout("landscape=net_moons&opt=sgd&steps=20&hidden=4"))[ids.FOOTER].children
    flat = _by_id(opening.first_layout("landscape=rosenbrock&opt=sgd&steps=20"))[ids.FOOTER].children
    assert "a network starts at its initialisation" in net and "click" not in net
    assert flat.endswith("click the map to move the start") and "network" not in flat
    assert net.startswith("Space plays and pauses") and flat.startswith("Space plays and pauses")
    app = create_app()
    callback = next(k for k in app.callback_map if f"{ids.FOOTER}.children" in k)
    spec = app.callback_map[callback]
    client = app.server.test_client()
    for name, words in (("net_xor", "a network starts at its initialisation"),
                        ("himmelblau", "click the map to move the start")):
        body = {"output": callback, "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]}
                                                for o in callback.strip(".").split("...")],
                "inputs": [{"id": ids.LANDSCAPE, "property": "value", "value": name}],
                "changedPropIds": [f"{ids.LANDSCAPE}.value"]}
        out = client.post("/_dash-update-component", json=body).get_json()["response"]
        assert words in out[ids.FOOTER]["children"], name
    assert spec["inputs"] == [{"id": ids.LANDSCAPE, "property": "value"}]


def test_net005_a_schedule_the_engine_refuses_degrades_as_on_a_surface():
    """One-cycle cannot cycle Adagrad's momentum (torch's rule): a network scene, like a surface,
    runs one-cycle without cycling it and says so, rather than falling to a constant rate."""
    link = "opt=adagrad,adam&lr=0.05&steps=60&schedule=onecycle"
    notes = {}
    for landscape in ("net_moons", "rosenbrock"):
        scene, warnings = S.parse(f"landscape={landscape}&{link}")
        assert warnings == []
        result = compute.run_scene(scene)
        notes[landscape] = [n for n in result.notes if "One-cycle" in n]
        lr = result.runs[0].lr
        assert lr.max() > 2 * lr.min()       # the rate follows one-cycle, not a constant
    assert notes["net_moons"] == notes["rosenbrock"] and len(notes["net_moons"]) == 1
    assert "momentum is not cycled" in notes["net_moons"][0]
