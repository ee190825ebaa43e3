"""Every lesson is a link that opens cleanly, and its scene really shows what its caption says."""

import re

import numpy as np
import pytest

import landscapes
from ui.model import compute, lessons
from ui.model import scene as S
from ui.model.inspector import inspect

IDS = lessons.ids()


def runs(lesson_id, record_state=False, **changes):
    scene = lessons.get(lesson_id).scene.replace(**changes)
    result = compute.run_scene(scene, record_state=record_state)
    assert not result.notes
    return {run.name: run for run in result.runs}


def test_there_are_at_least_eight_lessons_with_stable_ids():
    assert len(IDS) >= 8 and len(set(IDS)) == len(IDS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in IDS)
    topics = " ".join(lesson.title.lower() for lesson in lessons.LESSONS)
    for topic in ("ravine", "nesterov", "saddle", "too large", "adagrad", "parameter groups", "cosine",
                  "local minima", "lion's sign", "schedule-free", "l-bfgs", "newton at a saddle"):
        assert topic in topics


@pytest.mark.parametrize("lesson_id", IDS)
def test_each_lesson_is_a_clean_link_with_a_two_sentence_caption(lesson_id):
    lesson = lessons.get(lesson_id)
    scene, warnings = S.parse(lesson.query)
    assert warnings == []
    assert S.parse(S.encode(scene)) == (scene, [])
    sentences = re.split(r"(?<=[.!?])\s+", lesson.caption.strip())
    assert len(sentences) == 2 and all(s.endswith(".") for s in sentences)
    link = lesson.link(present=True)
    assert S.parse(link) == (scene, [])
    assert S.parse_view(link) == {**S.VIEW_DEFAULTS, "lesson": lesson_id, "teach": lesson.teach, "present": True,
                                  "weight": lesson.weight}
    assert all(run.error is None for run in compute.run_scene(scene).runs)


def test_next_lesson_goes_round():
    assert lessons.next_lesson(None) is lessons.LESSONS[0]
    assert lessons.next_lesson(IDS[0]) is lessons.LESSONS[1]
    assert lessons.next_lesson(IDS[-1]) is lessons.LESSONS[0]
    assert lessons.number(IDS[2]) == 3
    with pytest.raises(ValueError, match="unknown lesson"):
        lessons.get("nope")


# --- each lesson shows its point ----------------------------------------------------------------------

def test_momentum_goes_much_further_down_the_ravine():
    r = runs("ravine-momentum")
    assert r["momentum"].loss[-1] < r["gd"].loss[-1] / 1000
    assert r["momentum"].loss[40] < r["gd"].loss[40] / 1000  # half way, gradient descent is still crawling


def across_the_valley(run):
    """The distance from the rotated ravine's floor (the v = 0 line) at each point."""
    c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
    return np.abs(-s * run.params[:, 0] + c * run.params[:, 1])


def test_nesterov_brakes_where_heavy_ball_swings():
    r = runs("nesterov-heavy-ball", record_state=True)
    nesterov, heavy = r["nesterov"], r["momentum"]
    assert not np.allclose(nesterov.params, heavy.params)
    assert nesterov.loss[-1] < heavy.loss[-1] / 100
    # after 25 steps heavy ball still swings across the valley; Nesterov has damped it out
    assert across_the_valley(nesterov)[25:50].max() < across_the_valley(heavy)[25:50].max() / 10
    assert inspect(nesterov).lookahead is not None and inspect(heavy).lookahead is None


def test_adam_leaves_the_saddle_while_sgd_lingers():
    r = runs("saddle-adam-sgd")
    escaped = np.argmax(np.abs(r["adam"].params[:, 1]) > 1.0)
    assert 0 < escaped < 40
    assert np.all(np.abs(r["sgd"].params[:, 1]) < 0.5)  # still near the saddle's ridge after every step


