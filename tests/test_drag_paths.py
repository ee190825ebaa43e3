"""/_gradscape/paths (ui/web/drag.py): a dragged slider's paths, outside Dash, stateless."""

import json

import pytest

from ui import create_app
from ui.model import scene as S
from ui.views.render import render_scene
from ui.web import drag, ids

LINK = "landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.001&momentum=0.9&x0=-1.5&y0=2&steps=300&schedule=constant"


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def _get(client, **params):
    r = client.get(drag.ROUTE, query_string=params)
    return r.status_code, json.loads(r.data)


def test_the_answer_is_the_store_the_scene_callback_sends_for_that_value(client):
    status, body = _get(client, scene=LINK, control=ids.LR, value="-2.5")
    assert status == 200
    scene, _ = S.parse(LINK.replace("lr=0.001", "lr=0.003162"))
    assert body["store"] == json.loads(json.dumps(render_scene(scene, build=()).store))
    assert body["store"]["steps"] == 300 and len(body["store"]["runs"]) == 3


@pytest.mark.parametrize("control, value, key, expected", [
    (ids.MOMENTUM, "0.5", "momentum", 0.5), (ids.START_X, "0.25", "x0", 0.25), (ids.START_Y, "-0.5", "y0", -0.5),
    (ids.STEPS, "420", "steps", 420)])
def test_each_dragged_slider_sets_its_own_field_and_nothing_else(control, value, key, expected):
    scene, warnings = drag.drag_scene(LINK, control, value)
    before, _ = S.parse(LINK)
    assert getattr(scene, key) == expected and warnings == []
    assert {k: v for k, v in scene.to_dict().items() if k != key} == {k: v for k, v in before.to_dict().items() if k != key}


def test_two_servers_answer_alike_so_any_worker_may_answer(client):
    other = create_app().server.test_client()
    assert _get(client, scene=LINK, control=ids.STEPS, value="50") == _get(other, scene=LINK, control=ids.STEPS, value="50")


def test_bad_input_gets_a_400_with_a_reason_never_a_crash(client):
    status, body = _get(client, scene=LINK, control="seed", value="1")
    assert status == 400 and "not a slider" in body["error"]
    status, body = _get(client, scene=LINK, control=ids.LR, value="lots")
    assert status == 400 and "lr" in body["error"]
    status, body = _get(client, scene="x" * 5000, control=ids.LR, value="-2")
    assert status == 400 and "too long" in body["error"]


def test_a_value_out_of_range_falls_back_as_in_a_link(client):
    status, body = _get(client, scene=LINK, control=ids.MOMENTUM, value="7")
    assert status == 200 and body["warnings"] and body["warnings"][0].startswith("momentum")
    status, body = _get(client, scene="garbage=1&&&", control=ids.LR, value="-2")
    assert status == 200 and len(body["store"]["runs"]) >= 1
