"""Slices of a many-parameter landscape: the PCA plane of the paths, random filter-normalised
directions, the grid over a plane, projections, and the loss along one weight."""

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes.slices import along_weight, pca_directions, project, random_directions, slice_grid


def plane_path(d=10, T=30, seed=0):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((d, 2)))
    centre = rng.standard_normal(d)
    ab = np.column_stack([np.linspace(-2, 0, T) ** 2, np.sin(np.linspace(0, 3, T))])
    ab -= ab[-1]  # the path ends at the centre
    return centre, Q[:, 0], Q[:, 1], ab, centre + ab @ Q.T


def test_a_path_in_a_plane_projects_exactly_and_explains_everything():
    centre, u, v, ab, path = plane_path()
    np.testing.assert_allclose(project(path, centre, u, v), ab, rtol=0, atol=1e-12)
    dirs = pca_directions(path)
    np.testing.assert_allclose(dirs.centre, path[-1])
    assert dirs.share == pytest.approx(1.0, abs=1e-12) and dirs.explained[0] >= dirs.explained[1] > 0
    np.testing.assert_allclose(np.stack([dirs.d1, dirs.d2]) @ np.stack([dirs.d1, dirs.d2]).T, np.eye(2), atol=1e-12)
    coords = project(path, dirs.centre, dirs.d1, dirs.d2)
    np.testing.assert_allclose(dirs.centre + coords @ np.stack([dirs.d1, dirs.d2]), path, rtol=0, atol=1e-12)
    assert np.all(coords[0] <= 0) and np.allclose(coords[-1], 0)  # training runs towards +α, +β


def test_projection_is_exact_for_directions_that_are_not_orthonormal():
    centre, u, v, ab, path = plane_path(seed=1)
    d1, d2 = 3.0 * u + v, u - 0.5 * v
    coords = project(path, centre, d1, d2)
    np.testing.assert_allclose(centre + coords[:, :1] * d1 + coords[:, 1:] * d2, path, rtol=0, atol=1e-12)


def test_the_share_of_a_two_parameter_path_is_one():
    traj = optimizers.run(landscapes.get("rosenbrock"), optimizers.get("adam", lr=0.05), steps=200)
    assert pca_directions(traj).share == pytest.approx(1.0, abs=1e-12)


def test_pca_pools_the_optimizers_paths_of_a_network():
    L = landscapes.network("moons", (8,), n_samples=64)
    trajs = optimizers.run(L, [optimizers.get("sgd", lr=0.5), optimizers.get("adam", lr=0.02)], steps=60)
    dirs = pca_directions(trajs)
    assert 0 < dirs.share < 1 and dirs.explained.shape == (2,)
    np.testing.assert_array_equal(dirs.centre, trajs[0].params[-1, 0])
    xy = [project(t, dirs.centre, dirs.d1, dirs.d2) for t in trajs]
    assert xy[0].shape == (61, 1, 2)
    np.testing.assert_allclose(xy[0][-1, 0], 0, atol=1e-12)
    alone = pca_directions(trajs[1], centre=dirs.centre)
    assert not np.allclose(abs(alone.d1 @ dirs.d1), 1)  # pooling two paths is not either path's plane


def test_random_directions_are_filter_normalised():
    L = landscapes.network("xor", (6, 4))
    centre = np.array(L.start) + 1.0
    dirs = random_directions(L, seed=3, centre=centre)
    for d in (dirs.d1, dirs.d2):
        for name, s in L.layers.items():
            if name.endswith(".bias"):
                np.testing.assert_array_equal(d[s], 0.0)
            else:
                rows = L.layers[name.replace("weight", "bias")].stop - L.layers[name.replace("weight", "bias")].start
                np.testing.assert_allclose(np.linalg.norm(d[s].reshape(rows, -1), axis=1),
                                           np.linalg.norm(centre[s].reshape(rows, -1), axis=1), rtol=1e-12)
    assert dirs.share is None and not np.allclose(dirs.d1, dirs.d2)
    np.testing.assert_array_equal(random_directions(L, seed=3, centre=centre).d1, dirs.d1)
    kept = random_directions(L, seed=3, centre=centre, ignore_biases=False)
    np.testing.assert_array_equal(kept.d1[L.layers["0.bias"]], centre[L.layers["0.bias"]])


def test_the_grid_at_the_origin_is_the_loss_at_the_centre():
    L = landscapes.network("circles", (8,), "relu", n_samples=64)
    dirs = random_directions(L, seed=0)
    alphas, betas = np.linspace(-1, 1, 41), np.linspace(-0.5, 0.5, 21)
    Z = slice_grid(L, dirs.centre, dirs.d1, dirs.d2, alphas, betas)
    assert Z.shape == (21, 41) and np.all(np.isfinite(Z))
    assert Z[10, 20] == L.loss(dirs.centre)
    assert Z[3, 7] == pytest.approx(L.loss(dirs.centre + alphas[7] * dirs.d1 + betas[3] * dirs.d2), abs=1e-15)


def test_along_weight_tangent_is_the_slope_of_the_curve():
    L = landscapes.network("spirals", (6, 5), "tanh", n_samples=64)
    point = np.array(L.start) + 0.2
    for index in (0, 20, L.dim - 1):
        at, h = point[index], 1e-6
        w = along_weight(L, point, index, np.linspace(at - 2, at + 2, 9))
        assert w.at == at and w.loss_at == pytest.approx(float(L.loss(point)), abs=1e-15)
        fd = along_weight(L, point, index, [at - h, at + h])
        assert w.slope_at == pytest.approx((fd.loss[1] - fd.loss[0]) / (2 * h), abs=1e-7)
        assert w.slope_at == L.grad(point)[index]
        held = np.tile(point, (9, 1))
        held[:, index] = w.values
        np.testing.assert_array_equal(w.loss, L.loss(held))
        np.testing.assert_array_equal(w.slope, L.grad(held)[:, index])


@pytest.mark.parametrize("call, match", [
    (lambda L: along_weight(L, L.start, L.dim, [0.0]), "index"),
    (lambda L: along_weight(L, np.zeros(3), 0, [0.0]), "point"),
    (lambda L: slice_grid(L, np.zeros(3), np.zeros(3), np.zeros(3), [0], [0]), "coordinates"),
    (lambda L: pca_directions(np.zeros((5, L.dim))), "do not move"),
    (lambda L: project(np.zeros((4, 3)), np.zeros(L.dim), np.ones(L.dim), np.ones(L.dim)), "coordinates"),
    (lambda L: random_directions(L, centre=np.zeros(2)), "centre"),
])
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call(landscapes.network(hidden=(4,), n_samples=16))


@pytest.mark.parametrize("n, d", [(400, 30), (12, 30)], ids=["more-points", "more-weights"])
def test_pca_directions_are_the_svds_either_way_round(n, d):
    """Many points (the scatter matrix's eigenvectors) or few (the SVD): the same plane and shares."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, d)) * np.linspace(3.0, 0.1, d)   # distinct variances: a well-defined plane
    plane = pca_directions(X, centre=np.zeros(d))
    dev = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(dev, full_matrices=False)
    for got, want in ((plane.d1, Vt[0]), (plane.d2, Vt[1])):
        np.testing.assert_allclose(abs(got @ want), 1.0, atol=1e-10)
        np.testing.assert_allclose(np.linalg.norm(got), 1.0, atol=1e-12)
    np.testing.assert_allclose(plane.explained, (s * s)[:2] / np.sum(s * s), rtol=1e-10)
    assert abs(plane.d1 @ plane.d2) < 1e-12
