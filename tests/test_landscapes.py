"""Tables over the landscape registry: exact gradients, vectorisation, minima, metadata, the record."""

import re

import numpy as np
import pytest

import landscapes
from landscapes import Landscape, fused

NAMES = landscapes.names()
ALL = [landscapes.get(name) for name in NAMES]
MINIMA = [(ls, i) for ls in ALL for i in range(len(ls.minima))]


def points_in(ls, n, seed=0):
    (x0, x1), (y0, y1) = ls.bounds
    rng = np.random.default_rng(seed)
    return np.stack((rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)), axis=-1)


def central_difference(loss, P, h=1e-6):
    steps = np.eye(2) * h
    return np.stack([(loss(P + e) - loss(P - e)) / (2 * h) for e in steps], axis=-1)


# --- exact gradients ---------------------------------------------------------------------------


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_grad_matches_central_differences(ls):
    P = points_in(ls, 50)
    g = ls.grad(P)
    fd = central_difference(ls.loss, P)
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_value_and_grad_agrees_with_loss_and_grad(ls):
    P = points_in(ls, 20, seed=1)
    v, g = ls.value_and_grad(P)
    np.testing.assert_array_equal(v, ls.loss(P))
    np.testing.assert_array_equal(g, ls.grad(P))


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_finite_over_a_grid_through_the_origin(ls):
    # An odd grid over symmetric bounds hits 0 exactly: Ackley's cone tip, 0/0 traps.
    (x0, x1), (y0, y1) = ls.bounds
    r = max(abs(x0), abs(x1), abs(y0), abs(y1))
    X, Y = np.meshgrid(np.linspace(-r, r, 41), np.linspace(-r, r, 41))
    v, g = ls.value_and_grad(np.stack((X, Y), axis=-1))
    assert np.all(np.isfinite(v)) and np.all(np.isfinite(g))


def test_ackley_gradient_is_zero_at_its_tip():
    ackley = landscapes.get("ackley")
    np.testing.assert_array_equal(ackley.grad([0.0, 0.0]), [0.0, 0.0])
    assert abs(ackley.loss([0.0, 0.0])) < 1e-12
    assert np.all(np.isfinite(ackley.grad([1e-300, 0.0])))


# --- vectorisation -----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (7,), (3, 4)], ids=["point", "batch", "grid"])
@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_vectorised_shapes_and_values(ls, shape):
    P = points_in(ls, int(np.prod(shape)), seed=2).reshape(shape + (2,))
    v, g = ls.loss(P), ls.grad(P)
    assert np.shape(v) == shape
    assert np.shape(g) == shape + (2,)
    flat = P.reshape(-1, 2)
    np.testing.assert_allclose(np.reshape(v, -1), [ls.loss(p) for p in flat], rtol=1e-14)
    np.testing.assert_allclose(np.reshape(g, (-1, 2)), [ls.grad(p) for p in flat], rtol=1e-14)


def test_fused_broadcasts_constant_terms():
    plane = fused("plane", lambda x, y: (2.0 * x + 3.0, 2.0, 0.0))
    P = np.zeros((3, 4, 2))
    assert plane.loss(P).shape == (3, 4)
    np.testing.assert_array_equal(plane.grad(P), np.broadcast_to([2.0, 0.0], (3, 4, 2)))
    np.testing.assert_array_equal(plane.grad([1.0, 1.0]), [2.0, 0.0])


def test_diverged_points_give_nonfinite_values_without_warnings():
    rosenbrock = landscapes.get("rosenbrock")
    v, g = rosenbrock.value_and_grad([[1e200, -1e200], [np.inf, 0.0]])
    assert not np.any(np.isfinite(v))
    assert not np.all(np.isfinite(g))


# --- minima ------------------------------------------------------------------------------------


@pytest.mark.parametrize("ls, i", MINIMA, ids=[f"{ls.name}-{i}" for ls, i in MINIMA])
def test_known_minimum_is_stationary_and_local(ls, i):
    m = ls.minima[i]
    assert np.linalg.norm(ls.grad(m)) < 1e-5
    angles = np.linspace(0.0, 2 * np.pi, 16, endpoint=False)
    ring = m + 1e-3 * np.stack((np.cos(angles), np.sin(angles)), axis=-1)
    assert np.all(ls.loss(ring) > ls.loss(m))


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_minima_lie_inside_bounds(ls):
    (x0, x1), (y0, y1) = ls.bounds
    x, y = ls.minima.T
    assert np.all((x0 < x) & (x < x1) & (y0 < y) & (y < y1))


