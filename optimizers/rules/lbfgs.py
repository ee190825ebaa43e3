r"""L-BFGS (torch.optim.LBFGS): quasi-Newton steps from the last few gradient differences.

One Gradscape step is one torch ``step(closure)``: up to ``max_iter`` inner iterations k, each

.. math::
   y_{k} &= g_k - g_{k-1}, \quad s_k = t_{k-1} d_{k-1}, \quad \rho_k = 1 / y_k^\top s_k
          \quad\text{(kept, the oldest dropped past } m \text{ pairs, only if } y_k^\top s_k > 10^{-10}\text{)} \\
   d_k &= -H_k g_k \quad\text{(two-loop recursion over the kept pairs, } H^0 = \tfrac{y^\top s}{y^\top y} I\text{)},
          \qquad d_1 = -g_1 \\
   t_k &= \gamma \ \text{(the very first iteration: } \min(1, 1/\lVert g_1\rVert_1)\,\gamma\text{)}
          \quad\text{or a strong-Wolfe line search from there} \\
   \theta_t &= \theta_{t-1} + \sum_{k=1}^{K} t_k d_k \quad\text{(the step's } K \le \text{max\_iter inner iterations)}

The inner loop stops after ``max_iter`` iterations or ``max_eval`` evaluations, when
:math:`\max|g| \le` ``tolerance_grad``, when :math:`g^\top d > -` ``tolerance_change``, or when the
step or the loss change falls below ``tolerance_change``.

Conventions (torch's, followed in its order of operations): the landscape is evaluated exactly
where and as often as torch calls the closure, and ``traj.evals`` counts those calls (torch's
``state["func_evals"]``); the first call of a step is the run loop's own evaluation at the point;
``max_eval`` None means ``max_iter * 5 // 4``; the line search's bracket tolerance is its own 1e-9,
not ``tolerance_change`` (torch does not pass it on); ``lr`` is read each step, so a schedule works;
one parameter group only, as in torch; no noise and no mini-batches (a closure evaluated on a
changing gradient is not torch's L-BFGS). An unknown ``line_search_fn`` is refused when the
optimizer is built (torch raises at its first step). ``max_iter`` and ``max_eval`` are capped at
1000 so that a step always ends. What the inspector shows per step: the last inner move's
direction ``d`` and length ``t``, the iterations and evaluations the step used, and its whole move
:math:`\sum_k t_k d_k`.
"""

from __future__ import annotations

import math
from typing import Callable, Dict, List, Tuple

import numpy as np

from .._kernel import fma, jit
from .._meta import Control, controls

DEFAULTS = dict(lr=1.0, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100,
                line_search_fn=None)
SUMMARY = ("A quasi-Newton method: it learns the curvature from its last few gradients and takes a "
           "Newton-like step, several inner iterations and landscape evaluations per step.")
CLOSURE = True   # the run loop calls ``step_closure`` per run instead of a compiled kernel
GROUPS_REFUSED = "LBFGS doesn't support per-parameter options (parameter groups)"
HYPER = ()
STATE = (("direction", 0.0), ("t", 0.0), ("iterations", 0.0), ("evals", 0.0), ("move", 0.0))
CAP = 1000
CONTROLS = controls(
    "lr", "max_iter", "history_size", "line_search_fn",
    max_iter=Control("max_iter", "inner iterations per step", "K", bounds=(1.0, 100.0)),
    history_size=Control("history_size", "history size m", "m", bounds=(1.0, 100.0)),
    line_search_fn=Control("line_search_fn", "strong Wolfe line search", "", kind="bool"))


def _line_search(name, value):
    """None or "strong_wolfe" as torch takes it; the page's switch may send True/False."""
    if value is None or value is False:
        return {"line_search_fn": None}
    if value is True or value == "strong_wolfe":
        return {"line_search_fn": "strong_wolfe"}
    raise ValueError("only 'strong_wolfe' is supported")


def _max_eval(name, value):
    if value is None:
        return {"max_eval": None}
    if isinstance(value, (bool, np.bool_, str, bytes)) or np.ndim(value) != 0:
        raise TypeError(f"{name}: max_eval must be an integer or None, got {value!r}")
    return {"max_eval": value}


NORMALISE = {"line_search_fn": _line_search, "max_eval": _max_eval}


