"""The optimizers under test, one row each: torch's ``optim_db`` idea (OptimizerInfo with its input
and error cases), so that adding an optimizer adds a row here, not test code.

Each row names a registry optimizer, how to build its reference (a torch.optim class, or an
author's package), the input cases that must match the reference step for step, and the
error cases whose messages must match the reference's. Generic tests read this table:
parity on the 2-D surfaces and on a 10-parameter surface with and without index-set
groups (tests/test_reference_torch.py), the inspector's reproduction of every step
(tests/test_inspector.py), and bad input (tests/test_optimizers.py).
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional, Tuple


@dataclasses.dataclass(frozen=True)
class OptimInfo:
    """One optimizer under test.

    name: the registry name.
    reference: the reference class, as "module:Class" ("torch.optim:Adam"); the tests import it
      and skip where the module is missing (never under CI=true). "" for a rule no library has
      (Newton): its own tests check it by hand.
    inputs: (id, kwargs, groups) cases compared with the reference step for step; groups are the
      two-group x/y form or None.
    errors: (id, kwargs, exception, message) cases; messages are the reference's.
    """

    name: str
    reference: str
    inputs: List[Tuple[str, dict, Optional[list]]]
    errors: List[Tuple[str, dict, type, str]] = dataclasses.field(default_factory=list)

    @property
    def torch_family(self) -> str:
        return self.reference.split(":")[1]


OPTIM_DB = [
    OptimInfo("gd", "torch.optim:SGD", [("gd", dict(lr=1e-3), None)]),
    OptimInfo("sgd", "torch.optim:SGD", [
        ("sgd-wd", dict(lr=2e-3, weight_decay=0.1), None),
        ("momentum-dampening", dict(lr=1e-3, momentum=0.8, dampening=0.3), None),
        ("sgd-maximize", dict(lr=1e-6, maximize=True), None),
        ("groups-sgd-lr", dict(lr=1e-3, momentum=0.9), [{"lr": 2e-3}, {"lr": 2e-4}]),
        ("groups-sgd-nesterov", dict(lr=1e-3, momentum=0.9), [{"nesterov": True}, {"momentum": 0.5}]),
    ], [("momentum-negative", dict(momentum=-0.1), ValueError, "Invalid momentum value: -0.1"),
        ("nesterov-no-momentum", dict(nesterov=True), ValueError,
         "Nesterov momentum requires a momentum and zero dampening")]),
    OptimInfo("momentum", "torch.optim:SGD", [("momentum", dict(lr=1e-3), None)]),
    OptimInfo("nesterov", "torch.optim:SGD", [("nesterov", dict(lr=1e-3, weight_decay=0.01), None)],
              [("nesterov-dampening", dict(dampening=0.1), ValueError,
                "Nesterov momentum requires a momentum and zero dampening")]),
    OptimInfo("adagrad", "torch.optim:Adagrad", [
        ("adagrad", dict(lr=0.1), None),
        ("adagrad-all", dict(lr=0.1, lr_decay=0.01, weight_decay=0.05, initial_accumulator_value=0.2, eps=1e-6),
         None),
        ("groups-adagrad", dict(lr=0.1, initial_accumulator_value=0.5), [{"lr_decay": 0.1}, {"eps": 1e-3}]),
    ], [("lr-decay-negative", dict(lr_decay=-0.1), ValueError, "Invalid lr_decay value: -0.1")]),
    OptimInfo("rmsprop", "torch.optim:RMSprop", [
        ("rmsprop", dict(lr=1e-2), None),
        ("rmsprop-centered-momentum", dict(lr=1e-3, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.01),
         None),
        ("groups-rmsprop", dict(lr=1e-3), [{"centered": True}, {"momentum": 0.9}]),
    ], [("alpha-negative", dict(alpha=-0.5), ValueError, "Invalid alpha value: -0.5")]),
    OptimInfo("adadelta", "torch.optim:Adadelta", [
        ("adadelta", dict(), None),
        ("adadelta-all", dict(lr=0.5, rho=0.5, eps=1e-4, weight_decay=0.1), None),
    ], [("rho-above-one", dict(rho=1.1), ValueError, "Invalid rho value: 1.1")]),
    OptimInfo("adam", "torch.optim:Adam", [
        ("adam", dict(lr=1e-2), None),
        ("adam-l2", dict(lr=1e-2, weight_decay=0.1, betas=(0.3, 0.9), eps=1e-3), None),
        ("adam-decoupled", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True), None),
        ("groups-adam-betas", dict(lr=1e-2), [{"betas": (0.5, 0.9)}, {"amsgrad": True, "eps": 1e-3}]),
    ], [("beta0-negative", dict(betas=(-0.1, 0.999)), ValueError, "Invalid beta parameter at index 0: -0.1")]),
    OptimInfo("adamw", "torch.optim:AdamW", [
        ("adamw", dict(lr=1e-2), None),
        ("adamw-amsgrad", dict(lr=1e-2, amsgrad=True, weight_decay=0.2), None),
        ("groups-adamw", dict(lr=1e-2), [{"weight_decay": 0.5}, {"lr": 1e-3}]),
    ]),
    OptimInfo("amsgrad", "torch.optim:Adam", [("amsgrad", dict(lr=1e-2), None)]),
    OptimInfo("nadam", "torch.optim:NAdam", [
        ("nadam", dict(lr=1e-2), None),
        ("nadam-wd", dict(lr=1e-2, weight_decay=0.1, momentum_decay=0.01), None),
        ("nadam-decoupled", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True), None),
        ("groups-nadam", dict(lr=1e-2), [{"betas": (0.8, 0.99)}, {"weight_decay": 0.1}]),
    ], [("momentum-decay-negative", dict(momentum_decay=-4e-3), ValueError, "Invalid momentum_decay value: -0.004")]),
    OptimInfo("radam", "torch.optim:RAdam", [
        ("radam", dict(lr=1e-2), None),
        ("radam-wd", dict(lr=1e-2, weight_decay=0.1, betas=(0.8, 0.99)), None),
        ("radam-decoupled", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True), None),
        ("groups-radam", dict(lr=1e-2), [{"betas": (0.9, 0.9)}, {}]),
    ], [("beta1-big", dict(betas=(0.9, 1.5)), ValueError, "Invalid beta parameter at index 1: 1.5")]),
    OptimInfo("adamax", "torch.optim:Adamax", [
        ("adamax", dict(lr=1e-2), None),
        ("adamax-wd", dict(lr=1e-2, weight_decay=0.1, betas=(0.5, 0.9), eps=1e-3), None),
        ("adamax-maximize", dict(lr=1e-6, maximize=True), None),
        ("groups-adamax", dict(lr=1e-2), [{"betas": (0.8, 0.99)}, {"lr": 1e-3, "eps": 1e-2}]),
    ], [("adamax-eps-negative", dict(eps=-1.0), ValueError, "Invalid epsilon value: -1.0"),
        ("adamax-beta1", dict(betas=(0.9, 1.0)), ValueError, "Invalid beta parameter at index 1: 1.0")]),
    OptimInfo("rprop", "torch.optim:Rprop", [
        ("rprop", dict(), None),
        ("rprop-etas", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2)), None),
        ("rprop-maximize", dict(lr=1e-4, maximize=True), None),
        ("groups-rprop", dict(lr=1e-2), [{"etas": (0.4, 1.1)}, {"lr": 0.1, "step_sizes": (1e-4, 0.05)}]),
    ], [("rprop-etas-order", dict(etas=(1.5, 1.2)), ValueError, "Invalid eta values: 1.5, 1.2"),
        ("rprop-lr-negative", dict(lr=-0.1), ValueError, "Invalid learning rate: -0.1")]),
    OptimInfo("asgd", "torch.optim:ASGD", [
        ("asgd", dict(lr=1e-3), None),
        ("asgd-averaging", dict(lr=1e-3, lambd=0.1, alpha=0.5, t0=10, weight_decay=0.1), None),
        ("asgd-maximize", dict(lr=1e-6, maximize=True, t0=0), None),
        ("groups-asgd", dict(lr=1e-3, t0=20), [{"lambd": 0.5}, {"lr": 2e-4, "alpha": 1.0}]),
    ], [("asgd-weight-decay", dict(weight_decay=-0.5), ValueError, "Invalid weight_decay value: -0.5")]),
    OptimInfo("lion", "lion_pytorch:Lion", [
        ("lion", dict(lr=1e-2), None),
        ("lion-wd", dict(lr=3e-3, betas=(0.5, 0.9), weight_decay=0.5), None),
        ("groups-lion", dict(lr=1e-2), [{"betas": (0.95, 0.98)}, {"lr": 1e-3, "weight_decay": 1.0}]),
    ], [("lion-lr-zero", dict(lr=0.0), ValueError, "Invalid learning rate: 0.0"),
        ("lion-beta", dict(betas=(0.9, 1.5)), ValueError, "Invalid beta parameter at index 1: 1.5")]),
    OptimInfo("adafactor", "torch.optim:Adafactor", [
        ("adafactor", dict(), None),
        ("adafactor-all", dict(lr=0.05, beta2_decay=-0.5, eps=(1e-3, 1e-2), d=1.5, weight_decay=0.1), None),
        ("adafactor-clipped", dict(lr=0.5, d=1.0), None),
        ("adafactor-maximize", dict(lr=1e-4, maximize=True), None),
        ("groups-adafactor", dict(lr=0.02), [{"d": 2.0}, {"lr": 0.05, "weight_decay": 0.5}]),
    ], [("adafactor-d", dict(d=0.5), ValueError, "Clipping threshold d should be >= 1 but is: 0.5"),
        ("adafactor-beta2-decay", dict(beta2_decay=0.1), ValueError, "beta2_decay should be <= 0 but is: 0.1"),
        ("adafactor-eps1", dict(eps=(-1.0, 1e-3)), ValueError, "epsilon1 should be >= 0 but is: -1.0"),
        ("adafactor-eps-scalar", dict(eps=1e-3), ValueError, "eps must be a pair (eps1, eps2)")]),
    OptimInfo("schedulefree_adamw", "schedulefree:AdamWScheduleFree", [
        ("schedulefree", dict(lr=0.01), None),
        ("schedulefree-all", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-4, weight_decay=0.1, warmup_steps=10, r=1.0,
                                  weight_lr_power=1.0), None),
        ("groups-schedulefree", dict(lr=0.01, warmup_steps=5), [{"lr": 0.03}, {"betas": (0.5, 0.9),
                                                                               "weight_decay": 0.2}]),
    ], [("schedulefree-lr", dict(lr=-0.01), ValueError, "Invalid learning rate: -0.01")]),
    OptimInfo("prodigy", "prodigyopt:Prodigy", [
        ("prodigy", dict(), None),
        ("prodigy-all", dict(lr=0.5, betas=(0.8, 0.99), beta3=0.9, eps=1e-6, weight_decay=0.1, d0=1e-3, d_coef=0.5,
                             growth_rate=1.05, use_bias_correction=True), None),
        ("prodigy-l2-safeguard", dict(weight_decay=0.05, decouple=False, safeguard_warmup=True), None),
        ("prodigy-no-momentum", dict(lr=0.5, betas=(0.0, 0.999)), None),
        ("groups-prodigy", dict(), [{"weight_decay": 0.1}, {"eps": 1e-4, "d0": 1e-5}]),
    ], [("prodigy-d0", dict(d0=0.0), ValueError, "Invalid d0 value: 0.0"),
        ("prodigy-lr", dict(lr=0.0), ValueError, "Invalid learning rate: 0.0")]),
    OptimInfo("newton", "", [
        ("newton", dict(lr=0.5), None),
        ("newton-damped", dict(damping=2.0), None),
        ("groups-newton", dict(), [{"lr": 0.5, "damping": 1.0}, {"lr": 0.2}]),
    ], [("newton-damping", dict(damping=-1.0), ValueError, "Invalid damping value: -1.0")]),
    OptimInfo("lbfgs", "torch.optim:LBFGS", [
        ("lbfgs", dict(), None),
        ("lbfgs-strong-wolfe", dict(line_search_fn="strong_wolfe"), None),
        ("lbfgs-history-2", dict(history_size=2, line_search_fn="strong_wolfe"), None),
        ("lbfgs-max-iter-5", dict(max_iter=5, lr=0.5), None),
        ("lbfgs-lr", dict(lr=0.5, tolerance_change=1e-12), None),
        ("lbfgs-one-iteration", dict(lr=0.1, max_iter=1), None),
        ("lbfgs-max-eval", dict(max_eval=7, line_search_fn="strong_wolfe", tolerance_grad=1e-5), None),
    ], [("lbfgs-lr-negative", dict(lr=-1.0), ValueError, "Invalid learning rate: -1.0"),
        ("lbfgs-line-search", dict(line_search_fn="armijo"), ValueError, "only 'strong_wolfe' is supported"),
        ("lbfgs-max-iter", dict(max_iter=0), ValueError, "max_iter must be an integer in [1, 1000], got 0"),
        ("lbfgs-history", dict(history_size=0), ValueError, "history_size must be an integer >= 1, got 0")]),
]

BY_NAME = {info.name: info for info in OPTIM_DB}

# Every input case of every optimizer: (id, registry name, kwargs, groups)
INPUT_CASES = [(case_id, info.name, kwargs, groups) for info in OPTIM_DB for case_id, kwargs, groups in info.inputs]
# The cases with a library to compare against
REFERENCE_CASES = [case for case in INPUT_CASES if BY_NAME[case[1]].reference]
ERROR_CASES = [(case_id, info.name, kwargs, exc, message) for info in OPTIM_DB
               for case_id, kwargs, exc, message in info.errors]
