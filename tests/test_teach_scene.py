"""Run settings (parameter groups, a constant rate, the run's own start) and the view flags
(lesson, teach, present) in the one codec, and what the engine makes of them."""

import itertools

import numpy as np
import pytest

import landscapes
import optimizers
from ui.model import compute, lessons
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.web.controls import RUN_SECTIONS


def scene(**changes):
    return S.default_scene().replace(**{"overrides": {}, **changes})


# --- the codec -------------------------------------------------------------------------------------

def test_parameter_groups_live_in_the_link_and_round_trip():
    s = scene(optimizers=["sgd", "adam"], overrides={"sgd": {"lr_x": 0.5, "lr_y": 0.01}, "adam": {"lr_y": 0.02}})
    query = S.encode(s)
    assert "sgd.lr_x=0.5&sgd.lr_y=0.01&adam.lr_y=0.02" in query
    assert S.parse(query) == (s, [])
    assert S.parse("?" + query) == (s, [])


def test_every_run_setting_round_trips_for_every_optimizer():
    for name in optimizers.names():
        s = scene(landscape="bowl", optimizers=[name],
                  overrides={name: {"lr_x": 0.2, "lr_y": 3e-4, "fixed_lr": True, "x0": -1.25, "y0": 0.5}})
        assert S.parse(S.encode(s)) == (s, []), name


def test_run_settings_are_checked_like_any_field():
    s, warnings = S.parse("landscape=bowl&opt=gd,sgd&gd.lr_x=-1&gd.lr_y=99&sgd.x0=5&sgd.y0=nan&sgd.fixed_lr=maybe"
                          "&sgd.fixed_lr=0")
    assert s.overrides == {}
    assert warnings == [
        "sgd.fixed_lr: given more than once; using the first, 'maybe'",
        "gd.lr_x: '-1' is not a number in 1e-05..10; using the default",
        "gd.lr_y: '99' is not a number in 1e-05..10; using the default",
        "sgd.x0: '5' is outside the view -2..2; using the scene's start",
        "sgd.y0: 'nan' is not a number in -1000..1000; using the default",
        "sgd.fixed_lr: 'maybe' is not on/off; using the default",
    ]


def test_a_constant_rate_off_is_the_default_and_drops_out_of_the_link():
    s, warnings = S.parse("opt=sgd&sgd.fixed_lr=0")
    assert warnings == [] and s.overrides == {}


def test_every_run_setting_has_a_box_in_the_per_optimizer_panel():
    run_keys = [k for k, o in F.OVERRIDES.items() if o.run]
    assert sorted(k for _, keys in RUN_SECTIONS for k in keys) == sorted(run_keys)
    assert all(k in F.override_keys("adam") for k in run_keys)
    assert F.GROUP_KEYS == RUN_SECTIONS[0][1]


@pytest.mark.parametrize("lesson, teach, present", itertools.product([None, "groups-bowl"], [False, True],
                                                                     [False, True]))
def test_view_flags_round_trip(lesson, teach, present):
    view = {"lesson": lesson, "teach": teach, "present": present}
    query = S.link(S.default_scene(), view)
    assert S.parse_view(query) == {**S.VIEW_DEFAULTS, **view}
    assert S.parse(query) == (S.parse(S.encode(S.default_scene()))[0], [])  # the flags are not the scene


def test_view_flags_in_a_fixed_order_and_only_when_set():
    assert S.encode_view({"lesson": None, "teach": False, "present": False}) == ""
    assert S.encode_view({"lesson": "lr-too-large", "teach": True, "present": True}) == \
        "lesson=lr-too-large&teach=1&present=1"


def test_bad_view_flags_are_named_and_dropped():
    s, warnings = S.parse("lr=0.01&lesson=nope&present=maybe&teach=2")
    assert s.lr == 0.01
    assert warnings == ["lesson: unknown lesson 'nope'; ignored", "teach: expected 1 or 0; ignored",
                        "present: expected 1 or 0; ignored"]
    assert S.parse_view("lesson=nope&present=maybe&teach=2") == S.VIEW_DEFAULTS


def test_a_short_lesson_link_opens_the_lesson_scene():
    lesson = lessons.get("local-minima")
    assert S.parse("?lesson=local-minima&present=1") == (lesson.scene, [])
    assert S.parse("?present=1") == (S.default_scene(), [])


# --- the engine --------------------------------------------------------------------------------------

