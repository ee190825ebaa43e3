"""optimizers.tune: one engine call that scores every optimizer at every lr, equal to a brute-force loop."""

import numpy as np
import pytest

import landscapes
import optimizers

L = landscapes.get("rosenbrock")
LRS = np.logspace(-4, 0, 9)
OPTS = ["sgd", "momentum", "adam", "rmsprop"]


def brute_force(score, steps=200, noise=0.0, tol=1e-6):
    """The same scores, one optimizers.run call per (optimizer, lr)."""
    out = np.empty((len(OPTS), len(LRS)))
    losses = {}
    for i, name in enumerate(OPTS):
        for j, lr in enumerate(LRS):
            traj = optimizers.run(L, optimizers.get(name, lr=lr), start=L.start, steps=steps, noise=noise,
                                  tol=tol)
            losses[i, j] = traj
    finite = [t.loss[:, 0] for t in losses.values() if t.diverged_at[0] < 0]
    f_star = min([float(L.loss(L.minima).min())] + [float(np.min(x)) for x in finite])
    for (i, j), t in losses.items():
        if t.diverged_at[0] >= 0:
            out[i, j] = np.inf
        elif score == "final_loss":
            out[i, j] = t.loss[-1, 0]
        elif score == "mean_log_loss":
            out[i, j] = np.mean(np.log10(np.maximum(t.loss[:, 0] - f_star, 1e-16)))
        else:
            out[i, j] = t.converged_at[0] if t.converged_at[0] >= 0 else np.inf
    return out


@pytest.mark.parametrize("score", optimizers.tune.__globals__["SCORES"])
def test_tune_agrees_with_a_brute_force_loop(score):
    result = optimizers.tune(L, [optimizers.get(n) for n in OPTS], lrs=LRS, steps=200, score=score, tol=1e-2)
    expected = brute_force(score, tol=1e-2)
    np.testing.assert_allclose(result.scores, expected, rtol=1e-12)
    assert result.scores.shape == (len(OPTS), len(LRS))
    for i, name in enumerate(OPTS):
        assert result.best_lr[name] == LRS[int(np.argmin(expected[i]))]


def test_diverged_runs_score_worst_and_ties_go_to_the_smaller_lr():
    result = optimizers.tune(landscapes.get("bowl"), [optimizers.get("gd")], lrs=[0.5, 0.6, 2.0, 5.0],
                             steps=50, score="steps_to_tol", tol=1e-3)
    assert list(result.diverged[0]) == [False, False, True, True]
    assert np.isinf(result.scores[0, 2:]).all()
    # lr 0.5 lands on the bowl's minimum in one step, as does no other: the smallest wins a tie anyway
    tie = optimizers.tune(landscapes.get("bowl"), [optimizers.get("gd")], lrs=[1e-9, 2e-9], steps=5,
                          score="steps_to_tol")
    assert np.isinf(tie.scores).all() and tie.best_lr["gd"] == 1e-9
    assert result.best_lr["gd"] == 0.5


def test_every_optimizer_gets_the_same_noise_and_steps():
    noisy = optimizers.tune(L, [optimizers.get("sgd"), optimizers.get("gd")], lrs=LRS, steps=50,
                            noise=0.5, seed=3)
    # sgd with its defaults is gd: the same lr on the same draws gives the same score
    np.testing.assert_array_equal(noisy.scores[0], noisy.scores[1])
    frame = noisy.to_frame()
    assert list(frame.columns) == ["optimizer", "lr", "score", "diverged", "evals"]
    assert (frame["evals"] == 50).all() and len(frame) == 2 * len(LRS)


def test_groups_keep_their_proportions():
    opt = optimizers.get("sgd", groups=[{"lr": 0.01}, {"lr": 0.001}])
    result = optimizers.tune(L, [opt], lrs=[0.001, 0.002], steps=20)
    by_hand = optimizers.run(L, optimizers.get("sgd", groups=[{"lr": 0.002}, {"lr": 0.0002}]), steps=20)
    assert result.scores[0, 1] == by_hand.loss[-1, 0]


@pytest.mark.parametrize("kwargs, message", [
    (dict(score="best"), "score must be one of"),
    (dict(lrs=[]), "lrs must be a non-empty"),
    (dict(lrs=[0.1, -1]), "finite, positive"),
    (dict(start=[[0, 0], [1, 1]]), "one start point"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        optimizers.tune(L, [optimizers.get("sgd")], **kwargs)


def test_lbfgs_gets_the_same_budget_in_evaluations():
    """L-BFGS uses several evaluations a step: it is cut where it has used `steps` of them."""
    steps = 40
    result = optimizers.tune(L, [optimizers.get("lbfgs"), optimizers.get("adam")], lrs=[0.1, 1.0], steps=steps,
                             score="final_loss")
    assert (result.evals <= steps).all() and (result.evals[1] == steps).all()
    traj = optimizers.run(L, optimizers.get("lbfgs", lr=1.0), steps=steps, record_state=True)
    cost = np.concatenate([[0], np.cumsum(traj.state["evals"][:, 0, 0])])
    last = int(np.flatnonzero(cost <= steps)[-1])
    assert last < steps                                   # it needed more than one evaluation a step
    assert result.scores[0, 1] == traj.loss[last, 0] and result.evals[0, 1] == cost[last]
