"""Basin and stability maps: one engine call, the same numbers as separate runs, honest labels."""

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import fused
from optimizers import maps as M

BOWL = landscapes.get("bowl")
TWO = landscapes.get("two_minima")


def classify(L, traj, radius, tol):
    """The label of each run of a separate trajectory, written out plainly."""
    out = []
    for p, dv in zip(traj.final, traj.diverged_at):
        if dv >= 0:
            out.append(M.DIVERGED)
            continue
        d = np.linalg.norm(L.minima - p, axis=1) if len(L.minima) else np.array([np.inf])
        if d.min() < radius:
            out.append(int(d.argmin()))
        elif np.linalg.norm(L.grad(p)) < tol:
            out.append(M.ELSEWHERE)
        else:
            out.append(M.NOT_CONVERGED)
    return out


def test_basin_map_matches_separate_runs_on_two_valleys():
    opt = optimizers.get("momentum", lr=0.02)
    b = optimizers.basin_map(TWO, opt, G=21, steps=200, tol=1e-3)
    assert b.labels.shape == b.steps.shape == (21, 21) and b.xs.shape == b.ys.shape == (21,)
    np.testing.assert_array_equal(b.xs, np.linspace(-2, 2, 21))
    np.testing.assert_array_equal(b.ys, np.linspace(-1.5, 1.5, 21))
    assert set(b.counts()) >= {0, 1}  # both valleys have a basin
    rng = np.random.default_rng(0)
    cells = rng.integers(0, 21, size=(12, 2))
    starts = np.array([(b.xs[i], b.ys[j]) for j, i in cells])
    traj = optimizers.run(TWO, opt, start=starts, steps=200, tol=1e-3)
    assert [b.labels[j, i] for j, i in cells] == classify(TWO, traj, b.radius, 1e-3)
    assert [b.steps[j, i] for j, i in cells] == traj.converged_at.tolist()


def test_a_bowl_has_one_basin_and_steps_grow_with_distance():
    b = optimizers.basin_map(BOWL, optimizers.get("gd", lr=0.1), G=10, steps=200, tol=1e-4)
    assert b.counts() == {0: 100}
    r = np.hypot(*np.meshgrid(b.xs, b.ys))
    # gd on the bowl: |grad| = 2 r 0.8^t, so the step count is the first t with 2 r 0.8^t < tol
    expected = np.ceil(np.log(1e-4 / (2 * r)) / np.log(0.8)).astype(int)
    np.testing.assert_array_equal(b.steps, expected)


def test_diverged_elsewhere_and_not_converged():
    diverged = optimizers.basin_map(BOWL, optimizers.get("gd", lr=1.5), G=4, steps=60)
    assert diverged.counts() == {M.DIVERGED: 16}
    unknown = fused("bowl_without_minima", lambda x, y: (x**2 + y**2, 2 * x, 2 * y))  # no minima listed
    elsewhere = optimizers.basin_map(unknown, optimizers.get("gd", lr=0.1), G=5, steps=200)
    assert elsewhere.counts() == {M.ELSEWHERE: 25}
    crawling = optimizers.basin_map(landscapes.get("rosenbrock"), optimizers.get("gd", lr=1e-5), G=6, steps=5)
    assert crawling.counts() == {M.NOT_CONVERGED: 36}
    # on a plateau the gradient vanishes far from the well: that counts as settled, not as moving
    flat = optimizers.basin_map(landscapes.get("plateau"), optimizers.get("gd", lr=1e-3), G=6, steps=20)
    assert flat.counts()[M.ELSEWHERE] > 0


def test_basin_map_on_a_dataset_with_minibatches():
    L = landscapes.get("linear_regression")
    b = optimizers.basin_map(L, optimizers.get("adam", lr=0.1), G=6, steps=300, batch_size=32, seed=1)
    assert b.labels.shape == (6, 6) and set(b.counts()) <= {0, M.NOT_CONVERGED}
    assert b.counts().get(0, 0) > 18


def test_radius_is_under_half_the_gap_between_minima():
    camel = landscapes.get("six_hump_camel")
    m = camel.minima
    gap = min(np.linalg.norm(a - c) for i, a in enumerate(m) for c in m[i + 1:])
    assert M.default_radius(camel) <= 0.4 * gap
    assert M.default_radius(BOWL) == pytest.approx(0.05 * 4)


