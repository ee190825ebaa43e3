"""Learning-rate schedules against explicit arrays, closed forms and hand-made plateaus.

``Schedule.rates(base, steps)[t]`` and ``traj.lr[t]`` are the rate that step t
uses; torch steps the scheduler once after each optimizer step.
"""

import math
import re

import numpy as np
import pytest

import landscapes
import optimizers

BOWL = landscapes.get("bowl")
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.2, 1.4]])
BASES = [0.2, np.array([[0.1, 0.03]])]  # one rate, and one per coordinate (two parameter groups)

# (id, name, kwargs, multipliers of the base rate for steps 0, 1, 2, ...)
EXPLICIT = [
    ("constant", "constant", dict(), [1] * 6),
    ("step", "step", dict(step_size=3, gamma=0.5), [1, 1, 1, .5, .5, .5, .25, .25, .25, .125]),
    ("multistep", "multistep", dict(milestones=[5, 2, 5], gamma=0.1), [1, 1, .1, .1, .1, .001, .001, .001]),
    ("exponential", "exponential", dict(gamma=0.9), [1, .9, .81, .729, .6561, .59049]),
    ("linear-warmup", "linear", dict(start_factor=0.25, total_iters=4), [.25, .4375, .625, .8125, 1, 1, 1]),
    ("linear-decay", "linear", dict(start_factor=1.0, end_factor=0.5, total_iters=2), [1, .75, .5, .5, .5]),
    ("cosine", "cosine", dict(T_max=4), [1, (2 + math.sqrt(2)) / 4, .5, (2 - math.sqrt(2)) / 4, 0,
                                         (2 - math.sqrt(2)) / 4, .5, (2 + math.sqrt(2)) / 4, 1]),
]


@pytest.mark.parametrize("base", BASES, ids=["scalar", "per-coordinate"])
@pytest.mark.parametrize("case", EXPLICIT, ids=[c[0] for c in EXPLICIT])
def test_rates_match_explicit_arrays(case, base):
    _, name, kwargs, multipliers = case
    rates = optimizers.schedule(name, **kwargs).rates(base, len(multipliers))
    expected = np.multiply.outer(np.array(multipliers, dtype=float), base)
    assert rates.shape == expected.shape
    np.testing.assert_allclose(rates, expected, rtol=1e-12, atol=1e-17)


@pytest.mark.parametrize("name, kwargs", [
    ("constant", {}), ("step", dict(step_size=4, gamma=0.3)), ("multistep", dict(milestones=[3, 7, 7, 20])),
    ("exponential", dict(gamma=0.95)), ("linear", dict(start_factor=0.1, end_factor=0.9, total_iters=12)),
], ids=["constant", "step", "multistep", "exponential", "linear"])
def test_recursive_rates_agree_with_closed_form(name, kwargs):
    sched = optimizers.schedule(name, **kwargs)
    base = np.array([[0.1, 0.03], [1.0, 2.0]])
    rates = sched.rates(base, 30)
    for t in range(30):
        np.testing.assert_allclose(rates[t], sched.closed_form(t, base), rtol=1e-12, err_msg=f"t={t}")


