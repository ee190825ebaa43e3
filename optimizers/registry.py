"""The optimizer registry: names, torch's defaults, validation, and building an Optimizer.

Adding an optimizer means its family module under ``rules/`` (maths docstring, defaults,
validation, state, compiled kernel, ``explain``, controls), one entry in ``_REGISTRY``, and
its rows in the tests' optimizer table. The app's dropdowns, override panels, update-rule
cards and step inspector are built from ``names()`` and ``info()`` alone.
"""

from __future__ import annotations

import dataclasses
import warnings
from types import MappingProxyType, ModuleType
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from ._meta import Control, Inputs, vocabulary
from .rules import (adadelta, adafactor, adagrad, adam, adamax, asgd, lbfgs, lion, nadam, newton, prodigy, radam,
                    rmsprop, rprop, schedulefree, sgd)


@dataclasses.dataclass(frozen=True)
class OptimizerInfo:
    """What the UI and the docs need to know about a registry entry.

    ``family`` is the class that implements it (torch's, or the reference package's);
    ``kind`` the broader family the page's picker lists it under (``KINDS``).
    ``defaults`` are torch's defaults with the entry's preset applied (the
    hyperparameters a user may set); ``momentum_param`` names what the app's
    momentum slider sets: ``"momentum"``, ``"beta1"`` or None.
    """

    name: str
    title: str
    family: str
    description: str
    defaults: Mapping[str, Any]
    momentum_param: Optional[str]
    module: ModuleType = dataclasses.field(repr=False)
    fixed: Mapping[str, Any] = dataclasses.field(default_factory=dict, repr=False)
    kind: str = ""

    @property
    def maths(self) -> str:
        """The update rule in LaTeX with its conventions: the module docstring, written once."""
        return self.module.__doc__

    @property
    def controls(self) -> Tuple[Control, ...]:
        """The hyperparameters the page offers for this entry, in panel order (fixed ones left out)."""
        return tuple(c for c in self.module.CONTROLS if c.key not in self.fixed)

    @property
    def symbols(self) -> Mapping[str, str]:
        """Engine name -> LaTeX symbol, for every hyperparameter with one."""
        return {c.key: c.symbol for c in self.module.CONTROLS if c.symbol}

    @property
    def flags(self) -> Mapping[str, str]:
        """Engine name -> label, for every switch this entry has (offered, fixed or torch's own, e.g. maximize)."""
        known = {**vocabulary(), **{c.key: c for c in self.module.CONTROLS}}
        keys = [k for k in (*self.defaults, *self.fixed) if k in known and known[k].kind == "bool"]
        return {k: known[k].label for k in keys}

    @property
    def state_fields(self) -> Tuple[str, ...]:
        """The names of the buffers the kernel keeps, as ``run(..., record_state=True)`` records them."""
        return tuple(name for name, _ in self.module.STATE)

    def keeps_state(self, hyper: Mapping[str, Any]) -> bool:
        """Whether the rule carries buffers from step to step with these resolved hyperparameters."""
        own = getattr(self.module, "keeps_state", None)
        return True if own is None else own(hyper)

    def stability(self, settings: Mapping[str, Any]) -> Optional[dict]:
        """The rule's stability limit on a quadratic with these resolved hyperparameters, as its module
        states it (``stability(hp)``: formula, bound(μ), momentum, shift, scale(μ)), or None when the
        rule has no known one (adaptive rules) or these settings have none: see ``optimizers.curvature``."""
        own = getattr(self.module, "stability", None)
        return None if own is None else own(settings)

    def explain(self, inputs: Inputs) -> dict:
        """The inspector's rows, effective rate, direction and (where the step is not
        ``-effective * direction``) its predicted update, from recorded buffers: see ``Inputs``."""
        return self.module.explain(inputs)