def test_too_large_a_rate_diverges_and_a_smaller_one_settles():
    r = runs("lr-too-large")
    assert r["gd"].diverged_at > 0 and r["sgd"].diverged_at < 0
    assert r["sgd"].converged_at > 0
    x = r["gd"].params[: r["gd"].diverged_at, 0]
    assert np.all(np.abs(x[1:]) > np.abs(x[:-1]))  # every swing wider than the last
    assert np.all(np.sign(x[1:]) != np.sign(x[:-1]))  # and across the bottom


def test_adagrad_steps_shrink_and_stall_while_rmsprop_keeps_going():
    r = runs("adagrad-rmsprop", record_state=True)
    adagrad, rmsprop = inspect(r["adagrad"]), inspect(r["rmsprop"])
    assert np.all(np.diff(adagrad.effective_lr, axis=0) <= 0)
    steps = np.linalg.norm(adagrad.update, axis=1)
    assert steps[-1] < steps[10] / 3
    L = landscapes.get("beale")
    distance = {name: L.nearest_minimum_distance(r[name].params[-1]) for name in ("adagrad", "rmsprop")}
    assert distance["rmsprop"] < distance["adagrad"] / 10
    assert rmsprop.effective_lr[-1].min() > adagrad.effective_lr[-1].max()


def test_parameter_groups_walk_straight_down_the_bowl():
    r = runs("groups-bowl", record_state=True)
    grouped, single = r["sgd"], r["gd"]
    assert 0 < grouped.converged_at <= 25 and single.converged_at < 0
    P = grouped.params[:30]
    np.testing.assert_allclose(cross_with_start(P), 0, atol=1e-12)  # a straight line to the minimum
    rows = {row.key: row.values for row in inspect(grouped).rows}
    np.testing.assert_array_equal(rows["lr"][0], [0.5, 0.01])  # the inspector shows both rates


def cross_with_start(P):
    return P[:, 0] * P[0, 1] - P[:, 1] * P[0, 0]


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_cosine_settles_nearer_than_a_constant_rate_under_the_same_noise(seed):
    r = runs("cosine-constant", seed=seed)
    L = landscapes.get("bowl")
    cosine, constant = r["gd"], r["sgd"]
    assert cosine.lr[-1, 0] < 0.01 and np.all(constant.lr == 0.2)
    assert L.nearest_minimum_distance(cosine.params[-1]) < L.nearest_minimum_distance(constant.params[-1])
    # the last 20 steps: the cosine run barely moves, the constant one keeps jumping
    moves = {name: np.abs(np.diff(run.params[-20:], axis=0)).mean() for name, run in r.items()}
    assert moves["gd"] < moves["sgd"] / 5


def test_the_start_decides_the_minimum():
    r = runs("local-minima")
    np.testing.assert_allclose(r["gd"].params[-1], [1.0, 0.0], atol=1e-3)   # the shallow valley
    np.testing.assert_allclose(r["sgd"].params[-1], [-1.0, 0.0], atol=1e-3)  # the deep one
    assert np.linalg.norm(r["gd"].params[0] - r["sgd"].params[0]) == pytest.approx(0.2)
    assert r["gd"].title == "Gradient descent" and r["sgd"].title == "SGD (own start)"


def test_tuned_fairly_momentum_wins_on_a_knife_edge_and_adam_forgives():
    from ui.web import tune_panel
    from ui.model import tuning

    scene = lessons.get("tuned-fairly").scene
    tuned = tuning.tune_scene(scene)  # what Tune each runs, with its default score
    r = tuned.result
    assert r.score == "mean_log_loss" and r.steps == 300 and len(r.lrs) == 41
    assert tuning.ranking(r) == ["momentum", "sgd", "adam"]  # who wins, tuned fairly
    row = {name: i for i, name in enumerate(r.names)}
    for name in ("momentum", "sgd"):
        i = row[name]
        j = int(r.best_index[i])
        assert r.lrs[j] == pytest.approx(0.002, rel=0.01)
        assert tuning.good_band(r, i) == (j, j)                       # good at one rate only
        assert r.diverged[i, j + 1:].all() and not r.diverged[i, :j + 1].any()  # and diverged from the next up
        assert r.lrs[j + 1] == pytest.approx(0.0025, rel=0.01)
    adam = row["adam"]
    assert not r.diverged[adam].any()                                  # no rate in 10⁻⁴…1 makes Adam diverge
    assert tuning.band_decades(r, adam) > tuning.band_decades(r, row["momentum"]) + 0.2
    assert r.scores[adam].min() > r.scores[row["sgd"]].min()           # but its best is the worst best
    # the tuned rates, set in the scene, race as they were scored
    tuned_scene = tune_panel.applied_scene(scene, tuning.tuned_lrs(tuned))
    final = {run.name: run.loss[-1] for run in compute.run_scene(tuned_scene).runs}
    assert final["momentum"] < final["sgd"] < final["adam"]