@pytest.mark.parametrize("T_max, eta_min", [(10, 0.01), (7, 0.0), (50, 1e-3)])
def test_cosine_recursion_matches_closed_form_up_to_T_max(T_max, eta_min):
    base = np.array([[0.1, 0.02]])
    sched = optimizers.schedule("cosine", T_max=T_max, eta_min=eta_min)
    rates = sched.rates(base, T_max + 1)
    for t in range(T_max + 1):
        by_hand = eta_min + (base - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2
        np.testing.assert_allclose(rates[t], by_hand, rtol=1e-12, atol=1e-18, err_msg=f"t={t}")
        np.testing.assert_allclose(rates[t], sched.closed_form(t, base), rtol=1e-12, atol=1e-18)
    np.testing.assert_allclose(rates[T_max], eta_min, rtol=1e-12, atol=1e-18)


def test_cosine_climbs_back_after_T_max():
    """torch's recursion does not stop at eta_min: it follows the cosine on, with period 2 T_max."""
    T_max, eta_min, base = 10, 0.01, 0.1
    sched = optimizers.schedule("cosine", T_max=T_max, eta_min=eta_min)
    rates = sched.rates(base, 4 * T_max + 1)
    assert np.all(np.diff(rates[:T_max + 1]) < 0)
    assert np.all(np.diff(rates[T_max:2 * T_max + 1]) > 0)
    assert np.all(np.diff(rates[2 * T_max:3 * T_max + 1]) < 0)
    np.testing.assert_allclose(rates[2 * T_max], base, rtol=1e-9)
    np.testing.assert_allclose(rates[3 * T_max], eta_min, rtol=1e-9)
    np.testing.assert_allclose(rates, [sched.closed_form(t, base) for t in range(4 * T_max + 1)], rtol=1e-9)


# --- OneCycleLR -------------------------------------------------------------------------------------

def cos_anneal(start, end, pct):
    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)


def lin_anneal(start, end, pct):
    return (end - start) * pct + start


def onecycle_by_hand(steps, phases, anneal):
    """phases: (last step of the phase, lr from, lr to, momentum from, momentum to); torch's table."""
    lrs, moms = [], []
    for t in range(steps):
        begin = 0.0
        for i, (end, lr_a, lr_b, m_a, m_b) in enumerate(phases):
            if t <= end or i == len(phases) - 1:
                pct = (t - begin) / (end - begin)
                lrs.append(anneal(lr_a, lr_b, pct))
                moms.append(anneal(m_a, m_b, pct))
                break
            begin = end
    return np.array(lrs), np.array(moms)


# total_steps = 10, pct_start = 0.3, max_lr = 1: initial = 1/25 = 0.04, min = 0.04/1e4 = 4e-6;
# the warm-up ends at step 0.3*10 - 1 = 2 (and the second phase of three at 2*0.3*10 - 2 = 4).
ONECYCLE = [
    ("two-phase-cos", dict(), cos_anneal, [(2, .04, 1., .95, .85), (9, 1., 4e-6, .85, .95)]),
    ("two-phase-linear", dict(anneal_strategy="linear"), lin_anneal,
     [(2, .04, 1., .95, .85), (9, 1., 4e-6, .85, .95)]),
    ("three-phase", dict(three_phase=True), cos_anneal,
     [(2, .04, 1., .95, .85), (4, 1., .04, .85, .95), (9, .04, 4e-6, .95, .95)]),
    ("momentum-range", dict(base_momentum=0.5, max_momentum=0.99, div_factor=10, final_div_factor=100), cos_anneal,
     [(2, .1, 1., .99, .5), (9, 1., 1e-3, .5, .99)]),
]


@pytest.mark.parametrize("case", ONECYCLE, ids=[c[0] for c in ONECYCLE])
def test_onecycle_lr_and_momentum_by_hand(case):
    _, kwargs, anneal, phases = case
    lrs, moms = onecycle_by_hand(10, phases, anneal)
    sched = optimizers.schedule("onecycle", max_lr=1.0, total_steps=10, **kwargs)
    traj = optimizers.run(BOWL, optimizers.get("sgd", lr=0.5, momentum=0.9), start=STARTS, steps=10, schedule=sched)
    np.testing.assert_allclose(traj.lr, np.broadcast_to(lrs[:, None, None], traj.lr.shape), rtol=1e-12)
    np.testing.assert_allclose(traj.momentum, np.broadcast_to(moms[:, None, None], traj.lr.shape), rtol=1e-12)


def test_onecycle_pencil_values():
    sched = optimizers.schedule("onecycle", max_lr=1.0, total_steps=10)
    rates = sched.rates(0.3, 10)  # max_lr given: the optimizer's own rate is not used
    assert rates[[0, 1, 2, 9]].tolist() == pytest.approx([0.04, 0.52, 1.0, 4e-6], rel=1e-12)