# The broader families, in the order the picker lists them, each with what its members share.
KINDS: Dict[str, str] = {
    "Gradient descent": "A step against the gradient, with or without momentum or averaging.",
    "Adaptive rates": "Each coordinate's rate follows the size or the sign of its own gradients.",
    "Adam family": "Momentum divided by a running root-mean-square of the gradients.",
    "Sign and schedule-free": "Newer rules: sign steps (Lion), no schedule (Schedule-Free), "
                              "a learnt step size (Prodigy).",
    "Second order": "Steps shaped by curvature: the exact Hessian (Newton) or one built from gradients (L-BFGS).",
}


def _entry(name, title, family, module, description, preset=None, fixed=None, momentum_param=None, kind=""):
    if kind not in KINDS:
        raise ValueError(f"{name}: kind {kind!r} is not one of {', '.join(KINDS)}")
    defaults = dict(module.DEFAULTS)
    fixed = dict(fixed or {})
    for key in fixed:
        defaults.pop(key, None)
    defaults.update(preset or {})
    return OptimizerInfo(name, title, family, description, MappingProxyType(defaults), momentum_param,
                         module, MappingProxyType(fixed), kind)


_REGISTRY: Dict[str, OptimizerInfo] = {
    e.name: e
    for e in [
        _entry("gd", "Gradient descent", "SGD", sgd,
               "Plain gradient descent: a fixed step against the gradient.", kind="Gradient descent"),
        _entry("sgd", "SGD", "SGD", sgd, sgd.SUMMARY, kind="Gradient descent"),
        _entry("momentum", "Momentum", "SGD", sgd,
               "SGD with heavy-ball momentum 0.9: gathers speed along valleys, overshoots at bends.",
               preset=dict(momentum=0.9), momentum_param="momentum", kind="Gradient descent"),
        _entry("nesterov", "Nesterov", "SGD", sgd,
               "SGD with Nesterov momentum 0.9: looks ahead along its velocity, so it brakes before it overshoots.",
               preset=dict(momentum=0.9, nesterov=True), momentum_param="momentum", kind="Gradient descent"),
        _entry("adagrad", "Adagrad", "Adagrad", adagrad, adagrad.SUMMARY, kind="Adaptive rates"),
        _entry("rmsprop", "RMSprop", "RMSprop", rmsprop, rmsprop.SUMMARY, kind="Adaptive rates"),
        _entry("adadelta", "AdaDelta", "Adadelta", adadelta, adadelta.SUMMARY, kind="Adaptive rates"),
        _entry("adam", "Adam", "Adam", adam, adam.SUMMARY, momentum_param="beta1", kind="Adam family"),
        _entry("adamw", "AdamW", "AdamW", adam,
               "Adam with decoupled weight decay: the point shrinks towards zero apart from the gradient step.",
               preset=dict(weight_decay=1e-2), fixed=dict(decoupled_weight_decay=True), momentum_param="beta1",
               kind="Adam family"),
        _entry("amsgrad", "AMSGrad", "Adam", adam,
               "Adam that never lets its second-moment estimate shrink, so its steps never grow back.",
               preset=dict(amsgrad=True), momentum_param="beta1", kind="Adam family"),
        _entry("nadam", "NAdam", "NAdam", nadam, nadam.SUMMARY, momentum_param="beta1", kind="Adam family"),
        _entry("radam", "RAdam", "RAdam", radam, radam.SUMMARY, momentum_param="beta1", kind="Adam family"),
        _entry("adamax", "Adamax", "Adamax", adamax, adamax.SUMMARY, momentum_param="beta1", kind="Adam family"),
        _entry("rprop", "Rprop", "Rprop", rprop, rprop.SUMMARY, kind="Adaptive rates"),
        _entry("asgd", "ASGD", "ASGD", asgd, asgd.SUMMARY, kind="Gradient descent"),
        _entry("lion", "Lion", "Lion", lion, lion.SUMMARY, momentum_param="beta1", kind="Sign and schedule-free"),
        _entry("adafactor", "Adafactor", "Adafactor", adafactor, adafactor.SUMMARY, kind="Adam family"),
        _entry("schedulefree_adamw", "Schedule-Free AdamW", "AdamWScheduleFree", schedulefree, schedulefree.SUMMARY,
               momentum_param="beta1", kind="Sign and schedule-free"),
        _entry("prodigy", "Prodigy", "Prodigy", prodigy, prodigy.SUMMARY, momentum_param="beta1",
               kind="Sign and schedule-free"),
        _entry("newton", "Newton", "Newton", newton, newton.SUMMARY, kind="Second order"),
        _entry("lbfgs", "L-BFGS", "LBFGS", lbfgs, lbfgs.SUMMARY, kind="Second order"),
    ]
}

