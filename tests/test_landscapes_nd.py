"""The Landscape record over d parameters: dim, optional bounds, (k, d) minima, d-tuple starts."""

import numpy as np
import pytest

import landscapes
from landscapes import Landscape


def sphere(d, **fields):
    return Landscape(name="sphere", loss=lambda P: np.sum(P * P, axis=-1), grad=lambda P: 2.0 * P, dim=d,
                     **fields)


@pytest.mark.parametrize("d", [1, 3, 10])
def test_a_d_dimensional_landscape_needs_no_view(d):
    ls = sphere(d, minima=[np.zeros(d)])
    assert ls.dim == d and ls.bounds is None
    assert ls.start == (0.0,) * d and all(type(v) is float for v in ls.start)
    assert ls.minima.shape == (1, d) and not ls.minima.flags.writeable
    P = np.arange(2 * 3 * d, dtype=float).reshape(2, 3, d)
    v, g = ls.value_and_grad(P)
    np.testing.assert_array_equal(v, np.sum(P * P, axis=-1))
    np.testing.assert_array_equal(g, 2.0 * P)
    assert f"dim={d}" in repr(ls)


def test_d_dimensional_start_minima_and_an_explicit_view():
    ls = sphere(3, start=np.array([1, 2, 3]), minima=[[0, 0, 0], [1, 1, 1]], bounds=((-1, 1), (0, 2)))
    assert ls.start == (1.0, 2.0, 3.0)
    assert ls.minima.shape == (2, 3)
    assert ls.bounds == ((-1.0, 1.0), (0.0, 2.0))  # a view of a 2-D slice, validated as for dim 2


def test_nearest_minimum_distance_in_d_dimensions():
    ls = sphere(4, minima=[[0, 0, 0, 0], [1, 1, 1, 1]])
    d = ls.nearest_minimum_distance(np.array([[-3.0, -4.0, 0.0, 0.0], [1.0, 1.0, 1.0, 2.0], [0.1, 0, 0, 0]]))
    np.testing.assert_allclose(d, [5.0, 1.0, 0.1])
    assert ls.nearest_minimum_distance(np.ones(4)) == 0.0
    assert np.isnan(sphere(4).nearest_minimum_distance(np.ones(4)))
    with pytest.raises(ValueError, match=r"points must have shape \(\.\.\., 4\), got \(2,\)"):
        ls.nearest_minimum_distance([1.0, 2.0])


def test_dim_2_keeps_todays_defaults():
    ls = Landscape(name="tilt", loss=lambda P: P[..., 0], grad=lambda P: np.zeros_like(P) + [1.0, 0.0])
    assert ls.dim == 2
    assert ls.bounds == ((-2.0, 2.0), (-2.0, 2.0))
    assert ls.start == (-1.0, -1.0)
    assert ls.minima.shape == (0, 2)
    assert ls.compiled_value_and_grad is None
    assert repr(ls) == "Landscape(name='tilt', bounds=((-2.0, 2.0), (-2.0, 2.0)), minima=[])"
    flat = Landscape(name="tilt", loss=ls.loss, grad=ls.grad, minima=[1, 2, 3, 4])  # x, y pairs, as always
    np.testing.assert_array_equal(flat.minima, [[1, 2], [3, 4]])


@pytest.mark.parametrize("fields, match", [
    (dict(dim=0), r"dim must be a positive integer, got 0"),
    (dict(dim=-3), r"dim must be a positive integer, got -3"),
    (dict(dim=2.5), r"dim must be a positive integer, got 2.5"),
    (dict(dim=True), r"dim must be a positive integer, got True"),
    (dict(dim="3"), r"dim must be a positive integer, got '3'"),
    (dict(dim=3, start=(1.0, 2.0)), r"start must be 3 numbers for a landscape of dim=3"),
    (dict(dim=2, start=(1.0, 2.0, 3.0)), r"start must be 2 numbers for a landscape of dim=2"),
    (dict(dim=3, start="abc"), r"start must be 3 numbers"),
    (dict(dim=3, minima=[(0.0, 0.0)]), r"minima must have shape \(k, 3\) for a landscape of dim=3, got \(1, 2\)"),
    (dict(dim=2, minima=[(0.0, 0.0, 0.0)]), r"minima must have shape \(k, 2\)"),
    (dict(dim=3, bounds=((0, 1),)), r"bounds must be \(\(xmin, xmax\), \(ymin, ymax\)\)"),
    (dict(dim=2, bounds=None), r"bounds must be \(\(xmin, xmax\), \(ymin, ymax\)\), got None"),
    (dict(dim=3, loss=None), r"callables over points of shape \(\.\.\., 3\)"),
    (dict(compiled_value_and_grad="fast"), r"compiled_value_and_grad must be None or a callable"),
], ids=["zero", "negative", "float", "bool", "text", "short-start", "long-start-2d", "text-start",
        "minima-width", "minima-width-2d", "one-axis-view", "2d-needs-view", "no-loss", "not-callable"])
