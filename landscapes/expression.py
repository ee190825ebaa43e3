"""Your own surface from a formula, with an exact gradient and without ever running the text.

    >>> L = from_expression("x**2 - y**2 + 0.1*sin(3*x)")
    >>> [round(float(v), 6) for v in L.grad([1.0, 2.0])]
    [1.703008, -4.0]

**No eval, ever.** sympy's ``sympify``/``parse_expr`` and Python's ``eval`` run code. The text
is parsed by ``ast.parse(mode="eval")`` (which only builds a tree) and the tree is walked
against an allowlist: numbers; the names x, y, pi and e; ``+ - * / **`` (``^`` is read as a
power, as teachers type it); unary minus and plus; calls of ``FUNCTIONS`` by name with
positional arguments. Anything else raises ValueError saying what and where.

**Building it.** Each node of the tree becomes one sympy expression of its children, named by
a fresh symbol (``_u3 = sin(_u2)``), so the program grows with the text, never with the
algebra: sympy never expands, simplifies or differentiates the whole formula, which for
``(x+1*y)*(x+2*y)*...`` costs seconds. The gradient is the reverse-mode chain rule over that
program: each node's local partial derivatives come from ``sympy.diff`` of the node's own
expression, so they are exact. ``sympy.lambdify`` prints the forward and backward program as
one NumPy function; everything it prints was built here from allowlisted nodes, with symbol
names of our own.

**The Hessian** is forward mode over that same program (forward and backward lines): each
line's derivatives in x and y from ``sympy.diff`` of the line alone, one new line each, printed
by ``lambdify`` as a second NumPy function from the same allowlisted lines.

**Limits.** At most ``MAX_LENGTH`` characters and ``MAX_DEPTH`` levels of nesting; constant
exponents within ±``MAX_EXPONENT``; number literals up to ``MAX_LITERAL``; constants the
formula computes must be finite reals within ±1e300 (each is checked in floating point before
sympy builds it, so ``9**9**9`` or ``exp(exp(exp(9)))`` is refused without being computed).
Together these make every input finish well under a second.
"""

from __future__ import annotations

import ast
import dataclasses
import keyword
import math
import tokenize
from io import StringIO
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import sympy

from . import survey
from .base import Landscape, fused

MAX_LENGTH = 500
MAX_DEPTH = 50
MAX_EXPONENT = 100
MAX_LITERAL = 1e15
MAX_CONSTANT = 1e300
MAX_CONSTANT_BITS = 1100  # an exact constant's numerator and denominator, ~1e331
DEFAULT_BOUNDS = ((-3.0, 3.0), (-3.0, 3.0))
GRID = 61  # points per axis of the survey grid: start, minima, scale, "finite anywhere?"

X = sympy.Symbol("x", real=True)
Y = sympy.Symbol("y", real=True)
NAMES = {"x": X, "y": Y, "pi": sympy.pi, "e": sympy.E}
_NAME_VALUES = {"pi": math.pi, "e": math.e}


def _sigmoid(u):
    return 1 / (1 + sympy.exp(-u))


# name -> (sympy builder, NumPy function for constant arguments, number of arguments)
FUNCTIONS: Dict[str, Tuple[Callable, Callable, int]] = {
    "sin": (sympy.sin, np.sin, 1), "cos": (sympy.cos, np.cos, 1), "tan": (sympy.tan, np.tan, 1),
    "asin": (sympy.asin, np.arcsin, 1), "acos": (sympy.acos, np.arccos, 1), "atan": (sympy.atan, np.arctan, 1),
    "atan2": (sympy.atan2, np.arctan2, 2),
    "sinh": (sympy.sinh, np.sinh, 1), "cosh": (sympy.cosh, np.cosh, 1), "tanh": (sympy.tanh, np.tanh, 1),
    "asinh": (sympy.asinh, np.arcsinh, 1), "acosh": (sympy.acosh, np.arccosh, 1),
    "atanh": (sympy.atanh, np.arctanh, 1),
    "exp": (sympy.exp, np.exp, 1), "log": (sympy.log, np.log, 1),
    "log10": (lambda u: sympy.log(u, 10), np.log10, 1), "log2": (lambda u: sympy.log(u, 2), np.log2, 1),
    "sqrt": (sympy.sqrt, np.sqrt, 1), "abs": (sympy.Abs, np.abs, 1),
    "sigmoid": (_sigmoid, lambda v: 1.0 / (1.0 + np.exp(-v)), 1),
}

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_ARITHMETIC = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
               ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}