def test_groups_become_torch_param_groups_and_keep_the_base_rate_where_unset():
    s = scene(optimizers=["sgd", "adam"], lr=0.03, overrides={"sgd": {"lr_x": 0.5, "lr_y": 0.01},
                                                                 "adam": {"lr": 0.2, "lr_y": 0.02}})
    assert s.hyperparameters("sgd") == {"lr": 0.03, "groups": [{"lr": 0.5}, {"lr": 0.01}]}
    assert s.hyperparameters("adam")["groups"] == [{"lr": 0.2}, {"lr": 0.02}]
    result = compute.run_scene(s)
    sgd, adam = result.runs
    np.testing.assert_array_equal(sgd.lr[0], [0.5, 0.01])
    np.testing.assert_array_equal(adam.lr[0], [0.2, 0.02])
    assert (sgd.title, adam.title) == ("SGD (x/y rates)", "Adam (x/y rates)")
    # the same as building the optimizer by hand with torch's two param_groups
    by_hand = optimizers.run(result.landscape, optimizers.get("sgd", lr=0.03, groups=[{"lr": 0.5}, {"lr": 0.01}]),
                             start=(s.x0, s.y0), steps=s.steps, tol=compute.TOLERANCE)
    np.testing.assert_array_equal(sgd.params, by_hand.params[:, 0])


def test_a_run_with_its_own_start_starts_there_and_matches_a_run_alone():
    s = scene(landscape="two_minima", optimizers=["gd", "sgd"], x0=0.4, y0=1.2, lr=0.05, steps=100,
              overrides={"sgd": {"x0": 0.2, "y0": -1.0}})
    gd, sgd = compute.run_scene(s).runs
    np.testing.assert_array_equal(gd.params[0], [0.4, 1.2])
    np.testing.assert_array_equal(sgd.params[0], [0.2, -1.0])
    alone = compute.run_scene(scene(landscape="two_minima", optimizers=["sgd"], x0=0.2, y0=-1.0, lr=0.05,
                                    steps=100)).runs[0]
    np.testing.assert_array_equal(sgd.params, alone.params)
    assert sgd.title == "SGD (own start)" and gd.title == "Gradient descent"


def test_a_constant_rate_run_ignores_the_schedule_and_noise_is_unchanged_by_batching():
    s = scene(landscape="bowl", optimizers=["gd", "sgd"], lr=0.1, steps=50, schedule="cosine", schedule_param=50,
              noise=0.5, seed=3, overrides={"sgd": {"fixed_lr": True}})
    gd, sgd = compute.run_scene(s).runs
    assert np.all(sgd.lr == 0.1) and gd.lr[-1, 0] < 0.01
    assert sgd.title == "SGD (constant lr)"
    alone = compute.run_scene(s.replace(optimizers=["gd"], overrides={})).runs[0]
    np.testing.assert_array_equal(gd.params, alone.params)  # each run draws its own noise
    constant = compute.run_scene(s.replace(optimizers=["sgd"], schedule="constant", schedule_param=None,
                                      overrides={})).runs[0]
    np.testing.assert_array_equal(sgd.params, constant.params)


def test_record_state_keeps_every_buffer_per_run():
    result = compute.run_scene(scene(optimizers=["momentum", "adam"], steps=20), record_state=True)
    momentum, adam = result.runs
    assert set(momentum.state) == {"momentum_buffer"}
    assert set(adam.state) == {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert adam.state["exp_avg"].shape == (20, 2) and adam.settings["beta1"] == 0.9
    assert compute.run_scene(scene(steps=20)).runs[0].state is None


def test_the_stretched_bowl_is_axis_aligned_with_condition_number_50():
    L = landscapes.get("stretched_bowl")
    P = np.array([[0.3, -0.2], [1.0, 0.5]])
    np.testing.assert_allclose(L.grad(P), np.stack([P[:, 0], 50 * P[:, 1]], axis=1))
    np.testing.assert_allclose(L.loss(P), 0.5 * (P[:, 0] ** 2 + 50 * P[:, 1] ** 2))


@pytest.mark.parametrize("lesson_id", ["groups-bowl", "local-minima", "cosine-constant"])
def test_the_csv_exports_notebook_code_recreates_runs_with_their_own_settings(lesson_id):
    """Parameter groups, a run's own start and a constant rate under a schedule: the export's one
    optimizers.run per run gives exactly the paths of the scene's batched calls."""
    from ui.views import exports

    result = compute.run_scene(lessons.get(lesson_id).scene)
    namespace = {"optimizers": optimizers, "L": result.landscape}
    exec("\n".join(exports.notebook_lines(result.ok_runs)), namespace)
    for traj, run in zip(namespace["trajs"], result.ok_runs):
        np.testing.assert_array_equal(traj.params[:, 0], run.params)