def test_onecycle_without_max_lr_peaks_at_each_groups_rate():
    groups = [{"lr": 0.1}, {"lr": 0.01}]
    traj = optimizers.run(BOWL, optimizers.get("adam", groups=groups), start=STARTS, steps=10,
                          schedule=optimizers.schedule("onecycle"))  # total_steps = the run's steps
    lrs, _ = onecycle_by_hand(10, [(2, .04, 1., .95, .85), (9, 1., 4e-6, .85, .95)], cos_anneal)
    np.testing.assert_allclose(traj.lr[:, :, 0], 0.1 * np.broadcast_to(lrs[:, None], (10, 3)), rtol=1e-12)
    np.testing.assert_allclose(traj.lr[:, :, 1], 0.01 * np.broadcast_to(lrs[:, None], (10, 3)), rtol=1e-12)


def test_onecycle_cycles_sgd_momentum_in_the_update():
    """The buffer is b_t = m_t b_{t-1} + g_t with m_t = traj.momentum[t], and the step is lr_t b_t."""
    traj = optimizers.run(BOWL, optimizers.get("sgd", lr=0.1, momentum=0.9), start=STARTS, steps=10,
                          schedule=optimizers.schedule("onecycle", total_steps=10), record_state=True)
    b, g, m, lr, P = traj.state["momentum_buffer"], traj.grads, traj.momentum, traj.lr, traj.params
    np.testing.assert_array_equal(b[0], g[0])
    np.testing.assert_allclose(b[1:], m[1:] * b[:-1] + g[1:], rtol=1e-12)
    np.testing.assert_allclose(P[1:], P[:-1] - lr * b, rtol=1e-12, atol=1e-16)
    assert m.min() == pytest.approx(0.85) and m.max() == pytest.approx(0.95)


def test_onecycle_cycles_adam_beta1_in_the_update():
    traj = optimizers.run(BOWL, optimizers.get("adam", lr=0.1), start=STARTS, steps=10,
                          schedule=optimizers.schedule("onecycle", total_steps=10), record_state=True)
    m, v, g, b1, lr, P = (traj.state["exp_avg"], traj.state["exp_avg_sq"], traj.grads, traj.momentum, traj.lr,
                          traj.params)
    np.testing.assert_allclose(m[0], (1 - b1[0]) * g[0], rtol=1e-12)
    np.testing.assert_allclose(m[1:], b1[1:] * m[:-1] + (1 - b1[1:]) * g[1:], rtol=1e-12)
    t = np.arange(1, 11)[:, None, None]
    expected = P[:-1] - lr / (1 - b1**t) * m / (np.sqrt(v) / np.sqrt(1 - 0.999**t) + 1e-8)
    np.testing.assert_allclose(P[1:], expected, rtol=1e-12)


# --- ReduceLROnPlateau ------------------------------------------------------------------------------

def plateau_rates(losses, base, **kwargs):
    """The rate step t uses, for t = 0..len(losses); losses[t] is the loss where step t's gradient was taken."""
    sched = optimizers.schedule("plateau", **kwargs)
    state = sched.start(np.array([base], dtype=float), len(losses))
    out = []
    for loss in losses:
        out.append(state.lr[0].copy())
        state = sched.advance(state, np.array([loss]))
    out.append(state.lr[0])
    return np.array(out)


