"""landscapes.from_expression: hostile text is refused quickly and never runs; honest formulas get exact gradients."""

import ast
import builtins
import os
import sys

import numpy as np
import pytest
import sympy
import sympy.parsing.sympy_parser

import landscapes
from landscapes import expression as E

SYMPIFY = sys.modules["sympy.core.sympify"]  # the module (sympy.core.sympify is also the function's name)

# --- hostile and malformed input: (text, what the message must say) -------------------------------

SENTINEL = "/tmp/gradscape-expression-sentinel"  # a payload that ran would create this file

HOSTILE = [
    ("__import__('os').system('touch " + SENTINEL + "')", r"attribute access \('\.'\) is not allowed at column 1"),
    ("__import__('os')", r"'__import__' is not an allowed function at column 1; allowed: sin, cos"),
    ("eval('1+1')", r"'eval' is not an allowed function"),
    ("exec('import os')", r"'exec' is not an allowed function"),
    ("open('" + SENTINEL + "', 'w')", r"'open' is not an allowed function"),
    ("getattr(x, 'real')", r"'getattr' is not an allowed function"),
    ("globals()", r"'globals' is not an allowed function"),
    ("().__class__.__bases__[0].__subclasses__()", r"attribute access"),
    ("x.__class__", r"attribute access \('\.'\) is not allowed at column 1"),
    ("__builtins__", r"unknown name '__builtins__' at column 1: use x and y"),
    ("z + 1", r"unknown name 'z' at column 1: use x and y"),
    ("x + y*t", r"unknown name 't' at column 7"),
    ("import os", r"'import' is not allowed \(column 1\)"),
    ("lambda: 0", r"'lambda' is not allowed"),
    ("(lambda: __import__('os'))()", r"'lambda' is not allowed \(column 2\)"),
    ("[i for i in range(3)]", r"'for' is not allowed"),
    ("x if y else 0", r"'if' is not allowed \(column 3\)"),
    ("x and y", r"'and' is not allowed"),
    ("not x", r"'not' is not allowed"),
    ("True", r"'True' is not allowed"),
    ("None", r"'None' is not allowed"),
    ("yield x", r"'yield' is not allowed"),
    ("await x", r"'await' is not allowed"),
    ("x = 1", r"'=' is not allowed \(column 3\)"),
    ("x; y", r"';' is not allowed"),
    ("(x := 1)", r"':=' is not allowed at column 2"),
    ("{1: 2}", r"':' is not allowed"),
    ("sin(x=1)", r"'=' is not allowed \(column 6\)"),
    ("sin(*x)", r"'\*' unpacking is not allowed at column 5"),
    ("x[0]", r"indexing \('\[\.\.\.\]'\) is not allowed"),
    ("'x'", r"text is not allowed at column 1"),
    ("b'x'", r"text is not allowed"),
    ("f'{x}'", r"f-strings are not allowed"),
    ("3j", r"complex numbers are not allowed"),
    ("x < y", r"comparisons are not allowed"),
    ("[x, y]", r"lists \('\[\.\.\.\]'\) are not allowed"),
    ("(x, y)", r"tuples \('a, b'\) are not allowed"),
    ("{x}", r"sets \('\{\.\.\.\}'\) are not allowed"),
    ("...", r"'\.\.\.' is not allowed"),
    ("x @ y", r"'@' is not allowed at column 1: use \+ - \* / \*\* \(or \^\)"),
    ("x // 2", r"'//' is not allowed"),
    ("x % 2", r"'%' is not allowed"),
    ("x << 2", r"'<<' is not allowed"),
    ("~x", r"'~' is not allowed"),
    ("9**9**9", r"exponent 3\.8742e\+08 is too large at column 4: at most 100"),
    ("2**2**2**2**2", r"exponent 65536 is too large"),
    ("x**101", r"exponent 101 is too large at column 4"),
    ("x^-101", r"exponent -101 is too large"),
    ("e^1000", r"exponent 1000 is too large"),
    ("((1/3)**100)**100", r"needs too many digits"),
    ("exp(exp(exp(9)))", r"exp\(exp\(9\)\) is not a finite real number within ±1e300 at column 5"),
    ("1e400", r"number too large at column 1: at most 1e\+15"),
    ("1" + "0" * 40, r"number too large"),
    ("1/0", r"1 / 0 is not a finite real number"),
    ("x/0", r"x / 0 divides by zero or is undefined at column 1"),
    ("log(0)", r"log\(0\) is not a finite real number"),
    ("sqrt(-1)", r"sqrt\(-1\) is not a finite real number"),
    ("sin(" * 51 + "x" + ")" * 51, r"nested too deeply \(more than 50 levels\)"),
    ("-" * 499 + "x", r"nested too deeply \(more than 50 levels\) at column 51"),
    ("(" * 201 + "x" + ")" * 201, r"not a formula at column \d+: too many nested parentheses"),
    ("", r"empty expression: type a formula in x and y"),
    ("   \t ", r"empty expression"),
    ("x" * 812, r"expression too long \(812 > 500 characters\)"),
    ("sin", r"'sin' is a function at column 1: write sin\(\.\.\.\)"),
    ("x(2)", r"'x' is not a function at column 1: write x\*\(\.\.\.\)"),
    ("sin(x, y)", r"sin takes 1 argument, got 2 at column 1"),
    ("atan2(y)", r"atan2 takes 2 arguments, got 1"),
    ("x ^^ 2", r"not a formula at column 4: invalid syntax"),
    ("x^2 + y^", r"not a formula at the end: invalid syntax"),
    ("sin(x", r"not a formula at column 4: '\(' was never closed"),
    ("x²", r"not a formula at column 2: invalid character"),
    ("x\x00", r"not a formula"),
    ("x +\n+ z", r"unknown name 'z' at column 7"),
]


