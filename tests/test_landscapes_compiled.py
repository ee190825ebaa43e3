"""The analytic surfaces' compiled value-and-grad computes the same numbers as their NumPy one."""

import numpy as np
import pytest

import landscapes
from landscapes import analytic, datasets

ANALYTIC = list(analytic.REGISTRY.values())
IDS = [ls.name for ls in ANALYTIC]


def compiled(ls, P):
    P = np.ascontiguousarray(P, dtype=np.float64)
    f, G = np.full(len(P), -7.0), np.full(P.shape, -7.0)  # not zeros: every entry must be written
    assert ls.compiled_value_and_grad(P, f, G) is None
    return f, G


def points_to_compare(ls):
    """The view, the origin, and far-out points where a diverged run ends up (inf and nan included)."""
    (x0, x1), (y0, y1) = ls.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41))
    scales = 10.0 ** np.arange(-300, 301, 20)
    far = np.stack(np.meshgrid(np.r_[-scales, scales], [-1e150, -3.0, 0.0, 2.5, 1e150]), axis=-1).reshape(-1, 2)
    odd = [[0.0, 0.0], [np.inf, 1.0], [1.0, -np.inf], [np.nan, 0.0], [0.0, np.nan], [np.inf, np.inf],
           [1e-300, 0.0], [-1e-320, 1e-320]]
    return np.concatenate([np.stack((X, Y), axis=-1).reshape(-1, 2), far, far[:, ::-1], odd])


@pytest.mark.parametrize("ls", ANALYTIC, ids=IDS)
def test_compiled_value_and_grad_equals_numpy(ls):
    P = points_to_compare(ls)
    v, g = ls.value_and_grad(P)
    f, G = compiled(ls, P)
    # Same non-finite entries (inf with the same sign, nan where nan), and the rest within 1e-12.
    np.testing.assert_allclose(f, v, rtol=1e-12, atol=0, equal_nan=True)
    np.testing.assert_allclose(G, g, rtol=1e-12, atol=0, equal_nan=True)
    assert np.isfinite(f).sum() > 1681 and not np.all(np.isfinite(G))  # the test reaches both kinds


@pytest.mark.parametrize("ls", ANALYTIC, ids=IDS)
@pytest.mark.parametrize("n", [1, 10_000])
def test_compiled_value_and_grad_over_n_points(ls, n):
    (x0, x1), (y0, y1) = ls.bounds
    rng = np.random.default_rng(n)
    P = np.stack((rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)), axis=-1)
    f, G = compiled(ls, P)
    v, g = ls.value_and_grad(P)
    assert f.shape == (n,) and G.shape == (n, 2)
    np.testing.assert_allclose(f, v, rtol=1e-12, atol=0)
    np.testing.assert_allclose(G, g, rtol=1e-12, atol=0)


def test_compiled_value_and_grad_of_no_points():
    f, G = compiled(landscapes.get("rosenbrock"), np.zeros((0, 2)))
    assert f.shape == (0,) and G.shape == (0, 2)


@pytest.mark.parametrize("P_shape, f_shape, G_shape", [
    ((4, 3), (4,), (4, 3)),
    ((4, 2), (3,), (4, 2)),
    ((4, 2), (4,), (4, 1)),
    ((4, 2), (4,), (5, 2)),
], ids=["three-coordinates", "short-f", "narrow-G", "long-G"])
def test_compiled_value_and_grad_refuses_mismatched_arrays(P_shape, f_shape, G_shape):
    # No bounds checks inside the loop: the shapes are checked once, before it writes anything.
    kernel = landscapes.get("bowl").compiled_value_and_grad
    with pytest.raises(ValueError, match=r"needs P \(n, 2\), f \(n,\) and G \(n, 2\)"):
        kernel(np.zeros(P_shape), np.zeros(f_shape), np.zeros(G_shape))


def test_every_analytic_surface_is_compiled_and_no_other():
    assert all(ls.compiled_value_and_grad is not None for ls in ANALYTIC)
    assert all(ls.compiled_value_and_grad is None for ls in datasets.REGISTRY.values())
    assert landscapes.from_expression("x**2 + y**2").compiled_value_and_grad is None
    # Each surface has its own branch of the kernel: no two surfaces share one by mistake.
    P = np.array([[0.3, -0.7]])
    assert len({float(compiled(ls, P)[0][0]) for ls in ANALYTIC}) == len(ANALYTIC)
