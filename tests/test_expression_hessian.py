"""Custom formulas' exact Hessians: forward mode over the allowlisted program, never the text."""

import ast
import inspect

import numpy as np
import pytest

import landscapes
from landscapes import expression as E

FORMULAS = [
    "x**2 - y**2 + 0.1*sin(3*x)", "(1 - x)^2 + 100*(y - x^2)^2", "sin(x)*cos(y) + 0.1*(x^2 + y^2)",
    "exp(-(x^2 + y^2)/2)", "log(1 + x^2 + y^2)", "sqrt(x^2 + y^2 + 1)", "tanh(x*y) + atan(x/(1 + y^2))",
    "atan2(y, x + 5)", "sinh(x/3)/cosh(y/3)", "sigmoid(x - y) + log10(2 + x^2) * log2(3 + y^2)",
    "x*y", "x**2 + 3*y", "(x + 1*y)*(x + 2*y)*(x + 3*y)*(x + 4*y)*(x - y)",
]


def hessian_by_differences(grad, P, h=1e-5):
    return np.stack([(grad(P + e) - grad(P - e)) / (2 * h) for e in np.eye(2) * h], axis=-1)


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_hessian_matches_central_differences_of_the_gradient(text):
    L = landscapes.from_expression(text)
    P = np.random.default_rng(0).uniform(-2.5, 2.5, (40, 2))
    H = L.hessian(P)
    assert H.shape == (40, 2, 2)
    np.testing.assert_array_equal(H[:, 0, 1], H[:, 1, 0])
    fd = hessian_by_differences(L.grad, P)
    scale = 1.0 + np.abs(fd).max(axis=(-1, -2), keepdims=True)
    np.testing.assert_allclose(H / scale, fd / scale, rtol=0, atol=1e-6)


def test_formula_hessian_exact_values_and_shapes():
    L = landscapes.from_expression("x**2 + 3*x*y - 2*y**2")
    np.testing.assert_array_equal(L.hessian([0.3, -0.2]), [[2.0, 3.0], [3.0, -4.0]])
    assert L.hessian(np.zeros((3, 4, 2))).shape == (3, 4, 2, 2)
    L = landscapes.from_expression("x**3 * y")
    np.testing.assert_allclose(L.hessian([[2.0, 5.0]]), [[[6 * 2 * 5, 3 * 4], [3 * 4, 0.0]]], rtol=1e-15)


def test_formula_hessian_is_quiet_where_the_formula_is_not_finite():
    L = landscapes.from_expression("sqrt(x) + y**2", bounds=((0.1, 5), (-3, 3)))
    H = L.hessian([[-1.0, 0.0], [4.0, 1.0]])  # no RuntimeWarning (pytest.ini makes one an error)
    assert np.isnan(H[0, 0, 0]) and H[1, 0, 0] == pytest.approx(-1.0 / 32.0) and H[1, 1, 1] == 2.0


def test_the_printed_hessian_program_holds_only_our_names():
    """What lambdify compiles for the Hessian: our own symbols, numbers and allowlisted functions."""
    _, hess = E._compile_with_hessian(E._Text("x**2 - y**2 + 0.1*sin(3*x) + atan2(y, x) + exp(x*y)"))
    assert hess.printed == []  # built on first use only
    hess(np.array([0.5]), np.array([0.5]))
    tree = ast.parse(inspect.getsource(hess.printed[0]))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    ours = {f"_{p}{i}" for p in ("u", "a", "dx", "dy") for i in range(60)}
    assert names <= {"x", "y", "sin", "cos", "exp", "arctan2"} | ours
    assert names & {f"_dx{i}" for i in range(60)}  # it is the forward-mode program
    assert not any(isinstance(n, (ast.Attribute, ast.Import, ast.ImportFrom)) for n in ast.walk(tree))