_CHAINS = {ast.Add: (ast.Add, ast.Sub), ast.Sub: (ast.Add, ast.Sub), ast.Mult: (ast.Mult, ast.Div),
           ast.Div: (ast.Mult, ast.Div)}
_REFUSED_OPERATORS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
                      ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.Invert: "~", ast.Not: "not"}
# What a refused node is, in words (keywords such as lambda or for are caught before parsing).
_REFUSED_NODES = {
    ast.Attribute: "attribute access ('.') is", ast.Subscript: "indexing ('[...]') is",
    ast.Starred: "'*' unpacking is", ast.JoinedStr: "f-strings are", ast.FormattedValue: "f-strings are",
    ast.NamedExpr: "':=' is", ast.Compare: "comparisons are", ast.BoolOp: "'and'/'or' are",
    ast.Lambda: "'lambda' is", ast.IfExp: "'if ... else' is", ast.List: "lists ('[...]') are",
    ast.Tuple: "tuples ('a, b') are", ast.Set: "sets ('{...}') are", ast.Dict: "dictionaries ('{...}') are",
    ast.ListComp: "comprehensions are", ast.SetComp: "comprehensions are", ast.DictComp: "comprehensions are",
    ast.GeneratorExp: "comprehensions are", ast.Await: "'await' is", ast.Yield: "'yield' is",
    ast.YieldFrom: "'yield' is", ast.Slice: "slices are",
}
_HELP = "use x and y, the constants pi and e, numbers, + - * / ** (or ^) and " + ", ".join(FUNCTIONS)


def allowed_functions() -> List[str]:
    return list(FUNCTIONS)


def _quote(text: str, limit: int = 40) -> str:
    """A piece of the user's text for a message, cut short."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- the text -> a checked tree ---------------------------------------------------------------

class _Text:
    """The user's text with ``^`` read as ``**``, and columns mapped back to what they typed."""

    def __init__(self, text: str):
        self.original = text
        chars, self.columns = [], []
        for i, c in enumerate(text):
            c = " " if c.isspace() else c  # one line: columns are then simple, and a formula needs no more
            for part in ("**" if c == "^" else c):
                chars.append(part)
                self.columns.append(i)
        lead = len(chars) - len("".join(chars).lstrip())  # Python would call leading spaces an indent
        self.source, self.columns = "".join(chars[lead:]), self.columns[lead:]
        self._utf8 = self.source.encode("utf-8")

    def column(self, node_or_offset, is_byte_offset=True) -> int:
        """The 1-based column in the user's text of an AST node (ast offsets count UTF-8 bytes)."""
        offset = getattr(node_or_offset, "col_offset", node_or_offset)
        if is_byte_offset:
            offset = len(self._utf8[:max(offset, 0)].decode("utf-8", errors="ignore"))
        offset = min(max(offset, 0), len(self.columns) - 1) if self.columns else 0
        return (self.columns[offset] if self.columns else 0) + 1

    def at(self, node) -> str:
        return f"at column {self.column(node)}"


