"""Arrow geometry on the map, the gradient field, and the 1-D slice: pure, no browser."""

import warnings

import numpy as np
import pytest

import landscapes
import optimizers
from ui.model import compute, slices, vectors
from ui.model.compute import Run
from ui.model.inspector import inspect

BOUNDS = ((-2.0, 2.0), (-1.0, 3.0))   # Rosenbrock's view: shorter side 4
REACH = vectors.REACH * 4.0


def cross(a, b):
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def length(v):
    return np.linalg.norm(v, axis=-1)


def recorded(name, landscape="rosenbrock", start=(-1.5, 2.0), steps=80, **kwargs):
    opt = optimizers.get(name, **kwargs)
    traj = optimizers.run(landscapes.get(landscape), opt, start=start, steps=steps, record_state=True)
    return compute.with_trajectory(Run(name, name, "#000", kwargs), opt, traj)


def tips_of(run):
    ins = inspect(run)
    return ins, vectors.arrow_tips(run.params[:-1], -run.grads, ins.update, landscapes.get("rosenbrock").bounds,
                                   velocity=ins.velocity, lookahead=ins.lookahead)


def test_arrows_point_along_their_vectors():
    run = recorded("adam", lr=0.05)
    ins, tips = tips_of(run)
    points = run.params[:-1]
    for key, vector in (("neg_grad", -run.grads), ("velocity", ins.velocity), ("step", ins.update)):
        drawn = tips[key] - points
        np.testing.assert_allclose(cross(drawn, vector), 0, atol=1e-9 * REACH * length(vector).max())
        assert np.all(np.sum(drawn * vector, axis=-1) > 0), key  # the same way, not backwards


def test_within_a_step_the_gradient_group_keeps_true_ratios():
    run = recorded("momentum", lr=0.001)
    ins, tips = tips_of(run)
    points = run.params[:-1]
    drawn = length(tips["velocity"] - points) / length(tips["neg_grad"] - points)
    np.testing.assert_allclose(drawn, length(ins.velocity) / length(run.grads), rtol=1e-10)


def test_the_longest_arrow_of_the_run_spans_the_reach_and_the_rest_shrink_monotonically():
    run = recorded("sgd", lr=0.001)
    _, tips = tips_of(run)
    points = run.params[:-1]
    shown, true = length(tips["neg_grad"] - points), length(run.grads)
    assert shown.max() == pytest.approx(REACH) and np.argmax(shown) == np.argmax(true)
    order = np.argsort(true)
    assert np.all(np.diff(shown[order]) >= -1e-12)  # longer true arrow, longer drawn arrow
    np.testing.assert_allclose(shown, REACH * (true / true.max()) ** vectors.POWER)
    assert np.all(shown <= REACH + 1e-12)


def test_the_step_arrow_is_the_step_taken_and_nesterov_decomposes_it():
    """torch's Nesterov step is -γ(g + μb): the look-ahead (momentum alone, -γμb) plus a gradient
    correction -γg. Drawn on one scale, look-ahead -> step tip is parallel to -∇f."""
    run = recorded("nesterov", lr=0.001)
    ins, tips = tips_of(run)
    points = run.params[:-1]
    correction = tips["step"] - tips["lookahead"]
    np.testing.assert_allclose(cross(correction, -run.grads), 0, atol=1e-12)
    assert np.all(np.sum(correction * -run.grads, axis=-1) > 0)
    scale = length(tips["step"] - points) / length(ins.update)
    np.testing.assert_allclose(correction, scale[:, None] * (-0.001 * run.grads), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(ins.lookahead, points - 0.001 * 0.9 * run.state["momentum_buffer"])


def test_diverged_and_zero_vectors_draw_nothing_and_warn_nothing():
    points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    zero = np.zeros((3, 2))
    bad = np.array([[1.0, 0.0], [np.nan, np.nan], [np.inf, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tips = vectors.arrow_tips(points, bad, zero, BOUNDS)
    np.testing.assert_array_equal(tips["step"], points)  # a zero step stays at its point
    assert np.all(np.isfinite(tips["neg_grad"][0])) and np.all(np.isnan(tips["neg_grad"][1]))


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "saddle", "plateau"])
def test_the_gradient_field_points_downhill_inside_its_cells(name):
    L = landscapes.get(name)
    field = vectors.gradient_field(L)
    tails, tips = field["tails"], field["tips"]
    n = vectors.FIELD_SIZE
    assert tails.shape == tips.shape == (n * n, 2)
    centres = (tails + tips) / 2
    g = L.grad(centres)
    v = tips - tails
    np.testing.assert_allclose(cross(v, -g), 0, atol=1e-9 * length(g).max())
    assert np.all(np.sum(v * -g, axis=-1) >= 0)
    (xmin, xmax), (ymin, ymax) = L.bounds
    spacing = min(xmax - xmin, ymax - ymin) / (n + 1)
    assert length(v).max() == pytest.approx(vectors.FIELD_REACH * spacing)
    assert np.all((centres[:, 0] > xmin) & (centres[:, 0] < xmax) & (centres[:, 1] > ymin) & (centres[:, 1] < ymax))


# --- the slice ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["x", "y", "grad"])
def test_the_slice_passes_through_the_point_with_the_gradient_as_its_tangent(kind):
    L = landscapes.get("rosenbrock")
    points = np.array([[-1.5, 2.0], [0.3, 0.2], [1.2, 1.3]])
    out = slices.loss_slices(L, points, kind, samples=4001)
    mid = 2000
    assert out["t"][mid] == 0.0
    np.testing.assert_allclose(out["loss"][:, mid], L.loss(points))
    h = out["t"][1] - out["t"][0]
    finite_difference = (out["loss"][:, mid + 1] - out["loss"][:, mid - 1]) / (2 * h)
    np.testing.assert_allclose(out["slope"], finite_difference, rtol=1e-4)
    g = L.grad(points)
    expected = {"x": g[:, 0], "y": g[:, 1], "grad": -length(g)}[kind]
    np.testing.assert_allclose(out["slope"], expected)
    origin = {"x": points[:, 0], "y": points[:, 1], "grad": np.zeros(3)}[kind]
    np.testing.assert_array_equal(out["origin"], origin)


def test_slice_directions_and_widths():
    grads = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(slices.unit_directions("grad", grads), [[-0.6, -0.8], [1.0, 0.0]])
    np.testing.assert_array_equal(slices.unit_directions("y", grads), [[0.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="unknown slice direction"):
        slices.unit_directions("z", grads)
    assert slices.half_width("x", ((-2, 2), (-1, 1))) == 1.0 and slices.half_width("grad", ((-2, 2), (-1, 1))) == 0.5
    assert slices.samples_for(301) == 25 and slices.samples_for(2001) == 9 and slices.samples_for(1001) == 13
