"""Issue 15 on the page, without a browser: the tuning model (ui/model/tuning.py), the lr-sensitivity
figure (ui/views/tune.py) and the Tune each callback over HTTP (ui/web/tune_panel.py)."""

import json

import numpy as np
import pytest

import landscapes
import optimizers
from benchmarks.dash_requests import DISPATCH, body_for, outputs_of, scene_values
from optimizers.tune import TuneResult
from ui import create_app
from ui.model import tuning
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.views.palette import run_colours
from ui.views.tune import TRACES_PER_OPTIMIZER, plotted, sensitivity_figure
from ui.web import ids, tune_panel
from layout_tree import walk


def scene(**changes):
    return S.default_scene().replace(**{"overrides": {}, **changes})


def fake_result(scores, diverged=None, score="mean_log_loss", names=("a", "b"), f_star=0.0):
    scores = np.array(scores, dtype=float)
    lrs = np.logspace(-3, 0, scores.shape[1])
    diverged = ~np.isfinite(scores) if diverged is None else np.array(diverged)
    return TuneResult(names=list(names), lrs=lrs, scores=scores, diverged=diverged,
                      evals=np.full(scores.shape, 10), score=score, steps=10, f_star=f_star)


# --- the model ----------------------------------------------------------------------------------------

def test_the_rates_are_41_from_1e_4_to_1_each_as_a_link_writes_it():
    lrs = tuning.TUNE_LRS
    assert len(lrs) == 41 and lrs[0] == 1e-4 and lrs[-1] == 1.0 and np.all(np.diff(lrs) > 0)
    assert all(F.canonical(v) == v and F.LR_RANGE[0] <= v <= F.LR_RANGE[1] for v in lrs)
    np.testing.assert_allclose(lrs, np.logspace(-4, 0, 41), rtol=1e-3)


def test_tune_scene_is_one_engine_call_on_the_scenes_budget_with_each_optimizers_own_settings():
    s = scene(landscape="beale", x0=1.0, y0=1.5, steps=120, noise=0.3, seed=7, momentum=0.8,
              optimizers=["momentum", "adam"], overrides={"adam": {"lr": 0.05, "beta2": 0.9}})
    tuned = tuning.tune_scene(s, "final_loss")
    expected = optimizers.tune(
        landscapes.get("beale"), [optimizers.get("momentum", momentum=0.8), optimizers.get("adam", betas=(0.8, 0.9))],
        lrs=tuning.TUNE_LRS, start=(1.0, 1.5), steps=120, score="final_loss", noise=0.3, seed=7,
        tol=tuning.TOLERANCE)
    np.testing.assert_array_equal(tuned.result.scores, expected.scores)
    assert tuned.result.names == ["momentum", "adam"] and tuned.colours == run_colours(["momentum", "adam"])
    assert tuned.titles == ["Momentum", "Adam"] and tuned.notes == [] and tuned.cleared == []


def test_mini_batches_and_the_schedule_reach_the_tuning():
    s = scene(landscape="linear_regression", x0=-1.5, y0=2.0, steps=60, batch=8, seed=2, optimizers=["sgd"],
              schedule="cosine", schedule_param=60)
    tuned = tuning.tune_scene(s)
    expected = optimizers.tune(landscapes.get("linear_regression"), [optimizers.get("sgd")], lrs=tuning.TUNE_LRS,
                               start=(-1.5, 2.0), steps=60, score="mean_log_loss", seed=2, batch_size=8,
                               tol=tuning.TOLERANCE, schedule=optimizers.schedule("cosine", T_max=60))
    np.testing.assert_array_equal(tuned.result.scores, expected.scores)
    text = tuning.budget_text(tuned)
    assert "the same mini-batches of 8, seed 2, the cosine annealing schedule." in text