# --- issue 11's lessons: the newer optimizers ------------------------------------------------------------

def test_lion_moves_every_coordinate_by_exactly_lr_whatever_the_gradient():
    r = runs("lion-sign-steps", record_state=True)
    lion, adam = r["lion"], r["adam"]
    lr = lessons.get("lion-sign-steps").scene.lr
    moves = np.abs(np.diff(lion.params, axis=0))
    np.testing.assert_allclose(moves, lr, rtol=0, atol=4e-16 * 4)  # ±lr exactly, to the rounding of θ ± lr
    np.testing.assert_allclose(np.abs(inspect(lion).update), lr, rtol=0, atol=1e-15)  # what the inspector shows
    g = np.abs(lion.grads)
    assert g.max() >= 26 and g.min() <= 0.021  # slopes over three orders of magnitude, every move the same
    # unable to take a smaller step, it hops between two points around the minimum at loss 0.01
    np.testing.assert_array_equal(lion.params[-1], lion.params[-3])
    assert np.abs(lion.params[-1] - lion.params[-2]).tolist() == pytest.approx([lr, lr])
    assert lion.loss[-1] == pytest.approx(0.01045) and adam.loss[-1] < 1e-4
    assert np.abs(np.diff(adam.params[-10:], axis=0)).max() < lr / 100  # Adam's steps shrank


def test_schedule_free_at_a_constant_rate_settles_as_low_as_adamw_with_cosine():
    finals = []
    for seed in range(10):  # the noise differs per seed: compare the runs' average over ten
        r = runs("schedule-free", seed=seed)
        sf, cosine, constant = r["schedulefree_adamw"], r["adamw"], r["adam"]
        if seed == 0:
            assert np.all(sf.lr == 0.2) and np.all(constant.lr == 0.2) and cosine.lr[-1, 0] < 1e-4
            assert constant.settings["decoupled_weight_decay"] and constant.settings["weight_decay"] == 0.01
        finals.append([run.loss[-20:].mean() for run in (sf, cosine, constant)])
    sf, cosine, constant = np.mean(finals, axis=0)
    assert sf < 1.5 * cosine      # no schedule, about as low as the cosine run
    assert 4 * sf < constant and 4 * cosine < constant  # and both far below AdamW held at the same rate


def test_lbfgs_wins_on_rosenbrock_even_counted_in_evaluations():
    import optimizers

    scene = lessons.get("lbfgs-evaluations").scene
    r = runs("lbfgs-evaluations")
    lbfgs, adam = r["lbfgs"], r["adam"]
    assert lbfgs.trajectory.evals.tolist() == [184] and adam.trajectory.evals.tolist() == [100]
    L, start = landscapes.get("rosenbrock"), (scene.x0, scene.y0)
    per_step = [int(optimizers.run(L, optimizers.get("lbfgs"), start=start, steps=k).evals[0]) for k in range(1, 7)]
    assert per_step == [20, 40, 60, 80, 89, 90]  # 20 evaluations a step at first, one a step once done
    assert lbfgs.loss[5] < 1e-10 and adam.loss[89] > 5  # at the same 89 evaluations
    adam_long = optimizers.run(L, optimizers.get("adam", lr=scene.lr), start=start, steps=2000)
    first = int(np.argmax(np.ravel(adam_long.loss) < lbfgs.loss[5]))
    assert 1500 < first <= 2000  # Adam needs about 2000 evaluations to get as low


