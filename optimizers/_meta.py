"""What a family module tells the page and the inspector about itself, without any UI code.

- ``Control``: one hyperparameter the page offers, with its label, LaTeX symbol, kind and range.
  A module lists its own (``CONTROLS = controls("momentum", "dampening", ...)``); the vocabulary
  below keeps one label and one symbol per torch name across families.
- ``Inputs``: what a module's ``explain`` reads to rebuild the inspector's numbers for one run:
  the gradient, the point, the rate, the step count, the recorded buffers and the settings.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, Mapping, Optional, Tuple

import numpy as np


@dataclasses.dataclass(frozen=True)
class Control:
    """One hyperparameter as the page offers it.

    ``key`` is the engine's name (``beta1`` and ``beta2`` apart; torch's ``betas`` pair),
    ``torch_name`` how torch spells it, ``symbol`` its LaTeX in the maths, ``kind`` "float" or
    "bool", ``bounds`` the range a control accepts, ``log`` whether a slider is logarithmic.
    """

    key: str
    label: str
    symbol: str
    kind: str = "float"
    bounds: Tuple[float, float] = (0.0, 1.0)
    log: bool = False
    torch_name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "torch_name", self.torch_name or self.key)


LR_BOUNDS = (1e-5, 10.0)

_VOCABULARY = {c.key: c for c in [
    Control("lr", "lr", r"\gamma", bounds=LR_BOUNDS, log=True),
    Control("momentum", "momentum μ", r"\mu", bounds=(0.0, 0.999)),
    Control("dampening", "dampening τ", r"\tau", bounds=(0.0, 1.0)),
    Control("beta1", "β₁", r"\beta_1", bounds=(0.0, 0.9999), torch_name="betas[0]"),
    Control("beta2", "β₂", r"\beta_2", bounds=(0.0, 0.9999), torch_name="betas[1]"),
    Control("eps", "eps", r"\epsilon", bounds=(1e-12, 1.0), log=True),
    Control("rho", "rho", r"\rho", bounds=(0.0, 1.0)),
    Control("alpha", "alpha", r"\alpha", bounds=(0.0, 1.0)),
    Control("weight_decay", "weight decay λ", r"\lambda", bounds=(0.0, 10.0)),
    Control("lr_decay", "lr decay η", r"\eta", bounds=(0.0, 10.0)),
    Control("momentum_decay", "momentum decay ψ", r"\psi", bounds=(0.0, 1.0)),
    Control("initial_accumulator_value", "initial sum s₀", "s_0", bounds=(0.0, 10.0)),
    Control("nesterov", "Nesterov", "", kind="bool"),
    Control("amsgrad", "AMSGrad", "", kind="bool"),
    Control("centered", "centered", "", kind="bool"),
    Control("decoupled_weight_decay", "decoupled weight decay", "", kind="bool"),
    Control("maximize", "maximize", "", kind="bool"),
    # Rprop's etas and step_sizes pairs
    Control("etaminus", "η₋ (shrink)", r"\eta_-", bounds=(1e-3, 0.999), torch_name="etas[0]"),
    Control("etaplus", "η₊ (grow)", r"\eta_+", bounds=(1.001, 10.0), torch_name="etas[1]"),
    Control("step_size_min", "smallest step", r"\Gamma_{\min}", bounds=(0.0, 1.0), torch_name="step_sizes[0]"),
    Control("step_size_max", "largest step", r"\Gamma_{\max}", bounds=(1e-3, 100.0), log=True,
            torch_name="step_sizes[1]"),
    # ASGD
    Control("lambd", "decay term κ", r"\kappa", bounds=(0.0, 1.0)),
    Control("t0", "averaging start t₀", "t_0", bounds=(0.0, 1e6)),
    # Adafactor
    Control("beta2_decay", "β₂ decay c", "c", bounds=(-1.0, 0.0)),
    Control("eps1", "ε₁", r"\epsilon_1", bounds=(0.0, 1.0), log=True, torch_name="eps[0]"),
    Control("eps2", "ε₂", r"\epsilon_2", bounds=(0.0, 1.0), log=True, torch_name="eps[1]"),
    Control("d", "clipping threshold d", "d", bounds=(1.0, 10.0)),
    # Schedule-Free
    Control("warmup_steps", "warmup steps", "T_w", bounds=(0.0, 1000.0)),
    Control("r", "average power r", "r", bounds=(0.0, 10.0)),
    Control("weight_lr_power", "weight lr power", "p_w", bounds=(0.0, 10.0)),
    # Prodigy
    Control("beta3", "β₃", r"\beta_3", bounds=(0.0, 0.9999)),
    Control("d0", "initial d₀", "d_0", bounds=(1e-12, 1.0), log=True),
    Control("d_coef", "d coefficient", r"c_d", bounds=(0.0, 10.0)),
    Control("growth_rate", "growth rate", r"g_d", bounds=(1.0, float("inf"))),
    Control("decouple", "decoupled weight decay", "", kind="bool"),
    Control("use_bias_correction", "bias correction", "", kind="bool"),
    Control("safeguard_warmup", "safeguard warmup", "", kind="bool"),
    # Newton
    Control("damping", "damping λ", r"\lambda", bounds=(0.0, 100.0)),
]}


def controls(*keys: str, **own: Control) -> Tuple[Control, ...]:
    """The controls a family offers, in panel order: the shared vocabulary's, or its own."""
    return tuple(own[k] if k in own else _VOCABULARY[k] for k in keys)


def vocabulary() -> Mapping[str, Control]:
    """Every hyperparameter the built-in families know, by engine name."""
    return dict(_VOCABULARY)


@dataclasses.dataclass
class Inputs:
    """What ``explain`` reads, as arrays that broadcast against (steps, d).

    ``g`` the gradient each step used, ``theta`` the point it was taken at, ``lr`` the scheduled
    per-coordinate rate, ``t`` (steps, 1) the step count 1, 2, ..., ``state`` the buffers after
    each step, ``settings`` the resolved hyperparameters, ``momentum`` one-cycle's momentum or
    beta1 each step (else None).
    """

    g: np.ndarray
    theta: np.ndarray
    lr: np.ndarray
    t: np.ndarray
    state: Dict[str, np.ndarray]
    settings: Mapping
    momentum: Optional[np.ndarray] = None

    def hp(self, key):
        return np.asarray(self.settings[key], dtype=np.float64)

    def flag(self, key):
        return np.asarray(self.settings.get(key, False), dtype=bool)

    def cycled(self, key):
        """momentum or β₁: one-cycle's value each step when it cycles it, else the setting."""
        return self.momentum if self.momentum is not None else self.hp(key)

    def l2(self, weight_decay):
        """torch's first lines: negate for ``maximize``, then add ``weight_decay * θ``."""
        g = np.where(self.flag("maximize"), -self.g, self.g)
        return g + weight_decay * self.theta

    def adam_decay(self):
        """(gradient after L2, decoupled shrink of the point) for the Adam family."""
        decoupled, wd = self.flag("decoupled_weight_decay"), self.hp("weight_decay")
        return self.l2(np.where(decoupled, 0.0, wd)), np.where(decoupled, -self.lr * wd * self.theta, 0.0)


def bias(b, t):
    """1 - b^t: a bias correction."""
    return 1.0 - b ** t