def test_own_xy_rates_are_cleared_and_a_refused_optimizer_is_left_out():
    s = scene(optimizers=["sgd", "adam"], overrides={"sgd": {"lr_x": 0.5, "lr_y": 0.01}, "adam": {"eps": 0.5}})
    tuned = tuning.tune_scene(s)
    assert tuned.cleared == ["sgd"] and any("own x/y rates are cleared" in n for n in tuned.notes)
    applied = tune_panel.applied_scene(s, {"sgd": 0.01}, tuned.cleared)
    assert applied.overrides["sgd"] == {"lr": 0.01}
    assert S.parse(S.encode(applied))[0] == applied and "sgd.lr=0.01" in S.encode(applied)
    with pytest.raises(ValueError, match="choose an optimizer"):
        tuning.tune_scene(scene(optimizers=[]))


def test_the_good_band_is_the_run_of_rates_near_the_best():
    r = fake_result([[1.0, 0.5, -1.0, -0.5, 0.2, np.inf], [np.inf] * 6])
    assert tuning.good_band(r, 0) == (2, 3)  # within 1 (10× loss) of -1, contiguous around the best
    assert tuning.band_decades(r, 0) == pytest.approx(0.6)
    assert tuning.good_band(r, 1) is None and tuning.band_decades(r, 1) == 0.0
    assert tuning.ranking(r) == ["a", "b"]
    steps = fake_result([[np.inf, 40, 20, 30, 50, np.inf]], diverged=[[False, False, False, False, False, True]],
                        score="steps_to_tol", names=["a"])
    assert tuning.good_band(steps, 0) == (1, 3)  # within 2× the fewest steps (50 > 40)
    final = fake_result([[3.0, 1.05, 1.001, 1.02, 2.0]], score="final_loss", names=["a"], f_star=1.0)
    assert tuning.good_band(final, 0) == (2, 2)  # gaps 0.05, 0.001, 0.02: only the best is within 10×


def test_an_optimizer_that_diverged_everywhere_keeps_its_lr_and_the_page_says_why():
    s = scene(optimizers=["sgd"], landscape="rosenbrock", x0=-1.5, y0=2.0, steps=50)
    tuned = tuning.tune_scene(s)
    assert tuning.tuned_lrs(tuned) == {"sgd": pytest.approx(0.001995)}
    broken = tuning.Tuned(s, fake_result([[np.inf] * 4], names=["sgd"]), ["#000"], ["SGD"], [], [])
    assert tuning.tuned_lrs(broken) == {}
    assert tuning.best_rows(broken)[0]["text"] == ("diverged at every rate: its lr is left as it was; "
                                                  "diverged at 4 of 4 rates.")
    assert "nothing set" in tuning.status_text(broken, 0.1)


def test_the_page_states_the_budget_the_score_and_each_best_lr():
    tuned = tuning.tune_scene(scene(noise=0.5, seed=3))
    assert tuning.budget_text(tuned) == (
        "Same budget for all: 300 steps from (−1.5, 2) on Rosenbrock, 41 rates 10⁻⁴…1, the same noise (σ = 0.5), "
        "seed 3. Score: mean log₁₀(loss − f*) over the run, f* = 0; lower is better, a diverged run scores worst.")
    rows = tuning.best_rows(tuned)
    assert [r["name"] for r in rows] == ["sgd", "momentum", "adam"]
    assert [r["colour"] for r in rows] == run_colours(["sgd", "momentum", "adam"])
    lrs = tuning.tuned_lrs(tuned)
    for row in rows:
        assert row["text"].startswith(f"best lr {F.format_number(lrs[row['name']])} (score −")
    status = tuning.status_text(tuned, 0.25)
    assert status.startswith("Tuned (whole run, 41 rates, 0.25 s): lr set to SGD ")


# --- the figure -----------------------------------------------------------------------------------------

