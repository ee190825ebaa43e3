"""Property tests for the engine's inputs: whatever a notebook passes, the engine either refuses it
with a ValueError/TypeError that says what is wrong, or returns finite numbers.

pytest.ini turns RuntimeWarning into an error, so an overflow or a 0/0 inside a step fails here too.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from hessians import surface_for

# Numbers a notebook might pass: ordinary ones, the edges, and the ones that break arithmetic.
WILD_FLOATS = st.one_of(
    st.floats(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-300, 1e300, -1e300, 1.0, 0.9999999, 1.0000001, 2**53]),
)
WILD_VALUES = st.one_of(
    WILD_FLOATS,
    st.integers(-10**20, 10**20),
    st.booleans(),
    st.none(),
    st.text(max_size=5),
    st.tuples(WILD_FLOATS, WILD_FLOATS),
    st.lists(WILD_FLOATS, max_size=3),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _refusal_is_explained(err: Exception) -> None:
    assert isinstance(err, (ValueError, TypeError))
    assert str(err).strip(), f"{type(err).__name__} without a message"


def _assert_finite(traj, rates_may_overflow=False) -> None:
    assert np.all(np.isfinite(traj.params)), "a point is not finite"
    assert np.all(np.isfinite(traj.loss)), "a loss is not finite"
    if rates_may_overflow:  # as in torch, ExponentialLR(gamma=1e154) overflows to inf: the run then diverges
        assert not np.any(np.isnan(traj.lr)), "a learning rate is NaN"
    else:
        assert np.all(np.isfinite(traj.lr)), "a learning rate is not finite"
    assert traj.diverged_at.shape == traj.converged_at.shape == (traj.n_runs,)


@st.composite
def hyperparameters(draw, name):
    """Some of the optimizer's own torch keywords, each set to a wild value (sometimes a sane one)."""
    keys = [k for k in optimizers.info(name).defaults if k != "maximize"]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=4))
    return {k: draw(WILD_VALUES) for k in chosen}


@SETTINGS
@given(st.sampled_from(optimizers.names()), st.data())
def test_get_refuses_with_a_message_or_builds(name, data):
    hyper = data.draw(hyperparameters(name))
    try:
        opt = optimizers.get(name, **hyper)
    except Exception as err:  # noqa: BLE001 - the property is about which exceptions
        _refusal_is_explained(err)
        return
    assert opt.name == name


@SETTINGS
@given(st.sampled_from(optimizers.names()), st.sampled_from(landscapes.names()), st.data())
def test_run_refuses_with_a_message_or_returns_finite_numbers(name, surface, data):
    hyper = data.draw(hyperparameters(name))
    start = data.draw(st.one_of(st.tuples(WILD_FLOATS, WILD_FLOATS), st.none(), WILD_VALUES))
    steps = data.draw(st.one_of(st.integers(0, 40), st.integers(-5, -1), WILD_VALUES))
    noise = data.draw(st.one_of(st.just(0.0), st.floats(0, 5), WILD_VALUES))
    seed = data.draw(st.one_of(st.integers(0, 2**31), WILD_VALUES))
    try:
        opt = optimizers.get(name, **hyper)
        traj = optimizers.run(landscapes.get(surface), opt, start=start, steps=steps, noise=noise, seed=seed)
    except Exception as err:  # noqa: BLE001
        _refusal_is_explained(err)
        return
    _assert_finite(traj)
    assert traj.params.shape == (steps + 1, 1, 2)


# Each hyperparameter over the range torch accepts (the page's link ranges are narrower).
PLAUSIBLE = {"lr": (1e-6, 10.0), "momentum": (0.0, 0.999), "dampening": (0.0, 1.0), "weight_decay": (0.0, 10.0),
             "eps": (1e-12, 1.0), "alpha": (0.0, 1.0), "rho": (0.0, 1.0), "lr_decay": (0.0, 1.0),
             "initial_accumulator_value": (0.0, 10.0), "momentum_decay": (0.0, 1.0)}