_BOOL = {"nesterov", "amsgrad", "centered", "maximize", "decoupled_weight_decay"}


def names() -> List[str]:
    """Registry names, in the order the app lists them."""
    return list(_REGISTRY)


def info(name: str) -> OptimizerInfo:
    """The registry entry for ``name``; ValueError listing the known names otherwise."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(_REGISTRY)}") from None


class KernelState(NamedTuple):
    """One optimizer's state for ``Optimizer.init``/``update``: the step count and its buffers by name."""

    step: int
    buffers: Mapping[str, np.ndarray]

    def __getattr__(self, name):
        try:
            return self.buffers[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclasses.dataclass(frozen=True, eq=False)
class Optimizer:
    """A configured optimizer: a registry entry and its resolved hyperparameters.

    ``hyper`` holds one value per hyperparameter (``betas`` split into ``beta1`` and
    ``beta2``): a Python scalar when it is the same everywhere, else an array that
    broadcasts against (n_runs, d): per run (n, 1), per coordinate (d,) (parameter
    groups), or both.
    """

    name: str
    info: OptimizerInfo
    hyper: Mapping[str, Any]
    segment: Any = 0.0   # each coordinate's parameter group (d,), or 0.0 for one group: torch's tensors

    @property
    def lr(self):
        return self.hyper["lr"]

    @property
    def kernel(self):
        return self.info.module.kernel

    @property
    def closure(self) -> bool:
        """Whether the rule evaluates the landscape itself, as torch's ``step(closure)`` does (L-BFGS):
        the run loop then calls the module's ``step_closure`` per run instead of a compiled kernel."""
        return bool(getattr(self.info.module, "CLOSURE", False))

    def with_lr(self, lr) -> "Optimizer":
        """The same optimizer with another learning rate: a scalar, or an array that broadcasts against
        (n_runs, d), e.g. (n, 1) for a sweep. torch's message for a negative one."""
        lr = _number(self.name, "lr", lr)
        _check_value(lr, lambda v: 0.0 <= v, "Invalid learning rate: {}")
        _check_broadcast("lr", lr)
        return Optimizer(self.name, self.info, MappingProxyType({**self.hyper, "lr": _collapse(lr)}))

    def hyper_rows(self, n: int, d: int) -> np.ndarray:
        """The kernel's ``H``: (K, 1) when every value is a scalar, else (K, n * d), run-major.

        A module that reduces over one torch tensor (Adafactor's RMS, Prodigy's dot products)
        lists ``"group"`` in its ``HYPER``: that row holds each coordinate's parameter group,
        the index of the torch tensor it belongs to (0 everywhere without groups)."""
        names = self.info.module.HYPER
        values = [self.segment if k == "group" else self.hyper[k] for k in names]
        if all(np.ndim(v) == 0 for v in values):
            return np.array([[float(v)] for v in values], dtype=np.float64).reshape(len(names), 1)
        H = np.empty((len(names), n * d))
        for row, v in zip(H, values):
            row[:] = np.broadcast_to(np.asarray(v, dtype=np.float64), (n, d)).ravel()
        return H

    def lr_row(self, n: int, d: int) -> np.ndarray:
        """The kernel's ``LR`` for the optimizer's own rate: (1,) or (n * d,)."""
        if np.ndim(self.lr) == 0:
            return np.array([float(self.lr)])
        return np.ascontiguousarray(np.broadcast_to(np.asarray(self.lr, dtype=np.float64), (n, d))).ravel()

    def init_state(self, n: int, d: int) -> np.ndarray:
        """The kernel's ``S``: (F, n * d), each field at its starting value (a number or a hyperparameter)."""
        fields = self.info.module.STATE
        S = np.empty((max(len(fields), 1), n * d))
        for row, (_, start) in zip(S, fields):
            value = self.hyper[start] if isinstance(start, str) else start
            row[:] = np.broadcast_to(np.asarray(value, dtype=np.float64), (n, d)).ravel()
        return S

    def init(self, params) -> KernelState:
        """The state before the first step, for params of shape (n, d) (or (d,))."""
        P = np.atleast_2d(np.asarray(params, dtype=np.float64))
        S = self.init_state(*P.shape)
        return KernelState(0, self._named(S, P.shape))

    @property
    def needs(self) -> Tuple[str, ...]:
        """What the rule reads from the landscape beyond the gradient, e.g. ("hessian",)."""
        return tuple(getattr(self.info.module, "NEEDS", ()))

    def update(self, grads, state: KernelState, params, lr=None, momentum=None, hessian=None):
        """One step from ``state``: returns ``(new_params, new_state)``; the inputs are not changed.
        ``lr`` defaults to the optimizer's own; ``momentum`` replaces momentum or beta1 (one-cycle);
        ``hessian`` (n, d, d) is the landscape's Hessian at ``params``, for a rule that needs it."""
        if self.closure:
            raise ValueError(f"{self.name} evaluates the landscape several times per step (torch's "
                             "step(closure)): use optimizers.run")
        P = np.atleast_2d(np.asarray(params, dtype=np.float64))
        n, d = P.shape
        G = np.ascontiguousarray(np.broadcast_to(np.asarray(grads, dtype=np.float64), P.shape)).ravel()
        fields = self.info.state_fields
        S = np.array([np.broadcast_to(state.buffers[f], P.shape).ravel() for f in fields]).reshape(-1, n * d)
        if lr is None:
            LR = self.lr_row(n, d)
        else:
            LR = np.ascontiguousarray(np.broadcast_to(np.asarray(lr, dtype=np.float64), P.shape)).ravel()
        MOM = np.empty(0) if momentum is None else np.ascontiguousarray(
            np.broadcast_to(np.asarray(momentum, dtype=np.float64), P.shape)).ravel()
        out = np.empty(n * d)
        extra = ()
        if "hessian" in self.needs:
            if hessian is None:
                raise ValueError(f"{self.name} needs the Hessian at params: update(..., hessian=...)")
            extra = (np.ascontiguousarray(np.broadcast_to(np.asarray(hessian, dtype=np.float64), (n, d, d))).ravel(),)
        with np.errstate(all="ignore"):
            self.kernel(np.ascontiguousarray(P).ravel(), G, S, self.hyper_rows(n, d), LR, MOM, state.step + 1, d, out,
                        *extra)
        return out.reshape(np.shape(params)), KernelState(state.step + 1, self._named(S, P.shape))

    def _named(self, S, shape):
        return {f: S[i].reshape(shape).copy() for i, f in enumerate(self.info.state_fields)}

    def __repr__(self):
        shown = {k: (v if np.ndim(v) == 0 else np.asarray(v).tolist()) for k, v in self.hyper.items()}
        return f"Optimizer({self.name!r}, {shown})"


def _check_value(value, ok, message):
    """Raise torch's message for the first element of ``value`` that fails ``ok``."""
    if np.ndim(value) == 0:
        scalar = value.item() if isinstance(value, np.generic) else value
        if not ok(scalar):
            raise ValueError(message.format(scalar))
        return
    for item in np.asarray(value, dtype=np.float64).ravel():
        if not ok(float(item)):
            raise ValueError(message.format(float(item)))


_PAIRS = {"betas": ("beta1", "beta2")}


def _normalise(name: str, key: str, value, module=None):
    """Type-check one raw value; split torch's pairs (betas, etas...); return a dict of internal names.

    A module may name its own pairs (``PAIRS = {"etas": ("etaminus", "etaplus")}``), what a None
    in a pair means (``PAIR_NONE = {"eps1": 2.2e-16}``), its own switches (bool controls) and
    keys it checks itself (``NORMALISE = {"line_search_fn": fn}``)."""
    own = getattr(module, "NORMALISE", {})
    if key in own:
        return own[key](name, value)
    pairs = {**_PAIRS, **getattr(module, "PAIRS", {})}
    if key in pairs:
        first, second = pairs[key]
        shown = f"{key} must be a pair ({first}, {second}), got {value!r}"
        if isinstance(value, (str, bytes)):
            raise ValueError(shown)
        try:
            pair = list(value)
        except TypeError:
            raise ValueError(shown) from None
        if len(pair) != 2:
            raise ValueError(shown)
        none = getattr(module, "PAIR_NONE", {})
        return {k: none[k] if v is None and k in none else _number(name, f"{key}[{i}]", v)
                for i, (k, v) in enumerate(zip((first, second), pair))}
    bools = _BOOL | {c.key for c in getattr(module, "CONTROLS", ()) if c.kind == "bool"}
    if key in bools:
        if isinstance(value, (bool, np.bool_)):
            return {key: bool(value)}
        arr = np.asarray(value)
        if arr.dtype != bool:
            raise TypeError(f"{name}: {key} must be a bool (or an array of bools), got {value!r}")
        return {key: arr}
    return {key: _number(name, key, value)}


def _number(name, key, value):
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}: {key} must be a number, got {value!r}")
    if np.ndim(value) == 0:
        try:
            float(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: {key} must be a number, got {value!r}") from None
        return value
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: {key} must be a number or an array of numbers, got {value!r}") from None


def _raw(name: str, entry: OptimizerInfo, given: Mapping[str, Any], where: str) -> Dict[str, Any]:
    unknown = sorted(set(given) - set(entry.defaults))
    if unknown:
        raise TypeError(f"{name}(){where} got an unexpected keyword argument {unknown[0]!r}; "
                        f"accepted: {', '.join(entry.defaults)}")
    out: Dict[str, Any] = {}
    for key, value in given.items():
        out.update(_normalise(name, key, value, entry.module))
    return out


def _collapse(value):
    """A uniform array becomes a Python scalar: the fast path, and bit-identical."""
    if np.ndim(value) == 0:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        return value.item() if isinstance(value, np.generic) else value
    arr = np.asarray(value)
    if arr.size and np.all(arr == arr.ravel()[0]):
        first = arr.ravel()[0].item()
        return bool(first) if arr.dtype == bool else first
    return arr


def _check_broadcast(key, value):
    if np.ndim(value) > 2:
        raise ValueError(f"{key} has shape {np.shape(value)}, which does not broadcast against (n_runs, d)")


_GROUPS_MESSAGE = ("groups must be a list of dicts: either two without 'params' (groups[0] for x, groups[1] "
                   "for y), or each with 'params', a list of coordinate indices")


def _group_indices(groups) -> Optional[List[np.ndarray]]:
    """Each group's coordinate indices, or None for the two-group x/y form; ValueError if malformed."""
    if isinstance(groups, Mapping) or not isinstance(groups, Sequence) or not groups \
            or not all(isinstance(g, Mapping) for g in groups):
        raise ValueError(_GROUPS_MESSAGE)
    with_params = ["params" in g for g in groups]
    if not any(with_params):
        if len(groups) != 2:
            raise ValueError(_GROUPS_MESSAGE)
        return None
    if not all(with_params):
        raise ValueError("every group needs 'params' once one has them (torch's param_groups)")
    indices = []
    for i, g in enumerate(groups):
        p = g["params"]
        if isinstance(p, (str, bytes, Mapping)):
            raise ValueError(f"group {i}: params must be a list of coordinate indices, got {p!r}")
        try:
            idx = np.array(list(p) if not isinstance(p, np.ndarray) else p)
        except TypeError:
            raise ValueError(f"group {i}: params must be a list of coordinate indices, got {p!r}") from None
        if idx.ndim != 1 or idx.size == 0 or idx.dtype == bool or not np.issubdtype(idx.dtype, np.integer) \
                or idx.min() < 0:
            raise ValueError(f"group {i}: params must be a non-empty list of coordinate indices >= 0, got {p!r}")
        indices.append(idx.astype(np.int64))
    every = np.concatenate(indices)
    if len(np.unique(every)) != len(every):
        raise ValueError("some parameters appear in more than one parameter group")
    if set(every.tolist()) != set(range(len(every))):
        raise ValueError(f"parameter groups must cover coordinates 0..{len(every) - 1} with no gap, "
                         f"got {sorted(every.tolist())}")
    return indices


def get(name: str, groups: Optional[Sequence[Mapping[str, Any]]] = None, **hyper) -> Optimizer:
    """Build an optimizer by registry name with torch.optim's hyperparameter names and defaults.

    Args:
      name: a registry name (``names()``).
      groups: None; or torch's ``param_groups`` over coordinate index sets, each a dict with
        ``"params"`` (a list of coordinate indices) and the hyperparameters it overrides, e.g.
        ``[{"params": [0, 1, 2], "lr": 0.1}, {"params": [3, 4, 5, 6, 7, 8, 9]}]``. Together they
        cover coordinates 0..d-1 once each; a group's missing keys come from the arguments.
        Two dicts without ``"params"`` mean x and y: ``groups[0]`` for coordinate 0, ``groups[1]``
        for coordinate 1.
      **hyper: torch's keyword arguments (``lr``, ``momentum``, ``betas``...). Each may be a
        scalar or an array that broadcasts against (n_runs, d): per run (shape (n, 1)) for
        sweeps, per coordinate (d,).

    Raises:
      ValueError: torch's message for a bad value, e.g. "Invalid learning rate: -1".
      TypeError: an unknown keyword, or a value of the wrong type.
    """
    entry = info(name)
    base = _raw(name, entry, {**entry.defaults, **hyper}, "")
    group_values: List[Dict[str, Any]] = []
    indices = None
    if groups is not None:
        refused = getattr(entry.module, "GROUPS_REFUSED", None)
        if refused:
            raise ValueError(refused)
        indices = _group_indices(groups)
        if indices is None:
            indices = [np.array([0]), np.array([1])]
        group_values = [_raw(name, entry, {k: v for k, v in g.items() if k != "params"}, f" group {i}")
                        for i, g in enumerate(groups)]
        for key in getattr(entry.module, "CONSTRUCTOR_ONLY", ()):
            if any(key in g for g in group_values):
                warnings.warn(f"{name}: torch reads {key} only from the constructor and ignores a "
                              "group's value; so does Gradscape", UserWarning, stacklevel=2)

    module = entry.module
    for values in [base, *[{**base, **g} for g in group_values]]:
        module.validate(values, _check_value)
    for key in getattr(module, "CONSTRUCTOR_ONLY", ()):
        for g in group_values:
            g.pop(key, None)

    resolved: Dict[str, Any] = {}
    width = sum(len(i) for i in indices) if indices is not None else 0
    for key, value in base.items():
        if group_values and any(key in g for g in group_values):
            if np.ndim(value) > 1 or any(np.ndim(g.get(key, value)) > 0 for g in group_values):
                raise ValueError(f"{key}: a parameter group's value and a per-run array cannot be combined")
            bools = isinstance(value, (bool, np.bool_)) or np.asarray(value).dtype == bool
            per = np.empty(width, dtype=bool if bools else np.float64)
            for idx, g in zip(indices, group_values):
                per[idx] = g[key] if key in g else np.broadcast_to(np.asarray(value), (width,))[idx]
            value = per
        _check_broadcast(key, value)
        resolved[key] = _collapse(value)
    resolved.update(entry.fixed)
    if hasattr(module, "validate_combined"):
        module.validate_combined(resolved)
    segment = 0.0
    if indices is not None:
        segment = np.empty(width)
        for g, idx in enumerate(indices):
            segment[idx] = g
    return Optimizer(name, entry, MappingProxyType(resolved), segment)
