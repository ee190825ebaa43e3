"""The scene as a typed, frozen value, and everything derived from it in one place.

Only the codec (``ui/model/scene.py``) makes a ``Scene``: from a link, from the controls' values or
from a store the browser sent back, each read once per request. Everything after it reads
attributes (``scene.lr``, never ``scene["lr"]``), and the per-run derivations (an optimizer's torch
keyword arguments, its start, whether it follows the schedule, the schedule's arguments) live
here and nowhere else. A Scene is hashable, so a computation can be cached by it.

``to_dict()`` is its JSON form (the ``dcc.Store`` and the scene file hold it); a network scene's
dict also holds ``hidden``, ``activation``, ``net_seed`` and ``layer_lr``.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator, Mapping, Optional, Tuple, Union

import optimizers

from ui.model import network_fields as N
from ui.model import scene_fields as F

Number = Union[int, float]


class Frozen(Mapping):
    """A read-only, hashable mapping (a scene's overrides: name -> {hyperparameter: value})."""

    __slots__ = ("_items", "_hash")

    def __init__(self, items=()):
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items = {k: Frozen(v) if isinstance(v, Mapping) else v for k, v in pairs}
        self._hash = None

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self._items.items()))
        return self._hash

    def __eq__(self, other) -> bool:
        return isinstance(other, Mapping) and dict(self._items) == dict(other)

    def __repr__(self) -> str:
        return f"Frozen({self.to_dict()!r})"

    def to_dict(self) -> dict:
        return {k: v.to_dict() if isinstance(v, Frozen) else v for k, v in self._items.items()}


NOTHING = Frozen()
NETWORK_KEYS = ("hidden", "activation", "net_seed", "layer_lr")


