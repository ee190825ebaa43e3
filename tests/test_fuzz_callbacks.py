"""Fuzz every server callback over HTTP: malformed payloads never give a 500 or a traceback.

The callbacks come from ``app.callback_map``, so a callback added later is fuzzed without a change
here. Each input and state slot in turn gets hostile values (wrong types, NaN, ±inf, huge numbers,
very long strings, deep nesting, edited stores) while the others hold realistic ones; then the
request itself is broken (missing fields, unknown ids, wrong shapes, bodies that are not JSON).

A well-formed request with hostile values must be answered 200 or 204 (handled by the callback's
checks or by the app's ``on_error``); a malformed request may be refused with a 4xx. Neither may
be a 500, nor hold traceback text.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.dash_requests import DISPATCH, body, body_for, concrete, is_wildcard, parse_id, scene_values
from ui import create_app
from ui.model import limits
from ui.model import scene as S
from ui.web import guard, ids

TRACEBACK_SIGNS = ("Traceback", 'File "', "Error:", "site-packages", "raise ")

HOSTILE = [
    None, True, False, 0, -1, 2**31, 10**30, -10**30, 1e308, -1e308, float("nan"), float("inf"), float("-inf"),
    "", "0", "nan", "x" * 100_000, "<script>alert(1)</script>", "../../etc/passwd", "\x00\udc80"[:1],
    [], [None] * 500, [[[[[[[[[[1]]]]]]]]]], {}, {"scene": "x"}, {"scene": None}, {"points": "x"},
    {"points": [{"x": float("nan"), "y": 1}]}, {"points": [{"x": 1e308, "y": -1e308}]},
    {"scene": {"steps": 10**12, "optimizers": ["adam"] * 10_000, "landscape": ["rosenbrock"]}, "warnings": "x"},
    {"scene": {"x0": float("inf"), "overrides": {"adam": [1, 2]}}, "warnings": [1, None, "w" * 10_000]},
    {"landscape": "rosenbrock", "runs": 10**9}, {"landscape": "rosenbrock", "runs": -5},
    {"landscape": "rosenbrock", "runs": 3, "contour_traces": 10**9, "surface_traces": 10**9},
    {"key": 5, "runs": [{"x": {"bdata": "!!!", "dtype": "f4"}}]},
    {"key": "k", "runs": [{"name": "a", "title": "a", "colour": "red", "x": {"bdata": "AAAA", "dtype": "f4"},
                           "y": {"bdata": "AAAAAAAA", "dtype": "f4"}, "loss": {"bdata": "A" * 10**6, "dtype": "f4"}}]},
    {"key": "k", "runs": [{}] * 10**4},
    "rosenbrock", ["adam"] * 50, ["log", "x" * 10_000], {"type": "opt-hyper", "index": 10**9, "key": "lr"},
]


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _layout_values(app) -> dict:
    """(id, prop) -> the layout's own value: what the page holds before any callback ran."""
    out, stack = {}, [app.layout]
    while stack:
        c = stack.pop()
        for prop, value in c.to_plotly_json()["props"].items():
            if isinstance(getattr(c, "id", None), str) and not hasattr(value, "to_plotly_json"):
                out[(c.id, prop)] = value
        children = getattr(c, "children", None)
        stack.extend(ch for ch in (children if isinstance(children, list) else [children])
                     if hasattr(ch, "to_plotly_json"))
    return out


@pytest.fixture(scope="module")
def realistic(app, client):
    """Realistic values for every input and state: the layout's, and stores from a real short scene."""
    values = _layout_values(app)
    scene, _ = S.parse("steps=20&opt=sgd,adam")  # short, so a fuzzed export or recompute is cheap
    values[(ids.SCENE, "data")] = {"scene": scene.to_dict(), "warnings": [], "source": "link"}
    values[(ids.URL, "search")] = "?" + S.encode(scene)
    response = client.post(DISPATCH, json=body_for(app.callback_map, ids.TRAJECTORIES,
                                                    scene_values(scene, **{ids.DRAWN: {}, ids.LOG_Y: ["log"]})))
    values[(ids.TRAJECTORIES, "data")] = response.get_json()["response"][ids.TRAJECTORIES]["data"]
    values[(ids.DRAWN, "data")] = {"landscape": scene.landscape, "runs": 2}
    return values


