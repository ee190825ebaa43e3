"""The teaching panels without a browser: the diagram's highlights, the schedule figure, the teach
store, and the teaching callbacks over HTTP."""

import json
import pathlib
import re

import numpy as np
import pytest

from benchmarks.dash_requests import DISPATCH, body_for
from ui import create_app
from ui.model import diagram, lessons, payload, teaching
from ui.model import scene as S
from ui.model.compute import run_scene
from ui.views.schedule import schedule_figure
from ui.web import ids


ROOT = pathlib.Path(__file__).resolve().parents[1]


def scene(**changes):
    return S.default_scene().replace(**{"overrides": {}, **changes})


# --- "How training works" ------------------------------------------------------------------------------

def test_every_part_is_drawn_and_every_optional_part_has_a_highlight():
    svg = diagram.svg_text()
    css = (ROOT / "assets" / "teaching.css").read_text()
    for part in diagram.CORE + diagram.OPTIONAL:
        assert f'class="part part-{part}"' in svg, part
    for part in diagram.OPTIONAL:
        assert f".diagram.uses-{part} .part-{part}" in css, part


@pytest.mark.parametrize("changes, used", [
    (dict(optimizers=["sgd"]), set()),
    (dict(optimizers=["momentum"]), {"state"}),
    (dict(optimizers=["sgd"], schedule="cosine", schedule_param=300), {"scheduler"}),
    (dict(optimizers=["sgd"], overrides={"sgd": {"lr_y": 0.01}}), {"groups"}),
    (dict(optimizers=["adamw"]), {"state", "decay"}),                       # AdamW decays by default
    (dict(optimizers=["sgd"], overrides={"sgd": {"weight_decay": 0.1}}), {"decay"}),
    (dict(optimizers=["sgd"], noise=0.5), {"noise"}),
    (dict(optimizers=["nesterov"], momentum=0.0), set()),                   # refused: nothing to show
    (dict(optimizers=[]), set()),
])
def test_the_parts_a_scene_uses(changes, used):
    s = scene(**changes)
    assert set(diagram.parts_in_use(s)) == used
    assert diagram.diagram_class(s) == " ".join(["diagram"] + [f"uses-{p}" for p in diagram.OPTIONAL if p in used])
    assert len(diagram.diagram_notes(s)) == len(used)


def test_the_notes_say_why():
    notes = diagram.diagram_notes(S.parse("lesson=cosine-constant")[0])
    assert notes == ["Cosine annealing sets the learning rate γ at every step.",
                     "Gaussian noise σ = 1 on every gradient, as a mini-batch gives."]


# --- the schedule figure ------------------------------------------------------------------------------

def test_the_schedule_figure_plots_each_rate_and_splits_groups():
    s = scene(optimizers=["gd", "sgd"], schedule="cosine", schedule_param=300,
              overrides={"sgd": {"lr_x": 0.01, "lr_y": 0.002}})
    result = run_scene(s)
    fig = schedule_figure(result.ok_runs, 300, key="k")
    roles = [(t["meta"]["run"], t["meta"].get("axis")) for t in fig["data"]]
    assert roles == [("gd", "x"), ("sgd", "x"), ("sgd", "y")]
    np.testing.assert_allclose(fig["data"][0]["y"][0], 0.001)
    np.testing.assert_allclose(fig["data"][1]["y"][0], 0.01)
    np.testing.assert_allclose(fig["data"][2]["y"][0], 0.002)
    assert fig["data"][2]["line"]["dash"] == "dash" and fig["data"][0]["y"][-1] < 1e-5
    assert fig["layout"]["xaxis"]["range"] == [0, 300] and "yaxis2" not in fig["layout"]
    assert fig["layout"]["meta"]["key"] == "k"


def test_one_cycle_also_plots_the_momentum():
    result = run_scene(scene(optimizers=["momentum", "adam"], schedule="onecycle", schedule_param=0.3))
    fig = schedule_figure(result.ok_runs, 300)
    momentum = [t for t in fig["data"] if t["meta"]["role"] == "momentum"]
    assert len(momentum) == 2 and all(t["yaxis"] == "y2" for t in momentum)
    assert min(momentum[0]["y"]) == pytest.approx(0.85) and max(momentum[0]["y"]) == pytest.approx(0.95)
    assert "yaxis2" in fig["layout"]
    assert all(np.isfinite(v).all() for t in fig["data"] for v in (t["x"], t["y"]))


# --- the teach store ------------------------------------------------------------------------------------

def test_the_teach_store_holds_every_step_of_the_followed_run():
    s = S.parse("lesson=nesterov-heavy-ball")[0]
    key = payload.scene_key(s)
    store = teaching.teach_payload(run_scene(s, record_state=True), "momentum", "grad", key)
    assert (store["run"], store["key"], store["steps"]) == ("momentum", key, 150)
    assert payload.unpack(store["points"]).shape == (151, 2)
    rows = {r["key"]: r for r in store["rows"]}
    assert list(rows)[0] == "grad" and list(rows)[-1] == "update"
    assert payload.unpack(rows["momentum_buffer"]["values"]).shape == (150, 2) and rows["update"]["pair"]
    assert set(store["arrows"]) == {"neg_grad", "velocity", "step"}  # heavy ball: no look-ahead
    assert store["slice"]["direction"] == "grad" and payload.unpack(store["slice"]["loss"]).shape == (151, 25)
    assert len(json.dumps(store)) < 60_000
    other = teaching.teach_payload(run_scene(s, record_state=True), "nope", "z", key)
    assert other["run"] == "nesterov" and other["slice"]["direction"] == "x"  # falls back, never fails
    assert "lookahead" in other["arrows"]


