"""The app without a browser: ids, registry-built controls, the callbacks over HTTP, app.py."""

import json

import pytest

import app as app_module
import landscapes
import optimizers
from benchmarks.dash_requests import DISPATCH, body_for, scene_values
from ui import create_app
from ui.model import scene as S
from ui.web import ids
from layout_tree import walk

DESIGN_IDS = ["landscape", "optimizers", "lr", "momentum", "start-x", "start-y", "steps", "schedule", "play",
              "step-back", "step-forward", "frame", "speed", "contour", "surface", "loss-curve", "results",
              "message"]


@pytest.fixture(scope="module")
def dash_app():
    return create_app()


@pytest.fixture(scope="module")
def components(dash_app):
    return {c.id: c for c in walk(dash_app.layout) if isinstance(getattr(c, "id", None), str)}


def test_every_design_id_is_on_the_page_once(dash_app, components):
    all_ids = [c.id for c in walk(dash_app.layout) if isinstance(getattr(c, "id", None), str)]
    assert len(all_ids) == len(set(all_ids))
    assert set(DESIGN_IDS) <= set(all_ids)


def test_controls_come_from_the_registries(components):
    from ui.model import network_fields  # the networks' entries: one per dataset of landscapes.network

    assert [o["value"] for o in components[ids.LANDSCAPE].options] == \
        landscapes.names() + list(network_fields.NAMES) + ["custom"]
    picked = [o["value"] for o in components[ids.OPTIMIZERS].options if not o.get("disabled")]
    assert sorted(picked) == sorted(optimizers.names())  # grouped by kind (tests/test_picker.py)
    assert [o["value"] for o in components[ids.SCHEDULE].options] == optimizers.schedule_names()
    assert components[ids.OPTIMIZERS].value == list(S.default_scene().optimizers)


def test_sliders_cover_the_issue_ranges(components):
    lr, momentum, steps = components[ids.LR], components[ids.MOMENTUM], components[ids.STEPS]
    assert (lr.min, lr.max) == (-5, 1)  # log10 of 1e-5 .. 10
    assert (momentum.min, momentum.max) == (0.0, 0.999)
    assert (steps.min, steps.max) == (10, 2000)
    x = components[ids.START_X]
    assert (x.min, x.max) == landscapes.get("rosenbrock").bounds[0]


def _post(client, dash_app, output_id, inputs, state=()):
    body = body_for(dash_app.callback_map, output_id, {**inputs, **dict(state)})
    response = client.post(DISPATCH, json=body)
    assert response.status_code == 200, response.data[:300]
    return response


def test_a_link_sets_the_controls_and_carries_its_warnings(dash_app):
    client = dash_app.server.test_client()
    response = _post(client, dash_app, ids.SCENE, {ids.URL: "?landscape=beale&lr=banana&opt=adam"})
    out = response.get_json()["response"]
    assert out[ids.LANDSCAPE]["value"] == "beale" and out[ids.OPTIMIZERS]["value"] == ["adam"]
    assert out[ids.SCENE]["data"]["warnings"] == ["lr: 'banana' is not a finite number; using 0.001"]


def test_a_scene_change_sends_the_grid_only_for_a_new_landscape_and_paths_only_for_a_new_lr(dash_app):
    client = dash_app.server.test_client()
    client.get("/")
    scene = S.default_scene()
    ask = lambda scene, drawn: client.post(DISPATCH, json=body_for(  # noqa: E731
        dash_app.callback_map, ids.TRAJECTORIES, scene_values(scene, **{ids.DRAWN: drawn, ids.LOG_Y: ["log"]})))
    first = ask(scene, {})
    drawn = first.get_json()["response"][ids.DRAWN]["data"]
    full = first.get_json()["response"]
    assert full[ids.CONTOUR]["figure"]["data"][0]["type"] == "contour" and full[ids.FRAME]["value"] == 300
    again = ask(scene, drawn)  # nothing changed: the gate's ticket back, nothing else
    assert set(again.get_json()["response"]) == {ids.SERVED}
    moved = ask(scene.replace(lr=0.002), drawn)  # a new lr: the paths, the loss curve, the table
    out = moved.get_json()["response"]
    assert ids.CONTOUR not in out and ids.SURFACE not in out and ids.COLOUR_KEY not in out
    assert len(moved.data) < len(first.data) / 2
    assert out[ids.TRAJECTORIES]["data"]["figures"] == drawn["figures"]  # the figures the page holds fit
    more = ask(scene.replace(optimizers=["sgd", "adam"]), out[ids.DRAWN]["data"])  # other runs: a patch
    patch = more.get_json()["response"][ids.CONTOUR]["figure"]
    assert patch["__dash_patch_update"] == "__dash_patch_update" and '"type": "contour"' not in json.dumps(patch)
    other = ask(scene.replace(landscape="himmelblau"), out[ids.DRAWN]["data"])  # a new surface: whole figures
    assert other.get_json()["response"][ids.CONTOUR]["figure"]["data"][0]["type"] == "contour"


def test_app_py_flags_and_port(monkeypatch):
    calls = []
    monkeypatch.setattr(app_module.app, "run", lambda **kw: calls.append(kw))
    app_module.main([])
    monkeypatch.setenv("PORT", "9100")
    app_module.main([])
    app_module.main(["--host", "0.0.0.0", "--port", "8123", "--debug"])
    assert [(c["host"], c["port"], c["debug"]) for c in calls] == [
        ("127.0.0.1", 8050, False), ("127.0.0.1", 9100, False), ("0.0.0.0", 8123, True)]
    assert app_module.server is app_module.app.server
