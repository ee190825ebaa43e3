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
    scene = dict(lessons.get(lesson_id).scene, **changes)
    result = compute.run_scene(scene, record_state=record_state)
    assert not result.notes
    return {run.name: run for run in result.runs}


def test_there_are_at_least_eight_lessons_with_stable_ids():
    assert len(IDS) >= 8 and len(set(IDS)) == len(IDS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in IDS)
    topics = " ".join(lesson.title.lower() for lesson in lessons.LESSONS)
    for topic in ("ravine", "nesterov", "saddle", "too large", "adagrad", "parameter groups", "cosine",
                  "local minima"):
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
    assert S.parse_view(link) == {"lesson": lesson_id, "teach": lesson.teach, "present": True}
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
