"""The built-in loss surfaces and their registry.

Each surface is one function ``f(x, y) -> (loss, dloss/dx, dloss/dy)`` over
arrays of any broadcastable shape, with the gradient derived by hand, and one
``_surface(...)`` entry in ``REGISTRY``. Adding a surface means adding both,
and adding the function to ``_SURFACES``.

The same function, unchanged, is also compiled by numba for scalars: the
compiled value-and-grad (``_value_and_grad_kernel``) loops over the points and
calls it on each. So it may use only arithmetic and NumPy functions that numba
compiles for scalars (np.cos, np.exp, np.hypot, ... but not np.where), and its
powers above 2 are written with float exponents (``x**3.0``): NumPy computes
``x**3`` and ``x**3.0`` alike, through pow, and so does numba for a float
exponent, whereas for an integer one it multiplies, which rounds differently.

The registry is in teaching order: a bowl, saddles, ravines and curved
valleys, surfaces with many minima, and a plateau. The UI's dropdown follows
it.
"""

from __future__ import annotations

import functools
import math

import numba
import numpy as np
from numba.extending import register_jitable

from .base import Landscape, fused

_TAU = 2.0 * math.pi

# A surface function stays a plain Python function over arrays, and numba compiles the same
# function for scalars where compiled code calls it. No fastmath: the compiled results must round
# as NumPy's do. error_model="numpy": a division by zero gives inf/nan, as in NumPy, rather than
# raising ZeroDivisionError.
_JIT = dict(error_model="numpy")
_scalar = register_jitable(**_JIT)


@_scalar
def _bowl(x, y):
    """Round quadratic bowl: f = x² + y², ∇f = (2x, 2y)."""
    return x**2 + y**2, 2.0 * x, 2.0 * y


@_scalar
def _saddle(x, y):
    """Hyperbolic paraboloid: f = x² − y², ∇f = (2x, −2y)."""
    return x**2 - y**2, 2.0 * x, -2.0 * y


@_scalar
def _monkey_saddle(x, y):
    """Monkey saddle: f = x³ − 3xy², ∇f = (3x² − 3y², −6xy).

    Gradient and Hessian both vanish at the origin.
    """
    return x**3.0 - 3.0 * x * y**2, 3.0 * (x**2 - y**2), -6.0 * x * y


# The ravine's axes: u along the valley floor, v across it, rotated so that
# neither is a coordinate axis (per-coordinate methods cannot line up with it).
_RAVINE_ANGLE = math.radians(30.0)
_RAVINE_COS, _RAVINE_SIN = math.cos(_RAVINE_ANGLE), math.sin(_RAVINE_ANGLE)
_RAVINE_STEEPNESS = 50.0


@_scalar
def _ill_conditioned(x, y):
    """Rotated quadratic with condition number κ = 50.

    u = x cos θ + y sin θ,  v = −x sin θ + y cos θ,  θ = 30°
    f = ½ (u² + κ v²)
    ∇f = (u cos θ − κ v sin θ, u sin θ + κ v cos θ)
    """
    c, s, k = _RAVINE_COS, _RAVINE_SIN, _RAVINE_STEEPNESS
    u = c * x + s * y
    v = -s * x + c * y
    return 0.5 * (u**2 + k * v**2), c * u - k * s * v, s * u + k * c * v


_STRETCH = 50.0


@_scalar
def _stretched_bowl(x, y):
    """Axis-aligned narrow bowl with condition number κ = 50: f = ½ (x² + κ y²), ∇f = (x, κ y).

    Its axes are the coordinates, so a learning rate per coordinate (two parameter groups, each
    rate 1/curvature times the same factor) makes both coordinates shrink alike: a straight path.
    """
    return 0.5 * (x**2 + _STRETCH * y**2), x, _STRETCH * y