@pytest.mark.parametrize("name, count", [
    ("himmelblau", 4), ("six_hump_camel", 6), ("styblinski_tang", 4), ("goldstein_price", 4),
    ("two_minima", 2), ("rastrigin", 1), ("ackley", 1), ("rosenbrock", 1), ("saddle", 0), ("monkey_saddle", 0),
])
def test_minima_counts(name, count):
    assert landscapes.get(name).minima.shape == (count, 2)


def test_bowl_is_the_engine_tests_x2_plus_y2():
    bowl = landscapes.get("bowl")
    P = points_in(bowl, 10, seed=3)
    np.testing.assert_array_equal(bowl.loss(P), P[:, 0] ** 2 + P[:, 1] ** 2)
    np.testing.assert_array_equal(bowl.grad(P), 2 * P)


def test_ill_conditioned_has_condition_number_50_off_axis():
    ls = landscapes.get("ill_conditioned")
    # The gradient of a quadratic is linear: its Jacobian is the Hessian.
    H = np.stack([ls.grad(e) for e in np.eye(2)], axis=-1)
    eig, vecs = np.linalg.eigh(H)
    assert eig[1] / eig[0] == pytest.approx(50.0)
    assert np.all(np.abs(vecs) > 0.3)  # rotated: no eigenvector along an axis


def test_plateau_is_flat_far_from_its_well():
    ls = landscapes.get("plateau")
    assert np.linalg.norm(ls.grad(ls.start)) < 1e-3
    assert np.linalg.norm(ls.grad([0.8, 0.6])) > 0.1


# --- metadata ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_metadata(ls):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", ls.name)
    assert ls.title and ls.title != ls.name
    assert ls.description and "\n" not in ls.description and len(ls.description) <= 120
    (x0, x1), (y0, y1) = ls.bounds
    assert x0 < x1 and y0 < y1
    assert x0 <= ls.start[0] <= x1 and y0 <= ls.start[1] <= y1
    assert isinstance(ls.log_scale, bool)


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_start_is_not_already_a_minimum(ls):
    if len(ls.minima):
        assert ls.nearest_minimum_distance(ls.start) > 0.1


def test_log_scale_where_values_span_decades():
    assert {n for n in NAMES if landscapes.get(n).log_scale} >= {"rosenbrock", "beale", "goldstein_price"}
    assert not landscapes.get("bowl").log_scale


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_linear_colour_scale_only_where_the_valleys_get_colours(ls):
    """On a linear scale, a surface whose median value sits in the lowest 15% of its range shows its
    valleys and minima as one flat colour: such a surface must be drawn on a log scale."""
    (x0, x1), (y0, y1) = ls.bounds
    P = np.stack(np.meshgrid(np.linspace(x0, x1, 121), np.linspace(y0, y1, 121)), axis=-1)
    low, median, high = np.quantile(ls.loss(P), [0.0, 0.5, 1.0])
    if (median - low) / (high - low) < 0.15:
        assert ls.log_scale


# --- registry ----------------------------------------------------------------------------------


def test_names_are_in_teaching_order():
    assert len(NAMES) >= 12 and len(set(NAMES)) == len(NAMES)
    assert NAMES[:3] == ["bowl", "saddle", "monkey_saddle"]
    assert NAMES[-3:] == ["plateau", "linear_regression", "logistic_regression"]  # analytic, then datasets
    assert NAMES.index("ill_conditioned") < NAMES.index("himmelblau")
    assert landscapes.names() is not landscapes.names()  # a copy: callers cannot reorder the registry


@pytest.mark.parametrize("name", NAMES)
def test_get_round_trips(name):
    assert landscapes.get(name).name == name


@pytest.mark.parametrize("bad", ["nope", "", "Bowl", None])
def test_get_unknown_lists_known_names(bad):
    with pytest.raises(ValueError, match=r"unknown landscape .*; known: bowl, saddle, monkey_saddle, .*plateau"):
        landscapes.get(bad)


# --- the record --------------------------------------------------------------------------------