# (id, kwargs, base rates (x, y), losses, expected rates (x, y) per step), worked out in torch's order:
# better? -> best, bad = 0 else bad += 1; in cooldown -> cooldown -= 1, bad = 0; bad > patience -> reduce.
PLATEAU = [
    ("patience", dict(patience=2), (1.0, 0.1), [10, 9, 9, 9, 9, 9, 9, 9],
     np.outer([1, 1, 1, 1, 1, .1, .1, .1, .01], (1.0, 0.1))),
    ("cooldown", dict(patience=1, cooldown=2, factor=0.5), (1.0, 0.1), [10] * 11,
     np.outer([1, 1, 1, .5, .5, .5, .5, .25, .25, .25, .25, .125], (1.0, 0.1))),
    ("rel-threshold", dict(patience=0, factor=0.5, threshold=0.1), (1.0, 0.1), [10, 9.5, 8.9, 8.5, 8.0, 7.9],
     np.outer([1, 1, .5, .5, .25, .25, .125], (1.0, 0.1))),
    ("abs-threshold", dict(patience=0, factor=0.5, threshold=0.1, threshold_mode="abs"), (1.0, 0.1),
     [10, 9.5, 8.9, 8.5, 8.0, 7.95], np.outer([1, 1, 1, 1, 1, 1, .5], (1.0, 0.1))),
    ("max-mode", dict(mode="max", patience=1), (1.0, 0.1), [1, 2, 2, 2, 3, 3, 3],
     np.outer([1, 1, 1, 1, .1, .1, .1, .01], (1.0, 0.1))),
    ("min-lr-per-group", dict(patience=0, min_lr=[0.05, 0.2]), (1.0, 1.0), [5] * 5,
     np.array([[1, 1], [1, 1], [.1, .2], [.05, .2], [.05, .2], [.05, .2]])),
    ("eps", dict(patience=0, factor=0.5), (1e-7, 1.5e-8), [1, 1, 1],  # 1.5e-8 -> 7.5e-9 is a change < eps
     np.array([[1e-7, 1.5e-8], [1e-7, 1.5e-8], [5e-8, 1.5e-8], [2.5e-8, 1.5e-8]])),
]


@pytest.mark.parametrize("case", PLATEAU, ids=[c[0] for c in PLATEAU])
def test_plateau_drops_exactly_where_torch_does(case):
    _, kwargs, base, losses, expected = case
    np.testing.assert_allclose(plateau_rates(losses, base, **kwargs), expected, rtol=1e-12)


def _clock(P):
    """Loss 5 below y = 2.5 and 1 above; the 'gradient' (0, -1) walks gd up y by lr per step: a clock."""
    P = np.asarray(P, dtype=float)
    return np.where(P[..., 1] < 2.5, 5.0, 1.0)


CLOCK = landscapes.Landscape(name="clock", loss=_clock,
                             grad=lambda P: np.broadcast_to([0.0, -1.0], np.shape(P)).copy(),
                             bounds=((-1, 1), (-20, 20)))


def test_plateau_in_a_run_watches_the_loss_where_each_gradient_was_taken():
    """Run 0 sees losses 5, 5, 5, 1, 1, ... (y = 0, 1, 2, 3, ...); run 1 starts at y = -10 and stays at 5.

    Run 0: improvements at steps 0 and 3, then 3 bad steps -> step 7 uses 0.1; 3 more -> step 10, 13.
    Run 1: bad steps 1, 2, 3 -> step 4 uses 0.1, then every 3 steps. Each run follows its own loss.
    Feeding the loss after the step instead would shift run 0's first drop to step 6.
    """
    sched = optimizers.schedule("plateau", patience=2, factor=0.1)
    traj = optimizers.run(CLOCK, optimizers.get("gd", lr=1.0), start=[(0.0, 0.0), (0.0, -10.0)], steps=14,
                          schedule=sched)
    np.testing.assert_array_equal(traj.params[:4, 0, 1], [0, 1, 2, 3])
    run0 = [1] * 7 + [.1] * 3 + [.01] * 3 + [.001]
    run1 = [1] * 4 + [.1] * 3 + [.01] * 3 + [.001] * 3 + [1e-4]
    np.testing.assert_allclose(traj.lr[:, 0, :], np.repeat(np.array(run0)[:, None], 2, 1), rtol=1e-12)
    np.testing.assert_allclose(traj.lr[:, 1, :], np.repeat(np.array(run1)[:, None], 2, 1), rtol=1e-12)