def test_a_diverged_run_keeps_nan_where_the_inspector_shows_a_dash():
    s = S.parse("lesson=lr-too-large")[0]
    store = teaching.teach_payload(run_scene(s, record_state=True), "gd", "x", "k")
    update = payload.unpack(next(r for r in store["rows"] if r["key"] == "update")["values"])
    assert np.isnan(update[40:]).all() and np.isfinite(update[:39]).all()
    assert np.isnan(payload.unpack(store["arrows"]["step"])[40:]).all()
    assert payload.unpack(store["slice"]["loss"]).shape[0] == 41  # no slices past the divergence


def test_no_runs_no_store():
    assert teaching.teach_payload(run_scene(scene(optimizers=[]), record_state=True), None, "x", "k") is None


# --- the callbacks over HTTP ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dash_app():
    return create_app()


def post(dash_app, output_id, inputs, state=()):
    body = body_for(dash_app.callback_map, output_id, {**inputs, **dict(state)})
    return dash_app.server.test_client().post(DISPATCH, json=body)


def test_the_teach_store_is_computed_only_while_why_is_on(dash_app):
    stored = {"scene": S.default_scene().to_dict(), "warnings": []}
    inputs = {ids.SCENE: stored, ids.TEACH: [], ids.INSPECT_RUN: "adam", ids.SLICE_DIRECTION: "y"}
    assert post(dash_app, ids.TEACH_DATA, inputs).status_code == 204  # PreventUpdate: nothing computed
    response = post(dash_app, ids.TEACH_DATA, dict(inputs, **{ids.TEACH: ["on"]}))
    out = response.get_json()["response"]
    store = out[ids.TEACH_DATA]["data"]
    assert store["run"] == "adam" and store["key"] == payload.scene_key(S.default_scene())
    assert out[ids.SCHEDULE_PLOT]["figure"]["layout"]["meta"]["figure"] == "schedule"
    assert len(response.data) < 120_000


def test_explaining_a_scene_needs_no_engine_and_keeps_the_followed_run(dash_app):
    stored = {"scene": S.parse("lesson=cosine-constant")[0].to_dict(), "warnings": []}
    out = post(dash_app, ids.RULES_DATA, {ids.SCENE: stored, ids.TEACH: ["on"]},
               {ids.INSPECT_RUN: "sgd"}).get_json()["response"]
    assert out[ids.INSPECT_RUN]["value"] == "sgd"
    assert [o["label"] for o in out[ids.INSPECT_RUN]["options"]] == ["Gradient descent", "SGD (constant lr)"]
    assert out[ids.DIAGRAM]["className"] == "diagram uses-scheduler uses-noise"
    assert [c["name"] for c in out[ids.RULES_DATA]["data"]] == ["gd", "sgd"]
    out = post(dash_app, ids.RULES_DATA, {ids.SCENE: stored, ids.TEACH: ["on"]},
               {ids.INSPECT_RUN: "adam"}).get_json()["response"]
    assert out[ids.INSPECT_RUN]["value"] == "gd"  # a run no longer in the scene: the first one


def test_the_view_flags_go_to_the_toggles_and_back_into_the_link(dash_app):
    out = post(dash_app, ids.LESSON, {ids.URL: "?lesson=groups-bowl&teach=1&present=1"}).get_json()["response"]
    assert out[ids.LESSON]["data"] == "groups-bowl"
    assert out[ids.TEACH]["value"] == ["on"] and out[ids.PRESENT]["value"] == ["on"]
    out = post(dash_app, ids.VIEW_QUERY, {ids.LESSON: "groups-bowl", ids.TEACH: [],
                                          ids.PRESENT: ["on"]}).get_json()["response"]
    assert out[ids.VIEW_QUERY]["data"] == "lesson=groups-bowl&present=1"
    assert out[ids.LESSON_BAR]["hidden"] is False
    assert re.search(r"lesson=cosine-constant&teach=1&present=1$", out[ids.NEXT_LESSON]["href"])
    hrefs = re.findall(r'"href": "([^"]+)"', json.dumps(out[ids.LESSON_LIST]["children"]))
    assert len(hrefs) == len(lessons.LESSONS) and all(h.endswith("present=1") for h in hrefs)


def test_the_teaching_ids_are_on_the_page_once(dash_app):
    from test_ui_app import walk

    found = [c.id for c in walk(dash_app.layout) if isinstance(getattr(c, "id", None), str)]
    for id_ in (ids.APP, ids.RESTART, ids.LESSONS, ids.LESSON_LIST, ids.NEXT_LESSON, ids.LESSON_BAR, ids.PRESENT,
                ids.TEACH, ids.TEACH_PANEL, ids.INSPECT_RUN, ids.INSPECTOR, ids.TEACH_SHOW, ids.SLICE_DIRECTION,
                ids.SLICE_PLOT, ids.SCHEDULE_PLOT, ids.SCHEDULE_PLOT_OVERLAY, ids.RULES, ids.DIAGRAM,
                ids.DIAGRAM_NOTES, ids.TEACH_DATA, ids.RULES_DATA, ids.LESSON, ids.VIEW_QUERY):
        assert found.count(id_) == 1, id_
