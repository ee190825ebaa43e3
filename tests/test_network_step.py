"""A network's mini-batch step in one forward pass (landscapes/network.py, optimizers/runner.py).

A mini-batch run needs, at each step, the full batch's loss (``traj.loss``), the mini-batch's loss and
gradient (the rule's), and the full gradient only for the convergence test. The network gives the
first two and its last layer's gradient from one forward pass; the loop asks for the whole gradient
only where that part's norm is below tol. These tests hold it to the same numbers as the slow way.
"""

import dataclasses

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.network import _tanh_layer
from optimizers.runner import _Batches

CASES = [("moons", (16, 16), "tanh"), ("xor", (8,), "relu"), ("spirals", (6, 5, 4), "tanh")]


@pytest.mark.parametrize("dataset,hidden,activation", CASES, ids=lambda v: str(v))
def test_minibatch_step_is_the_full_loss_the_last_layer_and_the_batch(dataset, hidden, activation):
    L = landscapes.network(dataset, hidden, activation, n_samples=64)
    P = L.start + 0.3 * np.random.default_rng(1).standard_normal((5, L.dim))
    f_full, G_full = L.value_and_grad(P)
    idx = np.sort(np.random.default_rng(2).permutation(64)[:13])
    f_b, G_b = L.batch_value_and_grad(P, np.broadcast_to(idx, (5, 13)))

    f, G, fb, Gb = np.empty(5), np.full((5, L.dim), np.nan), np.empty(5), np.empty((5, L.dim))
    L.compiled_minibatch_step(P, idx, f, G, fb, Gb)
    last = L.layer_slices[str(2 * len(hidden))]
    np.testing.assert_array_equal(f, f_full)
    np.testing.assert_array_equal(G[:, last], G_full[:, last])
    assert not G[:, :last.start].any()   # below the last layer: 0, so |G| <= |gradient|
    np.testing.assert_allclose(fb, f_b, rtol=0, atol=1e-15)
    np.testing.assert_allclose(Gb, G_b, rtol=0, atol=1e-15)

    L.compiled_minibatch_step(P, idx[:0], f, G, fb, Gb)   # no batch: the full batch's part alone
    np.testing.assert_array_equal(f, f_full)


def _counting(L):
    calls = []

    def full(P, f, G):
        calls.append(len(P))
        L.compiled_value_and_grad(P, f, G)

    return dataclasses.replace(L, compiled_value_and_grad=full), calls


def _first_below(L, traj, tol):
    """The convergence test done the slow way: the first step whose full-batch gradient is below tol."""
    norms = np.linalg.norm(L.grad(traj.params), axis=-1)   # (steps + 1, n)
    hit = norms < tol
    return np.where(hit.any(0), hit.argmax(0), -1)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_minibatch_run_skips_the_full_backward_and_keeps_convergence(activation):
    L = landscapes.network("xor", (8,), activation, n_samples=64)
    counted, calls = _counting(L)
    opts = [optimizers.get("adam", lr=0.05), optimizers.get("sgd", lr=0.5), optimizers.get("sgd", lr=1e-4)]
    tol = 0.05
    fast = optimizers.run(counted, opts, steps=120, batch_size=16, tol=tol)
    slow = optimizers.run(L, opts, steps=120, batch_size=16, tol=tol)
    for a, b in zip(fast, slow):
        np.testing.assert_array_equal(a.params, b.params)
        np.testing.assert_array_equal(a.loss, b.loss)
        np.testing.assert_array_equal(a.batch_loss, b.batch_loss)
        np.testing.assert_array_equal(a.converged_at, b.converged_at)
        np.testing.assert_array_equal(a.converged_at, _first_below(L, a, tol))
        np.testing.assert_allclose(a.loss, L.loss(a.params), rtol=0, atol=1e-15)   # traj.loss: the full batch
    assert fast[0].converged_at[0] >= 0 and fast[2].converged_at[0] == -1   # both outcomes are tested
    # the whole gradient only where the last layer's part was below tol, and only until convergence
    assert 0 < len(calls) < 121 * len(opts) // 4


def test_minibatch_run_with_tol_zero_never_takes_the_full_gradient():
    L = landscapes.network("moons", (16, 16), "tanh", n_samples=128)
    counted, calls = _counting(L)
    traj = optimizers.run(counted, optimizers.get("adam", lr=0.01), steps=50, batch_size=32, tol=0.0)
    assert calls == []
    np.testing.assert_allclose(traj.loss, L.loss(traj.params), rtol=0, atol=1e-15)


def test_batch_loss_is_taken_where_the_gradient_is_even_for_a_run_that_diverges():
    L = landscapes.network("moons", (8,), "relu", n_samples=64)
    opts = [optimizers.get("sgd", lr=1e7), optimizers.get("adam", lr=0.01)]
    traj = optimizers.run(L, opts, steps=30, batch_size=16)
    t = traj[0].diverged_at[0]
    assert t > 0 and traj[1].diverged_at[0] == -1
    batches = _Batches(L, 16, 0)
    for step in range(30):
        idx = batches.next()
        for tr in traj:   # a diverged run went back to its last finite point: its batch loss is there
            f, _ = L.batch_value_and_grad(tr.params[step], idx[None])
            np.testing.assert_allclose(tr.batch_loss[step], f, rtol=1e-15, atol=1e-15)


def test_tanh_layer_is_tanh_to_a_few_ulps_and_keeps_nan_and_infinities():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal(4000) * 4, rng.uniform(-30, 30, 4000), rng.standard_normal(100) * 1e-9,
                        [0.0, -0.0, 19.99, 20.01, -40.0, 700.0, -1e300, 5e-324, np.inf, -np.inf, np.nan]])
    out = x.copy().reshape(1, -1)
    _tanh_layer(out, np.empty(out.size, dtype=np.int64))
    out = out[0]
    finite = ~np.isnan(x)
    assert np.max(np.abs(out[finite] - np.tanh(x[finite]))) <= 4.5e-16
    assert np.isnan(out[-1])
    np.testing.assert_array_equal(out[-3:-1], [1.0, -1.0])
    assert np.all(np.abs(out[finite]) <= 1.0)