def test_undamped_newton_is_drawn_to_the_saddle_and_the_abs_h_policy_repels():
    scene = lessons.get("newton-saddle").scene
    r = runs("newton-saddle", record_state=True)
    newton, gd = r["newton"], r["gd"]
    L = landscapes.get("saddle")
    start = np.array([scene.x0, scene.y0])
    H = L.hessian(start)
    assert np.linalg.eigvalsh(H).tolist() == [-2.0, 2.0]  # a saddle: one curvature down, one up
    plain = start - np.linalg.solve(H, L.grad(start))     # undamped Newton's step, H⁻¹∇f
    assert plain.tolist() == [0.0, 0.0] and L.grad(plain).tolist() == [0.0, 0.0]  # on the saddle point, to stay
    # Gradscape's Newton (|H|): x = 0 at once, and y doubles every step, away from the saddle
    assert newton.params[1:, 0].tolist() == [0.0] * scene.steps
    np.testing.assert_allclose(newton.params[1:, 1], scene.y0 * 2.0 ** np.arange(1, scene.steps + 1))
    rows = {row.key: row.values for row in inspect(newton).rows}
    assert rows["eig_min"][0] == -2.0 and rows["eig_max"][0] == 2.0  # the inspector shows why
    # gradient descent slides in towards the saddle and lingers near its ridge, 1/100 as far out in y
    assert np.all(np.diff(np.abs(gd.params[:, 0])) < 0) and np.abs(gd.params[:, 1]).max() < 0.15
    assert abs(newton.params[-1, 1]) > 100 * abs(gd.params[-1, 1])


# --- network lessons (issue 14): the numbers in their captions are the engine's ---------------------------

def test_per_layer_rates_hold_the_feature_layer_back():
    slow = compute.run_scene(lessons.get("per-layer-rates").scene)
    alike = compute.run_scene(lessons.get("per-layer-rates").scene.replace(layer_lr=None))
    net = slow.network
    first = net.layer_slices["0"]

    def moved(run):
        return float(np.linalg.norm(run.path[-1, first] - run.path[0, first]))

    s, a = ({r.name: r for r in result.runs} for result in (slow, alike))
    assert (round(moved(s["adam"]), 1), round(moved(a["adam"]), 1)) == (2.0, 9.3)
    assert (round(moved(s["sgd"]), 1), round(moved(a["sgd"]), 1)) == (0.2, 1.2)
    assert (round(float(s["adam"].loss[-1]), 3), round(float(a["adam"].loss[-1]), 3)) == (0.064, 0.013)
    assert (round(100 * s["adam"].accuracy[-1]), round(100 * a["adam"].accuracy[-1])) == (98, 100)
    assert s["adam"].lr_names == ["layer 0 (×0.1)", "layer 2 (×1)"]
    np.testing.assert_allclose(s["adam"].lr[0], [0.01, 0.1])


def test_one_weight_sees_a_curve_whose_slope_is_its_gradient_component():
    from landscapes import slices

    result = compute.run_scene(lessons.get("one-weight").scene)
    net, run = result.network, result.runs[0]
    assert net.dim == 65
    k = net.layers["2.weight"].start
    start = run.path[0]
    values = start[k] + np.linspace(-3, 3, 601)
    seen = slices.along_weight(net, start, k, values)
    assert round(seen.slope_at, 4) == -0.0208
    assert seen.slope_at == pytest.approx(float(np.asarray(net.grad(start))[k]), rel=1e-12)
    h = 1e-5  # the tangent: a central difference along the weight alone
    ends = slices.along_weight(net, start, k, [start[k] - h, start[k] + h]).loss
    assert (ends[1] - ends[0]) / (2 * h) == pytest.approx(seen.slope_at, rel=1e-6)
    best = int(np.argmin(seen.loss))
    assert round(float(values[best]), 3) == 0.425
    assert (round(seen.loss_at, 3), round(float(seen.loss[best]), 3)) == (0.670, 0.666)
    assert round(float(run.loss[100]), 3) == 0.275
