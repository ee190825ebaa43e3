"""Scene -> runs -> results table, messages and the browser payload; no browser needed."""

import json

import numpy as np
import dataclasses

import pytest

import optimizers
from ui.model import compute, payload, results
from ui.model import scene as S
from ui.views import render


def scene(**changes):
    """The default scene without its first-open overrides, changed."""
    return S.default_scene().replace(**{"overrides": {}, **changes})


# --- hyperparameters from the scene ----------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("sgd", {"lr": 0.01}),
    ("momentum", {"lr": 0.01, "momentum": 0.8}),
    ("nesterov", {"lr": 0.01, "momentum": 0.8}),
    ("adam", {"lr": 0.01, "betas": (0.8, 0.999)}),
    ("adagrad", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.01}),
])
def test_the_momentum_slider_sets_what_each_optimizer_calls_momentum(name, expected):
    assert scene(lr=0.01, momentum=0.8).hyperparameters(name) == expected


def test_overrides_win_over_the_sliders_and_join_betas():
    s = scene(lr=0.01, momentum=0.8, overrides={"adam": {"lr": 0.1, "beta2": 0.99, "eps": 1e-6},
                                                  "rmsprop": {"centered": True, "alpha": 0.9}})
    assert s.hyperparameters("adam") == {"lr": 0.1, "betas": (0.8, 0.99), "eps": 1e-6}
    assert s.hyperparameters("rmsprop") == {"lr": 0.01, "centered": True, "alpha": 0.9}
    s = s.replace(overrides={**s.overrides, "adam": {**s.overrides["adam"], "beta1": 0.5}})
    assert s.hyperparameters("adam")["betas"] == (0.5, 0.99)


def test_a_scene_is_frozen_and_hashable():
    """The codec's Scene: no field or override can change after it is read, and equal scenes hash alike."""
    s = scene(overrides={"adam": {"lr": 0.1}})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.lr = 0.5
    with pytest.raises(TypeError):
        s.overrides["adam"]["lr"] = 0.5
    assert hash(s) == hash(S.parse(S.encode(s))[0]) and s == S.parse(S.encode(s))[0]
    assert s.to_dict()["overrides"] == {"adam": {"lr": 0.1}} and isinstance(s.optimizers, tuple)


@pytest.mark.parametrize("name, param, expected", [
    ("constant", None, None),
    ("step", 100, {"step_size": 100}),
    ("multistep", 0.5, {"gamma": 0.5, "milestones": [150, 225]}),
    ("exponential", 0.99, {"gamma": 0.99}),
    ("cosine", None, {"T_max": 300}),
    ("linear", 30, {"total_iters": 30}),
    ("onecycle", 0.25, {"pct_start": 0.25}),
    ("plateau", 5, {"patience": 5}),
])
def test_schedule_arguments(name, param, expected):
    kwargs = scene(schedule=name, schedule_param=param).schedule_kwargs()
    assert kwargs == expected
    if kwargs is not None:
        optimizers.schedule(name, **kwargs)  # the engine accepts them


# --- runs ------------------------------------------------------------------------------------------

def test_the_default_scene_runs_every_optimizer_in_one_call():
    result = compute.run_scene(S.default_scene())
    assert [r.name for r in result.runs] == ["sgd", "momentum", "adam"]
    for run in result.runs:
        assert run.params.shape == (301, 2) and run.loss.shape == (301,) and run.error is None
        np.testing.assert_array_equal(run.params[0], (-1.5, 2.0))
    # the lesson of the first open: momentum gets much further down the ravine than plain SGD
    assert result.runs[1].loss[-1] < 0.1 * result.runs[0].loss[-1]


def test_a_refused_hyperparameter_loses_only_its_own_run():
    result = compute.run_scene(scene(optimizers=["sgd", "nesterov", "adam"], momentum=0.0))
    errors = {r.name: r.error for r in result.runs}
    assert errors["sgd"] is None and errors["adam"] is None
    assert "Nesterov momentum requires" in errors["nesterov"]
    assert [r.name for r in result.ok_runs] == ["sgd", "adam"]


def test_one_cycle_on_an_optimizer_without_momentum_still_runs():
    result = compute.run_scene(scene(optimizers=["adagrad", "adam"], schedule="onecycle", schedule_param=0.3))
    assert len(result.ok_runs) == 2
    assert result.notes and "momentum is not cycled" in result.notes[0]


# --- results and messages --------------------------------------------------------------------------