def test_bad_d_dimensional_landscape_raises(fields, match):
    kwargs = dict(name="bad", loss=lambda P: P[..., 0], grad=np.zeros_like)
    with pytest.raises(ValueError, match=match):
        Landscape(**{**kwargs, **fields})


def test_registry_surfaces_are_two_dimensional():
    assert {landscapes.get(n).dim for n in landscapes.names()} == {2}


# --- surfaces over d parameters ----------------------------------------------------------------

SURFACES = [
    landscapes.rosenbrock_nd(2), landscapes.rosenbrock_nd(3), landscapes.rosenbrock_nd(10),
    landscapes.quadratic_nd(1), landscapes.quadratic_nd(4, condition=100.0),
    landscapes.quadratic_nd(10, rotated=False, minimum=np.linspace(-1, 1, 10)), landscapes.quadratic_nd(10),
]
SURFACE_IDS = ["rosenbrock-2", "rosenbrock-3", "rosenbrock-10", "quadratic-1", "quadratic-4-k100",
               "quadratic-10-axes", "quadratic-10"]


def around(ls, n, seed=0, spread=1.0):
    rng = np.random.default_rng(seed)
    return np.asarray(ls.start) + spread * rng.standard_normal((n, ls.dim))


def central_difference(f, P, h=1e-6):
    return np.stack([(f(P + e) - f(P - e)) / (2 * h) for e in np.eye(P.shape[-1]) * h], axis=-1)


