"""Newton's method: the runner hands it the landscape's Hessian; one undamped step lands on a
quadratic's minimum; the saddle-free policy (|eigenvalues|) and the damping, by hand."""

import numpy as np
import pytest

import landscapes
import optimizers
from hessians import WithHessian, with_hessian

STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.2, 1.4]])


def quadratic(A, b, name="quadratic"):
    """f(p) = ½ pᵀAp − bᵀp with its exact Hessian A: a Landscape as branch nd builds them."""
    A, b = np.asarray(A, dtype=np.float64), np.asarray(b, dtype=np.float64)
    base = landscapes.Landscape(name=name, loss=lambda P: 0.5 * np.einsum("...i,ij,...j->...", P, A, P) - P @ b,
                                grad=lambda P: P @ A.T - b)
    return WithHessian(base, lambda P: np.broadcast_to(A, np.shape(P) + (A.shape[0],)).copy())


# (id, A, b): convex quadratics, rotated and badly conditioned, whose minimum is A⁻¹b
QUADRATICS = [
    ("bowl", [[2.0, 0.0], [0.0, 2.0]], [0.0, 0.0]),
    ("stretched", [[100.0, 0.0], [0.0, 1.0]], [1.0, -2.0]),
    ("rotated", [[3.0, 1.9], [1.9, 1.5]], [0.5, 0.25]),
]


@pytest.mark.parametrize("case", QUADRATICS, ids=[c[0] for c in QUADRATICS])
def test_one_undamped_step_lands_on_the_minimum(case):
    _, A, b = case
    L = quadratic(A, b)
    traj = optimizers.run(L, optimizers.get("newton"), start=STARTS, steps=1)
    minimum = np.linalg.solve(A, b)
    np.testing.assert_allclose(traj.params[1], np.broadcast_to(minimum, (3, 2)), rtol=1e-12, atol=1e-12)
    assert traj.evals.tolist() == [1, 1, 1]


def test_a_saddle_repels_with_absolute_eigenvalues():
    """f = x² − y² (H = diag(2, −2)): plain Newton would jump onto the saddle (0, 0); |H| sends x to 0
    and doubles y, downhill."""
    L = quadratic([[2.0, 0.0], [0.0, -2.0]], [0.0, 0.0], "saddle")
    traj = optimizers.run(L, optimizers.get("newton"), start=(0.5, 0.25), steps=2, record_state=True)
    np.testing.assert_allclose(traj.params[:, 0], [[0.5, 0.25], [0.0, 0.5], [0.0, 1.0]], atol=1e-15)
    np.testing.assert_allclose(traj.state["eig_min"][0, 0], [-2.0, -2.0])
    np.testing.assert_allclose(traj.state["eig_max"][0, 0], [2.0, 2.0])
    assert np.all(np.diff(traj.loss[:, 0]) < 0)


def test_damping_and_a_flat_direction():
    """H = diag(2, 0) with λ = 0: no step along the flat eigenvector (pseudo-inverse); with λ = 1 the
    steps are g/(2 + 1) and g/(0 + 1)."""
    L = quadratic([[2.0, 0.0], [0.0, 0.0]], [0.0, 1.0], "valley")
    flat = optimizers.run(L, optimizers.get("newton"), start=(1.0, 0.0), steps=1)
    np.testing.assert_allclose(flat.params[1, 0], [0.0, 0.0])
    damped = optimizers.run(L, optimizers.get("newton", damping=1.0, lr=0.5), start=(1.0, 0.0), steps=1)
    np.testing.assert_allclose(damped.params[1, 0], [1.0 - 0.5 * 2.0 / 3.0, 0.0 + 0.5 * 1.0 / 1.0])


def test_rotated_saddle_uses_the_eigenvectors():
    """A rotated saddle: the step is V|Λ|⁻¹Vᵀg, checked against NumPy's eigendecomposition."""
    rotation = np.array([[np.cos(0.4), -np.sin(0.4)], [np.sin(0.4), np.cos(0.4)]])
    A = rotation @ np.diag([3.0, -0.5]) @ rotation.T
    L = quadratic(A, [0.2, -0.1], "rotated-saddle")
    start = np.array([0.3, -0.7])
    traj = optimizers.run(L, optimizers.get("newton", lr=0.7), start=start, steps=1)
    mu, V = np.linalg.eigh(A)
    expected = start - 0.7 * V @ ((V.T @ L.grad(start)) / np.abs(mu))
    np.testing.assert_allclose(traj.params[1, 0], expected, rtol=1e-12)


def test_newton_in_d_dimensions_with_index_set_groups():
    rng = np.random.default_rng(3)
    M = rng.standard_normal((5, 5))
    A = M @ M.T + 5 * np.eye(5)
    b = rng.standard_normal(5)
    base = quadratic(A, b, "quadratic-5")
    L = WithHessian(type("Five", (), {"name": "quadratic-5", "dim": 5, "start": np.zeros(5),
                                      "value_and_grad": staticmethod(lambda P: (base.loss(P), base.grad(P))),
                                      "loss": staticmethod(base.loss), "grad": staticmethod(base.grad)})(),
                    base.hessian)
    groups = [{"params": [0, 1], "lr": 1.0}, {"params": [2, 3, 4], "lr": 1.0}]
    traj = optimizers.run(L, optimizers.get("newton", groups=groups), start=np.ones((2, 5)), steps=1)
    np.testing.assert_allclose(traj.params[1], np.broadcast_to(np.linalg.solve(A, b), (2, 5)), rtol=1e-10)


def test_a_landscape_without_a_hessian_is_refused():
    L = landscapes.get("rosenbrock")
    if callable(getattr(L, "hessian", None)):
        L = landscapes.Landscape(name="no-hessian", loss=L.loss, grad=L.grad)
    with pytest.raises(ValueError, match="newton needs the landscape's Hessian"):
        optimizers.run(L, optimizers.get("newton"), steps=3)


def test_update_takes_the_hessian():
    opt = optimizers.get("newton")
    P = np.array([[1.0, -2.0]])
    with pytest.raises(ValueError, match="needs the Hessian"):
        opt.update(2 * P, opt.init(P), P)
    new, state = opt.update(2 * P, opt.init(P), P, hessian=2 * np.eye(2)[None])
    np.testing.assert_array_equal(new, [[0.0, 0.0]])
    np.testing.assert_array_equal(state.direction, [[1.0, -2.0]])


def test_with_hessian_finite_differences_match_the_bowl():
    L = with_hessian(landscapes.get("rosenbrock"))
    P = np.array([[0.3, -0.2]])
    x, y = P[0]
    exact = np.array([[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]])
    np.testing.assert_allclose(L.hessian(P)[0], exact, rtol=1e-6)