def test_result_rows_say_everything_as_text():
    result = compute.run_scene(scene(landscape="bowl", x0=-1.5, y0=1.2, optimizers=["momentum", "gd"],
                                     lr=0.1, steps=400))
    momentum, gd = results.result_rows(result)
    assert momentum["optimizer"] == "Momentum" and momentum["diverged"] == "—"
    assert int(momentum["steps_to_tol"]) > 0            # it got within the tolerance...
    assert float(momentum["distance"]) < 1e-3           # ...of the bowl's minimum
    assert gd["colour"] == result.runs[1].colour


def test_divergence_is_explained_in_a_sentence():
    result = compute.run_scene(scene(optimizers=["sgd", "adam"], lr=0.5, steps=100))
    sgd = result.runs[0]
    assert sgd.diverged_at >= 0
    assert results.result_rows(result)[0]["diverged"] == f"at step {sgd.diverged_at}"
    # Rosenbrock is not a quadratic: the curvature at the start gives the cause as a local reading
    (text,) = [m for m in results.messages(result) if m.startswith("SGD")]
    assert text.startswith(f"SGD diverged at step {sgd.diverged_at}: γ·λmax = 1.05e+03 > 2 from the start (γ = 0.5, ")
    assert text.endswith("a local reading rather than an exact cause.")
    assert np.isfinite(sgd.params).all() and np.isfinite(sgd.loss).all()


def test_running_off_an_unbounded_surface_is_not_blamed_on_the_step_size():
    result = compute.run_scene(scene(landscape="saddle", x0=-1.8, y0=0.02, optimizers=["momentum"],
                                     lr=0.05, steps=2000))
    (run,) = result.runs
    assert run.diverged_at >= 0
    assert results.messages(result) == [
        f"Momentum ran off the map at step {run.diverged_at}: this surface falls away without a bottom "
        "in that direction."]


def test_messages_for_no_optimizer_and_bad_settings():
    assert results.messages(compute.run_scene(scene(optimizers=[]))) == [
        "Pick at least one optimizer to see a path."]
    result = compute.run_scene(scene(optimizers=["adam"], overrides={"adam": {"beta1": 1.5}}))
    (line,) = results.messages(result, warnings=["lr: 'x' is not a finite number; using 0.001"])[1:]
    assert line.startswith("Adam: Invalid beta parameter") and "Its path is not shown" in line
    assert results.result_rows(result)[0]["diverged"].startswith("invalid: ")


# --- what the browser gets -------------------------------------------------------------------------

def test_typed_arrays_round_trip_and_clip_infinities():
    a = np.array([[0.1, -2.5], [1e40, np.nan]])
    spec = payload.pack(a)
    assert spec["dtype"] == "f4" and spec["shape"] == "2, 2"
    np.testing.assert_allclose(payload.unpack(spec), [[0.1, -2.5], [1e30, 0.0]], rtol=1e-6)


def test_the_store_holds_each_run_once_and_compactly():
    result = compute.run_scene(S.default_scene())
    store = payload.trajectories_payload(result, "k")
    assert store["key"] == "k" and store["steps"] == 300 and len(store["runs"]) == 3
    run = store["runs"][0]
    np.testing.assert_allclose(payload.unpack(run["x"]), result.runs[0].params[:, 0], rtol=1e-6)
    assert run["inside"] == 301 and len(payload.unpack(run["z"])) == 301
    json.dumps(store)


def test_the_sent_figures_carry_no_run_data_and_no_numpy():
    r = render.render_scene(S.default_scene())
    for fig in (r.contour, r.surface, r.loss):
        sent = payload.compact_figure(payload.hollow_runs(fig))
        json.dumps(sent)  # plain JSON: numpy arrays became typed-array specs
        for trace in sent["data"]:
            if "role" in (trace.get("meta") or {}):
                assert all(trace.get(a, []) == [] for a in ("x", "y", "z"))


def test_the_first_response_of_the_default_scene_fits_the_budget():
    r = render.render_scene(S.default_scene())
    sent = [r.store] + [payload.compact_figure(payload.hollow_runs(f)) for f in (r.contour, r.surface, r.loss)]
    assert len(json.dumps(sent)) < 150_000


def test_scene_keys_tell_scenes_apart():
    a, b = S.default_scene(), scene(lr=0.002)
    assert payload.scene_key(a) == payload.scene_key(a.to_dict()) != payload.scene_key(b)
