"""Mini-batches in the run loop: seeded epochs, batches without replacement, and GD at full size."""

import numpy as np
import pytest

import landscapes
import optimizers

N_SAMPLES = 10
SAMPLES = np.random.default_rng(11).normal(size=(N_SAMPLES, 2)) * [1.0, 3.0]
STARTS = np.array([[2.0, -1.0], [-0.5, 0.7], [0.0, 3.0]])


def make_dataset(log=None):
    """A toy dataset landscape: the mean over samples a_i of 0.5 * |p - a_i|^2 * w_i."""
    weights = np.linspace(0.5, 1.5, N_SAMPLES)

    def mean_over(P, idx):
        A, w = SAMPLES[idx], weights[idx]                      # (n, b, 2), (n, b)
        d = P[:, None, :] - A
        return (0.5 * w * (d * d).sum(-1)).mean(1), (w[..., None] * d).mean(1)

    def batch_value_and_grad(P, idx):
        if log is not None:
            log.append(np.array(idx))
        return mean_over(P, idx)

    def full(P):
        P = np.asarray(P, dtype=np.float64)
        flat = P.reshape(-1, 2)
        v, g = mean_over(flat, np.broadcast_to(np.arange(N_SAMPLES), (len(flat), N_SAMPLES)))
        return v.reshape(P.shape[:-1]), g.reshape(P.shape)

    return landscapes.Landscape(name="toy", loss=lambda P: full(P)[0], grad=lambda P: full(P)[1],
                                value_and_grad=full, n_samples=N_SAMPLES,
                                batch_value_and_grad=batch_value_and_grad)


TOY = make_dataset()


def test_full_size_batches_reproduce_gradient_descent_exactly():
    opt = optimizers.get("momentum", lr=0.05)
    gd = optimizers.run(TOY, opt, start=STARTS, steps=40)
    full = optimizers.run(TOY, opt, start=STARTS, steps=40, batch_size=N_SAMPLES, seed=5)
    np.testing.assert_array_equal(full.params, gd.params)
    np.testing.assert_array_equal(full.grads, gd.grads)
    np.testing.assert_array_equal(full.batch_loss, gd.loss[:-1])
    assert gd.batch_size is None and gd.batch_loss is None and full.batch_size == N_SAMPLES


@pytest.mark.parametrize("batch_size, sizes", [(5, [5, 5]), (4, [4, 4, 2]), (1, [1] * 10), (3, [3, 3, 3, 1])])
def test_each_epoch_is_a_shuffle_cut_into_batches_without_replacement(batch_size, sizes):
    log = []
    epochs = 3
    optimizers.run(make_dataset(log), optimizers.get("sgd", lr=0.01), start=STARTS,
                   steps=epochs * len(sizes), batch_size=batch_size, seed=2)
    assert [len(b[0]) for b in log] == sizes * epochs
    orders = []
    for e in range(epochs):
        batches = log[e * len(sizes):(e + 1) * len(sizes)]
        for b in batches:
            assert np.all(b == b[0]), "every run sees the same batch"
            assert np.all(np.diff(b[0]) > 0), "a batch's indices are sorted and distinct"
        used = np.concatenate([b[0] for b in batches])
        np.testing.assert_array_equal(np.sort(used), np.arange(N_SAMPLES))
        orders.append(used)
    if batch_size < N_SAMPLES:
        assert not all(np.array_equal(orders[0], o) for o in orders[1:]), "epochs are reshuffled"


def test_minibatch_gradients_average_to_the_full_gradient_over_an_epoch():
    frozen = optimizers.get("gd", lr=0.0)  # the point stays put, so every batch is taken at one point
    traj = optimizers.run(TOY, frozen, start=STARTS, steps=N_SAMPLES // 2, batch_size=2, seed=9)
    np.testing.assert_allclose(traj.grads.mean(0), TOY.grad(STARTS), rtol=1e-12, atol=1e-14)
    assert not np.allclose(traj.grads[0], TOY.grad(STARTS)), "a single batch is not the full gradient"
    np.testing.assert_allclose(traj.batch_loss.mean(0), TOY.loss(STARTS), rtol=1e-12)


def test_the_seed_decides_the_batches_and_runs_stay_independent():
    opt = optimizers.get("adam", lr=0.1)
    a = optimizers.run(TOY, opt, start=STARTS, steps=30, batch_size=3, seed=4)
    b = optimizers.run(TOY, opt, start=STARTS, steps=30, batch_size=3, seed=4)
    c = optimizers.run(TOY, opt, start=STARTS, steps=30, batch_size=3, seed=5)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.allclose(a.params, c.params)
    alone = optimizers.run(TOY, opt, start=STARTS[1], steps=30, batch_size=3, seed=4)
    np.testing.assert_array_equal(alone.params[:, 0], a.params[:, 1])
    pair = optimizers.run(TOY, [optimizers.get("sgd", lr=0.1), opt], start=STARTS, steps=30, batch_size=3, seed=4)
    np.testing.assert_array_equal(pair[1].params, a.params)


def test_loss_is_full_batch_and_batch_loss_is_the_minibatch():
    traj = optimizers.run(TOY, optimizers.get("sgd", lr=0.1), start=STARTS, steps=12, batch_size=1, seed=0)
    np.testing.assert_allclose(traj.loss, TOY.loss(traj.params), rtol=1e-15)
    assert traj.batch_loss.shape == (12, 3)
    assert not np.allclose(traj.batch_loss, traj.loss[:-1])
    short = optimizers.run(TOY, optimizers.get("sgd", lr=0.1), start=STARTS, steps=12, batch_size=1, seed=0,
                           history=False)
    np.testing.assert_array_equal(short.params[0], traj.params[-1])
    np.testing.assert_array_equal(short.batch_loss[0], traj.batch_loss[-1])


def test_batches_and_noise_draw_from_separate_streams():
    opt = optimizers.get("sgd", lr=0.05)
    noisy = optimizers.run(TOY, opt, start=STARTS, steps=10, noise=0.3, seed=1, batch_size=N_SAMPLES)
    plain = optimizers.run(TOY, opt, start=STARTS, steps=10, noise=0.3, seed=1)
    np.testing.assert_array_equal(noisy.params, plain.params)


@pytest.mark.parametrize("landscape, batch_size, match", [
    (landscapes.get("bowl"), 4, "batch_size needs a dataset landscape"),
    (TOY, 0, r"batch_size must be an integer in \[1, 10\]"),
    (TOY, N_SAMPLES + 1, r"batch_size must be an integer in \[1, 10\]"),
    (TOY, 2.5, "batch_size must be an integer"),
    (TOY, True, "batch_size must be an integer"),
])
def test_bad_batch_sizes_raise(landscape, batch_size, match):
    with pytest.raises(ValueError, match=match):
        optimizers.run(landscape, optimizers.get("sgd", lr=0.1), steps=3, batch_size=batch_size)


def test_a_dataset_landscape_needs_its_batch_function():
    with pytest.raises(ValueError, match="needs batch_value_and_grad"):
        landscapes.Landscape(name="bad", loss=TOY.loss, grad=TOY.grad, n_samples=4)