@pytest.mark.parametrize("ls", SURFACES, ids=SURFACE_IDS)
def test_d_dimensional_grad_matches_central_differences(ls):
    P = around(ls, 30)
    np.testing.assert_allclose(ls.grad(P), central_difference(ls.loss, P), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("ls", SURFACES, ids=SURFACE_IDS)
@pytest.mark.parametrize("shape", [(), (7,), (3, 4)], ids=["point", "batch", "grid"])
def test_d_dimensional_shapes_and_the_compiled_path(ls, shape):
    P = around(ls, int(np.prod(shape)), seed=1).reshape(shape + (ls.dim,))
    v, g = ls.value_and_grad(P)
    assert np.shape(v) == shape and g.shape == shape + (ls.dim,)
    flat = np.ascontiguousarray(P.reshape(-1, ls.dim))
    f, G = np.full(len(flat), np.nan), np.full(flat.shape, np.nan)
    ls.compiled_value_and_grad(flat, f, G)
    np.testing.assert_array_equal(f, np.reshape(v, -1))
    np.testing.assert_array_equal(G, g.reshape(-1, ls.dim))
    np.testing.assert_array_equal(ls.loss(P), v)
    np.testing.assert_array_equal(ls.grad(P), g)


@pytest.mark.parametrize("ls", SURFACES, ids=SURFACE_IDS)
@pytest.mark.parametrize("n", [1, 10_000])
def test_d_dimensional_compiled_over_n_points(ls, n):
    P = around(ls, n, seed=n)
    f, G = np.empty(n), np.empty((n, ls.dim))
    ls.compiled_value_and_grad(P, f, G)
    np.testing.assert_array_equal(f[[0, -1]], [ls.loss(P[0]), ls.loss(P[-1])])
    np.testing.assert_array_equal(G[-1], ls.grad(P[-1]))


@pytest.mark.parametrize("ls", SURFACES, ids=SURFACE_IDS)
def test_d_dimensional_minimum_is_stationary_and_lowest(ls):
    (m,) = ls.minima
    assert ls.loss(m) == 0.0
    np.testing.assert_allclose(ls.grad(m), 0.0, atol=1e-12)
    assert np.all(ls.loss(m + 1e-3 * np.random.default_rng(2).standard_normal((50, ls.dim))) > 0.0)
    assert ls.nearest_minimum_distance(ls.start) > 0.5
    assert (ls.bounds is None) == (ls.dim != 2) and ls.name not in landscapes.names()


@pytest.mark.parametrize("d", [2, 3, 10])
def test_rosenbrock_nd_is_the_chained_sum(d):
    ls = landscapes.rosenbrock_nd(d)
    P = around(ls, 20, seed=3)
    x, nxt = P[:, :-1], P[:, 1:]
    np.testing.assert_allclose(ls.loss(P), np.sum(100.0 * (nxt - x**2) ** 2 + (1.0 - x) ** 2, axis=-1), rtol=1e-13)
    assert ls.minima.shape == (1, d) and ls.start[:3] == (-1.2, 1.0, -1.2)[:d]


def test_rosenbrock_nd_of_two_is_the_registry_rosenbrock_to_the_bit():
    P = np.random.default_rng(4).uniform(-2, 2, (200, 2))
    v, g = landscapes.rosenbrock_nd(2).value_and_grad(P)
    v2, g2 = landscapes.get("rosenbrock").value_and_grad(P)
    np.testing.assert_array_equal(v, v2)
    np.testing.assert_array_equal(g, g2)


@pytest.mark.parametrize("rotated", [True, False], ids=["rotated", "axes"])
def test_quadratic_nd_has_the_asked_curvatures(rotated):
    ls = landscapes.quadratic_nd(6, condition=50.0, rotated=rotated, minimum=np.arange(6.0))
    np.testing.assert_array_equal(ls.minima, [np.arange(6.0)])
    # The gradient of a quadratic is linear: its Jacobian is the Hessian.
    H = np.stack([ls.grad(ls.minima[0] + e) for e in np.eye(6)], axis=-1)
    eig, vecs = np.linalg.eigh(H)
    np.testing.assert_allclose(eig, np.geomspace(1.0, 50.0, 6), rtol=1e-12)
    assert np.all(np.abs(vecs).max(axis=0) < 0.99) == rotated  # rotated: no eigenvector along an axis


def test_quadratic_nd_is_seeded():
    P = np.ones((1, 5))
    assert landscapes.quadratic_nd(5, seed=1).loss(P) == landscapes.quadratic_nd(5, seed=1).loss(P)
    assert landscapes.quadratic_nd(5, seed=1).loss(P) != landscapes.quadratic_nd(5, seed=2).loss(P)


@pytest.mark.parametrize("make, match", [
    (lambda: landscapes.rosenbrock_nd(1), r"d must be an integer >= 2, got 1"),
    (lambda: landscapes.rosenbrock_nd(2.0), r"d must be an integer >= 2, got 2.0"),
    (lambda: landscapes.quadratic_nd(0), r"d must be an integer >= 1, got 0"),
    (lambda: landscapes.quadratic_nd(3, condition=0.5), r"condition must be a finite number >= 1"),
    (lambda: landscapes.quadratic_nd(3, condition=float("nan")), r"condition must be a finite number >= 1"),
    (lambda: landscapes.quadratic_nd(3, minimum=[1.0, 2.0]), r"minimum must be 3 finite numbers"),
    (lambda: landscapes.rosenbrock_nd(3).loss(np.zeros((4, 2))), r"points must have shape \(\.\.\., 3\)"),
    (lambda: landscapes.rosenbrock_nd(3).compiled_value_and_grad(np.zeros((4, 3)), np.zeros(4), np.zeros((4, 2))),
     r"needs P \(n, d\), f \(n,\) and G \(n, d\)"),
], ids=["rosenbrock-1", "rosenbrock-float", "quadratic-0", "condition-below-1", "condition-nan",
        "minimum-shape", "points-shape", "compiled-shapes"])
def test_bad_d_dimensional_surface_raises(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("ls", SURFACES, ids=SURFACE_IDS)
@pytest.mark.parametrize("shape", [(), (6,), (2, 3)], ids=["point", "batch", "grid"])
def test_d_dimensional_hessian_matches_central_differences_of_the_gradient(ls, shape):
    P = around(ls, int(np.prod(shape)), seed=6).reshape(shape + (ls.dim,))
    H = ls.hessian(P)
    assert H.shape == shape + (ls.dim, ls.dim)
    np.testing.assert_array_equal(H, np.swapaxes(H, -1, -2))
    fd = central_difference(ls.grad, P, h=1e-5)
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-4)


def test_rosenbrock_nd_hessian_of_two_is_the_registry_one():
    P = np.random.default_rng(7).uniform(-2, 2, (20, 2))
    np.testing.assert_allclose(landscapes.rosenbrock_nd(2).hessian(P), landscapes.get("rosenbrock").hessian(P),
                               rtol=1e-14, atol=1e-12)