@_scalar
def _rosenbrock(x, y):
    """Rosenbrock's banana: f = (1 − x)² + 100 (y − x²)².

    ∇f = (−2 (1 − x) − 400 x (y − x²), 200 (y − x²))
    """
    a = y - x**2
    return (1.0 - x) ** 2 + 100.0 * a**2, -2.0 * (1.0 - x) - 400.0 * x * a, 200.0 * a


@_scalar
def _beale(x, y):
    """Beale's function: f = Σₖ rₖ², rₖ = cₖ − x + x yᵏ, c = (1.5, 2.25, 2.625).

    ∇f = (Σₖ 2 rₖ (yᵏ − 1), Σₖ 2 rₖ k x yᵏ⁻¹)
    """
    y2 = y * y
    y3 = y2 * y
    r1 = 1.5 - x + x * y
    r2 = 2.25 - x + x * y2
    r3 = 2.625 - x + x * y3
    loss = r1**2 + r2**2 + r3**2
    gx = 2.0 * (r1 * (y - 1.0) + r2 * (y2 - 1.0) + r3 * (y3 - 1.0))
    gy = 2.0 * x * (r1 + 2.0 * r2 * y + 3.0 * r3 * y2)
    return loss, gx, gy


@_scalar
def _two_minima(x, y):
    """Tilted double well: f = x⁴ − 0.4x³ − 2x² + 1.2x + y².

    ∂f/∂x = 4 (x² − 1)(x − 0.3): a deep valley at x = −1 (f = −1.8), a
    shallow one at x = 1 (f = −0.2), and a ridge between them at x = 0.3.
    ∂f/∂y = 2y.
    """
    loss = x**4.0 - 0.4 * x**3.0 - 2.0 * x**2 + 1.2 * x + y**2
    return loss, 4.0 * (x**2 - 1.0) * (x - 0.3), 2.0 * y


@_scalar
def _himmelblau(x, y):
    """Himmelblau's function: f = a² + b², a = x² + y − 11, b = x + y² − 7.

    ∇f = (4xa + 2b, 2a + 4yb)
    """
    a = x**2 + y - 11.0
    b = x + y**2 - 7.0
    return a**2 + b**2, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b


