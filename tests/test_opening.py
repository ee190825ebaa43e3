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
