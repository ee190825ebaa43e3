"""The optimizer registry: names, torch's defaults, validation, and building an Optimizer.

Adding an optimizer means one entry in ``_REGISTRY`` (and its tests). The app's
dropdowns and override panels are built from ``names()`` and ``info()``.
"""

from __future__ import annotations

import dataclasses
import warnings
from types import MappingProxyType, ModuleType
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from ._rule import Rule
from .rules import adadelta, adagrad, adam, nadam, radam, rmsprop, sgd


@dataclasses.dataclass(frozen=True)
class OptimizerInfo:
    """What the UI and the docs need to know about a registry entry.

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

    @property
    def maths(self) -> str:
        """The update rule in LaTeX with its conventions: the module docstring, written once."""
        return self.module.__doc__


def _entry(name, title, family, module, description, preset=None, fixed=None, momentum_param=None):
    defaults = dict(module.DEFAULTS)
    fixed = dict(fixed or {})
    for key in fixed:
        defaults.pop(key, None)
    defaults.update(preset or {})
    return OptimizerInfo(name, title, family, description, MappingProxyType(defaults), momentum_param,
                         module, MappingProxyType(fixed))


_REGISTRY: Dict[str, OptimizerInfo] = {
    e.name: e
    for e in [
        _entry("gd", "Gradient descent", "SGD", sgd,
               "Plain gradient descent: a fixed step against the gradient."),
        _entry("sgd", "SGD", "SGD", sgd, sgd.SUMMARY),
        _entry("momentum", "Momentum", "SGD", sgd,
               "SGD with heavy-ball momentum 0.9: gathers speed along valleys, overshoots at bends.",
               preset=dict(momentum=0.9), momentum_param="momentum"),
        _entry("nesterov", "Nesterov", "SGD", sgd,
               "SGD with Nesterov momentum 0.9: looks ahead along its velocity, so it brakes before it overshoots.",
               preset=dict(momentum=0.9, nesterov=True), momentum_param="momentum"),
        _entry("adagrad", "Adagrad", "Adagrad", adagrad, adagrad.SUMMARY),
        _entry("rmsprop", "RMSprop", "RMSprop", rmsprop, rmsprop.SUMMARY),
        _entry("adadelta", "AdaDelta", "Adadelta", adadelta, adadelta.SUMMARY),
        _entry("adam", "Adam", "Adam", adam, adam.SUMMARY, momentum_param="beta1"),
        _entry("adamw", "AdamW", "AdamW", adam,
               "Adam with decoupled weight decay: the point shrinks towards zero apart from the gradient step.",
               preset=dict(weight_decay=1e-2), fixed=dict(decoupled_weight_decay=True), momentum_param="beta1"),
        _entry("amsgrad", "AMSGrad", "Adam", adam,
               "Adam that never lets its second-moment estimate shrink, so its steps never grow back.",
               preset=dict(amsgrad=True), momentum_param="beta1"),
        _entry("nadam", "NAdam", "NAdam", nadam, nadam.SUMMARY, momentum_param="beta1"),
        _entry("radam", "RAdam", "RAdam", radam, radam.SUMMARY, momentum_param="beta1"),
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


@dataclasses.dataclass(frozen=True, eq=False)
class Optimizer:
    """A configured optimizer: a registry entry, its resolved hyperparameters, and its Rule.

    ``hyper`` holds one value per hyperparameter (``betas`` split into
    ``beta1`` and ``beta2``): a Python scalar when it is the same everywhere,
    else an array that broadcasts against (n_runs, 2).
    """

    name: str
    info: OptimizerInfo
    hyper: Mapping[str, Any]
    rule: Rule = dataclasses.field(repr=False)

    @property
    def lr(self):
        return self.hyper["lr"]

    def init(self, params):
        return self.rule.init(np.asarray(params, dtype=np.float64))

    def update(self, grads, state, params, lr=None, momentum=None):
        """One step: returns ``(new_params, new_state)``. ``lr`` defaults to the optimizer's own."""
        return self.rule.update(grads, state, params, self.lr if lr is None else lr, momentum)

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


def _normalise(name: str, key: str, value):
    """Type-check one raw value; split betas; return a dict of internal names."""
    if key == "betas":
        if isinstance(value, (str, bytes)):
            raise ValueError(f"betas must be a pair (beta1, beta2), got {value!r}")
        try:
            pair = list(value)
        except TypeError:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {value!r}") from None
        if len(pair) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {value!r}")
        return {"beta1": _number(name, "betas[0]", pair[0]), "beta2": _number(name, "betas[1]", pair[1])}
    if key in _BOOL:
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
        out.update(_normalise(name, key, value))
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
    try:
        shape = np.broadcast_shapes(np.shape(value), (1, 2))
    except ValueError:
        raise ValueError(f"{key} has shape {np.shape(value)}, which does not broadcast against (n_runs, 2)") from None
    if len(shape) > 2:
        raise ValueError(f"{key} has shape {np.shape(value)}, which does not broadcast against (n_runs, 2)")


def get(name: str, groups: Optional[Sequence[Mapping[str, Any]]] = None, **hyper) -> Optimizer:
    """Build an optimizer by registry name with torch.optim's hyperparameter names and defaults.

    Args:
      name: a registry name (``names()``).
      groups: None, or a list of two dicts: ``groups[0]`` overrides
        hyperparameters for the x coordinate and ``groups[1]`` for y, exactly
        as torch's two ``param_groups`` would for x and y as two parameters.
      **hyper: torch's keyword arguments (``lr``, ``momentum``, ``betas``...).
        Each may be a scalar or an array that broadcasts against
        (n_runs, 2): per run (shape (n, 1)) for sweeps, per coordinate (2,).

    Raises:
      ValueError: torch's message for a bad value, e.g. "Invalid learning rate: -1".
      TypeError: an unknown keyword, or a value of the wrong type.
    """
    entry = info(name)
    base = _raw(name, entry, {**entry.defaults, **hyper}, "")
    group_values: List[Dict[str, Any]] = []
    if groups is not None:
        if isinstance(groups, Mapping) or len(groups) != 2 or not all(isinstance(g, Mapping) for g in groups):
            raise ValueError("groups must be a list of two dicts: groups[0] for x, groups[1] for y")
        group_values = [_raw(name, entry, g, f" group {i}") for i, g in enumerate(groups)]
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
    for key, value in base.items():
        if group_values:
            x = group_values[0].get(key, value)
            y = group_values[1].get(key, value)
            value = np.where(np.array([True, False]), x, y) if (x is not value or y is not value) else value
        _check_broadcast(key, value)
        resolved[key] = _collapse(value)
    resolved.update(entry.fixed)
    if hasattr(module, "validate_combined"):
        module.validate_combined(resolved)
    rule = module.make(**resolved)
    return Optimizer(name, entry, MappingProxyType(resolved), rule)