def test_plateau_on_the_bowl_per_run():
    """gd with lr = 1 flips x -> -x on the bowl (a perfect plateau); lr = 0.1 shrinks the loss every step."""
    opt = optimizers.get("gd", lr=np.array([[1.0], [0.1]]))
    traj = optimizers.run(BOWL, opt, start=[(1.0, -2.0), (1.0, -2.0)], steps=12,
                          schedule=optimizers.schedule("plateau", patience=3))
    np.testing.assert_array_equal(traj.loss[:6, 0], [5.0] * 6)
    np.testing.assert_allclose(traj.lr[:, 0, 0], [1] * 5 + [0.1] * 7, rtol=1e-12)  # drop after 4 bad steps
    np.testing.assert_allclose(traj.lr[:, 1, :], 0.1, rtol=0)


def test_plateau_rates_accepts_a_scalar_base():
    rates = optimizers.schedule("plateau", patience=1).rates(1.0, 5)
    np.testing.assert_allclose(rates, [1, 1, 1, .1, .1])


# --- schedules inside runs ----------------------------------------------------------------------------

def test_traj_lr_is_the_rate_each_step_used():
    sched = optimizers.schedule("multistep", milestones=[2, 4], gamma=0.5)
    traj = optimizers.run(BOWL, optimizers.get("gd", lr=0.2), start=STARTS, steps=6, schedule=sched)
    np.testing.assert_allclose(traj.lr[:, 0, 0], [.2, .2, .1, .1, .05, .05], rtol=1e-15)
    np.testing.assert_allclose(traj.params[1:], traj.params[:-1] - traj.lr * traj.grads, rtol=1e-15)


def test_schedule_scales_each_group_and_each_run_from_its_own_base():
    pattern = np.array([1, 1, 1, .5, .5, .5, .25, .25])
    sched = optimizers.schedule("step", step_size=3, gamma=0.5)
    groups = optimizers.run(BOWL, optimizers.get("adam", groups=[{"lr": 0.1}, {"lr": 0.01}]), start=STARTS,
                            steps=8, schedule=sched)
    expected = np.multiply.outer(pattern, np.broadcast_to([0.1, 0.01], (3, 2)))
    np.testing.assert_allclose(groups.lr, expected, rtol=1e-12)
    sweep = optimizers.run(BOWL, optimizers.get("adam", lr=np.array([[0.1], [0.02], [0.003]])), start=STARTS,
                           steps=8, schedule=sched)
    expected = np.multiply.outer(pattern, np.broadcast_to([[0.1], [0.02], [0.003]], (3, 2)))
    np.testing.assert_allclose(sweep.lr, expected, rtol=1e-12)


def test_constant_schedule_is_no_schedule():
    opt = optimizers.get("rmsprop", lr=1e-2)
    a = optimizers.run(BOWL, opt, start=STARTS, steps=20)
    for sched in ("constant", optimizers.schedule("constant")):
        b = optimizers.run(BOWL, opt, start=STARTS, steps=20, schedule=sched)
        np.testing.assert_array_equal(a.params, b.params)
        np.testing.assert_array_equal(a.lr, b.lr)


# --- bad arguments ----------------------------------------------------------------------------------

