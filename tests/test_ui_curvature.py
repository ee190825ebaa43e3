"""The curvature and the evaluations on the page, without a browser: the inspector's curvature rows,
the divergence message and its steep-direction line, the stability map's quadratic boundary, the
results table's evaluations and the loss curve against evaluations."""

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.curvature import SEGMENT
from ui.model import payload, results
from ui.model import scene as S
from ui.model.compute import run_scene
from ui.model.inspector import inspect
from ui.model.teaching import teach_payload
from ui.views import curvature, figures
from ui.views.render import render_scene, runs_from_store
from ui.web import ids

from test_ui_explore import app, post  # noqa: F401  (the app fixture and the HTTP helper)


def scene(**changes):
    return S.default_scene().replace(**{"overrides": {}, "schedule": "constant", "schedule_param": None, **changes})


def rows_of(run, landscape):
    return {r.key: r for r in inspect(run, landscape).rows}


# --- the step inspector ---------------------------------------------------------------------------------

def test_inspector_eigenvalues_are_numpys_and_gamma_lambda_max_stands_against_the_limit():
    s = scene(landscape="rosenbrock", optimizers=["momentum", "adam"], lr=2e-4, momentum=0.8, x0=-1.5, y0=2.0,
              steps=60)
    result = run_scene(s, record_state=True)
    L = result.landscape
    momentum, adam = result.runs
    rows = rows_of(momentum, L)
    expected = np.linalg.eigvalsh(L.hessian(momentum.params[:-1]))
    np.testing.assert_allclose(rows["hessian_eigenvalues"].values, expected, rtol=1e-12)
    np.testing.assert_allclose(rows["condition"].values, np.abs(expected).max(1) / np.abs(expected).min(1))
    np.testing.assert_allclose(rows["stability"].values, 2e-4 * expected[:, -1], rtol=1e-12)
    np.testing.assert_allclose(rows["stability_limit"].values, 2 * 1.8)
    assert rows["stability"].label == "γ·λmax here (local: f is not quadratic), stable below the limit"
    assert rows["stability_limit"].label == "limit 2(1+μ)"
    adam_rows = rows_of(adam, L)
    assert "hessian_eigenvalues" in adam_rows and "stability" not in adam_rows   # no limit for an adaptive rule
    store = teach_payload(result, "momentum", "x", "k")
    assert {"hessian_eigenvalues", "condition", "stability", "stability_limit"} <= {r["key"] for r in store["rows"]}


def test_inspector_limit_follows_the_runs_own_lr_and_the_schedule():
    s = scene(landscape="stretched_bowl", optimizers=["nesterov"], lr=0.001, momentum=0.5, steps=40, x0=-1.8, y0=0.5,
              schedule="cosine", schedule_param=40, overrides={"nesterov": {"lr": 0.02}})
    result = run_scene(s, record_state=True)
    run = result.runs[0]
    rows = rows_of(run, result.landscape)
    np.testing.assert_allclose(rows["stability"].values, 50 * run.lr[:, 0], rtol=1e-12)   # cosine from 0.02
    assert rows["stability"].values[0] == pytest.approx(1.0)
    np.testing.assert_allclose(rows["stability_limit"].values, 3 / 2)                       # 2(1+μ)/(1+2μ)
    assert rows["stability"].label == "γ·λmax, stable below the limit"
    assert rows["stability_limit"].label == "limit 2(1+μ)/(1+2μ)"


# --- the divergence message and the steep direction ------------------------------------------------------