@st.composite
def plausible_hyperparameters(draw, name):
    out = {}
    for key in draw(st.lists(st.sampled_from([k for k in optimizers.info(name).defaults if k != "maximize"]),
                             unique=True)):
        if key in PLAUSIBLE:
            out[key] = draw(st.floats(*PLAUSIBLE[key]))
        elif key == "betas":
            out[key] = (draw(st.floats(0.0, 0.9999)), draw(st.floats(0.0, 0.9999)))
        else:
            out[key] = draw(st.booleans())
    return out


@SETTINGS
@given(st.sampled_from(optimizers.names()), st.sampled_from(landscapes.names()),
       st.sampled_from(optimizers.schedule_names()), st.data())
def test_any_legal_setting_anywhere_gives_finite_numbers(name, surface, schedule, data):
    """Legal hyperparameters, starts far outside the view, noise and every schedule with its defaults:
    finite numbers, or a refusal for a combination torch refuses too (e.g. Nesterov with dampening)."""
    hyper = data.draw(plausible_hyperparameters(name))
    start = data.draw(st.tuples(st.floats(-1e5, 1e5), st.floats(-1e5, 1e5)))
    steps = data.draw(st.integers(0, 60))
    noise = data.draw(st.floats(0.0, 10.0))
    kwargs = {"step": {"step_size": 5}, "multistep": {"milestones": [3, 9]}, "exponential": {"gamma": 0.9},
              "cosine": {"T_max": 20}}.get(schedule, {})
    try:
        traj = optimizers.run(landscapes.get(surface), optimizers.get(name, **hyper), start=start, steps=steps,
                              noise=noise, schedule=optimizers.schedule(schedule, **kwargs))
    except Exception as err:  # noqa: BLE001
        _refusal_is_explained(err)
        return
    _assert_finite(traj)


SCHEDULE_ARGS = {
    "step": ["step_size", "gamma"], "multistep": ["milestones", "gamma"], "exponential": ["gamma"],
    "cosine": ["T_max", "eta_min"], "linear": ["start_factor", "end_factor", "total_iters"],
    "onecycle": ["max_lr", "pct_start", "total_steps", "anneal_strategy"],
    "plateau": ["factor", "patience", "threshold", "mode"], "constant": [],
}


@SETTINGS
@given(st.sampled_from(optimizers.schedule_names()), st.sampled_from(["sgd", "momentum", "adam", "rmsprop"]),
       st.data())
def test_schedules_refuse_with_a_message_or_give_finite_rates(schedule, name, data):
    keys = SCHEDULE_ARGS.get(schedule, [])
    kwargs = {k: data.draw(st.one_of(st.integers(-3, 60), WILD_VALUES, st.lists(st.integers(-2, 50), max_size=3)))
              for k in data.draw(st.lists(st.sampled_from(keys), unique=True))} if keys else {}
    steps = data.draw(st.integers(0, 40))
    lr = data.draw(st.one_of(st.floats(1e-5, 1.0), WILD_FLOATS))
    try:
        sched = optimizers.schedule(schedule, **kwargs)
        traj = optimizers.run(landscapes.get("bowl"), optimizers.get(name, lr=lr), steps=steps, schedule=sched)
    except Exception as err:  # noqa: BLE001
        _refusal_is_explained(err)
        return
    _assert_finite(traj, rates_may_overflow=True)


@pytest.mark.parametrize("name", optimizers.names())
def test_huge_but_legal_rates_diverge_cleanly(name):
    """The largest rate a link allows, on the steepest surfaces: a divergence, never a warning."""
    for surface in ("rosenbrock", "beale", "monkey_saddle"):
        if surface not in landscapes.names():
            continue
        traj = optimizers.run(surface_for(name, landscapes.get(surface)), optimizers.get(name, lr=10.0), steps=200)
        _assert_finite(traj)
        assert math.isfinite(float(traj.final_loss[0]))