BAD = [
    ("linear-start-0", "linear", dict(start_factor=0), ValueError,
     "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."),
    ("linear-start-above-1", "linear", dict(start_factor=1.5), ValueError,
     "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."),
    ("linear-end-above-1", "linear", dict(end_factor=1.5), ValueError,
     "Ending multiplicative factor expected to be between 0 and 1."),
    ("linear-total-iters-0", "linear", dict(total_iters=0), ValueError, "Expected positive integer total_iters"),
    ("plateau-factor-1", "plateau", dict(factor=1.0), ValueError, "Factor should be < 1.0."),
    ("plateau-factor-2", "plateau", dict(factor=2.0), ValueError, "Factor should be < 1.0."),
    ("plateau-mode", "plateau", dict(mode="avg"), ValueError, "mode avg is unknown!"),
    ("plateau-threshold-mode", "plateau", dict(threshold_mode="pct"), ValueError, "threshold mode pct is unknown!"),
    ("plateau-patience", "plateau", dict(patience=-1), ValueError, "patience must be a non-negative integer"),
    ("onecycle-pct-above-1", "onecycle", dict(pct_start=1.5), ValueError,
     "Expected float between 0 and 1 pct_start, but got 1.5"),
    ("onecycle-pct-negative", "onecycle", dict(pct_start=-0.1), ValueError,
     "Expected float between 0 and 1 pct_start, but got -0.1"),
    ("onecycle-anneal", "onecycle", dict(anneal_strategy="exp"), ValueError,
     "anneal_strategy must be one of 'cos' or 'linear', instead got exp"),
    ("onecycle-total-0", "onecycle", dict(total_steps=0), ValueError,
     "Expected positive integer total_steps, but got 0"),
    ("onecycle-max-lr", "onecycle", dict(max_lr=-1.0), ValueError, "max_lr must be finite and non-negative"),
    ("step-size-0", "step", dict(step_size=0), ValueError, "Expected positive integer step_size, but got 0"),
    ("step-size-float", "step", dict(step_size=2.5), ValueError, "Expected positive integer step_size, but got 2.5"),
    ("cosine-T-max-0", "cosine", dict(T_max=0), ValueError, "Expected positive integer T_max, but got 0"),
    ("exponential-gamma-nan", "exponential", dict(gamma=float("nan")), ValueError, "gamma must be finite"),
    ("multistep-milestones", "multistep", dict(milestones="ab"), ValueError, "milestones must be a list of integers"),
    ("multistep-inf", "multistep", dict(milestones=[3, float("inf")]), ValueError,
     "milestones must be a list of integers"),
    ("multistep-fraction", "multistep", dict(milestones=[3.7]), ValueError, "milestones must be a list of integers"),
    ("unknown-kwarg", "cosine", dict(T_max=10, eta_max=1.0), TypeError, "eta_max"),
    ("missing-arg", "step", dict(), TypeError, "step_size"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_schedule_arguments_raise(case):
    _, name, kwargs, exc, message = case
    with pytest.raises(exc, match=re.escape(message)):
        optimizers.schedule(name, **kwargs)


@pytest.mark.parametrize("name", ["warmup", "StepLR", None])
def test_unknown_schedule_lists_the_known_names(name):
    with pytest.raises(ValueError, match="unknown schedule") as excinfo:
        optimizers.schedule(name)
    for known in optimizers.schedule_names():
        assert known in str(excinfo.value)


def test_onecycle_refuses_more_steps_than_total_steps():
    sched = optimizers.schedule("onecycle", max_lr=0.1, total_steps=10)
    optimizers.run(BOWL, optimizers.get("sgd", momentum=0.9), steps=10, schedule=sched)  # exactly total: fine
    with pytest.raises(ValueError, match="Tried to step 11 times. The specified number of total steps is 10"):
        optimizers.run(BOWL, optimizers.get("sgd", momentum=0.9), steps=11, schedule=sched)


# Where torch's OneCycleLR would divide by zero (a phase of no steps, or no steps at all) or anneal
# inf - inf into NaN rates, the schedule refuses with a message instead.
@pytest.mark.parametrize("steps, kwargs, lr, message", [
    (0, dict(), 0.1, "Expected positive integer total_steps, but got 0"),
    (1, dict(pct_start=1.0), 0.1, "leaves a phase with no steps"),
    (10, dict(pct_start=0.1), 0.1, "leaves a phase with no steps"),
    (10, dict(pct_start=0.1, three_phase=True), 0.1, "leaves a phase with no steps"),
    (3, dict(), float("inf"), "needs a finite peak rate"),
])
def test_onecycle_refuses_what_torch_would_divide_by_zero(steps, kwargs, lr, message):
    with pytest.raises(ValueError, match=message):
        optimizers.run(BOWL, optimizers.get("sgd", lr=lr, momentum=0.9), steps=steps,
                       schedule=optimizers.schedule("onecycle", **kwargs))


def test_integral_float_milestones_count_like_integers():
    a = optimizers.schedule("multistep", milestones=[2.0, 4]).rates(0.1, 6)
    b = optimizers.schedule("multistep", milestones=[2, 4]).rates(0.1, 6)
    np.testing.assert_array_equal(a, b)