@pytest.mark.parametrize("G", [1, 201, 2.5, True])
def test_grid_size_is_bounded(G):
    with pytest.raises(ValueError, match=r"G must be an integer in \[2, 200\]"):
        optimizers.basin_map(BOWL, optimizers.get("adam"), G=G, steps=5)


def test_basin_map_refuses_bad_arguments():
    with pytest.raises(ValueError, match="one Optimizer"):
        optimizers.basin_map(BOWL, [optimizers.get("adam")], G=4, steps=5)
    with pytest.raises(ValueError, match="radius must be positive"):
        optimizers.basin_map(BOWL, optimizers.get("adam"), G=4, steps=5, radius=0)


# --- stability --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, param", [("momentum", "momentum"), ("nesterov", "momentum"), ("adam", "beta1"),
                                         ("sgd", "momentum"), ("rmsprop", "momentum"), ("nadam", "beta1")])
def test_stability_cells_are_separate_runs(name, param):
    L = landscapes.get("rosenbrock")
    lrs, momenta = 10.0 ** np.linspace(-4, -1, 7), np.linspace(0.0, 0.95, 5)
    s = optimizers.stability_map(L, name, start=(-1.5, 2.0), lrs=lrs, momenta=momenta, steps=80)
    assert s.param == param == M.momentum_param(name)
    assert s.final_loss.shape == s.diverged_at.shape == (5, 7)
    for j, i in [(0, 0), (2, 3), (4, 6), (3, 5)]:
        mu = max(s.momenta[j], 1e-3) if name == "nesterov" else s.momenta[j]
        hyper = {"betas": (mu, 0.999)} if param == "beta1" else {"momentum": mu}
        one = optimizers.run(L, optimizers.get(name, lr=lrs[i], **hyper), start=(-1.5, 2.0), steps=80)
        if one.diverged_at[0] >= 0:
            assert s.diverged_at[j, i] == one.diverged_at[0] and np.isnan(s.final_loss[j, i])
        else:
            assert s.final_loss[j, i] == pytest.approx(one.final_loss[0], rel=1e-12, abs=1e-300)


def test_stability_defaults_cover_the_app_range_at_least_40_by_40():
    s = optimizers.stability_map(landscapes.get("rosenbrock"), "momentum", steps=100)
    assert s.final_loss.shape == (50, 41)
    assert s.lrs[0] == pytest.approx(1e-5) and s.lrs[-1] == pytest.approx(10.0)
    np.testing.assert_allclose(np.diff(np.log10(s.lrs)), 0.15)
    assert s.momenta[0] == 0.0 and s.momenta[-1] == pytest.approx(0.98)
    assert s.diverged[:, -1].all() and not s.diverged[:, 0].any()  # lr 10 diverges, 1e-5 never does
    assert np.isnan(s.final_loss[s.diverged]).all() and np.isfinite(s.final_loss[~s.diverged]).all()
    assert s.f_min == 0.0  # Rosenbrock's minimum


def test_stability_keeps_other_hyperparameters_and_refuses_the_swept_ones():
    L = landscapes.get("bowl")
    a = optimizers.stability_map(L, "adam", lrs=[0.1], momenta=[0.9], steps=30, betas=(0.5, 0.9))
    b = optimizers.run(L, optimizers.get("adam", lr=0.1, betas=(0.9, 0.9)), steps=30)
    assert a.final_loss[0, 0] == pytest.approx(b.final_loss[0], rel=1e-12)
    with pytest.raises(ValueError, match="lr is what the map sweeps"):
        optimizers.stability_map(L, "adam", lr=0.1)
    with pytest.raises(ValueError, match="momentum is what the map sweeps"):
        optimizers.stability_map(L, "momentum", momentum=0.5)
    with pytest.raises(ValueError, match="adagrad has neither momentum nor β₁"):
        optimizers.stability_map(L, "adagrad")
    with pytest.raises(ValueError, match="non-empty"):
        optimizers.stability_map(L, "adam", lrs=[])


def test_stability_on_a_dataset_with_minibatches():
    L = landscapes.get("logistic_regression")
    s = optimizers.stability_map(L, "momentum", lrs=[0.01, 1.0, 100.0], momenta=[0.0, 0.9], steps=50,
                                 batch_size=16, seed=2)
    assert s.final_loss.shape == (2, 3)
    assert s.f_min == pytest.approx(float(L.loss(L.minima[0])))