def _check_keywords(text: _Text) -> None:
    """Python keywords name the statements and tricks a formula never needs: refuse them by name."""
    try:
        tokens = list(tokenize.generate_tokens(StringIO(text.source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
        return  # ast.parse will say what is wrong
    for tok in tokens:
        if tok.type == tokenize.NAME and keyword.iskeyword(tok.string):
            raise ValueError(f"'{tok.string}' is not allowed (column {text.column(tok.start[1], False)}): "
                             "type one formula in x and y")
        if tok.type == tokenize.OP and tok.string in ("=", ";", ":"):
            raise ValueError(f"'{tok.string}' is not allowed (column {text.column(tok.start[1], False)}): "
                             "type one formula in x and y")


def _parse(text: _Text) -> ast.expr:
    try:
        return ast.parse(text.source, mode="eval").body
    except SyntaxError as err:
        if err.offset and err.offset <= len(text.source):
            where = f" at column {text.column(err.offset - 1, False)}"
        else:
            where = " at the end"  # Python reports an unfinished formula at offset 0
        raise ValueError(f"not a formula{where}: {err.msg}") from None
    except (ValueError, MemoryError, RecursionError) as err:  # null bytes; absurd nesting
        raise ValueError(f"not a formula: {err}") from None


# --- the tree -> a program of sympy expressions -------------------------------------------------

@dataclasses.dataclass
class _Value:
    """A node's result: a sympy expression, and its float value when it is a constant."""

    expr: sympy.Expr
    number: Optional[float] = None  # set for constants (no x, no y)

    @property
    def constant(self) -> bool:
        return self.number is not None


class _Builder:
    """Walks the checked tree; each non-constant node becomes ``symbol = f(children)``."""

    def __init__(self, text: _Text):
        self.text = text
        self.program: List[Tuple[sympy.Symbol, sympy.Expr]] = []

    def build(self, node: ast.expr) -> _Value:
        return self._node(node, 1)

    # -- helpers -------------------------------------------------------------------------------
    def _refuse(self, node, what: str) -> None:
        """``what`` names the thing with its verb: "lists ('[...]') are"."""
        raise ValueError(f"{what} not allowed {self.text.at(node)}")

    def _name(self, expr: sympy.Expr) -> sympy.Expr:
        """A symbol standing for a non-constant expression (atoms need none)."""
        if expr.is_Atom:
            return expr
        symbol = sympy.Symbol(f"_u{len(self.program)}", real=True)
        self.program.append((symbol, expr))
        return symbol

    def _constant(self, node, expr: sympy.Expr, number: float) -> _Value:
        if not math.isfinite(number) or abs(number) > MAX_CONSTANT:
            raise ValueError(f"{_quote(ast.unparse(node))} is not a finite real number within ±1e300 "
                             f"{self.text.at(node)}")
        for atom in expr.atoms(sympy.Rational):
            if max(abs(atom.p).bit_length(), abs(atom.q).bit_length()) > MAX_CONSTANT_BITS:
                raise ValueError(f"{_quote(ast.unparse(node))} needs too many digits {self.text.at(node)}")
        if expr.has(sympy.I, sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise ValueError(f"{_quote(ast.unparse(node))} is not a finite real number {self.text.at(node)}")
        return _Value(expr, number)

    def _combine(self, node, build, numeric, args: List[_Value]) -> _Value:
        """Apply an operation: to constants in floating point first (refusing what overflows
        before sympy computes it exactly), else as a new line of the program."""
        if all(a.constant for a in args):
            with np.errstate(all="ignore"):
                number = float(numeric(*[np.float64(a.number) for a in args]))
            if not math.isfinite(number) or abs(number) > MAX_CONSTANT:
                raise ValueError(f"{_quote(ast.unparse(node))} is not a finite real number within ±1e300 "
                                 f"{self.text.at(node)}")
            return self._constant(node, build(*[a.expr for a in args]), number)
        expr = build(*[a.expr for a in args])
        if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
            raise ValueError(f"{_quote(ast.unparse(node))} divides by zero or is undefined {self.text.at(node)}")
        return _Value(self._name(expr))

    # -- the nodes -----------------------------------------------------------------------------
    def _node(self, node, depth: int) -> _Value:
        if depth > MAX_DEPTH:
            raise ValueError(f"formula nested too deeply (more than {MAX_DEPTH} levels) {self.text.at(node)}")
        kind = type(node)
        if kind is ast.Constant:
            return self._number(node)
        if kind is ast.Name:
            return self._variable(node)
        if kind is ast.UnaryOp:
            if type(node.op) is ast.UAdd:
                return self._node(node.operand, depth + 1)
            if type(node.op) is ast.USub:
                operand = self._node(node.operand, depth + 1)
                return self._combine(node, lambda u: -u, lambda v: -v, [operand])
            self._refuse(node, f"'{_REFUSED_OPERATORS.get(type(node.op), '?')}' is")
        if kind is ast.BinOp:
            return self._binop(node, depth)
        if kind is ast.Call:
            return self._call(node, depth)
        self._refuse(node, _REFUSED_NODES.get(kind, f"'{kind.__name__}' is"))

    def _number(self, node) -> _Value:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, complex):
                self._refuse(node, "complex numbers are")
            if isinstance(value, (str, bytes)):
                self._refuse(node, "text is")
            self._refuse(node, f"'{_quote(ast.unparse(node))}' is")
        if not math.isfinite(value) or abs(value) > MAX_LITERAL:
            raise ValueError(f"number too large {self.text.at(node)}: at most {MAX_LITERAL:g}")
        # Exact: 0.1 is 1/10, so sympy never rounds, and the printed program computes 0.1 itself.
        expr = sympy.Integer(value) if isinstance(value, int) else sympy.Rational(repr(value))
        return _Value(expr, float(value))

    def _variable(self, node) -> _Value:
        name = node.id
        if name in ("x", "y"):
            return _Value(NAMES[name])
        if name in _NAME_VALUES:
            return _Value(NAMES[name], _NAME_VALUES[name])
        if name in FUNCTIONS:
            raise ValueError(f"'{name}' is a function {self.text.at(node)}: write {name}(...)")
        raise ValueError(f"unknown name '{_quote(name, 24)}' {self.text.at(node)}: "
                         "use x and y (and the constants pi and e)")

    def _binop(self, node, depth) -> _Value:
        """A chain such as a + b - c + d (or a * b / c) is one level of nesting, however long: it is
        walked down its left spine in a loop, and its terms are combined left to right."""
        op = type(node.op)
        if op not in _OPERATORS:
            symbol = _REFUSED_OPERATORS.get(op, "?")
            raise ValueError(f"'{symbol}' is not allowed {self.text.at(node)}: use + - * / ** (or ^)")
        family = _CHAINS.get(op, (op,))
        chain = []
        while type(node) is ast.BinOp and type(node.op) in family:
            chain.append(node)
            node = node.left
        value = self._node(node, depth + 1)
        for link in reversed(chain):
            right = self._node(link.right, depth + 1)
            if type(link.op) is ast.Pow and right.constant and abs(right.number) > MAX_EXPONENT:
                raise ValueError(f"exponent {right.number:g} is too large {self.text.at(link.right)}: "
                                 f"at most {MAX_EXPONENT} in size")
            build = _ARITHMETIC[type(link.op)]
            value = self._combine(link, build, build, [value, right])
        return value

    def _call(self, node, depth) -> _Value:
        func = node.func
        if type(func) is not ast.Name:
            self._refuse(func, _REFUSED_NODES.get(type(func), "calling anything but a function by name is"))
        name = func.id
        if name not in FUNCTIONS:
            if name in ("x", "y", "pi", "e"):
                raise ValueError(f"'{name}' is not a function {self.text.at(func)}: write {name}*(...)")
            raise ValueError(f"'{_quote(name, 24)}' is not an allowed function {self.text.at(func)}; "
                             f"allowed: {', '.join(FUNCTIONS)}")
        if node.keywords:
            raise ValueError(f"keyword arguments are not allowed {self.text.at(node)}: write {name}(...)")
        build, numeric, arity = FUNCTIONS[name]
        for arg in node.args:
            if type(arg) is ast.Starred:
                self._refuse(arg, "'*' unpacking is")
        if len(node.args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            raise ValueError(f"{name} takes {arity} {plural}, got {len(node.args)} {self.text.at(node)}")
        args = [self._node(a, depth + 1) for a in node.args]
        return self._combine(node, build, numeric, args)


def _gradient(program, output: sympy.Expr) -> Tuple[List, sympy.Expr, sympy.Expr]:
    """The reverse-mode chain rule over the program: (backward lines, df/dx, df/dy).

    Each program symbol is used once (the text is a tree), so its adjoint is one product:
    adj(child) = adj(parent) * d parent / d child, with the local derivative from sympy.diff.
    x and y may be used many times; their adjoints are sums.
    """
    defined = dict(program)
    adjoint = {output: sympy.Integer(1)} if output in defined or output in (X, Y) else {}
    totals = {X: [], Y: []}
    backward = []
    if output in totals:
        totals[output].append(sympy.Integer(1))
    for symbol, expr in reversed(program):
        a = adjoint.get(symbol)
        if a is None or a == 0:
            continue
        for child in sorted(expr.free_symbols, key=lambda s: s.name):
            local = sympy.diff(expr, child)
            if local == 0:
                continue
            contribution = a * local
            if child in totals:
                totals[child].append(contribution)
                continue
            if not contribution.is_Atom:
                name = sympy.Symbol(f"_a{len(backward)}", real=True)
                backward.append((name, contribution))
                contribution = name
            adjoint[child] = contribution
    return backward, sympy.Add(*totals[X]), sympy.Add(*totals[Y])


def _hessian(lines, gx: sympy.Expr, gy: sympy.Expr) -> Tuple[List, sympy.Expr, sympy.Expr, sympy.Expr]:
    """Forward mode over the forward and backward lines: (tangent lines, f_xx, f_xy, f_yy).

    Each line's derivatives in x and in y are the sums, over the symbols it uses, of the line's
    local derivative (``sympy.diff`` of that line alone) times the symbol's own derivatives, and
    each non-atomic one becomes a new line: the program again grows with the text, never with
    the algebra. f_xy is taken from df/dx, and used for both off-diagonal entries.
    """
    tangents = {X: (sympy.Integer(1), sympy.Integer(0)), Y: (sympy.Integer(0), sympy.Integer(1))}
    extra = []

    def tangent(expr):
        tx = ty = sympy.Integer(0)
        for child in sorted(expr.free_symbols, key=lambda s: s.name):
            if child not in tangents:
                continue
            local = sympy.diff(expr, child)
            cx, cy = tangents[child]
            tx, ty = tx + local * cx, ty + local * cy
        return tx, ty

    def named(expr, prefix):
        if expr.is_Atom:
            return expr
        name = sympy.Symbol(f"_{prefix}{len(extra)}", real=True)
        extra.append((name, expr))
        return name

    for symbol, expr in lines:
        tx, ty = tangent(expr)
        tangents[symbol] = (named(tx, "dx"), named(ty, "dy"))
    hxx, hxy = tangent(gx)
    hyy = tangent(gy)[1]
    return extra, hxx, hxy, hyy


def _compile(text: _Text) -> Callable:
    """f(x, y) -> (loss, df/dx, df/dy) for arrays, from the checked text."""
    return _compile_with_hessian(text)[0]


def _compile_with_hessian(text: _Text) -> Tuple[Callable, Callable]:
    """(f(x, y) -> (loss, df/dx, df/dy), hess(x, y) -> (f_xx, f_xy, f_yy)) for arrays, from the checked text.

    The Hessian's program is built and printed on its first call, not here: most formulas are
    only ever run, and the worst ones (long products) would take ~60% longer to accept.
    """
    builder = _Builder(text)
    try:
        value = builder.build(_parse(text))
        backward, gx, gy = _gradient(builder.program, value.expr)
        lines = builder.program + backward
        # lambdify prints exactly these lines and outputs: our own symbols, allowlisted functions.
        f = sympy.lambdify((X, Y), [value.expr, gx, gy], modules="numpy", cse=lambda exprs: (lines, exprs),
                           docstring_limit=0)
    except RecursionError:
        raise ValueError(f"formula nested too deeply (more than {MAX_DEPTH} levels)") from None
    printed = []

    def hess(x, y):
        if not printed:
            tangent_lines, hxx, hxy, hyy = _hessian(lines, gx, gy)
            printed.append(sympy.lambdify((X, Y), [hxx, hxy, hyy], modules="numpy",
                                          cse=lambda exprs: (lines + tangent_lines, exprs), docstring_limit=0))
        return printed[0](x, y)

    hess.printed = printed  # for tests: the printed function, once built
    return f, hess


# --- the program -> a Landscape ------------------------------------------------------------------

def _quiet(f):
    def f_quiet(x, y):
        # Non-finite values (log of a negative number, overflow) become nan/inf without a warning;
        # the grid reports them and the run loop treats them as divergence.
        with np.errstate(all="ignore"):
            return f(x, y)
    return f_quiet


def title_of(text: str, limit: int = 60) -> str:
    """The formula as a title: whitespace collapsed, cut at ``limit`` characters."""
    short = " ".join(text.split())
    return short if len(short) <= limit else short[:limit - 1] + "…"


def from_expression(text: str, bounds=None) -> Landscape:
    """A Landscape for a formula in x and y, with its exact gradient, never running the text.

    Args:
      text: e.g. ``"x**2 - y**2 + 0.1*sin(3*x)"`` or ``"(1 - x)^2 + 100*(y - x^2)^2"``.
      bounds: ((xmin, xmax), (ymin, ymax)); default ``DEFAULT_BOUNDS``.

    The start is a quarter in from the lower-left corner of the view (or the nearest point where
    f is finite); the known minima are the local minima in view, found numerically (Newton's
    method from the grid's lowest points). Points where f is not finite (``log(x)`` for x < 0)
    evaluate to nan or inf without a warning.

    Raises:
      ValueError: what is wrong and where, e.g. "unknown name 'z' at column 9: use x and y ...",
        "'import' is not allowed (column 1) ...", "expression too long (812 > 500 characters)",
        or "... is not finite anywhere in the view".
    """
    if not isinstance(text, str):
        raise ValueError(f"the formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"expression too long ({len(text)} > {MAX_LENGTH} characters)")
    if not text.strip():
        raise ValueError("empty expression: type a formula in x and y, such as x**2 + 3*y**2")
    source = _Text(text)
    _check_keywords(source)
    f, hess = _compile_with_hessian(source)
    title = title_of(text)
    L = fused("custom", _quiet(f), hess=_quiet(hess), bounds=DEFAULT_BOUNDS if bounds is None else bounds, title=title,
              description=f"Your own surface, f(x, y) = {title}, with an exact symbolic gradient.")
    P, v, ok = survey.grid(L, GRID)
    if not ok.any():
        (x0, x1), (y0, y1) = L.bounds
        raise ValueError(f"{title} is not finite anywhere in the view [{x0:g}, {x1:g}] × [{y0:g}, {y1:g}]")
    return dataclasses.replace(L, start=survey.finite_start(L, P, ok), minima=survey.local_minima(L, P, v, ok),
                               log_scale=survey.needs_log_scale(v[ok]))
