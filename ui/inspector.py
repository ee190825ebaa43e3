"""The step inspector's numbers: for one run, at every step, the gradient, every optimizer buffer,
the quantities derived from them (m̂, v̂, ...), the effective per-coordinate learning rate and the
update. Pure NumPy.

The engine records the buffers (``run(..., record_state=True)``); what it does not store (the
bias-corrected moments, the effective rate, NAdam's momentum product, RAdam's rectifier) is
computed here from the buffers and the hyperparameters. Each family's function also predicts
the update from those numbers alone, and the tests check that the prediction reproduces the
update the engine applied: the inspector cannot show a number the step did not use.

Step ``k`` (0-based) is the move from point ``k`` to point ``k + 1``: the gradient at point k,
the buffers after the move, and the move itself.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Dict, List, Optional

import numpy as np

import optimizers
from optimizers.rules import adadelta, adagrad, adam, nadam, radam, rmsprop, sgd

from .compute import Run


@dataclasses.dataclass(frozen=True, eq=False)
class Row:
    """One line of the inspector: (steps, 2) per coordinate, or (steps,) when x and y agree."""

    key: str
    label: str
    values: np.ndarray


@dataclasses.dataclass(frozen=True, eq=False)
class Inspection:
    rows: List[Row]                      # in display order, the update last
    effective_lr: np.ndarray             # (steps, 2) what multiplies ``direction``
    direction: np.ndarray                # (steps, 2) the vector the rate scales
    update: np.ndarray                   # (steps, 2) the move the engine applied
    predicted: np.ndarray                # (steps, 2) the move the numbers above give
    velocity: Optional[np.ndarray]       # (steps, 2) -momentum buffer or -m: where the optimizer is heading
    lookahead: Optional[np.ndarray]      # (steps, 2) Nesterov: the point its momentum alone reaches


@dataclasses.dataclass
class _Inputs:
    """What every family needs, as arrays that broadcast against (steps, 2)."""

    run: Run
    g: np.ndarray        # the gradient the step used (noise included)
    theta: np.ndarray    # the point it was taken at
    lr: np.ndarray       # the scheduled, per-coordinate rate
    t: np.ndarray        # (steps, 1) the step count 1, 2, ...
    state: Dict[str, np.ndarray]

    def hp(self, key):
        return np.asarray(self.run.settings[key], dtype=np.float64)

    def flag(self, key):
        return np.asarray(self.run.settings.get(key, False), dtype=bool)

    def cycled(self, key):
        """momentum or β₁: one-cycle's value each step when it cycles it, else the setting."""
        return self.run.momentum if self.run.momentum is not None else self.hp(key)

    def l2(self, weight_decay):
        """torch's first lines: negate for ``maximize``, then add ``weight_decay * θ``."""
        g = np.where(self.flag("maximize"), -self.g, self.g)
        return g + weight_decay * self.theta

    def adam_decay(self):
        """(gradient after L2, decoupled shrink of the point) for the Adam family."""
        decoupled, wd = self.flag("decoupled_weight_decay"), self.hp("weight_decay")
        return self.l2(np.where(decoupled, 0.0, wd)), np.where(decoupled, -self.lr * wd * self.theta, 0.0)


def _bias(b, t):
    return 1.0 - b ** t


# --- one function per rule module: rows, effective rate, direction, prediction ---------------------

def _sgd(x: _Inputs) -> dict:
    mu, g = x.cycled("momentum"), x.l2(x.hp("weight_decay"))
    b, nesterov = x.state["momentum_buffer"], x.flag("nesterov")
    on = np.broadcast_to(mu != 0, g.shape)
    direction = np.where(on, np.where(nesterov, g + mu * b, b), g)
    rows = [("g", "gradient + λθ (L2)", g)] if np.any(x.hp("weight_decay")) else []
    if on.any():
        rows.append(("momentum_buffer", "momentum buffer b", b))
    rows.append(("direction", "direction d", direction))
    lookahead = np.where(nesterov & on, x.theta - x.lr * mu * b, np.nan) if np.any(nesterov) else None
    return dict(rows=rows, lr_label="effective lr γ", effective=x.lr, direction=direction,
                velocity=np.where(on, -b, np.nan) if on.any() else None, lookahead=lookahead)