def test_the_sensitivity_figure_has_a_curve_a_best_star_and_off_chart_markers_per_optimizer():
    r = fake_result([[1.0, 0.5, -1.0, np.inf, np.inf], [0.8, 0.7, 0.6, 0.4, 0.1]])
    fig = sensitivity_figure(r, ["#111111", "#222222"], ["A", "B"])
    assert len(fig.data) == 2 * TRACES_PER_OPTIMIZER == 6
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "linear"
    assert fig.layout.meta["figure"] == "tune" and fig.layout.meta["score"] == "mean_log_loss"
    curve, best, off = fig.data[:3]
    assert curve.name == "A" and curve.line.color == "#111111" and best.marker.color == "#111111"
    assert list(curve.x) == pytest.approx(list(r.lrs)) and list(curve.y) == [1.0, 0.5, -1.0, None, None]  # gaps
    assert list(best.x) == pytest.approx([r.lrs[2]]) and list(best.y) == [-1.0] and best.marker.symbol == "star"
    assert list(off.x) == pytest.approx(list(r.lrs[3:])) and list(off.marker.symbol) == ["x-thin-open"] * 2
    b_curve, b_best, b_off = fig.data[3:]
    assert list(b_best.x) == pytest.approx([1.0]) and len(b_off.x) == 0
    assert off.y[0] > max(v for v in curve.y if v is not None)                       # above every score
    assert max(fig.layout.yaxis.tickvals) < off.y[0]                                 # no score tick up there


def test_final_loss_is_drawn_as_its_gap_on_a_log_axis_and_never_is_a_ring():
    r = fake_result([[3.0, 1.5, 1.0 + 1e-3, np.inf]], score="final_loss", names=["a"], f_star=1.0)
    fig = sensitivity_figure(r, ["#111111"], ["A"])
    assert fig.layout.yaxis.type == "log"
    np.testing.assert_allclose(fig.data[0].y[:3], [2.0, 0.5, 1e-3])
    steps = fake_result([[np.inf, 40, np.inf]], diverged=[[False, False, True]], score="steps_to_tol", names=["a"])
    off = sensitivity_figure(steps, ["#111111"], ["A"]).data[2]
    assert list(off.marker.symbol) == ["circle-open", "x-thin-open"]
    assert list(off.text) == ["never reached the tolerance", "diverged"]
    assert np.isnan(plotted(steps)[0, 0])


def test_a_real_tuning_draws_in_the_runs_colours():
    tuned = tuning.tune_scene(scene(steps=100))
    fig = sensitivity_figure(tuned.result, tuned.colours, tuned.titles)
    curves = [t for t in fig.data if t.meta["role"] == "curve"]
    assert [t.line.color for t in curves] == run_colours(["sgd", "momentum", "adam"]) and [t.name for t in curves] == ["SGD", "Momentum", "Adam"]
    for t, i in zip((t for t in fig.data if t.meta["role"] == "best"), tuned.result.best_index):
        assert t.x[0] == pytest.approx(tuned.result.lrs[i])


# --- the callback over HTTP -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app():
    return create_app()


def box(name, key="lr"):
    return {"type": ids.OPT_HYPER, "index": name, "key": key}


def tune_request(app, stored, boxes, score="mean_log_loss", clicks=1):
    key = next(k for k in app.callback_map if f"{ids.TUNE_PLOT}.figure" in k)
    outputs = [[{"id": b, "property": "value"} for b in boxes] if isinstance(o, list) else o
               for o in outputs_of(key)]
    body = {"output": key, "outputs": outputs,
            "inputs": [{"id": ids.TUNE_BUTTON, "property": "n_clicks", "value": clicks}],
            "state": [{"id": ids.TUNE_SCORE, "property": "value", "value": score},
                      {"id": ids.SCENE, "property": "data", "value": stored}],
            "changedPropIds": [f"{ids.TUNE_BUTTON}.n_clicks"]}
    response = app.server.test_client().post(DISPATCH, json=body)
    assert response.status_code in (200, 204), response.data[:300]
    return response.get_json()["response"] if response.status_code == 200 else None


def box_values(out) -> dict:
    return {(json.loads(k)["index"], json.loads(k)["key"]): v["value"] for k, v in out.items() if k.startswith("{")}