@_scalar
def _six_hump_camel(x, y):
    """Six-hump camel: f = (4 − 2.1x² + x⁴/3) x² + xy + (4y² − 4) y².

    ∇f = (8x − 8.4x³ + 2x⁵ + y, x − 8y + 16y³)
    """
    x2, y2 = x * x, y * y
    loss = (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (4.0 * y2 - 4.0) * y2
    gx = x * (8.0 - 8.4 * x2 + 2.0 * x2 * x2) + y
    gy = x + y * (16.0 * y2 - 8.0)
    return loss, gx, gy


@_scalar
def _styblinski_tang(x, y):
    """Styblinski–Tang: f = ½ Σ (t⁴ − 16t² + 5t) over t ∈ {x, y}.

    ∂f/∂t = 2t³ − 16t + 2.5, so each coordinate has a deep minimum near −2.90
    and a shallower one near 2.75: four minima in two dimensions.
    """
    def term(t):
        return 0.5 * (t**4.0 - 16.0 * t**2 + 5.0 * t), 2.0 * t**3.0 - 16.0 * t + 2.5

    fx, gx = term(x)
    fy, gy = term(y)
    return fx + fy, gx, gy


@_scalar
def _goldstein_price(x, y):
    """Goldstein–Price: f = A·C.

    A = 1 + a² B,   a = x + y + 1,   B = 19 − 14x + 3x² − 14y + 6xy + 3y²
    C = 30 + c² D,  c = 2x − 3y,     D = 18 − 32x + 12x² + 48y − 36xy + 27y²
    ∂A/∂x = ∂A/∂y = 2aB + a² (6x + 6y − 14)
    ∂C/∂x = 4cD + c² (24x − 36y − 32),  ∂C/∂y = −6cD + c² (54y − 36x + 48)
    ∇f = (A_x C + A C_x, A_y C + A C_y)
    """
    a = x + y + 1.0
    b = 19.0 - 14.0 * x + 3.0 * x**2 - 14.0 * y + 6.0 * x * y + 3.0 * y**2
    c = 2.0 * x - 3.0 * y
    d = 18.0 - 32.0 * x + 12.0 * x**2 + 48.0 * y - 36.0 * x * y + 27.0 * y**2
    big_a = 1.0 + a**2 * b
    big_c = 30.0 + c**2 * d
    da = 2.0 * a * b + a**2 * (6.0 * x + 6.0 * y - 14.0)
    dc_dx = 4.0 * c * d + c**2 * (24.0 * x - 36.0 * y - 32.0)
    dc_dy = -6.0 * c * d + c**2 * (54.0 * y - 36.0 * x + 48.0)
    return big_a * big_c, da * big_c + big_a * dc_dx, da * big_c + big_a * dc_dy


@_scalar
def _rastrigin(x, y):
    """Rastrigin: f = 20 + Σ (t² − 10 cos 2πt), ∂f/∂t = 2t + 20π sin 2πt."""
    loss = 20.0 + x**2 + y**2 - 10.0 * (np.cos(_TAU * x) + np.cos(_TAU * y))
    return loss, 2.0 * x + 10.0 * _TAU * np.sin(_TAU * x), 2.0 * y + 10.0 * _TAU * np.sin(_TAU * y)


@_scalar
def _ackley(x, y):
    """Ackley: f = −20 exp(−0.2 r) − exp(½ Σ cos 2πt) + e + 20, r = √(½(x² + y²)).

    ∂f/∂t = 2t exp(−0.2 r) / r + π sin(2πt) exp(½ Σ cos 2πt)

    The first term has no limit at r = 0 (the funnel's tip is a cone); we take
    it as 0 there, the subgradient of least norm.
    """
    r = np.hypot(x, y) * math.sqrt(0.5)  # hypot: no underflow to r = 0 for tiny x, y
    funnel = np.exp(-0.2 * r)
    ripple = np.exp(0.5 * (np.cos(_TAU * x) + np.cos(_TAU * y)))
    # t / r is bounded and t = 0 wherever r = 0, so dividing by 1 there gives 0
    # without a 0/0 (and without its RuntimeWarning). r ≥ 0, so r + (r == 0) is
    # np.where(r > 0, r, 1) written so that it also compiles for scalars.
    cone = 2.0 * funnel / (r + (r == 0.0))
    loss = -20.0 * funnel - ripple + math.e + 20.0
    gx = cone * x + math.pi * np.sin(_TAU * x) * ripple
    gy = cone * y + math.pi * np.sin(_TAU * y) * ripple
    return loss, gx, gy


@_scalar
def _plateau(x, y):
    """Gaussian well in a flat plain: f = 1 − exp(−(x² + y²)/2), ∇f = (x, y) exp(−(x² + y²)/2).

    At radius 4 the gradient is ~10⁻³; at radius 5, ~10⁻⁵.
    """
    well = np.exp(-0.5 * (x**2 + y**2))
    return 1.0 - well, x * well, y * well


# --- exact Hessians, derived by hand: (x, y) -> (f_xx, f_xy, f_yy) --------------------------------

def _bowl_hess(x, y):
    return 2.0, 0.0, 2.0


def _saddle_hess(x, y):
    return 2.0, 0.0, -2.0


def _monkey_saddle_hess(x, y):
    return 6.0 * x, -6.0 * y, -6.0 * x


def _ill_conditioned_hess(x, y):
    """Constant: R diag(1, κ) Rᵀ."""
    c, s, k = _RAVINE_COS, _RAVINE_SIN, _RAVINE_STEEPNESS
    return c * c + k * s * s, c * s * (1.0 - k), s * s + k * c * c


def _stretched_bowl_hess(x, y):
    return 1.0, 0.0, _STRETCH


def _rosenbrock_hess(x, y):
    """f_xx = 2 − 400 (y − x²) + 800 x², f_xy = −400 x, f_yy = 200."""
    return 2.0 - 400.0 * (y - x**2) + 800.0 * x**2, -400.0 * x, 200.0


def _beale_hess(x, y):
    """With rₖ as in ``_beale``, ∂rₖ/∂x = yᵏ − 1 and ∂rₖ/∂y = k x yᵏ⁻¹:

    f_xx = 2 Σ (yᵏ − 1)²
    f_xy = 2 Σ (k x yᵏ⁻¹ (yᵏ − 1) + rₖ k yᵏ⁻¹)
    f_yy = 2 Σ ((k x yᵏ⁻¹)² + rₖ k (k − 1) x yᵏ⁻²)
    """
    y2 = y * y
    y3 = y2 * y
    r1 = 1.5 - x + x * y
    r2 = 2.25 - x + x * y2
    r3 = 2.625 - x + x * y3
    a1, a2, a3 = y - 1.0, y2 - 1.0, y3 - 1.0  # ∂rₖ/∂x
    b1, b2, b3 = x, 2.0 * x * y, 3.0 * x * y2  # ∂rₖ/∂y
    hxx = 2.0 * (a1 * a1 + a2 * a2 + a3 * a3)
    hxy = 2.0 * (b1 * a1 + r1 + b2 * a2 + 2.0 * r2 * y + b3 * a3 + 3.0 * r3 * y2)
    hyy = 2.0 * (b1 * b1 + b2 * b2 + b3 * b3 + 2.0 * r2 * x + 6.0 * r3 * x * y)
    return hxx, hxy, hyy


def _two_minima_hess(x, y):
    return 12.0 * x**2 - 2.4 * x - 4.0, 0.0, 2.0


def _himmelblau_hess(x, y):
    """f_xx = 4a + 8x² + 2, f_xy = 4 (x + y), f_yy = 4b + 8y² + 2."""
    a = x**2 + y - 11.0
    b = x + y**2 - 7.0
    return 4.0 * a + 8.0 * x**2 + 2.0, 4.0 * (x + y), 4.0 * b + 8.0 * y**2 + 2.0


def _six_hump_camel_hess(x, y):
    """f_xx = 8 − 25.2x² + 10x⁴, f_xy = 1, f_yy = 48y² − 8."""
    x2 = x * x
    return 8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, 48.0 * y * y - 8.0


def _styblinski_tang_hess(x, y):
    """∂²f/∂t² = 6t² − 16 for each coordinate; no cross term."""
    return 6.0 * x**2 - 16.0, 0.0, 6.0 * y**2 - 16.0


def _goldstein_price_hess(x, y):
    """f = A·C with a, B, c, D as in ``_goldstein_price``; B' = ∂B/∂x = ∂B/∂y = 6x + 6y − 14,
    D_x = 24x − 36y − 32, D_y = 54y − 36x + 48.

    A_x = A_y = 2aB + a²B',  A_xx = A_xy = A_yy = 2B + 4aB' + 6a²
    C_xx = 8D + 8cD_x + 24c²,  C_xy = −12D + 4cD_y − 6cD_x − 36c²,  C_yy = 18D − 12cD_y + 54c²
    f_xx = A_xx C + 2A_x C_x + A C_xx,  f_xy = A_xy C + A_x C_y + A_y C_x + A C_xy,
    f_yy = A_yy C + 2A_y C_y + A C_yy
    """
    a = x + y + 1.0
    b = 19.0 - 14.0 * x + 3.0 * x**2 - 14.0 * y + 6.0 * x * y + 3.0 * y**2
    db = 6.0 * x + 6.0 * y - 14.0
    c = 2.0 * x - 3.0 * y
    d = 18.0 - 32.0 * x + 12.0 * x**2 + 48.0 * y - 36.0 * x * y + 27.0 * y**2
    dd_dx = 24.0 * x - 36.0 * y - 32.0
    dd_dy = 54.0 * y - 36.0 * x + 48.0
    big_a = 1.0 + a**2 * b
    big_c = 30.0 + c**2 * d
    da = 2.0 * a * b + a**2 * db
    d2a = 2.0 * b + 4.0 * a * db + 6.0 * a**2
    dc_dx = 4.0 * c * d + c**2 * dd_dx
    dc_dy = -6.0 * c * d + c**2 * dd_dy
    dc_xx = 8.0 * d + 8.0 * c * dd_dx + 24.0 * c**2
    dc_xy = -12.0 * d + 4.0 * c * dd_dy - 6.0 * c * dd_dx - 36.0 * c**2
    dc_yy = 18.0 * d - 12.0 * c * dd_dy + 54.0 * c**2
    hxx = d2a * big_c + 2.0 * da * dc_dx + big_a * dc_xx
    hxy = d2a * big_c + da * dc_dy + da * dc_dx + big_a * dc_xy
    hyy = d2a * big_c + 2.0 * da * dc_dy + big_a * dc_yy
    return hxx, hxy, hyy


def _rastrigin_hess(x, y):
    """∂²f/∂t² = 2 + 40π² cos 2πt; no cross term."""
    k = 10.0 * _TAU * _TAU
    return 2.0 + k * np.cos(_TAU * x), 0.0, 2.0 + k * np.cos(_TAU * y)


def _ackley_hess(x, y):
    """Funnel F = −20 exp(−0.2 r), with φ = exp(−0.2 r):
    F_ij = (2φ / r) δᵢⱼ − tᵢ tⱼ φ (1 + 0.2 r) / r³.
    Ripple R = −exp(S), S = ½ Σ cos 2πt:
    R_tt = π² e^S (2 cos 2πt − sin² 2πt),  R_xy = −π² e^S sin 2πx sin 2πy.

    At the cone's tip (r = 0) there is no Hessian; as for the gradient we take r as 1 in the
    divisions there, which gives a finite value (2 on the diagonal, from the funnel).
    """
    r = np.hypot(x, y) * math.sqrt(0.5)
    funnel = np.exp(-0.2 * r)
    ripple = np.exp(0.5 * (np.cos(_TAU * x) + np.cos(_TAU * y)))
    safe_r = r + (r == 0.0)
    cone = 2.0 * funnel / safe_r
    bend = funnel * (1.0 + 0.2 * r) / safe_r**3.0
    sx, sy = np.sin(_TAU * x), np.sin(_TAU * y)
    k = math.pi * math.pi * ripple
    hxx = cone - x * x * bend + k * (2.0 * np.cos(_TAU * x) - sx * sx)
    hxy = -x * y * bend - k * sx * sy
    hyy = cone - y * y * bend + k * (2.0 * np.cos(_TAU * y) - sy * sy)
    return hxx, hxy, hyy


def _plateau_hess(x, y):
    """With w = exp(−(x² + y²)/2): f_xx = w (1 − x²), f_xy = −x y w, f_yy = w (1 − y²)."""
    well = np.exp(-0.5 * (x**2 + y**2))
    return well * (1.0 - x**2), -x * y * well, well * (1.0 - y**2)


# --- compiled value-and-grad -----------------------------------------------------------------------

# Every surface function, in a fixed order: a surface's compiled value-and-grad is the kernel
# below with its index here, and the kernel's branches follow the same order (a test checks
# every surface's compiled results against its NumPy ones).
_SURFACES = (_bowl, _saddle, _monkey_saddle, _ill_conditioned, _stretched_bowl, _rosenbrock, _beale,
             _two_minima, _himmelblau, _six_hump_camel, _styblinski_tang, _goldstein_price, _rastrigin,
             _ackley, _plateau)
_N_SURFACES = len(_SURFACES)
_HESSIANS = {f: globals()[f.__name__ + "_hess"] for f in _SURFACES}


@numba.njit(inline="always", **_JIT)
def _over_points(point, P, f, G):
    for i in range(P.shape[0]):
        v, gx, gy = point(P[i, 0], P[i, 1])
        f[i] = v
        G[i, 0] = gx
        G[i, 1] = gy


# One module-level kernel for every surface, so that numba's on-disk cache serves it across
# processes: it cannot cache a function made in a factory, nor one that takes a jitted function
# from Python (which also costs ~16 µs a call). Each branch is its own loop, specialised to one
# surface and inlined (a branch inside the loop measured ~1.5x slower).
@numba.njit(cache=True, **_JIT)
def _value_and_grad_kernel(which, P, f, G):
    n = P.shape[0]
    if P.shape[1] != 2 or f.shape[0] != n or G.shape[0] != n or G.shape[1] != 2:
        raise ValueError("compiled value_and_grad needs P (n, 2), f (n,) and G (n, 2)")
    if which < 0 or which >= _N_SURFACES:
        raise ValueError("no such analytic surface")
    if which == 0:
        _over_points(_bowl, P, f, G)
    elif which == 1:
        _over_points(_saddle, P, f, G)
    elif which == 2:
        _over_points(_monkey_saddle, P, f, G)
    elif which == 3:
        _over_points(_ill_conditioned, P, f, G)
    elif which == 4:
        _over_points(_stretched_bowl, P, f, G)
    elif which == 5:
        _over_points(_rosenbrock, P, f, G)
    elif which == 6:
        _over_points(_beale, P, f, G)
    elif which == 7:
        _over_points(_two_minima, P, f, G)
    elif which == 8:
        _over_points(_himmelblau, P, f, G)
    elif which == 9:
        _over_points(_six_hump_camel, P, f, G)
    elif which == 10:
        _over_points(_styblinski_tang, P, f, G)
    elif which == 11:
        _over_points(_goldstein_price, P, f, G)
    elif which == 12:
        _over_points(_rastrigin, P, f, G)
    elif which == 13:
        _over_points(_ackley, P, f, G)
    else:  # 14
        _over_points(_plateau, P, f, G)


def _surface(name, f, **fields) -> Landscape:
    """``fused(name, f, ...)`` with the compiled value-and-grad of the same function ``f``, and its
    hand-derived Hessian ``<f>_hess``."""
    compiled = functools.partial(_value_and_grad_kernel, _SURFACES.index(f))
    return fused(name, f, hess=_HESSIANS[f], compiled_value_and_grad=compiled, **fields)


# Minima to 16 digits, from Newton's method in 30-digit arithmetic.
_HIMMELBLAU_MINIMA = [
    (3.0, 2.0),
    (-2.8051180869527449, 3.1313125182505730),
    (-3.7793102533777469, -3.2831859912861694),
    (3.5844283403304917, -1.8481265269644036),
]
_CAMEL_MINIMA = [  # global (f ≈ −1.0316), then f ≈ −0.2155, then f ≈ 2.1043
    (0.089842013100318062, -0.71265640302073963),
    (-0.089842013100318062, 0.71265640302073963),
    (1.7036067149699808, -0.79608356867262512),
    (-1.7036067149699808, 0.79608356867262512),
    (1.6071047529201972, 0.56865145488413137),
    (-1.6071047529201972, -0.56865145488413137),
]
_ST_DEEP, _ST_SHALLOW = -2.9035340277711771, 2.7468027709908370  # roots of 2t³ − 16t + 2.5
_STYBLINSKI_TANG_MINIMA = [
    (_ST_DEEP, _ST_DEEP),
    (_ST_DEEP, _ST_SHALLOW),
    (_ST_SHALLOW, _ST_DEEP),
    (_ST_SHALLOW, _ST_SHALLOW),
]

REGISTRY: dict[str, Landscape] = {landscape.name: landscape for landscape in (
    _surface("bowl", _bowl, title="Bowl", bounds=((-2, 2), (-2, 2)), minima=[(0, 0)], start=(-1.5, 1.2),
          description="A round bowl: every optimizer walks straight downhill; too large a step overshoots."),
    _surface("saddle", _saddle, title="Saddle", bounds=((-2, 2), (-2, 2)), start=(-1.8, 0.02),
          description="A saddle point: plain descent slides in and lingers; momentum escapes downhill sooner."),
    _surface("monkey_saddle", _monkey_saddle, title="Monkey saddle", bounds=((-1.5, 1.5), (-1.5, 1.5)),
          start=(1.2, 0.05),
          description="A flat three-way saddle: gradient and curvature both vanish, so descent crawls past it."),
    _surface("ill_conditioned", _ill_conditioned, title="Rotated ravine (κ = 50)", bounds=((-2, 2), (-2, 2)),
          minima=[(0, 0)], start=(-1.8, -0.6), log_scale=True,
          description="A narrow rotated valley: GD zig-zags across it, momentum smooths it, Adam's per-axis steps can't align."),
    _surface("stretched_bowl", _stretched_bowl, title="Stretched bowl (κ = 50)", bounds=((-2, 2), (-1, 1)),
          minima=[(0, 0)], start=(-1.8, 0.5),
          description="A narrow bowl along the axes: one rate must suit steep y, so x crawls; a rate per axis fixes it."),
    _surface("rosenbrock", _rosenbrock, title="Rosenbrock", bounds=((-2, 2), (-1, 3)), minima=[(1, 1)],
          start=(-1.5, 2.0), log_scale=True,
          description="A curved narrow valley: momentum helps, plain GD crawls along the floor."),
    _surface("beale", _beale, title="Beale", bounds=((-4.5, 4.5), (-4.5, 4.5)), minima=[(3, 0.5)],
          start=(0.7, 1.4), log_scale=True,
          description="Flat basins beside steep walls: one step size cannot suit both, adaptive methods cope."),
    _surface("two_minima", _two_minima, title="Two valleys", bounds=((-2, 2), (-1.5, 1.5)),
          minima=[(-1, 0), (1, 0)], start=(1.8, 1.2),
          description="A shallow valley and a deep one: the start and momentum decide where you settle."),
    _surface("himmelblau", _himmelblau, title="Himmelblau", bounds=((-5, 5), (-5, 5)), minima=_HIMMELBLAU_MINIMA,
          start=(-0.3, -0.9), log_scale=True,
          description="Four equally good minima: a small change of start or optimizer picks a different one."),
    _surface("six_hump_camel", _six_hump_camel, title="Six-hump camel", bounds=((-2, 2), (-1, 1)),
          minima=_CAMEL_MINIMA, start=(-1.9, -0.2),
          description="Six minima of three depths: plain descent stops in the nearest, not the deepest."),
    _surface("styblinski_tang", _styblinski_tang, title="Styblinski–Tang", bounds=((-5, 5), (-5, 5)),
          minima=_STYBLINSKI_TANG_MINIMA, start=(4.5, 4.5), log_scale=True,
          description="Four minima of unequal depth: descent from the corner finds the shallowest one."),
    _surface("goldstein_price", _goldstein_price, title="Goldstein–Price", bounds=((-2, 2), (-2, 2)),
          minima=[(0, -1), (-0.6, -0.4), (1.8, 0.2), (1.2, 0.8)], start=(1.5, 1.5), log_scale=True,
          description="Local minima in valleys spanning six decades of loss: step size and start both matter."),
    _surface("rastrigin", _rastrigin, title="Rastrigin", bounds=((-5.12, 5.12), (-5.12, 5.12)), minima=[(0, 0)],
          start=(3.3, -2.7),
          description="An egg crate of local minima: descent stops in the nearest dimple, far from the centre."),
    _surface("ackley", _ackley, title="Ackley", bounds=((-5, 5), (-5, 5)), minima=[(0, 0)], start=(3.2, -2.4),
          description="A deep funnel under bumpy ripples: large or noisy steps see the funnel, small ones get stuck."),
    _surface("plateau", _plateau, title="Plateau", bounds=((-5, 5), (-5, 5)), minima=[(0, 0)], start=(3.5, 3.0),
          description="A flat plain around one well: the gradient nearly vanishes, so GD stalls while Adam strides."),
)}