def _adagrad(x: _Inputs) -> dict:
    g, s = x.l2(x.hp("weight_decay")), x.state["sum"]
    clr = x.lr / (1 + (x.t - 1) * x.hp("lr_decay"))
    return dict(rows=[("sum", "sum of squares s", s)], lr_label="effective lr γ̃/(√s+ε)",
                effective=clr / (np.sqrt(s) + x.hp("eps")), direction=g)


def _rmsprop(x: _Inputs) -> dict:
    g, v, mu = x.l2(x.hp("weight_decay")), x.state["square_avg"], x.cycled("momentum")
    centered = x.flag("centered")
    gbar = x.state["grad_avg"]
    delta = np.sqrt(np.where(centered, v - gbar * gbar, v)) + x.hp("eps")
    rows = [("square_avg", "mean square v", v)]
    if centered.any():
        rows.append(("grad_avg", "mean gradient ḡ", gbar))
    on = np.broadcast_to(mu > 0, g.shape)
    b = x.state["momentum_buffer"]
    if on.any():
        rows.append(("momentum_buffer", "momentum buffer b", b))
    effective = x.lr / delta
    # With momentum the step is γ b, and b gathers g/δ: the rate that scales b is γ itself.
    return dict(rows=rows, lr_label="effective lr γ/(√v+ε)", effective=effective,
                direction=g, predicted=np.where(on, -x.lr * b, -effective * g))


def _adadelta(x: _Inputs) -> dict:
    g, v, u = x.l2(x.hp("weight_decay")), x.state["square_avg"], x.state["acc_delta"]
    eps = x.hp("eps")
    before = np.concatenate([np.zeros_like(u[:1]), u[:-1]])  # u_{t-1}: the step uses last step's
    return dict(rows=[("square_avg", "mean square g² v", v), ("acc_delta", "mean square step² u", u)],
                lr_label="effective lr γ√(u+ε)/√(v+ε)",
                effective=x.lr * np.sqrt(before + eps) / np.sqrt(v + eps), direction=g)


def _adam(x: _Inputs) -> dict:
    g, shrink = x.adam_decay()
    b1, b2, amsgrad = x.cycled("beta1"), x.hp("beta2"), x.flag("amsgrad")
    m, v, vmax = x.state["exp_avg"], x.state["exp_avg_sq"], x.state["max_exp_avg_sq"]
    m_hat = m / _bias(b1, x.t)
    v_hat = np.where(amsgrad, vmax, v) / _bias(b2, x.t)
    rows = [("exp_avg", "first moment m", m), ("exp_avg_sq", "second moment v", v)]
    if amsgrad.any():
        rows.append(("max_exp_avg_sq", "largest v so far", vmax))
    rows += [("m_hat", "m̂ = m/(1−β₁ᵗ)", m_hat), ("v_hat", "v̂ = v/(1−β₂ᵗ)", v_hat)]
    return dict(rows=rows, lr_label="effective lr γ/(√v̂+ε)", effective=x.lr / (np.sqrt(v_hat) + x.hp("eps")),
                direction=m_hat, shrink=shrink, velocity=-m)


def _nadam(x: _Inputs) -> dict:
    g, shrink = x.adam_decay()
    b1, b2, psi = x.cycled("beta1"), x.hp("beta2"), x.hp("momentum_decay")
    m, v = x.state["exp_avg"], x.state["exp_avg_sq"]
    shape = np.broadcast_shapes(np.shape(b1 * x.t), (1, 2))
    mu = np.broadcast_to(b1 * (1.0 - 0.5 * 0.96 ** (x.t * psi)), shape)
    mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((x.t + 1) * psi))
    product = np.cumprod(np.broadcast_to(mu, np.broadcast_shapes(mu.shape, m.shape)), axis=0)
    v_hat = v / _bias(b2, x.t)
    direction = (1.0 - mu) / (1.0 - product) * g + mu_next / (1.0 - product * mu_next) * m
    rows = [("exp_avg", "first moment m", m), ("exp_avg_sq", "second moment v", v),
            ("v_hat", "v̂ = v/(1−β₂ᵗ)", v_hat), ("mu", "momentum μₜ", mu + 0.0 * m),
            ("direction", "direction (g, m mixed)", direction)]
    return dict(rows=rows, lr_label="effective lr γ/(√v̂+ε)", effective=x.lr / (np.sqrt(v_hat) + x.hp("eps")),
                direction=direction, shrink=shrink, velocity=-m)