def test_a_diverged_run_is_explained_in_numbers_and_its_steep_direction_is_drawn_in_its_colour():
    # the scene's lr is safe; Momentum's own lr (an override) is 1.05 × the limit 2(1+μ)/λmax = 3.8 / 50
    s = scene(landscape="stretched_bowl", optimizers=["adam", "momentum"], lr=0.01, momentum=0.9, steps=300,
              x0=-1.8, y0=0.5, overrides={"momentum": {"lr": 0.0798}})
    r = render_scene(s)
    k = run_scene(s).runs[1].diverged_at
    assert k > 0
    assert (f"Momentum diverged at step {k}: γ·λmax = 3.99 > 2(1+μ) = 3.8 from the start (γ = 0.0798, μ = 0.9, "
            "λmax = 50), so every step overshoots further along the steep direction (0.00, 1.00).") in r.messages
    steep = [t for t in r.contour["data"] if isinstance(t.get("meta"), dict) and t["meta"].get("steep")]
    assert len(steep) == 1 and steep[0]["meta"]["steep"] == "momentum"
    colour = next(run.colour for run in run_scene(s).runs if run.name == "momentum")
    assert steep[0]["line"]["color"] == colour
    np.testing.assert_allclose(steep[0]["x"], [-1.8, -1.8])                  # vertical: along (0, 1) ...
    (x0, x1), (y0, y1) = landscapes.get("stretched_bowl").bounds
    assert np.mean(steep[0]["y"]) == pytest.approx(0.5)                    # ... through the start
    assert np.ptp(steep[0]["y"]) == pytest.approx(2 * SEGMENT * min(x1 - x0, y1 - y0))
    # the line is part of the figure: a scene whose divergence changes gets a new figure key
    assert r.figure_key != render_scene(s.replace(overrides={})).figure_key


def test_a_run_the_limit_does_not_explain_gets_the_eigenvalues_and_no_invented_cause():
    s = scene(landscape="bowl", optimizers=["newton"], lr=10.0, steps=300, x0=-1.5, y0=1.2)
    result = run_scene(s)
    run = result.runs[0]
    assert run.diverged_at > 0
    last = run.params[run.diverged_at - 1]
    text = results.divergence_message(run, result.landscape)
    assert text == (f"Newton diverged at step {run.diverged_at}. Hessian eigenvalues at the last finite point "
                    f"({last[0]:.2f}, {last[1]:.2f}): 2, 2. Newton's rule states no stability limit in γ·λmax on a "
                    "quadratic (an adaptive rule scales each step itself), so the curvature alone does not say why.")
    assert results.steep_lines(result) == []


# --- the stability map's boundary ------------------------------------------------------------------------

def test_the_stability_map_overlays_the_quadratic_boundary_at_the_exact_lr(app):  # noqa: F811
    stored = {"scene": scene(landscape="stretched_bowl", optimizers=["momentum"], steps=200, x0=-1.8, y0=0.5).to_dict()}
    out = post(app, ids.STABILITY, {ids.STABILITY_BUTTON: 1}, [(ids.SCENE, stored), (ids.MAP_OPTIMIZER, "momentum")])
    fig = out[ids.STABILITY]["figure"]
    edge = fig["data"][-1]
    assert edge["meta"]["role_map"] == "boundary" and len(fig["data"]) == 4
    x, mu = (payload.unpack(edge[k]) for k in ("x", "y"))
    np.testing.assert_allclose(10 ** x, 2 * (1 + mu) / 50, rtol=1e-6)   # float32 on the wire
    assert "quadratic stability limit γ·λmax = 2(1+μ)" in out[ids.MAP_STATUS]["children"]
    # Not a quadratic: no boundary, and the status says why.
    stored = {"scene": scene(landscape="rosenbrock", optimizers=["momentum"], steps=100).to_dict()}
    out = post(app, ids.STABILITY, {ids.STABILITY_BUTTON: 1}, [(ids.SCENE, stored), (ids.MAP_OPTIMIZER, "momentum")])
    assert len(out[ids.STABILITY]["figure"]["data"]) == 3 and "not a quadratic" in out[ids.MAP_STATUS]["children"]


def test_boundary_trace_sits_where_the_cells_turn_red():
    from ui.model import maps

    s = scene(landscape="ill_conditioned", optimizers=["momentum"], steps=400, x0=-1.8, y0=-0.6)
    smap, _ = maps.stability(s, "momentum")
    lrs, formula, notes = maps.stability_boundary(s, "momentum", smap)
    assert formula == "2(1+μ)" and notes == []
    for j in range(0, len(smap.momenta), 7):
        left, right = smap.lrs < lrs[j] * 0.97, smap.lrs > lrs[j] * 1.03
        assert not smap.diverged[j, left].any() and smap.diverged[j, right].all()
    trace = curvature.boundary_trace(smap.momenta, lrs, formula)
    np.testing.assert_allclose(trace["x"], np.log10(lrs))