def test_user_defined_landscape_needs_only_name_loss_grad_bounds():
    ls = Landscape(name="tilt", loss=lambda P: P[..., 0], grad=lambda P: np.zeros_like(P) + [1.0, 0.0],
                   bounds=((0, 4), (-2, 2)))
    assert ls.minima.shape == (0, 2)
    assert ls.start == (1.0, -1.0)
    assert ls.title == "tilt" and ls.description == "" and not ls.log_scale
    v, g = ls.value_and_grad(np.array([[2.0, 0.0]]))
    np.testing.assert_array_equal(v, [2.0])
    np.testing.assert_array_equal(g, [[1.0, 0.0]])
    assert np.isnan(ls.nearest_minimum_distance([1.0, 1.0]))


@pytest.mark.parametrize("fields, match", [
    (dict(bounds=((1, 0), (0, 1))), r"min < max"),
    (dict(bounds=((0, 1), (0, 0))), r"min < max"),
    (dict(bounds=((0, np.inf), (0, 1))), r"finite"),
    (dict(bounds=((0, np.nan), (0, 1))), r"finite"),
    (dict(bounds=((0, 1),)), r"bounds must be \(\(xmin, xmax\), \(ymin, ymax\)\)"),
    (dict(bounds="wide"), r"bounds must be"),
    (dict(name=""), r"non-empty name"),
    (dict(loss=None), r"callables"),
], ids=["x-reversed", "y-empty", "infinite", "nan", "one-axis", "string", "no-name", "no-loss"])
def test_bad_landscape_raises(fields, match):
    kwargs = dict(name="bad", loss=lambda P: P[..., 0], grad=np.zeros_like, bounds=((0, 1), (0, 1)))
    with pytest.raises(ValueError, match=match):
        Landscape(**{**kwargs, **fields})


def test_points_must_end_in_two_coordinates():
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        landscapes.get("bowl").loss(np.zeros((4, 3)))


def test_nearest_minimum_distance():
    himmelblau = landscapes.get("himmelblau")
    np.testing.assert_allclose(himmelblau.nearest_minimum_distance(himmelblau.minima), 0.0, atol=1e-15)
    assert himmelblau.nearest_minimum_distance([3.0, 5.0]) == pytest.approx(3.0)
    bowl = landscapes.get("bowl")
    d = bowl.nearest_minimum_distance(np.array([[[3.0, 4.0], [0.0, -2.0]]]))
    assert d.shape == (1, 2)
    np.testing.assert_allclose(d, [[5.0, 2.0]])


# --- exact Hessians ----------------------------------------------------------------------------

ANALYTIC = [ls for ls in ALL if ls.n_samples == 0]


def hessian_by_differences(grad, P, h=1e-5):
    return np.stack([(grad(P + e) - grad(P - e)) / (2 * h) for e in np.eye(2) * h], axis=-1)


@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_hessian_matches_central_differences_of_the_gradient(ls):
    P = points_in(ls, 50, seed=4)
    H = ls.hessian(P)
    assert H.shape == (50, 2, 2)
    np.testing.assert_array_equal(H, np.swapaxes(H, -1, -2))  # exactly symmetric
    fd = hessian_by_differences(ls.grad, P)
    scale = 1.0 + np.abs(fd).max(axis=(-1, -2), keepdims=True)
    np.testing.assert_allclose(H / scale, fd / scale, rtol=0, atol=1e-6)


@pytest.mark.parametrize("shape", [(), (3, 4)], ids=["point", "grid"])
@pytest.mark.parametrize("ls", ALL, ids=NAMES)
def test_hessian_shapes(ls, shape):
    P = points_in(ls, int(np.prod(shape)), seed=5).reshape(shape + (2,))
    H = ls.hessian(P)
    assert H.shape == shape + (2, 2)
    np.testing.assert_array_equal(H.reshape(-1, 2, 2), [ls.hessian(p) for p in P.reshape(-1, 2)])


def test_hessian_of_a_quadratic_is_its_constant_matrix():
    ls = landscapes.get("ill_conditioned")
    H = ls.hessian(np.zeros((3, 2)))
    np.testing.assert_allclose(np.linalg.eigvalsh(H[0]), [1.0, 50.0], rtol=1e-12)
    np.testing.assert_array_equal(landscapes.get("bowl").hessian([[0.5, -1.0]]), [[[2.0, 0.0], [0.0, 2.0]]])