def _radam(x: _Inputs) -> dict:
    g, shrink = x.adam_decay()
    b1, b2, eps = x.cycled("beta1"), x.hp("beta2"), x.hp("eps")
    m, v = x.state["exp_avg"], x.state["exp_avg_sq"]
    bc2 = _bias(b2, x.t)
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * x.t * b2 ** x.t / bc2 + 0.0 * m
    tractable = rho > 5.0
    with np.errstate(invalid="ignore", divide="ignore"):
        rect = np.where(tractable, np.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)),
                        np.nan)
    m_hat = m / _bias(b1, x.t)
    effective = np.where(tractable, x.lr * rect * np.sqrt(bc2) / (np.sqrt(v) + eps), x.lr)
    rows = [("exp_avg", "first moment m", m), ("exp_avg_sq", "second moment v", v),
            ("m_hat", "m̂ = m/(1−β₁ᵗ)", m_hat), ("rho", "ρₜ (adapts if > 5)", rho),
            ("rect", "rectifier rₜ", rect)]
    return dict(rows=rows, lr_label="effective lr γ rₜ√(1−β₂ᵗ)/(√v+ε)", effective=effective, direction=m_hat,
                shrink=shrink, velocity=-m)


FAMILIES: Dict[object, Callable[[_Inputs], dict]] = {
    sgd: _sgd, adagrad: _adagrad, rmsprop: _rmsprop, adadelta: _adadelta, adam: _adam, nadam: _nadam,
    radam: _radam,
}


def _row(key, label, values, steps) -> Row:
    values = np.broadcast_to(np.asarray(values, dtype=np.float64), (steps, 2))
    same = np.array_equal(values[:, 0], values[:, 1], equal_nan=True)
    return Row(key, label, values[:, 0].copy() if same else np.array(values))


def inspect(run: Run) -> Inspection:
    """Every number the inspector shows for a run computed with ``record_state=True``.

    Steps from the one where the run diverged on are NaN: the engine froze the point there.
    """
    if run.state is None or run.settings is None:
        raise ValueError("inspect needs a run computed with record_state=True")
    steps = len(run.grads)
    x = _Inputs(run, run.grads, run.params[:-1], run.lr, np.arange(1, steps + 1, dtype=np.float64)[:, None],
                run.state)
    family = FAMILIES[optimizers.info(run.name).module]
    with np.errstate(all="ignore"):
        out = family(x)
        effective = np.broadcast_to(out["effective"], (steps, 2))
        direction = np.broadcast_to(out["direction"], (steps, 2))
        shrink = out.get("shrink", 0.0)
        predicted = np.broadcast_to(out.get("predicted", -effective * direction) + shrink, (steps, 2))
    update = np.diff(run.params, axis=0)
    rows = [_row("grad", "gradient ∇f", run.grads, steps)]
    rows += [_row(key, label, values, steps) for key, label, values in out["rows"]]
    rows.append(_row("lr", "learning rate γ", run.lr, steps))
    rows.append(_row("effective_lr", out["lr_label"], effective, steps))
    if np.any(shrink):
        rows.append(_row("shrink", "decoupled decay −γλθ", shrink, steps))
    rows.append(_row("update", "update Δθ", update, steps))
    if run.diverged_at >= 0:
        for row in rows:
            row.values[run.diverged_at:] = np.nan
    velocity, lookahead = out.get("velocity"), out.get("lookahead")
    return Inspection(rows=rows, effective_lr=np.array(effective), direction=np.array(direction), update=update,
                      predicted=np.array(predicted),
                      velocity=None if velocity is None else np.broadcast_to(velocity, (steps, 2)),
                      lookahead=None if lookahead is None else np.broadcast_to(lookahead, (steps, 2)))