def server_callbacks(app):
    return [(key, spec) for key, spec in app.callback_map.items() if spec.get("callback")]


def _value(realistic, dep, hostile_dep=None, hostile=None):
    id_ = parse_id(dep["id"])
    if dep is hostile_dep:
        value = hostile
    else:
        value = realistic.get((dep["id"], dep["property"]), 1 if dep["property"] == "n_clicks" else None)
    if is_wildcard(id_):  # one matching component, as for a selected optimizer's panel
        return [{"id": concrete(id_, "adam"), "property": dep["property"], "value": value}]
    return value


def _post(client, payload, raw=False):
    data = payload if raw else json.dumps(payload)  # json.dumps writes NaN/Infinity as a careless client would
    return client.post(DISPATCH, data=data, content_type="application/json")


def _assert_safe(response, what):
    text = response.get_data(as_text=True)
    assert response.status_code < 500, f"{what}: {response.status_code} {text[:300]}"
    for sign in TRACEBACK_SIGNS:
        assert sign not in text, f"{what}: traceback text {sign!r} in {text[:300]}"


def _messages(response) -> list:
    """The texts the response puts in ``message`` (as an output or through set_props)."""
    if response.status_code != 200:
        return []
    data = response.get_json()
    found = []
    for part in (data.get("response", {}), data.get("sideUpdate", {})):
        children = (part.get(ids.MESSAGE) or {}).get("children")
        if children:
            found.append(json.dumps(children))
    return found


def test_every_server_callback_is_fuzzed(app):
    keys = [k for k, _ in server_callbacks(app)]
    assert len(keys) >= 8  # this file's own callbacks at least; other features' join automatically
    assert all(any(part in k for k in keys) for part in (ids.TRAJECTORIES, ids.SCENE, ids.START_X))


def test_hostile_values_in_every_slot_get_an_answer_not_a_crash(app, client, realistic):
    handled = 0
    for key, spec in server_callbacks(app):
        for slot in spec["inputs"] + spec["state"]:
            for hostile in HOSTILE:
                values = lambda dep, slot=slot, hostile=hostile: _value(realistic, dep, slot, hostile)  # noqa: E731
                payload = body(key, spec["inputs"], spec["state"], values,
                               changed=[f"{slot['id']}.{slot['property']}"])
                response = _post(client, payload)
                what = f"{key[:60]} / {slot['id']}.{slot['property']} = {repr(hostile)[:60]}"
                _assert_safe(response, what)
                assert response.status_code in (200, 204), f"{what}: {response.status_code} {response.data[:200]}"
                handled += 1
    assert handled > 500


@pytest.mark.parametrize("breakage", [
    "no output", "no inputs", "no state", "no outputs", "inputs not a list", "an input not a dict",
    "an input without value", "too few inputs", "too many inputs", "unknown output", "clientside output",
    "unknown input id", "outputs of the wrong shape", "changedPropIds garbage", "wildcard input not a list",
])
def test_malformed_requests_are_refused_cleanly(app, client, realistic, breakage):
    for key, spec in server_callbacks(app):
        payload = body(key, spec["inputs"], spec["state"], lambda dep: _value(realistic, dep))
        if breakage.startswith("no "):
            payload.pop(breakage[3:].replace("state", "state"), None)
        elif breakage == "inputs not a list":
            payload["inputs"] = {"id": "x"}
        elif breakage == "an input not a dict":
            payload["inputs"] = ["lr.value"] + payload["inputs"][1:]
        elif breakage == "an input without value":
            payload["inputs"] = [{"id": d.get("id") if isinstance(d, dict) else "x"} for d in payload["inputs"]]
        elif breakage == "too few inputs":
            payload["inputs"] = payload["inputs"][:-1]
        elif breakage == "too many inputs":
            payload["inputs"] = payload["inputs"] + [{"id": "extra", "property": "value", "value": 1}] * 50
        elif breakage == "unknown output":
            payload["output"] = "no-such-thing.children"
        elif breakage == "clientside output":
            payload["output"] = next(k for k, s in app.callback_map.items() if not s.get("callback"))
        elif breakage == "unknown input id":
            payload["inputs"] = [dict(d, id="no-such-id") if isinstance(d, dict) else d for d in payload["inputs"]]
        elif breakage == "outputs of the wrong shape":
            payload["outputs"] = "x"
        elif breakage == "changedPropIds garbage":
            payload["changedPropIds"] = [None, 5, {"a": 1}, "x" * 10_000]
        elif breakage == "wildcard input not a list":
            payload["inputs"] = [{"id": "x", "property": "value", "value": 1} if isinstance(d, list) else "junk"
                                 for d in payload["inputs"]]
        _assert_safe(_post(client, payload), f"{breakage}: {key[:60]}")