@pytest.mark.parametrize("text, match", HOSTILE, ids=[repr(t[:24]) for t, _ in HOSTILE])
def test_hostile_or_malformed_input_raises_valueerror(text, match):
    # How quickly: benchmarks/bench_expression.py (no test asserts a wall-clock time).
    with pytest.raises(ValueError, match=match):
        landscapes.from_expression(text)


def test_a_formula_finite_nowhere_in_view_is_refused():
    # Allowed syntax, so it is compiled (from our tree) and evaluated before it is refused.
    with pytest.raises(ValueError, match=r"is not finite anywhere in the view \[-3, 3\] × \[-3, 3\]"):
        landscapes.from_expression("log(-x**2 - 1)")


@pytest.mark.parametrize("value", [None, 3, b"x**2", ["x"]], ids=["None", "int", "bytes", "list"])
def test_not_text_is_refused(value):
    with pytest.raises(ValueError, match=r"the formula must be text"):
        landscapes.from_expression(value)


def test_the_hostile_table_is_large_and_varied():
    assert len(HOSTILE) >= 30
    assert len({m.split(" ")[0] for _, m in HOSTILE}) >= 20


DANGEROUS_MODULES = {"os", "sys", "subprocess", "builtins", "shutil", "socket", "importlib", "ctypes", "pickle",
                     "marshal", "io", "pathlib", "posix", "nt", "code", "codeop", "runpy", "pty", "signal"}


