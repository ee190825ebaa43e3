"""Dataset landscapes: exact gradients, real mini-batches that average to the full batch, the
full batch bit for bit through the mini-batch path, and their minima."""

import numpy as np
import pytest

import landscapes
from landscapes import datasets as D

NAMES = list(D.REGISTRY)
ALL = [landscapes.get(n) for n in NAMES]


def points_in(L, n, seed=0):
    (x0, x1), (y0, y1) = L.bounds
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


def test_registered_and_in_the_dropdown_order():
    assert NAMES == ["linear_regression", "logistic_regression"]
    assert landscapes.names()[-2:] == NAMES
    for L in ALL:
        assert L.n_samples == D.N_SAMPLES == 256
        assert callable(L.batch_value_and_grad)
    assert all(landscapes.get(n).n_samples == 0 for n in landscapes.names() if n not in NAMES)


def test_the_data_are_seeded():
    np.testing.assert_array_equal(D._linear_data()[0], D.LINEAR_X)
    np.testing.assert_array_equal(D._logistic_data()[2], D.LOGISTIC_S)
    assert len(D.LINEAR_X) == len(D.LOGISTIC_X1) == 256
    assert set(np.unique(D.LOGISTIC_S)) == {-1.0, 1.0}


@pytest.mark.parametrize("L", ALL, ids=NAMES)
@pytest.mark.parametrize("n", [1, 3, 64, 2 * D.BLOCK_BYTES // (8 * D.N_SAMPLES) + 5], ids=lambda n: f"n={n}")
def test_full_batch_is_the_minibatch_path_bit_for_bit(L, n):
    """value_and_grad(P) == batch_value_and_grad(P, every index in order): batch_size = N is GD."""
    P = points_in(L, n, seed=n)
    full = np.broadcast_to(np.arange(L.n_samples), (n, L.n_samples))
    v, g = L.value_and_grad(P)
    bv, bg = L.batch_value_and_grad(P, full)
    assert v.shape == bv.shape == (n,) and g.shape == bg.shape == (n, 2)
    np.testing.assert_array_equal(v, bv)
    np.testing.assert_array_equal(g, bg)
    # loss/grad, and one run at a time, give the same bits too
    np.testing.assert_array_equal(L.loss(P), v)
    np.testing.assert_array_equal(L.grad(P), g)
    np.testing.assert_array_equal(L.value_and_grad(P[:1])[1], g[:1])


@pytest.mark.parametrize("L", ALL, ids=NAMES)
@pytest.mark.parametrize("batch", [1, 7, 32, 100, 256])
def test_minibatch_gradients_average_to_the_full_gradient_over_an_epoch(L, batch):
    """One shuffled epoch in batches without replacement (the last one smaller, as DataLoader's
    drop_last=False): the batch means weighted by batch size average to the full-batch mean."""
    P = points_in(L, 5, seed=batch)
    rng = np.random.default_rng(batch)
    total_v, total_g = np.zeros(5), np.zeros((5, 2))
    perms = np.stack([rng.permutation(L.n_samples) for _ in range(5)])  # each run its own shuffle
    for s in range(0, L.n_samples, batch):
        idx = np.sort(perms[:, s:s + batch], axis=1)
        v, g = L.batch_value_and_grad(P, idx)
        total_v += v * idx.shape[1]
        total_g += g * idx.shape[1]
    v, g = L.value_and_grad(P)
    np.testing.assert_allclose(total_v / L.n_samples, v, rtol=1e-12)
    np.testing.assert_allclose(total_g / L.n_samples, g, rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("L", ALL, ids=NAMES)
def test_a_minibatch_is_the_mean_over_its_own_samples(L):
    """Each row uses its own indices; a batch's value is the full formula over that subset."""
    P = points_in(L, 3, seed=9)
    idx = np.array([[0, 5, 9], [1, 1, 1], [255, 3, 100]])
    v, g = L.batch_value_and_grad(P, idx)
    for i in range(3):
        vi, gi = zip(*[L.batch_value_and_grad(P[i:i + 1], np.array([[k]])) for k in idx[i]])
        np.testing.assert_allclose(v[i], np.mean(vi), rtol=1e-13)
        np.testing.assert_allclose(g[i], np.mean(gi, axis=0)[0], rtol=1e-12, atol=1e-14)
    repeated, _ = L.batch_value_and_grad(P[1:2], np.array([[1]]))
    assert v[1] == pytest.approx(repeated[0], rel=1e-15)  # sample 1 three times is sample 1


def central_difference(f, P, h=1e-6):
    return np.stack([(f(P + e) - f(P - e)) / (2 * h) for e in np.eye(2) * h], axis=-1)


@pytest.mark.parametrize("L", ALL, ids=NAMES)
def test_exact_gradients_full_and_minibatch(L):
    P = points_in(L, 30, seed=4)
    np.testing.assert_allclose(L.grad(P), central_difference(L.loss, P), rtol=1e-6, atol=1e-7)
    idx = np.sort(np.random.default_rng(5).choice(L.n_samples, size=(30, 16)), axis=1)
    batch_loss = lambda Q: L.batch_value_and_grad(Q, idx)[0]  # noqa: E731
    np.testing.assert_allclose(L.batch_value_and_grad(P, idx)[1], central_difference(batch_loss, P),
                               rtol=1e-6, atol=1e-7)


def test_linear_regression_formula_and_exact_minimum():
    L = landscapes.get("linear_regression")
    w, b = 1.3, -0.4
    r = w * D.LINEAR_X + b - D.LINEAR_Y
    assert float(L.loss([w, b])) == pytest.approx(np.mean(r**2), rel=1e-14)
    np.testing.assert_allclose(L.grad([w, b]), [2 * np.mean(r * D.LINEAR_X), 2 * np.mean(r)], rtol=1e-13)
    (m,) = L.minima
    A = np.column_stack([D.LINEAR_X, np.ones(256)])
    np.testing.assert_allclose(m, np.linalg.solve(A.T @ A, A.T @ D.LINEAR_Y), rtol=1e-12)
    assert np.linalg.norm(L.grad(m)) < 1e-13
    assert D.least_squares()[0] == pytest.approx(2.0, abs=0.1) and D.least_squares()[1] == pytest.approx(-1.0, abs=0.15)


def test_logistic_regression_formula_and_newton_minimum():
    L = landscapes.get("logistic_regression")
    w = np.array([0.7, -1.2])
    z = w[0] * D.LOGISTIC_X1 + w[1] * D.LOGISTIC_X2
    p = 1 / (1 + np.exp(-z))
    y = (D.LOGISTIC_S + 1) / 2
    cross_entropy = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert float(L.loss(w)) == pytest.approx(cross_entropy, rel=1e-13)
    X = np.column_stack([D.LOGISTIC_X1, D.LOGISTIC_X2])
    np.testing.assert_allclose(L.grad(w), X.T @ (p - y) / 256, rtol=1e-12)
    (m,) = L.minima
    assert np.linalg.norm(L.grad(m)) < 1e-15
    eig = np.linalg.eigvalsh(np.stack([central_difference(lambda Q: L.grad(Q)[..., k], m[None])[0]
                                       for k in range(2)]))
    assert np.all(eig > 0)  # a strict minimum: the classes overlap, so the optimum is finite


def test_far_out_values_are_finite_or_quietly_not():
    import warnings

    for L in ALL:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            v, g = L.value_and_grad(np.array([[1e200, -1e200], [1e4, 1e4]]))
        assert np.isfinite(v[1]) and np.all(np.isfinite(g[1]))


@pytest.mark.parametrize("P, idx, match", [
    (np.zeros((2, 2)), np.zeros((3, 4), dtype=int), r"idx must be integer sample indices of shape \(2, b\)"),
    (np.zeros((2, 2)), np.zeros((2, 0), dtype=int), r"b >= 1"),
    (np.zeros((2, 2)), np.zeros((2, 4)), r"integer"),
    (np.zeros((2, 2)), np.full((2, 4), 256), r"sample indices must lie in \[0, 256\)"),
    (np.zeros((2, 2)), np.full((2, 4), -1), r"sample indices must lie"),
    (np.zeros((2, 3)), np.zeros((2, 4), dtype=int), r"points must have shape \(n, 2\)"),
], ids=["rows", "empty", "float", "too-big", "negative", "points"])
def test_bad_batches_raise(P, idx, match):
    with pytest.raises(ValueError, match=match):
        ALL[0].batch_value_and_grad(P, idx)


@pytest.mark.parametrize("L", ALL, ids=NAMES)
def test_with_the_run_loop_full_size_batches_are_gd_and_seeds_repeat(L):
    import optimizers

    opts = [optimizers.get("sgd", lr=0.05), optimizers.get("adam", lr=0.05)]
    starts = np.array([L.start, (0.5, 0.5)])
    gd = optimizers.run(L, opts, start=starts, steps=40)
    full = optimizers.run(L, opts, start=starts, steps=40, batch_size=L.n_samples, seed=3)
    for a, b in zip(gd, full):
        np.testing.assert_array_equal(a.params, b.params)
        np.testing.assert_array_equal(a.loss[:-1], b.batch_loss)
    small = optimizers.run(L, opts, start=starts, steps=40, batch_size=8, seed=3)
    again = optimizers.run(L, opts, start=starts, steps=40, batch_size=8, seed=3)
    other = optimizers.run(L, opts, start=starts, steps=40, batch_size=8, seed=4)
    for a, b, c, g in zip(small, again, other, gd):
        np.testing.assert_array_equal(a.params, b.params)
        assert not np.array_equal(a.params, c.params) and not np.array_equal(a.params, g.params)
        assert not np.array_equal(a.batch_loss, a.loss[:-1])