def test_tune_each_sets_every_lr_box_and_draws_the_plot(app):
    s = scene(steps=150)
    out = tune_request(app, {"scene": s.to_dict(), "warnings": []},
                       [box(n) for n in s.optimizers] + [box("adam", "eps"), box("sgd", "lr_x")])
    expected = tuning.tuned_lrs(tuning.tune_scene(s))
    assert box_values(out) == {(n, "lr"): F.format_number(lr) for n, lr in expected.items()}  # only the lr boxes
    assert ids.SCENE not in out  # every box is on the page: the boxes carry the rates to the scene
    assert out[ids.TUNE_PANEL]["hidden"] is False
    fig = out[ids.TUNE_PLOT]["figure"]
    assert len(fig["data"]) == 3 * TRACES_PER_OPTIMIZER and fig["layout"]["xaxis"]["type"] == "log"
    assert out[ids.TUNE_BUDGET]["children"].startswith("Same budget for all: 150 steps from (−1.5, 2)")
    assert out[ids.TUNE_STATUS]["children"].startswith("Tuned (whole run, 41 rates")
    assert out[ids.TUNE_APPLIED]["data"]["lrs"] == {n: F.format_number(lr) for n, lr in expected.items()}
    assert "best lr" in json.dumps(out[ids.TUNE_BEST]["children"])


def test_a_panel_not_drawn_gets_its_rate_through_the_scene_store(app):
    s = scene(steps=150)
    out = tune_request(app, {"scene": s.to_dict(), "warnings": []}, [box("sgd")], score="final_loss")
    expected = tuning.tuned_lrs(tuning.tune_scene(s, "final_loss"))
    assert box_values(out) == {("sgd", "lr"): F.format_number(expected["sgd"])}
    stored = out[ids.SCENE]["data"]
    assert {n: o["lr"] for n, o in stored["scene"]["overrides"].items()} == expected
    # The scene request that follows keeps the store's overrides for panels not drawn, so the link holds them.
    values = scene_values(s, **{ids.SCENE: stored, ids.DRAWN: {}, ids.LOG_Y: ["log"]})
    boxes = [{"id": box("sgd"), "property": "value", "value": F.format_number(expected["sgd"])}]

    def value(dep):
        if dep["id"].startswith("{"):
            return boxes if json.loads(dep["id"])["type"] == ids.OPT_HYPER else []
        return values.get(dep["id"])

    from benchmarks.dash_requests import body
    key = next(k for k in app.callback_map if k.startswith(f"..{ids.TRAJECTORIES}.data"))
    spec = app.callback_map[key]
    response = app.server.test_client().post(DISPATCH, json=body(key, spec["inputs"], spec["state"], value))
    query = response.get_json()["response"][ids.QUERY]["data"]
    for name, lr in expected.items():
        assert f"{name}.lr={F.format_number(lr)}" in query


def test_tune_each_with_nothing_to_tune_says_so(app):
    assert tune_request(app, {"scene": scene().to_dict(), "warnings": []}, [], clicks=0) is None
    out = tune_request(app, None, [box("sgd")])
    assert out[ids.TUNE_STATUS]["children"].startswith("Nothing to tune yet")
    out = tune_request(app, {"scene": scene(optimizers=[]).to_dict()}, [])
    assert out[ids.TUNE_STATUS]["children"] == "Choose an optimizer to tune first."
    out = tune_request(app, {"scene": scene(steps=50).to_dict()}, [box("sgd")], score="<script>")  # a junk score: the default
    assert out[ids.TUNE_STATUS]["children"].startswith("Tuned (whole run")


def test_the_button_sits_by_the_optimizers_and_is_disabled_while_tuning(app):
    found = {c.id: c for c in walk(app.layout) if isinstance(getattr(c, "id", None), str)}
    assert found[ids.TUNE_BUTTON].children == "Tune each" and found[ids.TUNE_PANEL].hidden is True
    assert found[ids.TUNE_SCORE].value == "mean_log_loss"
    assert [o["value"] for o in found[ids.TUNE_SCORE].options] == list(tuning.SCORE_LABELS)
    spec = next(s for s in app._callback_list if s["output"].startswith(f"..{ids.TUNE_PLOT}.figure"))
    assert spec["running"]["running"] == {f"{ids.TUNE_BUTTON}.disabled": True}