def _count(low):
    return lambda v: low <= v <= CAP and float(v) == math.floor(v)


def validate(hp, check):
    check(hp["lr"], lambda v: 0.0 <= v, "Invalid learning rate: {}")
    check(hp["max_iter"], _count(1), f"max_iter must be an integer in [1, {CAP}], got {{}}")
    if hp["max_eval"] is not None:
        check(hp["max_eval"], _count(1), f"max_eval must be an integer in [1, {CAP}], got {{}}")
    check(hp["history_size"], lambda v: 1 <= v and float(v) == math.floor(v),
          "history_size must be an integer >= 1, got {}")


def keeps_state(hyper) -> bool:
    return True


# --- torch's arithmetic, one rounding at a time -------------------------------------------------

@jit
def _axpy(alpha, u, p):
    """``p.add_(u, alpha=alpha)``: torch's CPU kernel fuses it, fma(alpha, u, p)."""
    out = np.empty_like(p)
    for j in range(p.shape[0]):
        out[j] = fma(alpha, u[j], p[j])
    return out


@jit
def _dot(a, b):
    """``a.dot(b)`` as torch sums it on the CPU: the products added in order, none fused. np.dot hands
    it to BLAS, whose kernel depends on the machine: OpenBLAS's AVX-512 ddot fuses a multiply and an
    add, one rounding fewer, and L-BFGS's path then left torch's by 1e-7 within 4 steps there."""
    total = 0.0
    for j in range(a.shape[0]):
        total += a[j] * b[j]
    return total


def _max(a, b):
    """Python's max(a, b): the first unless the second is strictly larger (NaN stays first)."""
    return b if b > a else a


def _min(a, b):
    return b if b < a else a


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """torch's ``_cubic_interpolate``: the minimiser of the cubic through two points with slopes."""
    if bounds is not None:
        lo, hi = bounds
    else:
        lo, hi = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return _min(_max(min_pos, lo), hi)
    return (lo + hi) / 2.0


def _strong_wolfe(evaluate, x, t, d, f, g, gtd, max_ls, c1=1e-4, c2=0.9, tolerance_change=1e-9):
    """torch's ``_strong_wolfe``: (loss, gradient, step length, evaluations) at the accepted t."""
    d_norm = np.max(np.abs(d))
    f_new, g_new = evaluate(_axpy(t, d, x))
    evals = 1
    gtd_new = _dot(g_new, d)
    t_prev, f_prev, g_prev, gtd_prev = np.float64(0.0), f, g, gtd
    done = False
    ls_iter = 0
    bracket = bracket_f = bracket_g = bracket_gtd = None
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new, gtd_new
        f_new, g_new = evaluate(_axpy(t, d, x))
        evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [np.float64(0.0), t], [f, f_new], [g, g_new]

    insuf_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        top, bottom = _max(bracket[0], bracket[1]), _min(bracket[0], bracket[1])
        eps = 0.1 * (top - bottom)
        if _min(top - t, t - bottom) < eps:
            if insuf_progress or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = evaluate(_axpy(t, d, x))
        evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low]:
            bracket[high], bracket_f[high], bracket_g[high], bracket_gtd[high] = t, f_new, g_new, gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low], bracket_g[low], bracket_gtd[low] = t, f_new, g_new, gtd_new
    return bracket_f[low], bracket_g[low], bracket[low], evals