@pytest.fixture
def nothing_may_run(monkeypatch):
    """eval, exec, non-AST compile, imports of system modules, and sympify/parse_expr of text all
    raise while this is active, and record that they were tried."""
    tried = []
    real_compile, real_import = builtins.compile, builtins.__import__
    real_sympify = SYMPIFY.sympify

    def refuse(name):
        def refused(*args, **kwargs):
            tried.append(name)
            raise AssertionError(f"{name} was called")
        return refused

    def refuse_text(name, real):
        # Importing a module runs its code object through exec; code objects only come from
        # compile, which is refused below: text is what must never get here.
        def checked(source, *args, **kwargs):
            if isinstance(source, (str, bytes)):
                tried.append(name)
                raise AssertionError(f"{name} was given text")
            return real(source, *args, **kwargs)
        return checked

    def compile_ast_only(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            tried.append("compile")
            raise AssertionError("compile was asked for code")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def import_nothing_dangerous(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name.split(".")[0] in DANGEROUS_MODULES:
            tried.append(f"import {name}")
            raise AssertionError(f"import {name}")
        return real_import(name, globals, locals, fromlist, level)

    def sympify_no_text(a, *args, **kwargs):
        if isinstance(a, str):
            tried.append("sympify")
            raise AssertionError("sympify was given text")
        return real_sympify(a, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", refuse_text("eval", builtins.eval))
    monkeypatch.setattr(builtins, "exec", refuse_text("exec", builtins.exec))
    monkeypatch.setattr(builtins, "compile", compile_ast_only)
    monkeypatch.setattr(builtins, "__import__", import_nothing_dangerous)
    monkeypatch.setattr(SYMPIFY, "sympify", sympify_no_text)
    monkeypatch.setattr(sympy, "sympify", sympify_no_text)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse("parse_expr"))
    return tried


def test_no_hostile_input_runs_code(nothing_may_run):
    """Every hostile input fails before any code could run: nothing was evaluated, executed, compiled
    to code, imported or parsed by sympy, and the payloads' file does not exist."""
    if os.path.exists(SENTINEL):
        os.remove(SENTINEL)
    for text, _ in HOSTILE:
        with pytest.raises(ValueError):
            landscapes.from_expression(text)
    assert nothing_may_run == []
    assert not os.path.exists(SENTINEL)
    # ...and the guard does catch what it guards against.
    with pytest.raises(AssertionError):
        builtins.eval("1 + 1")
    with pytest.raises(AssertionError):
        __import__("subprocess")
    assert nothing_may_run == ["eval", "import subprocess"]


def test_honest_input_never_evaluates_text(monkeypatch):
    """The honest path uses lambdify (which compiles the program it printed from our tree), but
    never eval, sympify of text or parse_expr."""
    landscapes.from_expression("x")  # lambdify loads its NumPy namespace once, by a fixed import line
    tried = []
    real_sympify = SYMPIFY.sympify

    def sympify_no_text(a, *args, **kwargs):
        if isinstance(a, str):
            tried.append(a)
        return real_sympify(a, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", lambda *a, **k: tried.append("eval"))
    monkeypatch.setattr(SYMPIFY, "sympify", sympify_no_text)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", lambda *a, **k: tried.append("parse_expr"))
    for text, *_ in HONEST:
        landscapes.from_expression(text)
    assert tried == []


def test_the_printed_program_holds_only_our_names():
    """What lambdify compiles: assignments to our own symbols, numbers and allowlisted functions."""
    import inspect

    f = E._compile(E._Text("x**2 - y**2 + 0.1*sin(3*x) + atan2(y, x)"))
    source = inspect.getsource(f)
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert names <= {"x", "y", "sin", "cos", "arctan2"} | {f"_u{i}" for i in range(20)} | {f"_a{i}" for i in range(20)}
    assert not any(isinstance(n, (ast.Attribute, ast.Import, ast.ImportFrom)) for n in ast.walk(tree))


# --- honest formulas: (text, bounds) whose gradients match central differences --------------------

HONEST = [
    ("x**2 - y**2 + 0.1*sin(3*x)", None),
    ("x^2 + 3*y^2", None),
    ("(1 - x)^2 + 100*(y - x^2)^2", ((-2, 2), (-1, 3))),
    ("sin(x)*cos(y) + 0.1*(x^2 + y^2)", None),
    ("exp(-(x^2 + y^2)/2)", None),
    ("log(1 + x^2 + y^2)", None),
    ("sqrt(x^2 + y^2 + 1)", None),
    ("abs(x - 0.3) + 2*abs(y + 0.2)", None),
    ("tanh(x*y) + atan(x/(1 + y^2))", None),
    ("atan2(y, x + 5)", None),
    ("sinh(x/3)/cosh(y/3)", None),
    ("sigmoid(x - y) + asinh(x) + acosh(2 + y^2) + atanh(x/4)", None),
    ("asin(x/4) + acos(y/4)", None),
    ("log10(2 + x^2) + log2(2 + y^2) + tan(x/3)", None),
    ("x**y", ((0.5, 2.0), (-1.0, 2.0))),
    ("2**x + e^y + pi*x", None),
    ("-x + +y - -x", None),
    ("(x + y)**100", ((-0.5, 0.5), (-0.5, 0.5))),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", ((-5, 5), (-5, 5))),
    ("x / (1 + y^2) - 1/3*y", None),
    ("3", None),
    ("x", None),
    ("0.5*x^3 - 1.5*x*y^2", None),
    # the longest and deepest: 29 factors, 28 terms, 48 nested calls, each near 500 characters
    ("*".join(f"(1 + {i}*x*y/100)" for i in range(1, 30)), ((-1, 1), (-1, 1))),
    ("+".join(f"{i}*sin({i}*x + y)" for i in range(1, 29)), None),
    ("sin(" * 48 + "x + y" + ")" * 48, None),
]


def central_difference(L, P, h):
    e = np.eye(2) * h
    return np.stack([(L.loss(P + d) - L.loss(P - d)) / (2 * h) for d in e], axis=-1)


@pytest.mark.parametrize("text, bounds", HONEST, ids=[t[:30] for t, _ in HONEST])
def test_honest_gradient_matches_central_differences(text, bounds):
    L = landscapes.from_expression(text, bounds=bounds)
    (x0, x1), (y0, y1) = L.bounds
    rng = np.random.default_rng(0)
    P = np.column_stack([rng.uniform(x0, x1, 40), rng.uniform(y0, y1, 40)])
    v, g = L.value_and_grad(P)
    assert v.shape == (40,) and g.shape == (40, 2)
    h = 1e-6 * max(x1 - x0, y1 - y0)
    fd = central_difference(L, P, h)
    ok = np.isfinite(v) & np.all(np.isfinite(fd), axis=1)
    assert ok.sum() >= 30
    scale = 1.0 + np.abs(g[ok])
    assert np.all(np.abs(g[ok] - fd[ok]) <= 1e-5 * scale + 1e-6 * np.abs(v[ok])[:, None])


def test_matches_the_registry_rosenbrock_exactly_enough():
    mine = landscapes.from_expression("(1 - x)^2 + 100*(y - x^2)^2", bounds=((-2, 2), (-1, 3)))
    ref = landscapes.get("rosenbrock")
    P = np.random.default_rng(1).uniform(-2, 2, (50, 2))
    np.testing.assert_allclose(mine.loss(P), ref.loss(P), rtol=1e-13)
    np.testing.assert_allclose(mine.grad(P), ref.grad(P), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mine.minima, [[1.0, 1.0]], atol=1e-9)


def test_gradient_equals_sympy_diff_of_the_whole_formula():
    """The reverse-mode program gives sympy.diff's gradient of the formula written out whole."""
    text = "x**2*sin(y) - exp(x*y/3) + log(1 + x**2)*atan(y)"
    L = landscapes.from_expression(text)
    x, y = E.X, E.Y
    whole = x**2 * sympy.sin(y) - sympy.exp(x * y / 3) + sympy.log(1 + x**2) * sympy.atan(y)
    grad = sympy.lambdify((x, y), [sympy.diff(whole, x), sympy.diff(whole, y)], modules="numpy")
    P = np.random.default_rng(2).uniform(-3, 3, (30, 2))
    np.testing.assert_allclose(L.grad(P), np.column_stack(grad(P[:, 0], P[:, 1])), rtol=1e-12, atol=1e-12)


def test_shapes_constants_and_broadcasting():
    for text, gradient in [("3", (0.0, 0.0)), ("x", (1.0, 0.0)), ("2*y + pi", (0.0, 2.0))]:
        L = landscapes.from_expression(text)
        P = np.zeros((3, 4, 2))
        v, g = L.value_and_grad(P)
        assert v.shape == (3, 4) and g.shape == (3, 4, 2)
        np.testing.assert_array_equal(g, np.broadcast_to(gradient, (3, 4, 2)))
    assert float(landscapes.from_expression("2*y + pi").loss([0.0, 1.0])) == pytest.approx(2 + np.pi)


def test_caret_is_a_power_with_power_precedence():
    a, b = landscapes.from_expression("x^2*y"), landscapes.from_expression("x**2*y")
    P = np.random.default_rng(3).uniform(-3, 3, (10, 2))
    np.testing.assert_array_equal(a.loss(P), b.loss(P))


def test_decimals_are_exact():
    L = landscapes.from_expression("0.1*x + 0.2")
    assert float(L.loss([1.0, 0.0])) == 0.1 * 1.0 + 0.2
    np.testing.assert_array_equal(L.grad([1.0, 0.0]), [0.1, 0.0])


def test_non_finite_values_are_nan_or_inf_without_warnings():
    import warnings

    L = landscapes.from_expression("log(x) + sqrt(y) + 1/x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v, g = L.value_and_grad(np.array([[-1.0, -1.0], [0.0, 1.0], [1.0, 4.0]]))
    assert np.isnan(v[0]) and not np.isfinite(v[1]) and v[2] == pytest.approx(2.0 + 1.0)
    assert np.all(np.isfinite(g[2]))
    assert L.start[0] > 0 and L.start[1] >= 0  # the start is moved to where f is finite
    assert np.isfinite(L.loss(L.start))


def test_metadata_title_start_minima():
    L = landscapes.from_expression("  sin(x)*cos(y)   + 0.1*(x^2 + y^2) ")
    assert L.name == "custom" and L.title == "sin(x)*cos(y) + 0.1*(x^2 + y^2)"
    assert L.bounds == E.DEFAULT_BOUNDS and L.start == (-1.5, -1.5)
    assert "exact" in L.description
    assert len(L.minima) == 3
    for m in L.minima:
        assert np.linalg.norm(L.grad(m)) < 1e-7
    long = landscapes.from_expression("x + " * 30 + "y")
    assert len(long.title) == 60 and long.title.endswith("…")


def test_minima_are_found_and_flat_valleys_are_not_minima():
    himmelblau = landscapes.from_expression("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", bounds=((-5, 5), (-5, 5)))
    ref = landscapes.get("himmelblau").minima
    assert len(himmelblau.minima) == 4
    for m in ref:
        assert np.min(np.linalg.norm(himmelblau.minima - m, axis=1)) < 1e-9
    assert len(landscapes.from_expression("x^2").minima) == 0          # a valley along y
    assert len(landscapes.from_expression("3").minima) == 0            # flat
    np.testing.assert_allclose(landscapes.from_expression("x^4 + y^4").minima, [[0.0, 0.0]], atol=1e-6)


def test_log_scale_for_values_spanning_decades():
    assert landscapes.from_expression("(x + y)**20").log_scale
    assert not landscapes.from_expression("x^2 + y^2").log_scale


def test_bounds_are_checked():
    L = landscapes.from_expression("x^2 + y^2", bounds=((-1, 1), (0, 4)))
    assert L.bounds == ((-1.0, 1.0), (0.0, 4.0)) and L.start == (-0.5, 1.0)
    with pytest.raises(ValueError, match="min < max"):
        landscapes.from_expression("x", bounds=((1, -1), (0, 1)))


def test_runs_with_the_engine():
    import optimizers

    L = landscapes.from_expression("(x - 1)^2 + 2*(y + 0.5)^2")
    traj = optimizers.run(L, optimizers.get("adam", lr=0.05), steps=500)
    np.testing.assert_allclose(traj.final[0], [1.0, -0.5], atol=1e-3)
    np.testing.assert_allclose(L.minima, [[1.0, -0.5]], atol=1e-9)