@pytest.mark.parametrize("data, content_type", [
    ("", "application/json"), ("{", "application/json"), ("not json at all", "application/json"),
    ("[1, 2, 3]", "application/json"), ('"output"', "application/json"), ("null", "application/json"),
    ("5", "application/json"), ('{"output": 5}', "application/json"), ('{"output": null, "inputs": null}',
                                                                      "application/json"),
    ('{"output": "x"}', "text/plain"), (b"\xff\xfe\x00garbage", "application/json"),
    ("[" * 10_000 + "]" * 10_000, "application/json"),
], ids=lambda v: repr(v)[:30])
def test_bodies_that_are_not_callback_requests(client, data, content_type):
    response = client.post(DISPATCH, data=data, content_type=content_type)
    _assert_safe(response, repr(data)[:40])
    assert 400 <= response.status_code < 500


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(client):
    response = client.post(DISPATCH, data=b"[" + b"0," * (limits.MAX_REQUEST_BYTES // 2) + b"0]",
                           content_type="application/json")
    _assert_safe(response, "huge body")
    assert response.status_code == 413


def test_a_get_or_an_unknown_route_is_a_plain_4xx(client):
    for response in (client.get(DISPATCH), client.get("/no-such-page/../../etc/passwd"), client.delete("/")):
        _assert_safe(response, "route")
        assert response.status_code in (200, 404, 405)


JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=50),
                    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
                    max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_json_in_random_slots(app, client, realistic, data):
    key, spec = data.draw(st.sampled_from(server_callbacks(app)))
    slots = spec["inputs"] + spec["state"]
    chosen = data.draw(st.lists(st.sampled_from(slots), min_size=1, max_size=3, unique_by=lambda d: id(d)))
    hostile = {id(d): data.draw(JSON) for d in chosen}

    def values(dep):
        if id(dep) in hostile:
            return _value(realistic, dep, dep, hostile[id(dep)])
        return _value(realistic, dep)

    response = _post(client, body(key, spec["inputs"], spec["state"], values))
    _assert_safe(response, f"{key[:60]}")
    assert response.status_code in (200, 204)


# --- the messages say what was wrong, and the last good scene stays ---------------------------------

def test_an_edited_scene_store_is_read_again_by_the_codec(app, client, realistic):
    scene = S.read(realistic[(ids.SCENE, "data")]["scene"])
    stored = {"scene": dict(scene.to_dict(), steps=10**9, lr="fast"), "warnings": []}
    response = _post(client, body_for(app.callback_map, ids.TRAJECTORIES, scene_values(
        scene, **{ids.SCENE: stored, ids.STEPS: 10**9, ids.DRAWN: {}, ids.LOG_Y: ["log"]})))
    out = response.get_json()["response"]
    assert out[ids.FRAME]["max"] == S.DEFAULT_STEPS  # the engine ran the last good scene's steps, not 10**9
    assert "steps: '1000000000' is outside 10..2000" in json.dumps(out[ids.MESSAGE]["children"])


