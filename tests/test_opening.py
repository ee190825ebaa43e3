"""ui/web/opening.py: /_dash-layout answers with the opened link's scene already drawn."""

import json

import pytest

from ui import create_app
from ui.model import payload
from ui.model import scene as S
from ui.web import ids

LINK = "landscape=himmelblau&opt=sgd,adam&lr=0.01&steps=120"


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _layout(client, referrer=None) -> dict:
    r = client.get("/_dash-layout", headers={"Referer": referrer} if referrer else {})
    assert r.status_code == 200
    found, stack = {}, [json.loads(r.data)]
    while stack:
        c = stack.pop()
        if isinstance(c, list):
            stack.extend(c)
        elif isinstance(c, dict) and "props" in c:
            if isinstance(c["props"].get("id"), str):
                found[c["props"]["id"]] = c["props"]
            stack.append(c["props"].get("children"))
    return found


def test_the_layout_holds_the_opened_links_scene_drawn(client):
    parts = _layout(client, "http://classroom:8050/?" + LINK)
    scene, _ = S.parse(LINK)
    key = payload.scene_key(scene)
    assert parts[ids.TRAJECTORIES]["data"]["key"] == key and len(parts[ids.TRAJECTORIES]["data"]["runs"]) == 2
    assert parts[ids.DRAWN]["data"]["key"] == key          # the scene callback's first run sends nothing new
    assert parts[ids.LR]["value"] == -2 and parts[ids.LANDSCAPE]["value"] == "himmelblau"
    assert parts[ids.FRAME]["max"] == 120 and parts[ids.QUERY]["data"] == S.encode(scene)
    assert parts[ids.CONTOUR]["figure"]["layout"]["meta"]["key"] == parts[ids.TRAJECTORIES]["data"]["figures"]


def test_a_network_links_layout_holds_its_panel_at_the_links_weight(client):
    """A weight picked after opening patches the panel's store, so the store must be there."""
    parts = _layout(client, "http://x/?landscape=net_xor&opt=sgd&lr=0.1&steps=40&hidden=4&weight=0.bias%5B1%5D")
    assert parts[ids.NET_VIEWS]["data"]["weight"]["name"] == "0.bias[1]" == parts[ids.NET_WEIGHT]["value"]
    assert parts[ids.NET_VIEWS_PANEL]["hidden"] is False and parts[ids.NET_BOUNDARY]["figure"]["data"]
    assert _layout(client, "http://x/?" + LINK)[ids.NET_VIEWS_PANEL]["hidden"] is True


def test_no_referrer_opens_the_default_scene_and_a_bad_link_its_warnings(client):
    parts = _layout(client)
    assert parts[ids.TRAJECTORIES]["data"]["key"] == payload.scene_key(S.default_scene())
    parts = _layout(client, "http://x/?landscape=nowhere&lr=banana")
    assert "landscape" in json.dumps(parts[ids.MESSAGE]["children"]) and parts[ids.TRAJECTORIES]["data"]["runs"]


def test_each_answer_is_built_fresh_and_the_apps_own_layout_is_left_alone(app, client):
    from ui.web.opening import _by_id

    a = _layout(client, "http://x/?" + LINK)
    b = _layout(client, "http://x/?" + LINK.replace("lr=0.01", "lr=0.1"))
    assert a[ids.TRAJECTORIES]["data"]["key"] != b[ids.TRAJECTORIES]["data"]["key"]
    assert getattr(_by_id(app.layout)[ids.TRAJECTORIES], "data", None) is None


def _overrides(client, referrer) -> list:
    """The per-optimizer boxes of the layout, as the scene callback reads them: [[{"id", "value"}]]."""
    r = client.get("/_dash-layout", headers={"Referer": referrer})
    found, stack = [], [json.loads(r.data)]
    while stack:
        c = stack.pop()
        if isinstance(c, list):
            stack.extend(c)
        elif isinstance(c, dict) and "props" in c:
            i = c["props"].get("id")
            if isinstance(i, dict) and i.get("type") == "opt-hyper":
                found.append({"id": i, "value": c["props"].get("value")})
            stack.append(c["props"].get("children"))
    return [found]


@pytest.mark.parametrize("link", ["landscape=bowl&opt=sgd,adam&lr=0.1&x0=-1.5&y0=1.2&steps=40&t=12",
                                  "landscape=himmelblau&opt=adam,rmsprop&lr=0.05&momentum=0.8&x0=1&y0=-1&steps=200"
                                  "&schedule=cosine&T_max=100&adam.beta2=0.99",
                                  "landscape=custom&expr=x%5E2%2B3*y%5E2&opt=adam&x0=1&y0=-2&schedule=step"])
def test_the_layouts_controls_are_the_scene_it_draws(client, link):
    """Every scene control of the first layout (start sliders, schedule parameter, per-optimizer boxes
    too) reads back as the scene it draws: the page's first scene request, which may go before any
    callback has set a control, finds that scene drawn. With the default scene's values still there
    (Adam's lr box 0.05, the default start) it computed another scene, and the link's own came back
    second, at its last step (t= lost: tests/browser/test_browser_predict.py url103)."""
    from ui.web.callbacks import _scene_from_controls

    parts = _layout(client, "http://x/?" + link)
    scene, _ = S.parse(link)
    x0, y0 = scene.start
    assert (parts[ids.START_X]["value"], parts[ids.START_Y]["value"]) == (x0, y0)
    assert parts[ids.START_X]["min"] <= x0 <= parts[ids.START_X]["max"]
    assert parts[ids.START_Y]["min"] <= y0 <= parts[ids.START_Y]["max"]
    value = {"landscape": ids.LANDSCAPE, "optimizers": ids.OPTIMIZERS, "lr": ids.LR, "momentum": ids.MOMENTUM,
             "x0": ids.START_X, "y0": ids.START_Y, "steps": ids.STEPS, "schedule": ids.SCHEDULE,
             "schedule_param": ids.SCHEDULE_PARAM, "noise": ids.NOISE, "seed": ids.SEED, "expr": ids.EXPR,
             "repeat": ids.REPEAT, "batch": ids.BATCH, "hidden": ids.NET_HIDDEN, "activation": ids.NET_ACTIVATION,
             "net_seed": ids.NET_SEED, "layer_lr": ids.NET_LAYER_LR}
    controls = {name: parts[i].get("value") for name, i in value.items()}
    boxes = _overrides(client, "http://x/?" + link)
    assert {b["id"]["index"] for b in boxes[0]} == set(scene.optimizers)
    read, _ = _scene_from_controls(controls, boxes, None)  # the controls alone, no stored scene to lean on
    assert read == scene
    assert payload.scene_key(read) == parts[ids.DRAWN]["data"]["key"]