@dataclasses.dataclass(frozen=True)
class Scene:
    """Everything that decides the trajectories (the view flags, how it is shown, are apart)."""

    landscape: str
    optimizers: Tuple[str, ...]
    lr: float
    momentum: float
    x0: float
    y0: float
    steps: int
    schedule: str = "constant"
    schedule_param: Optional[Number] = None
    noise: float = 0.0
    seed: int = 0
    overrides: Frozen = NOTHING
    expr: Optional[str] = None   # a custom surface's formula
    repeat: int = 1              # seeds per optimizer
    batch: Optional[int] = None  # mini-batch size on a dataset surface; None: the full batch
    # a network scene's own fields (None elsewhere)
    hidden: Optional[Tuple[int, ...]] = None
    activation: Optional[str] = None
    net_seed: Optional[int] = None
    layer_lr: Optional[Tuple[float, ...]] = None

    def __post_init__(self):
        set_ = object.__setattr__  # frozen: the containers are made immutable once, here
        set_(self, "optimizers", tuple(self.optimizers))
        if not isinstance(self.overrides, Frozen):
            set_(self, "overrides", Frozen(self.overrides or {}))
        for key in ("hidden", "layer_lr"):
            if getattr(self, key) is not None:
                set_(self, key, tuple(getattr(self, key)))

    # --- its JSON form -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, values: Mapping) -> "Scene":
        """A Scene from the dict the codec has checked (never from the browser: see ``scene.read``)."""
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in fields})

    def to_dict(self) -> dict:
        """JSON-ready, in the codec's key order; the network fields only on a network scene."""
        out = {"landscape": self.landscape, "optimizers": list(self.optimizers), "lr": self.lr,
               "momentum": self.momentum, "x0": self.x0, "y0": self.y0, "steps": self.steps,
               "schedule": self.schedule, "schedule_param": self.schedule_param, "noise": self.noise,
               "seed": self.seed, "overrides": self.overrides.to_dict(), "expr": self.expr,
               "repeat": self.repeat, "batch": self.batch}
        if self.is_network:
            out.update(hidden=list(self.hidden or N.DEFAULT_HIDDEN),
                       activation=self.activation or N.DEFAULT_ACTIVATION, net_seed=self.net_seed or 0,
                       layer_lr=None if self.layer_lr is None else list(self.layer_lr))
        return out

    def replace(self, **changes) -> "Scene":
        """A copy with some fields changed (not checked: run it through ``scene.normalize`` when the
        values come from a user)."""
        return dataclasses.replace(self, **changes)

    # --- what kind of scene ------------------------------------------------------------------------

    @property
    def is_network(self) -> bool:
        return N.is_network(self.landscape)

    def network(self):
        """A network scene's network (``landscapes.Network``: its data and seeded start)."""
        return N.network(self.landscape, self.hidden or N.DEFAULT_HIDDEN, self.activation or N.DEFAULT_ACTIVATION,
                         int(self.net_seed or 0))

    @property
    def start(self) -> Tuple[float, float]:
        return self.x0, self.y0

    # --- per run: the one place hyperparameters are derived ------------------------------------------

    def own(self, name: str) -> Mapping:
        """The optimizer's own overrides (empty when it has none)."""
        return self.overrides.get(name, NOTHING)

    def run_setting(self, name: str, key: str):
        """One of a run's own settings (``lr_x``, ``fixed_lr``, ``x0``...), or what unset means."""
        return self.own(name).get(key, F.OVERRIDES[key].default)

    def hyperparameters(self, name: str) -> dict:
        """Torch keyword arguments for one optimizer: the scene's sliders, then its own overrides.

        The momentum slider sets what ``optimizers.info(name).momentum_param`` names (SGD's
        ``momentum`` or the Adam family's β₁). Members of torch's pairs (β₁/β₂ of ``betas``, Rprop's
        ``etas``...) are joined into the pair, the members not set keeping torch's defaults.
        """
        info = optimizers.info(name)
        own = {k: v for k, v in self.own(name).items() if not F.OVERRIDES[k].run}
        if info.momentum_param is not None:
            own.setdefault(info.momentum_param, self.momentum)
        hyper = {"lr": own.pop("lr", self.lr)}
        pairs = {}
        for control in info.controls:
            base, index = F.torch_part(control.torch_name)
            if index is not None and control.key in own:
                pairs.setdefault(base, list(info.defaults[base]))[index] = own.pop(control.key)
        hyper.update({base: tuple(pair) for base, pair in pairs.items()})
        hyper.update(own)
        groups = self.parameter_groups(name, hyper["lr"])
        if groups is not None:
            hyper["groups"] = groups
        return hyper

    def lr_and_momentum(self, name: str) -> Tuple[float, float]:
        """The run's learning rate and its momentum (β₁ for the Adam family): what a stability map of it reads."""
        hyper = self.hyperparameters(name)
        return hyper["lr"], hyper["betas"][0] if "betas" in hyper else hyper.get("momentum", self.momentum)

    def parameter_groups(self, name: str, lr: float):
        """torch's two ``param_groups`` (x, then y) when the run sets a learning rate per coordinate."""
        rates = [self.run_setting(name, key) for key in F.GROUP_KEYS]
        if all(r is None for r in rates):
            return None
        return [{"lr": lr if r is None else r} for r in rates]

    def run_start(self, name: str) -> Tuple[float, float]:
        """Where the run starts: its own start, else the scene's."""
        x0, y0 = (self.run_setting(name, key) for key in ("x0", "y0"))
        return (self.x0 if x0 is None else x0, self.y0 if y0 is None else y0)

    def follows_schedule(self, name: str) -> bool:
        return not self.run_setting(name, "fixed_lr")

    def run_title(self, name: str) -> str:
        """The optimizer's title, marked when its own run settings set it apart from a namesake."""
        marks = []
        if self.parameter_groups(name, self.lr) is not None:
            marks.append("x/y rates")
        if self.schedule != "constant" and not self.follows_schedule(name):
            marks.append("constant lr")
        if self.run_start(name) != self.start:
            marks.append("own start")
        title = optimizers.info(name).title
        return f"{title} ({', '.join(marks)})" if marks else title

    def schedule_kwargs(self) -> Optional[dict]:
        """Arguments for ``optimizers.schedule`` (None for a constant rate)."""
        param = F.schedule_param(self.schedule)
        if param is None:
            return None
        value = param.default(self.steps) if self.schedule_param is None else self.schedule_param
        kwargs = {param.key: value}
        if self.schedule == "multistep":
            kwargs["milestones"] = sorted({max(1, self.steps // 2), max(1, (3 * self.steps) // 4)})
        return kwargs

    def engine_kwargs(self) -> dict:
        """What every engine call of this scene shares: steps, noise, seed and mini-batch size."""
        return dict(steps=self.steps, noise=self.noise, seed=self.seed, batch_size=self.batch)