def test_garbage_in_the_scene_store_is_ignored_the_controls_decide(app, client, realistic):
    scene = S.read(realistic[(ids.SCENE, "data")]["scene"])
    response = _post(client, body_for(app.callback_map, ids.TRAJECTORIES, scene_values(
        scene, **{ids.SCENE: {"scene": "rosenbrock"}, ids.DRAWN: {}, ids.LOG_Y: []})))
    out = response.get_json()["response"]
    assert out[ids.SCENE]["data"]["scene"] == scene.to_dict() and len(out[ids.TRAJECTORIES]["data"]["runs"]) == 2


def test_a_huge_run_count_in_the_drawn_store_cannot_cost_a_worker(app, client, realistic):
    stored = realistic[(ids.SCENE, "data")]
    response = _post(client, body_for(app.callback_map, ids.TRAJECTORIES,
                                      {ids.SCENE: stored, ids.DRAWN: {"landscape": "rosenbrock", "runs": 10**9},
                                       ids.LOG_Y: ["log"]}))
    figure = response.get_json()["response"][ids.CONTOUR]["figure"]
    assert figure["data"][0]["type"] == "contour"  # treated as nothing drawn: the whole figure, no patch


def test_an_unexpected_failure_gives_the_generic_message_and_no_detail(app, client, realistic):
    store = dict(realistic[(ids.TRAJECTORIES, "data")])
    store["runs"] = [dict(r, x={"dtype": "f4", "bdata": "AAAAAA=="}) for r in store["runs"]]  # 1.5 floats
    response = _post(client, body_for(app.callback_map, ids.LOSS_CURVE,
                                      {ids.LOG_Y: [], ids.TRAJECTORIES: store,
                                       ids.SCENE: realistic[(ids.SCENE, "data")]}))
    assert response.status_code == 200
    assert _messages(response) == [json.dumps([{"props": {"children": "That change to “log-y” could not be used. "
                                                                       + limits.KEEP, "className": "message-error"},
                                                "type": "P", "namespace": "dash_html_components"}])]


def test_a_nan_click_does_not_move_the_start(app, client):
    response = _post(client, body_for(app.callback_map, ids.START_X,
                                      {ids.CONTOUR: {"points": [{"x": float("nan"), "y": 1.0}]}}))
    assert response.status_code == 204


def test_a_bad_control_value_keeps_the_last_good_scene_and_says_so(app, client):
    good = S.default_scene().replace(overrides={"adam": {"lr": 0.05, "eps": 1e-6}})
    key = next(k for k, s in app.callback_map.items() if k.startswith(f"..{ids.TRAJECTORIES}.data..."))
    spec = app.callback_map[key]
    controls = {ids.LANDSCAPE: good.landscape, ids.OPTIMIZERS: list(good.optimizers), ids.LR: -3,
                ids.MOMENTUM: good.momentum, ids.START_X: good.x0, ids.START_Y: good.y0, ids.STEPS: 300,
                ids.SCHEDULE: "constant", ids.NOISE: 0, ids.SEED: 0, ids.SCENE: {"scene": good.to_dict(), "warnings": []},
                ids.REQUEST: 1}
    boxes = {"lr": "0.05", "eps": "not a number"}  # the student typed into Adam's eps box

    def values(dep):
        id_ = parse_id(dep["id"])
        if is_wildcard(id_):
            if id_["type"] != ids.OPT_HYPER:
                return []
            return [{"id": {"type": ids.OPT_HYPER, "index": "adam", "key": k}, "property": dep["property"],
                     "value": text if dep["property"] == "value" else {"type": ids.OPT_HYPER, "index": "adam", "key": k}}
                    for k, text in boxes.items()]
        return controls.get(dep["id"])

    response = _post(client, body(key, spec["inputs"], spec["state"], values,
                                  changed=['{"index":"adam","key":"eps","type":"opt-hyper"}.value']))
    stored = response.get_json()["response"][ids.SCENE]["data"]
    assert stored["scene"] == good.to_dict()  # the scene stays as it was
    assert stored["warnings"] == ["adam.eps: 'not a number' is not a number in 1e-12..1; keeping 1e-06"]
