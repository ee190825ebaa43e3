"""The Landscape record: a loss surface over d parameters (two by default), with its exact gradient."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Mapping, Optional, Tuple

import numpy as np

Array = np.ndarray
Bounds = Tuple[Tuple[float, float], Tuple[float, float]]


# The default 2-D view. Compared by identity: a landscape of dim != 2 left at this default has no view.
_DEFAULT_VIEW: Bounds = ((-2.0, 2.0), (-2.0, 2.0))
# The models a dataset landscape's ``samples`` may describe: a fitted line, or a linear decision boundary.
DATA_MODELS = frozenset({"line", "boundary"})


def _as_points(P, dim: int = 2) -> Array:
    P = np.asarray(P, dtype=np.float64)
    if P.shape[-1:] != (dim,):
        raise ValueError(f"points must have shape (..., {dim}), got {P.shape}")
    return P


def _view(bounds) -> Bounds:
    try:
        (x0, x1), (y0, y1) = bounds
        view = ((float(x0), float(x1)), (float(y0), float(y1)))
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)), got {bounds!r}") from None
    if not all(np.isfinite(view).ravel()) or not (view[0][0] < view[0][1] and view[1][0] < view[1][1]):
        raise ValueError(f"bounds must be finite with min < max, got {bounds!r}")
    return view


def _minima(minima, dim: int) -> Array:
    m = np.asarray(minima, dtype=np.float64)
    if m.size == 0:
        m = np.zeros((0, dim))
    elif m.ndim == 1 and m.size == dim:
        m = m.reshape(1, dim)
    elif m.ndim == 1 and dim == 2 and m.size % 2 == 0:
        m = m.reshape(-1, 2)  # a flat list of x, y pairs, as 2-D landscapes have always accepted
    if m.ndim != 2 or m.shape[1] != dim:
        raise ValueError(f"minima must have shape (k, {dim}) for a landscape of dim={dim}, got {np.shape(minima)}")
    m.setflags(write=False)
    return m


@dataclasses.dataclass(frozen=True, eq=False)
class Landscape:
    """A loss surface f(p) over d parameters (d = ``dim``, 2 by default) with an exact gradient.

    ``loss(P)`` maps points of shape (..., d) to (...); ``grad(P)`` maps them to
    (..., d). Both are vectorised: no Python loop over points. For d = 2 the
    parameters are x and y and the surface has a 2-D view.

    Args:
      name: registry key (kebab- or snake-case, no spaces).
      loss: vectorised loss, (..., d) -> (...).
      grad: vectorised exact gradient, (..., d) -> (..., d).
      bounds: ((xmin, xmax), (ymin, ymax)), the default view. Needed only
        where a 2-D view is drawn: for dim != 2 it defaults to None.
      minima: (k, d) known minima (k may be 0).
      start: a d-tuple, a start point that shows the surface's lesson; for
        dim 2 it defaults to a point a quarter of the way in from the
        lower-left corner of the view, otherwise to the origin.
      title: human-readable name; defaults to ``name``.
      description: one line saying what the surface teaches.
      value_and_grad: optional fused ``P -> (loss, grad)`` that shares work
        between the two; the run loop calls it once per step. Defaults to
        calling ``loss`` and ``grad``.
      log_scale: whether views should colour the surface by log(loss - min)
        (surfaces whose values span many decades, e.g. Rosenbrock).
      n_samples: for a dataset landscape, how many samples its loss averages
        over (0 for an analytic surface). ``loss``/``grad`` are then the
        full-batch mean, and ``optimizers.run(..., batch_size=k)`` draws real
        mini-batches through ``batch_value_and_grad``.
      batch_value_and_grad: ``(P, idx) -> (loss, grad)`` for a dataset
        landscape: P (n, 2) points, idx (n, b) integer sample indices, one
        row per run; returns each run's mean loss (n,) and mean gradient
        (n, 2) over its own b samples.
      dim: the number of parameters d, a positive integer.
      compiled_value_and_grad: optional numba-compiled ``(P, f, G) -> None``
        for P (n, d) C-contiguous float64 points: writes the loss into f (n,)
        and the gradient into G (n, d) in place. The run loop calls it once
        per step when it is given, else ``value_and_grad``. It must compute
        the same formula as ``value_and_grad``.
      hessian: optional exact Hessian, (..., d) -> (..., d, d).
      axis_names: what the d parameters are called, for axis titles:
        ("x", "y") by default for d = 2 (x1 ... xd otherwise); a dataset
        names its model's weights, e.g. ("w", "b").
      samples: for a dataset landscape, its samples and the model the
        parameters p define, for a view of the data with the current fit:
        ``{"model": "line", "x": (n,), "y": (n,)}`` (y ≈ p₀ x + p₁) or
        ``{"model": "boundary", "x1": (n,), "x2": (n,), "label": (n,) of
        ±1}`` (class +1 where p₀ x₁ + p₁ x₂ > 0). None for a formula.
    """

    name: str
    loss: Callable[[Array], Array]
    grad: Callable[[Array], Array]
    bounds: Optional[Bounds] = _DEFAULT_VIEW
    minima: Array = dataclasses.field(default_factory=lambda: np.zeros((0, 2)))
    start: Optional[Tuple[float, float]] = None
    title: str = ""
    description: str = ""
    value_and_grad: Optional[Callable[[Array], Tuple[Array, Array]]] = None
    log_scale: bool = False
    n_samples: int = 0
    batch_value_and_grad: Optional[Callable[[Array, Array], Tuple[Array, Array]]] = None
    dim: int = 2
    compiled_value_and_grad: Optional[Callable[[Array, Array, Array], None]] = None
    hessian: Optional[Callable[[Array], Array]] = None
    axis_names: Tuple[str, ...] = ()
    samples: Optional[Mapping[str, Any]] = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("a landscape needs a non-empty name")
        dim = self.dim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
            raise ValueError(f"dim must be a positive integer, got {dim!r}")
        dim = int(dim)
        if not callable(self.loss) or not callable(self.grad):
            raise ValueError(f"loss and grad must be callables over points of shape (..., {dim})")
        if self.compiled_value_and_grad is not None and not callable(self.compiled_value_and_grad):
            raise ValueError("compiled_value_and_grad must be None or a callable (P, f, G) -> None")
        if self.hessian is not None and not callable(self.hessian):
            raise ValueError(f"hessian must be None or a callable over points of shape (..., {dim})")
        if dim == 2:
            bounds = _view(self.bounds)
        elif self.bounds is None or self.bounds is _DEFAULT_VIEW:
            bounds = None  # nothing to draw: the view is only for 2-D surfaces (or a 2-D slice)
        else:
            bounds = _view(self.bounds)
        if isinstance(self.n_samples, bool) or not isinstance(self.n_samples, (int, np.integer)) or self.n_samples < 0:
            raise ValueError(f"n_samples must be a non-negative integer, got {self.n_samples!r}")
        if self.n_samples and not callable(self.batch_value_and_grad):
            raise ValueError("a dataset landscape (n_samples > 0) needs batch_value_and_grad(P, idx)")
        minima = _minima(self.minima, dim)
        if self.start is None and dim == 2:
            start = (bounds[0][0] + 0.25 * (bounds[0][1] - bounds[0][0]),
                     bounds[1][0] + 0.25 * (bounds[1][1] - bounds[1][0]))
        elif self.start is None:
            start = (0.0,) * dim
        else:
            try:
                start = tuple(float(v) for v in np.asarray(self.start, dtype=np.float64).reshape(-1))
            except (TypeError, ValueError):
                raise ValueError(f"start must be {dim} numbers, got {self.start!r}") from None
            if len(start) != dim:
                raise ValueError(f"start must be {dim} numbers for a landscape of dim={dim}, got {self.start!r}")
        names = tuple(self.axis_names) or (("x", "y") if dim == 2 else tuple(f"x{i + 1}" for i in range(dim)))
        if len(names) != dim or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"axis_names must be {dim} non-empty strings, got {self.axis_names!r}")
        if self.samples is not None and (not isinstance(self.samples, Mapping)
                                         or self.samples.get("model") not in DATA_MODELS):
            raise ValueError(f"samples must be None or a mapping with model in {sorted(DATA_MODELS)}")
        object.__setattr__(self, "axis_names", names)
        object.__setattr__(self, "dim", dim)
        object.__setattr__(self, "bounds", bounds)
        object.__setattr__(self, "minima", minima)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "title", self.title or self.name)
        if self.value_and_grad is None:
            loss, grad = self.loss, self.grad
            object.__setattr__(self, "value_and_grad", lambda P: (loss(P), grad(P)))

    def __repr__(self) -> str:
        if self.dim != 2:
            return f"Landscape(name={self.name!r}, dim={self.dim}, minima={len(self.minima)})"
        return f"Landscape(name={self.name!r}, bounds={self.bounds}, minima={self.minima.tolist()})"

    def nearest_minimum_distance(self, P) -> Array:
        """Distance from each point of P (..., d) to the nearest known minimum (NaN if none known)."""
        P = _as_points(P, self.dim)
        if len(self.minima) == 0:
            return np.full(P.shape[:-1], np.nan)
        d = np.linalg.norm(P[..., None, :] - self.minima, axis=-1)
        return d.min(axis=-1)


def fused(name: str, f: Callable[[Array, Array], Tuple[Array, Array, Array]], hess=None, **fields) -> Landscape:
    """Build a Landscape from one function ``f(x, y) -> (loss, dloss/dx, dloss/dy)``.

    Writing the loss and its gradient in one place keeps them from drifting
    apart, and lets them share subexpressions in the run loop. ``f`` may
    return scalars for constant terms; they are broadcast to the points'
    shape. Overflow and invalid operations (far out, where a run diverged)
    give inf/nan without a RuntimeWarning.

    ``hess(x, y) -> (f_xx, f_xy, f_yy)``, if given, is the exact Hessian in the same form; it
    becomes the landscape's ``hessian``, mapping (..., 2) to (..., 2, 2).
    """

    def value_and_grad(P):
        if type(P) is not np.ndarray or P.dtype != np.float64:
            P = _as_points(P)
        elif P.shape[-1:] != (2,):
            raise ValueError(f"points must have shape (..., 2), got {P.shape}")
        # A diverging run walks off to huge coordinates: let the loss become
        # inf/nan quietly there, so the run loop can report the divergence.
        with np.errstate(over="ignore", invalid="ignore"):
            v, gx, gy = f(P[..., 0], P[..., 1])
        shape = P.shape[:-1]
        G = np.empty(P.shape)
        G[..., 0] = gx  # assignment broadcasts a constant term (d/dy of x**2 + 3*y is 3)
        G[..., 1] = gy
        if np.shape(v) != shape or not isinstance(v, np.ndarray):
            v = np.broadcast_to(v, shape).copy()[()]
        return v, G

    def hessian(P):
        P = _as_points(P)
        with np.errstate(over="ignore", invalid="ignore"):
            hxx, hxy, hyy = hess(P[..., 0], P[..., 1])
        H = np.empty(P.shape + (2,))
        H[..., 0, 0] = hxx  # broadcasts constant entries, as for the gradient
        H[..., 0, 1] = hxy
        H[..., 1, 0] = hxy
        H[..., 1, 1] = hyy
        return H

    return Landscape(
        name=name,
        loss=lambda P: value_and_grad(P)[0],
        grad=lambda P: value_and_grad(P)[1],
        value_and_grad=value_and_grad,
        hessian=None if hess is None else hessian,
        **fields,
    )


def compiled(name: str, kernel: Callable[[Array, Array, Array], None], dim: int, **fields) -> Landscape:
    """Build a Landscape over ``dim`` parameters from one compiled ``kernel(P, f, G) -> None``.

    The kernel takes P (n, dim) C-contiguous float64 points and writes the loss into f (n,) and
    the gradient into G (n, dim). It is the landscape's ``compiled_value_and_grad``, and its
    ``loss``/``grad``/``value_and_grad`` over points of any shape (..., dim) go through it too,
    so the maths is written once.
    """

    def value_and_grad(P):
        P = _as_points(P, dim)
        flat = np.ascontiguousarray(P.reshape(-1, dim))
        f, G = np.empty(len(flat)), np.empty(flat.shape)
        kernel(flat, f, G)
        return f.reshape(P.shape[:-1])[()], G.reshape(P.shape)

    return Landscape(
        name=name,
        loss=lambda P: value_and_grad(P)[0],
        grad=lambda P: value_and_grad(P)[1],
        value_and_grad=value_and_grad,
        compiled_value_and_grad=kernel,
        dim=dim,
        **fields,
    )
