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