def step_closure(p: np.ndarray, loss, flat_grad: np.ndarray, evaluate: Callable, memory: Dict,
                 hp: Dict) -> Tuple[np.ndarray, int, Dict[str, object]]:
    """One torch ``LBFGS.step(closure)`` for one run.

    ``p`` (d,) the point; ``loss`` and ``flat_grad`` the closure's first call there (the run loop's
    evaluation); ``evaluate(x) -> (loss, grad)`` one more closure call; ``memory`` this run's
    state (torch's ``optimizer.state``), updated in place; ``hp`` this run's hyperparameters as
    numbers, ``lr`` this step's. Returns the new point, the closure calls used (the first
    included) and the recorded fields of ``STATE``."""
    lr = np.float64(hp["lr"])
    max_iter = int(hp["max_iter"])
    max_eval = max_iter * 5 // 4 if hp["max_eval"] is None else int(hp["max_eval"])
    tolerance_grad, tolerance_change = np.float64(hp["tolerance_grad"]), np.float64(hp["tolerance_change"])
    history_size = int(hp["history_size"])
    strong_wolfe = hp["line_search_fn"] == "strong_wolfe"

    loss = np.float64(loss)
    current_evals = 1
    if np.max(np.abs(flat_grad)) <= tolerance_grad:
        return p, current_evals, dict(direction=0.0, t=0.0, iterations=0.0, evals=1.0, move=0.0)
    memory.setdefault("n_iter", 0)
    d, t = memory.get("d"), memory.get("t")
    old_dirs: List = memory.get("old_dirs")
    old_stps: List = memory.get("old_stps")
    ro: List = memory.get("ro")
    H_diag = memory.get("H_diag")
    prev_flat_grad, prev_loss = memory.get("prev_flat_grad"), memory.get("prev_loss")
    start = p
    moved_d, moved_t, moves = np.zeros_like(p), np.float64(0.0), 0
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        memory["n_iter"] += 1
        if memory["n_iter"] == 1:
            d = -flat_grad
            old_dirs, old_stps, ro = [], [], []
            H_diag = np.float64(1.0)
        else:
            y = flat_grad - prev_flat_grad
            s = d * t
            ys = _dot(y, s)
            if ys > 1e-10:
                if len(old_dirs) == history_size:
                    old_dirs.pop(0)
                    old_stps.pop(0)
                    ro.pop(0)
                old_dirs.append(y)
                old_stps.append(s)
                ro.append(1.0 / ys)
                H_diag = ys / _dot(y, y)
            num_old = len(old_dirs)
            al = [None] * num_old
            q = -flat_grad
            for i in range(num_old - 1, -1, -1):
                al[i] = _dot(old_stps[i], q) * ro[i]
                q = _axpy(-al[i], old_dirs[i], q)
            d = r = q * H_diag
            for i in range(num_old):
                be_i = _dot(old_dirs[i], r) * ro[i]
                r = _axpy(al[i] - be_i, old_stps[i], r)
            d = r
        prev_flat_grad = flat_grad.copy()
        prev_loss = loss

        if memory["n_iter"] == 1:
            t = _min(np.float64(1.0), 1.0 / np.sum(np.abs(flat_grad))) * lr
        else:
            t = lr
        gtd = _dot(flat_grad, d)
        if gtd > -tolerance_change:
            break

        ls_func_evals = 0
        if strong_wolfe:
            loss, flat_grad, t, ls_func_evals = _strong_wolfe(evaluate, p, t, d, loss, flat_grad, gtd,
                                                              max_ls=max_eval - current_evals)
            p = _axpy(t, d, p)
            opt_cond = np.max(np.abs(flat_grad)) <= tolerance_grad
        else:
            p = _axpy(t, d, p)
            opt_cond = False
            if n_iter != max_iter:
                loss, flat_grad = evaluate(p)
                loss = np.float64(loss)
                opt_cond = np.max(np.abs(flat_grad)) <= tolerance_grad
                ls_func_evals = 1
        current_evals += ls_func_evals
        moved_d, moved_t, moves = d, t, moves + 1

        if n_iter == max_iter or current_evals >= max_eval or opt_cond:
            break
        if np.max(np.abs(d * t)) <= tolerance_change:
            break
        if abs(loss - prev_loss) < tolerance_change:
            break

    memory.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=H_diag,
                  prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
    return p, current_evals, dict(direction=moved_d, t=moved_t, iterations=float(moves),
                                  evals=float(current_evals), move=p - start)


def explain(x) -> dict:
    t, d, move = x.state["t"], x.state["direction"], x.state["move"]
    # One inner iteration that moved: the move is t·d (what the recorded numbers predict); more: the
    # sum of every iteration's t_k d_k, of which the inspector shows the last and the total.
    one = x.state["iterations"] == 1
    return dict(rows=[("direction", "last direction d (quasi-Newton −H∇f)", d),
                      ("t", "last step length t", t),
                      ("iterations", "inner iterations that moved", x.state["iterations"]),
                      ("evals", "evaluations this step", x.state["evals"]),
                      ("move", "this step's move Σ t·d", move)],
                lr_label="step length t", effective=t, direction=-d,
                predicted=np.where(one, t * d, move))
