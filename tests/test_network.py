"""The network landscape without torch: exact gradients, mini-batches, data, layers and groups."""

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.network import DATASETS, make_data

CASES = [("moons", (16,), "tanh"), ("circles", (8, 6), "relu"), ("spirals", (5, 4, 3), "tanh"),
         ("xor", (6,), "relu")]
IDS = ["-".join([d, "x".join(map(str, h)), a]) for d, h, a in CASES]


@pytest.mark.parametrize("dataset, hidden, activation", CASES, ids=IDS)
def test_gradient_matches_central_differences(dataset, hidden, activation):
    L = landscapes.network(dataset, hidden, activation, n_samples=64)
    p = np.array(L.start) + 0.3 * np.random.default_rng(2).standard_normal(L.dim)
    h = 1e-6
    E = np.eye(L.dim) * h
    fd = (L.loss(p + E) - L.loss(p - E)) / (2 * h)
    np.testing.assert_allclose(L.grad(p), fd, rtol=0, atol=1e-7)


def test_shapes_and_full_batch_equals_every_sample():
    L = landscapes.network(hidden=(16, 8), n_samples=50)
    assert L.dim == 2 * 16 + 16 + 16 * 8 + 8 + 8 + 1 and L.bounds is None
    P = np.array(L.start) + 0.1 * np.random.default_rng(0).standard_normal((2, 3, L.dim))
    f, G = L.value_and_grad(P)
    assert f.shape == (2, 3) and G.shape == (2, 3, L.dim)
    np.testing.assert_array_equal(L.loss(P), f)
    flat = P.reshape(-1, L.dim)
    fb, Gb = L.batch_value_and_grad(flat, np.tile(np.arange(50), (6, 1)))
    np.testing.assert_array_equal(fb, f.ravel())
    np.testing.assert_array_equal(Gb, G.reshape(-1, L.dim))


def test_each_run_its_own_batch():
    L = landscapes.network("xor", (6,), "relu", n_samples=40)
    P = np.array(L.start) + 0.2 * np.random.default_rng(0).standard_normal((3, L.dim))
    idx = np.array([[0, 5, 9], [1, 2, 3], [39, 38, 0]])
    f, G = L.batch_value_and_grad(P, idx)
    for r in range(3):
        fr, Gr = L.batch_value_and_grad(P[r:r + 1], idx[r:r + 1])
        assert f[r] == fr[0]
        np.testing.assert_array_equal(G[r], Gr[0])
    shared_f, _ = L.batch_value_and_grad(P, np.broadcast_to(idx[1], (3, 3)))
    assert shared_f[1] == f[1]


def test_full_batch_size_is_gradient_descent():
    L = landscapes.network("moons", (8,), n_samples=64)
    gd = optimizers.run(L, optimizers.get("sgd", lr=0.1), steps=20)
    full = optimizers.run(L, optimizers.get("sgd", lr=0.1), steps=20, batch_size=64)
    np.testing.assert_array_equal(gd.params, full.params)
    small = optimizers.run(L, optimizers.get("sgd", lr=0.1), steps=20, batch_size=8)
    assert not np.array_equal(small.params, gd.params)
    assert small.batch_loss.shape == (20, 1)


def test_training_learns_the_data():
    L = landscapes.network("moons", (16,), "tanh")
    traj = optimizers.run(L, optimizers.get("adam", lr=0.03), steps=300)
    assert traj.loss[-1, 0] < 0.5 * traj.loss[0, 0]
    assert L.accuracy(traj.params[-1, 0]) > 0.85 > L.accuracy(L.start)


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_are_seeded_balanced_and_local(name):
    X, y = make_data(name, 101, seed=4)
    X2, y2 = make_data(name, 101, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert X.shape == (101, 2) and set(np.unique(y)) == {0.0, 1.0}
    assert abs(y.sum() - 50) <= 1 and np.all(np.abs(X) < 3)
    assert not np.array_equal(make_data(name, 101, seed=5)[0], X)


def test_start_is_nn_linear_default():
    L = landscapes.network(hidden=(16, 4), seed=2)
    start = np.array(L.start)
    for name, s in L.layers.items():
        fan_in = {"0": 2, "2": 16, "4": 4}[name.split(".")[0]]
        assert np.all(np.abs(start[s]) <= 1 / np.sqrt(fan_in))
        if s.stop - s.start > 1:  # spread out, not a constant (the last bias is one number)
            assert np.std(start[s]) > 0.2 / np.sqrt(fan_in)
    assert not np.array_equal(landscapes.network(hidden=(16, 4), seed=3).start, L.start)


def test_layers_cover_the_vector_in_order():
    L = landscapes.network(hidden=(16, 8))
    assert list(L.layers) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    assert L.layers["0.weight"] == slice(0, 32) and L.layers["0.bias"] == slice(32, 48)
    assert L.layer_slices == {"0": slice(0, 48), "2": slice(48, 184), "4": slice(184, 193)}
    assert L.layer_slices["4"].stop == L.dim


def test_groups_by_layer_and_tensor_cover_every_coordinate():
    L = landscapes.network(hidden=(16,))
    groups = L.groups({"0": dict(lr=1e-3), "2.bias": dict(lr=0.1)})
    assert [g.get("lr") for g in groups] == [1e-3, 0.1, None]
    assert groups[0]["params"] == list(range(48))
    assert groups[1]["params"] == [64] and groups[2]["params"] == list(range(48, 64))
    lr = optimizers.get("sgd", lr=0.01, groups=groups).hyper["lr"]
    assert lr.shape == (L.dim,) and lr[0] == 1e-3 and lr[64] == 0.1 and lr[50] == 0.01


@pytest.mark.parametrize("spec, match", [
    ({"1": dict(lr=1)}, "unknown layer"),
    ({"0": dict(lr=1), "0.bias": dict(lr=2)}, "overlaps"),
    ({"0": [1]}, "dict of hyperparameters"),
])
def test_bad_groups_raise(spec, match):
    with pytest.raises(ValueError, match=match):
        landscapes.network().groups(spec)


@pytest.mark.parametrize("kwargs, match", [
    (dict(dataset="mnist"), "unknown dataset"),
    (dict(activation="gelu"), "activation"),
    (dict(hidden=()), "hidden"),
    (dict(hidden=(0,)), "hidden"),
    (dict(hidden="wide"), "hidden"),
    (dict(n_samples=1), "n_samples"),
])
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        landscapes.network(**kwargs)


def test_bad_batches_raise():
    L = landscapes.network(n_samples=10)
    P = np.tile(L.start, (2, 1))
    with pytest.raises(ValueError, match="sample indices"):
        L.batch_value_and_grad(P, np.array([[0, 10], [1, 2]]))
    with pytest.raises(ValueError, match="idx"):
        L.batch_value_and_grad(P, np.array([[0.5, 1]]))


def test_network_logits_shapes():
    L = landscapes.network(hidden=(5,))
    grid = np.zeros((7, 2))
    assert landscapes.network_logits(L.start, grid).shape == (7,)
    assert landscapes.network_logits(np.tile(L.start, (3, 1)), grid).shape == (3, 7)
    with pytest.raises(ValueError, match="hidden"):
        landscapes.network_logits(L.start, grid, hidden=(4,))
