"""The step inspector's numbers: the recorded buffers reproduce the recorded updates, for every
optimizer family and its non-default settings; and the derived values by hand."""

import numpy as np
import pytest

import landscapes
import optimizers
from ui.model import compute
from ui.model import scene as S
from ui.model.compute import Run
from ui.model.inspector import inspect

from hessians import surface_for
from optim_db import INPUT_CASES

STEPS = 60

# (case id, registry name, torch kwargs, schedule or landscape): every family, and the settings that change
# its maths, on Rosenbrock unless a landscape is named.
CASES = [
    ("gd", "gd", dict(lr=0.002), None),
    ("sgd-weight-decay-dampening", "sgd", dict(lr=0.002, momentum=0.8, dampening=0.3, weight_decay=0.1), None),
    ("heavy-ball", "momentum", dict(lr=0.001), None),
    ("nesterov", "nesterov", dict(lr=0.001, weight_decay=0.05), None),
    ("nesterov-groups", "nesterov", dict(lr=0.001, groups=[{"lr": 0.0005}, {"momentum": 0.5}]), None),
    ("momentum-onecycle", "momentum", dict(lr=0.001), "onecycle"),
    ("sgd-maximize", "sgd", dict(lr=0.01, maximize=True), "bowl"),
    ("adagrad", "adagrad", dict(lr=0.05, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01), None),
    ("rmsprop", "rmsprop", dict(lr=0.01), None),
    ("rmsprop-centered-momentum", "rmsprop", dict(lr=0.002, centered=True, momentum=0.7, weight_decay=0.01), None),
    ("rmsprop-momentum-cosine", "rmsprop", dict(lr=0.002, momentum=0.5), "cosine"),
    ("adadelta", "adadelta", dict(lr=1.0, rho=0.8, weight_decay=0.01), None),
    ("adam", "adam", dict(lr=0.05), None),
    ("adam-l2", "adam", dict(lr=0.05, weight_decay=0.1, eps=1e-4), None),
    ("adamw", "adamw", dict(lr=0.05, weight_decay=0.1), None),
    ("amsgrad-groups", "amsgrad", dict(lr=0.05, groups=[{"betas": (0.5, 0.9)}, {"lr": 0.01}]), None),
    ("adam-onecycle", "adam", dict(lr=0.05), "onecycle"),
    ("nadam", "nadam", dict(lr=0.05, momentum_decay=0.01), None),
    ("nadam-decoupled-onecycle", "nadam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True), "onecycle"),
    ("radam", "radam", dict(lr=2e-4), None),
    ("radam-decoupled-groups", "radam", dict(lr=2e-4, weight_decay=0.1, decoupled_weight_decay=True,
                                             groups=[{"betas": (0.9, 0.9)}, {}]), None),
]


def run_of(name, kwargs, schedule=None, landscape="rosenbrock", start=(-1.5, 2.0), steps=STEPS, noise=0.0):
    opt = optimizers.get(name, **kwargs)
    traj = optimizers.run(surface_for(name, landscapes.get(landscape)), opt, start=start, steps=steps, noise=noise, seed=1,
                          schedule=schedule, record_state=True)
    return compute.with_trajectory(Run(name, name, "#000000", kwargs), opt, traj)


def assert_reproduces(ins, run):
    """The update predicted from the buffers is the update applied, to rounding."""
    scale = np.abs(run.params[:-1]) * 4e-16 + np.abs(ins.update) * 1e-10 + 1e-300
    np.testing.assert_array_less(np.abs(ins.predicted - ins.update), scale)


@pytest.mark.parametrize("case, name, kwargs, extra", CASES, ids=[c[0] for c in CASES])
def test_recorded_buffers_reproduce_the_recorded_updates(case, name, kwargs, extra):
    if extra in landscapes.names():
        run = run_of(name, kwargs, landscape=extra, start=(1.0, -0.5))
    else:
        schedule = optimizers.schedule(extra, T_max=STEPS) if extra == "cosine" else extra
        run = run_of(name, kwargs, schedule)
    assert run.diverged_at < 0
    ins = inspect(run)
    assert np.all(np.abs(ins.update) > 0)
    assert_reproduces(ins, run)


@pytest.mark.parametrize("case, name, kwargs, groups", INPUT_CASES, ids=[c[0] for c in INPUT_CASES])
def test_every_optim_db_case_is_explained_by_its_module(case, name, kwargs, groups):
    """Every registry entry's own ``explain`` reproduces its steps: the inspector names no optimizer."""
    run = run_of(name, dict(kwargs, groups=groups) if groups else kwargs, landscape="himmelblau",
                 start=(-0.3, -0.9))
    ins = inspect(run)
    assert np.any(ins.update != 0)
    assert_reproduces(ins, run)


def test_noise_is_part_of_the_gradient_the_inspector_shows():
    run = run_of("adam", dict(lr=0.05), landscape="bowl", start=(1.0, -0.5), noise=2.0)
    ins = inspect(run)
    assert_reproduces(ins, run)
    exact = landscapes.get("bowl").grad(run.params[:-1])
    assert np.abs(ins.rows[0].values - exact).max() > 0.5  # the noisy gradient, as the step used it


def test_adam_by_hand_on_the_bowl():
    """f = x² + y² from (1, -0.5): g₁ = (2, -1); m̂₁ = g₁, v̂₁ = g₁², so the first effective rate is
    lr/(|g| + eps) and the first update is -lr·sign(g) (to eps)."""
    run = run_of("adam", dict(lr=0.1), landscape="bowl", start=(1.0, -0.5), steps=3)
    ins = inspect(run)
    rows = {r.key: r.values for r in ins.rows}
    np.testing.assert_allclose(rows["grad"][0], [2.0, -1.0])
    np.testing.assert_allclose(rows["exp_avg"][0], [0.2, -0.1])
    np.testing.assert_allclose(rows["exp_avg_sq"][0], [0.004, 0.001])
    np.testing.assert_allclose(rows["m_hat"][0], [2.0, -1.0])
    np.testing.assert_allclose(rows["v_hat"][0], [4.0, 1.0])
    np.testing.assert_allclose(rows["effective_lr"][0], [0.1 / (2 + 1e-8), 0.1 / (1 + 1e-8)])
    np.testing.assert_allclose(rows["update"][0], [-0.1, 0.1], rtol=1e-7)
    # step 2 by hand: g₂ at (0.9, -0.4)
    g2 = np.array([1.8, -0.8])
    m2 = 0.9 * np.array([0.2, -0.1]) + 0.1 * g2
    v2 = 0.999 * np.array([0.004, 0.001]) + 0.001 * g2 ** 2
    v_hat2 = v2 / (1 - 0.999 ** 2)
    np.testing.assert_allclose(rows["v_hat"][1], v_hat2)
    np.testing.assert_allclose(rows["effective_lr"][1], 0.1 / (np.sqrt(v_hat2) + 1e-8))
    np.testing.assert_allclose(rows["update"][1], -0.1 / (np.sqrt(v_hat2) + 1e-8) * m2 / (1 - 0.9 ** 2))


def test_momentum_buffer_and_nesterov_look_ahead_by_hand():
    """Bowl from (1, 0), lr 0.1, μ 0.9. Step 1: b = g = (2, 0); Nesterov d = g + μb = (3.8, 0),
    so the point moves to 1 - 0.38 = 0.62 and the look-ahead (momentum alone) is 1 - 0.1·0.9·2 = 0.82."""
    run = run_of("nesterov", dict(lr=0.1, momentum=0.9), landscape="bowl", start=(1.0, 0.0), steps=2)
    ins = inspect(run)
    rows = {r.key: r.values for r in ins.rows}
    np.testing.assert_allclose(rows["momentum_buffer"][0], [2.0, 0.0])
    np.testing.assert_allclose(rows["direction"][0], [3.8, 0.0])
    np.testing.assert_allclose(run.params[1], [0.62, 0.0])
    np.testing.assert_allclose(ins.lookahead[0], [0.82, 0.0])
    np.testing.assert_allclose(ins.velocity[0], [-2.0, 0.0])
    heavy = inspect(run_of("momentum", dict(lr=0.1, momentum=0.9), landscape="bowl", start=(1.0, 0.0), steps=2))
    assert heavy.lookahead is None and heavy.velocity is not None


def test_parameter_groups_show_two_rates():
    run = run_of("sgd", dict(lr=0.035, groups=[{"lr": 0.5}, {"lr": 0.01}]), landscape="stretched_bowl",
                 start=(-1.8, 0.5), steps=10)
    rows = {r.key: r for r in inspect(run).rows}
    assert rows["lr"].values.shape == (10, 2)
    np.testing.assert_array_equal(rows["lr"].values[0], [0.5, 0.01])
    np.testing.assert_array_equal(rows["effective_lr"].values[3], [0.5, 0.01])
    single = {r.key: r for r in inspect(run_of("sgd", dict(lr=0.035), steps=10)).rows}
    assert single["lr"].values.shape == (10,)  # x and y agree: one number


def test_adagrad_effective_rate_only_shrinks_and_rmsprop_can_grow():
    adagrad = {r.key: r.values for r in inspect(run_of("adagrad", dict(lr=0.05), landscape="beale",
                                                       start=(0.7, 1.4), steps=300)).rows}
    assert np.all(np.diff(adagrad["effective_lr"], axis=0) <= 0)
    rmsprop = {r.key: r.values for r in inspect(run_of("rmsprop", dict(lr=0.05), landscape="beale",
                                                       start=(0.7, 1.4), steps=300)).rows}
    assert np.any(np.diff(rmsprop["effective_lr"], axis=0) > 0)


def test_steps_after_divergence_are_blank():
    run = run_of("gd", dict(lr=1.2), landscape="bowl", start=(-1.5, 1.2), steps=60)
    assert run.diverged_at == 40
    ins = inspect(run)
    for row in ins.rows:
        assert np.all(np.isfinite(row.values[:run.diverged_at - 1])), row.key
        assert np.all(np.isnan(row.values[run.diverged_at:])), row.key


def test_inspect_needs_the_recorded_buffers():
    result = compute.run_scene(S.Scene(**{"landscape": "bowl", "optimizers": ["adam"], "lr": 0.01, "momentum": 0.9,
                                "x0": 1.0, "y0": 1.0, "steps": 10, "schedule": "constant", "schedule_param": None,
                                "noise": 0.0, "seed": 0, "overrides": {}}))
    with pytest.raises(ValueError, match="record_state=True"):
        inspect(result.runs[0])