# --- gradient evaluations -------------------------------------------------------------------------------

LBFGS_SCENE = dict(landscape="rosenbrock", optimizers=["adam", "lbfgs"], lr=0.05, steps=30, x0=-1.5, y0=2.0)


def test_results_table_shows_each_runs_gradient_evaluations():
    result = run_scene(scene(**LBFGS_SCENE))
    rows = {r["name"]: r for r in results.result_rows(result)}
    trajs = optimizers.run(landscapes.get("rosenbrock"), [optimizers.get("adam", lr=0.05), optimizers.get("lbfgs",
                           lr=0.05)], start=(-1.5, 2.0), steps=30)
    assert rows["adam"]["evals"] == "30"
    assert rows["lbfgs"]["evals"] == str(int(trajs[1].evals[0])) and int(rows["lbfgs"]["evals"]) > 30
    assert ("evals", "Gradient evaluations") in results.COLUMNS


def test_loss_curve_against_evaluations_puts_every_marker_at_its_runs_evaluations():
    result = run_scene(scene(**LBFGS_SCENE))
    runs = result.ok_runs
    fig = figures.loss_figure(result.landscape, runs, frame=10, x_axis="evals")
    markers = next(t for t in fig["data"] if t["meta"].get("role") == "markers")
    assert markers["x"] == [10.0, float(runs[1].evals_at[10])] and markers["x"][1] > 10
    assert fig["layout"]["xaxis"]["title"]["text"] == "gradient evaluations"
    assert fig["layout"]["xaxis"]["range"] == [0, float(runs[1].evals_at[-1])]
    assert fig["layout"]["meta"]["lossMap"]["x"] == "evals"
    assert fig["data"][0]["meta"]["role"] == "cursor" and fig["data"][0]["visible"] is False
    steps = figures.loss_figure(result.landscape, runs, frame=10)
    assert next(t for t in steps["data"] if t["meta"].get("role") == "markers")["x"] == [10.0, 10.0]


def test_the_store_carries_evaluations_only_where_they_are_not_the_step_and_redraws_keep_them():
    r = render_scene(scene(**LBFGS_SCENE))
    adam, lbfgs = r.store["runs"]
    assert "evals" not in adam and "evals" in lbfgs
    rebuilt = runs_from_store(r.store)
    np.testing.assert_array_equal(rebuilt[1].evals_at, run_scene(scene(**LBFGS_SCENE)).runs[1].evals_at)
    np.testing.assert_array_equal(rebuilt[0].evals_at, np.arange(31))


def test_the_evaluations_toggle_redraws_the_loss_curve_from_the_store(app):  # noqa: F811
    s = scene(**LBFGS_SCENE)
    r = render_scene(s)
    stored = {"scene": s.to_dict()}
    out = post(app, ids.LOSS_CURVE, {ids.LOG_Y: ["log"], ids.LOSS_KIND: [], ids.LOSS_X: ["evals"]},
               [(ids.TRAJECTORIES, r.store), (ids.SCENE, stored)], changed=f"{ids.LOSS_X}.value")
    layout = out[ids.LOSS_CURVE]["figure"]["layout"]
    assert layout["meta"]["lossMap"]["x"] == "evals" and layout["xaxis"]["title"]["text"] == "gradient evaluations"
    out = post(app, ids.LOSS_CURVE, {ids.LOG_Y: ["log"], ids.LOSS_KIND: [], ids.LOSS_X: []},
               [(ids.TRAJECTORIES, r.store), (ids.SCENE, stored)], changed=f"{ids.LOSS_X}.value")
    assert out[ids.LOSS_CURVE]["figure"]["layout"]["meta"]["lossMap"]["x"] == "steps"
