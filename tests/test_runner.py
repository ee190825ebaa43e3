"""The run loop: what a Trajectory holds, divergence, noise, independence, sweeps and recorded state."""

import math
import re
import warnings

import numpy as np
import pytest

import landscapes
import optimizers

BOWL = landscapes.get("bowl")
ROSENBROCK = landscapes.get("rosenbrock")
HIMMELBLAU = landscapes.get("himmelblau")
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.2, 1.4], [-0.5, 2.5]])
FIELDS = ("params", "loss", "grads", "lr", "diverged_at", "converged_at")


def assert_same_path(a, b, fields=FIELDS):
    for field in fields:
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)


def run_quietly(*args, **kwargs):
    """Run with every warning recorded; fail on any."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        traj = optimizers.run(*args, **kwargs)
    assert [str(w.message) for w in caught] == []
    return traj


# --- what a Trajectory holds ------------------------------------------------------------------------

def test_shapes_and_contents_without_noise():
    steps, n = 25, len(STARTS)
    opt = optimizers.get("adam", lr=1e-2, groups=[{"lr": 0.05}, {}])
    traj = optimizers.run(HIMMELBLAU, opt, start=STARTS, steps=steps)
    assert traj.params.shape == (steps + 1, n, 2) and traj.loss.shape == (steps + 1, n)
    assert traj.grads.shape == (steps, n, 2) and traj.lr.shape == (steps, n, 2)
    assert traj.diverged_at.shape == traj.converged_at.shape == (n,)
    assert traj.diverged_at.dtype.kind == traj.converged_at.dtype.kind == "i"
    np.testing.assert_array_equal(traj.params[0], STARTS)
    np.testing.assert_array_equal(traj.grads, HIMMELBLAU.grad(traj.params[:-1]))
    np.testing.assert_array_equal(traj.loss, HIMMELBLAU.loss(traj.params))
    np.testing.assert_array_equal(traj.lr, np.broadcast_to([0.05, 1e-2], (steps, n, 2)))


def test_single_start_is_one_run():
    traj = optimizers.run(BOWL, optimizers.get("gd", lr=0.1), start=(1.0, -2.0), steps=3)
    assert traj.params.shape == (4, 1, 2)
    default = optimizers.run(BOWL, optimizers.get("gd", lr=0.1), steps=3)
    np.testing.assert_array_equal(default.params[0, 0], BOWL.start)


def test_zero_steps():
    traj = optimizers.run(BOWL, optimizers.get("adam"), start=STARTS, steps=0, tol=2.0)
    assert traj.params.shape == (1, len(STARTS), 2) and traj.grads.shape == (0, len(STARTS), 2)
    np.testing.assert_array_equal(traj.params[0], STARTS)
    assert traj.converged_at.tolist() == [-1, 0, -1, -1]  # only (0.5, -0.5) has |grad| = 1.41 < 2


def test_to_frame():
    steps, n = 4, 3
    traj = optimizers.run(BOWL, optimizers.get("sgd", lr=0.1, groups=[{}, {"lr": 0.2}]), start=STARTS[:n],
                          steps=steps)
    frame = traj.to_frame()
    assert list(frame.columns) == ["run", "step", "x", "y", "loss", "grad_x", "grad_y", "lr_x", "lr_y"]
    assert len(frame) == (steps + 1) * n
    run1 = frame[frame.run == 1].sort_values("step")
    assert run1.step.tolist() == list(range(steps + 1))
    np.testing.assert_array_equal(run1[["x", "y"]].to_numpy(), traj.params[:, 1])
    np.testing.assert_array_equal(run1.loss.to_numpy(), traj.loss[:, 1])
    np.testing.assert_array_equal(run1[["grad_x", "grad_y"]].to_numpy()[:-1], traj.grads[:, 1])
    np.testing.assert_array_equal(run1[["lr_x", "lr_y"]].to_numpy()[:-1], np.broadcast_to([0.1, 0.2], (steps, 2)))
    assert run1[["grad_x", "grad_y", "lr_x", "lr_y"]].iloc[-1].isna().all()  # no step after the last point


def test_history_false_keeps_only_the_final_point():
    opt = optimizers.get("nadam", lr=1e-2)
    sched = optimizers.schedule("cosine", T_max=30)
    full = optimizers.run(ROSENBROCK, opt, start=STARTS, steps=40, schedule=sched, tol=1e-1)
    last = optimizers.run(ROSENBROCK, opt, start=STARTS, steps=40, schedule=sched, tol=1e-1, history=False)
    assert last.params.shape == (1, len(STARTS), 2) and last.loss.shape == (1, len(STARTS))
    np.testing.assert_array_equal(last.params[0], full.params[-1])
    np.testing.assert_array_equal(last.loss[0], full.loss[-1])
    np.testing.assert_array_equal(last.grads[-1], full.grads[-1])
    np.testing.assert_array_equal(last.lr[-1], full.lr[-1])
    assert_same_path(last, full, fields=("diverged_at", "converged_at"))
    frame = last.to_frame()
    assert len(frame) == len(STARTS) and frame.step.tolist() == [40] * len(STARTS)


# --- convergence and divergence ---------------------------------------------------------------------

def test_converged_at_is_the_first_step_with_gradient_norm_below_tol():
    """gd with lr = 0.1 on the bowl: |grad(p_t)| = 2 |p_0| 0.8^t."""
    starts = [(1.0, -2.0), (0.3, 0.4), (0.0, 0.0)]
    tol = 1e-3
    expected = [next(t for t in range(1000) if 2 * math.hypot(*p) * 0.8**t < tol) for p in starts]
    assert expected[2] == 0 and expected[0] > expected[1] > 0
    traj = optimizers.run(BOWL, optimizers.get("gd", lr=0.1), start=starts, steps=100, tol=tol)
    assert traj.converged_at.tolist() == expected
    # the final point counts too: a run that gets there on its last step has converged at `steps`
    last = optimizers.run(BOWL, optimizers.get("gd", lr=0.1), start=starts[:1], steps=expected[0], tol=tol)
    assert last.converged_at.tolist() == [expected[0]]
    early = optimizers.run(BOWL, optimizers.get("gd", lr=0.1), start=starts[:1], steps=expected[0] - 1, tol=tol)
    assert early.converged_at.tolist() == [-1]


def test_divergence_is_detected_and_frozen():
    """gd with lr = 1.5 on the bowl: p_t = (-2)^t p_0, so |y_t| = 2^(t+1) first exceeds 1e6 at t = 19."""
    first_bad = next(t for t in range(100) if 2 * 2**t > 1e6)
    assert first_bad == 19
    traj = run_quietly(BOWL, optimizers.get("gd", lr=1.5), start=(1.0, -2.0), steps=40, tol=1e-3)
    assert traj.diverged_at.tolist() == [first_bad] and traj.converged_at.tolist() == [-1]
    np.testing.assert_array_equal(traj.params[first_bad - 1, 0], [(-2.0) ** 18, -2 * (-2.0) ** 18])
    np.testing.assert_array_equal(traj.params[first_bad:], np.broadcast_to(traj.params[first_bad - 1], (22, 1, 2)))
    np.testing.assert_array_equal(traj.loss[first_bad:, 0], traj.loss[first_bad - 1, 0])
    for field in ("params", "loss", "grads"):
        assert np.all(np.isfinite(getattr(traj, field))), field
    last = run_quietly(BOWL, optimizers.get("gd", lr=1.5), start=(1.0, -2.0), steps=40, history=False)
    assert last.diverged_at.tolist() == [first_bad]
    np.testing.assert_array_equal(last.params[0], traj.params[-1])


def test_non_finite_loss_is_divergence():
    """A cliff: the loss is inf for |x| >= 3. gd with lr = 1.5 goes x = 1, -2, 4: diverged at step 2."""
    cliff = landscapes.Landscape(
        name="cliff", loss=lambda P: np.where(np.abs(P[..., 0]) < 3, P[..., 0] ** 2 + P[..., 1] ** 2, np.inf),
        grad=lambda P: 2 * np.asarray(P, dtype=float))
    traj = run_quietly(cliff, optimizers.get("gd", lr=1.5), start=(1.0, -0.25), steps=6)
    assert traj.diverged_at.tolist() == [2]
    np.testing.assert_array_equal(traj.params[2:, 0], np.broadcast_to([-2.0, 0.5], (5, 2)))
    np.testing.assert_array_equal(traj.loss[2:, 0], [4.25] * 5)


@pytest.mark.parametrize("name, kwargs", [("gd", dict(lr=1e308)), ("adam", dict(lr=1e300)),
                                          ("adagrad", dict(lr=1e300)), ("momentum", dict(lr=1e200))])
def test_overflowing_step_is_frozen_without_warnings(name, kwargs):
    traj = run_quietly(ROSENBROCK, optimizers.get(name, **kwargs), start=STARTS, steps=5)
    assert traj.diverged_at.tolist() == [1] * len(STARTS)
    np.testing.assert_array_equal(traj.params[1:], np.broadcast_to(STARTS, (5, len(STARTS), 2)))
    assert np.all(np.isfinite(traj.params)) and np.all(np.isfinite(traj.loss))


def test_a_diverging_run_leaves_the_others_alone():
    opt = optimizers.get("momentum", lr=np.array([[1e-3], [0.5], [5e-4], [1e-3]]))
    together = run_quietly(ROSENBROCK, opt, start=STARTS, steps=60, noise=0.0)
    assert together.diverged_at[1] >= 0 and (together.diverged_at[[0, 2, 3]] == -1).all()
    for i in (0, 2, 3):
        alone = optimizers.run(ROSENBROCK, optimizers.get("momentum", lr=float(opt.lr[i, 0])), start=STARTS[i],
                               steps=60)
        np.testing.assert_array_equal(together.params[:, i], alone.params[:, 0])


# --- noise and determinism --------------------------------------------------------------------------

def test_same_seed_same_path_different_seed_different_path():
    opt = optimizers.get("adam", lr=1e-2)
    a = optimizers.run(ROSENBROCK, opt, start=STARTS, steps=50, noise=0.5, seed=3)
    b = optimizers.run(ROSENBROCK, opt, start=STARTS, steps=50, noise=0.5, seed=3)
    c = optimizers.run(ROSENBROCK, opt, start=STARTS, steps=50, noise=0.5, seed=4)
    assert_same_path(a, b)
    assert not np.allclose(a.params[1:], c.params[1:])


def test_noise_is_gaussian_with_sigma():
    sigma = 0.3
    traj = optimizers.run(BOWL, optimizers.get("gd", lr=1e-3), start=np.zeros((50, 2)), steps=200, noise=sigma)
    draws = (traj.grads - BOWL.grad(traj.params[:-1])).ravel()  # 20 000 draws
    assert abs(draws.mean()) < 4 * sigma / math.sqrt(draws.size)
    assert draws.std() == pytest.approx(sigma, rel=0.03)


def test_without_noise_each_start_is_independent():
    opt = optimizers.get("rmsprop", lr=1e-2, momentum=0.5)
    together = optimizers.run(HIMMELBLAU, opt, start=STARTS, steps=80, tol=1e-3)
    for i, start in enumerate(STARTS):
        alone = optimizers.run(HIMMELBLAU, opt, start=start, steps=80, tol=1e-3)
        for field in FIELDS:
            ours = getattr(together, field)
            ours = ours[i:i + 1] if ours.ndim == 1 else ours[:, i:i + 1]  # the run axis is 0 for flags, else 1
            np.testing.assert_array_equal(ours, getattr(alone, field), err_msg=field)


@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_a_list_of_optimizers_equals_each_run_alone(noise):
    opts = [optimizers.get("adam", lr=1e-2), optimizers.get("nesterov", lr=1e-3),
            optimizers.get("adagrad", lr=0.2, groups=[{"lr": 0.1}, {}]), optimizers.get("radam", lr=1e-2)]
    sched = optimizers.schedule("exponential", gamma=0.99)
    together = optimizers.run(ROSENBROCK, opts, start=STARTS, steps=60, noise=noise, seed=7, schedule=sched)
    assert isinstance(together, list) and len(together) == len(opts)
    for opt, traj in zip(opts, together):
        alone = optimizers.run(ROSENBROCK, opt, start=STARTS, steps=60, noise=noise, seed=7, schedule=sched)
        assert traj.optimizer == opt.name
        assert_same_path(traj, alone)


# --- sweeps: hyperparameters per run ----------------------------------------------------------------

# (id, name, per-run kwargs: one value per start, exact): exact=False where numpy's array power is used
SWEEPS = [
    ("sgd-lr", "sgd", dict(lr=[1e-3, 2e-3, 5e-4, 1e-4]), True),
    ("sgd-momentum-with-zero", "sgd", dict(lr=[1e-3] * 4, momentum=[0.0, 0.9, 0.5, 0.0]), True),
    ("rmsprop-momentum-with-zero", "rmsprop", dict(lr=[1e-2] * 4, momentum=[0.0, 0.9, 0.0, 0.5]), True),
    ("adam-lr", "adam", dict(lr=[1e-2, 3e-2, 1e-3, 5e-2]), True),
    ("adam-beta1", "adam", dict(betas=([0.9, 0.5, 0.8, 0.0], [0.999] * 4)), False),
    ("adam-beta1-scalar-beta2", "adam", dict(betas=([0.9, 0.5, 0.8, 0.0], 0.999)), False),
    ("adagrad-eps", "adagrad", dict(lr=[0.1] * 4, eps=[1e-10, 1e-3, 1e-6, 0.0]), True),
    ("adamw-weight-decay", "adamw", dict(lr=[1e-2] * 4, weight_decay=[0.0, 0.1, 0.01, 1.0]), True),
]


def _column(values):
    return np.array(values, dtype=float)[:, None]


@pytest.mark.parametrize("case", SWEEPS, ids=[c[0] for c in SWEEPS])
def test_per_run_hyperparameters_equal_separate_runs(case):
    _, name, per_run, exact = case
    swept = {k: ((_column(v[0]), _column(v[1]) if np.ndim(v[1]) else v[1]) if k == "betas" else _column(v))
             for k, v in per_run.items()}
    together = optimizers.run(ROSENBROCK, optimizers.get(name, **swept), start=STARTS, steps=60)
    for i, start in enumerate(STARTS):
        own = {k: ((v[0][i], v[1][i] if np.ndim(v[1]) else v[1]) if k == "betas" else v[i])
               for k, v in per_run.items()}
        alone = optimizers.run(ROSENBROCK, optimizers.get(name, **own), start=start, steps=60)
        if exact:
            np.testing.assert_array_equal(together.params[:, i], alone.params[:, 0])
        else:
            np.testing.assert_allclose(together.params[:, i], alone.params[:, 0], rtol=1e-13)
        np.testing.assert_array_equal(together.lr[:, i], alone.lr[:, 0])


# --- recorded state ---------------------------------------------------------------------------------

@pytest.mark.parametrize("noise", [0.0, 0.2])
def test_recorded_sgd_buffer_reproduces_the_steps(noise):
    lr, mu, damp = 1e-3, 0.8, 0.2
    traj = optimizers.run(ROSENBROCK, optimizers.get("sgd", lr=lr, momentum=mu, dampening=damp), start=STARTS,
                          steps=50, record_state=True, noise=noise)
    assert (traj.diverged_at == -1).all()
    assert set(traj.state) == {"momentum_buffer"}
    b, g, P = traj.state["momentum_buffer"], traj.grads, traj.params
    assert b.shape == (50, len(STARTS), 2)
    np.testing.assert_array_equal(b[0], g[0])
    np.testing.assert_allclose(b[1:], mu * b[:-1] + (1 - damp) * g[1:], rtol=1e-12)
    np.testing.assert_allclose(P[1:], P[:-1] - lr * b, rtol=1e-12)


def test_recorded_adam_moments_reproduce_the_steps():
    lr, b1, b2, eps = 1e-2, 0.9, 0.999, 1e-8
    traj = optimizers.run(ROSENBROCK, optimizers.get("adam", lr=lr), start=STARTS, steps=50, record_state=True)
    assert (traj.diverged_at == -1).all()
    m, v, g, P = traj.state["exp_avg"], traj.state["exp_avg_sq"], traj.grads, traj.params
    np.testing.assert_allclose(m[1:], b1 * m[:-1] + (1 - b1) * g[1:], rtol=1e-12)
    np.testing.assert_allclose(v[1:], b2 * v[:-1] + (1 - b2) * g[1:] ** 2, rtol=1e-12)
    t = np.arange(1, 51)[:, None, None]
    np.testing.assert_allclose(P[1:], P[:-1] - lr / (1 - b1**t) * m / (np.sqrt(v) / np.sqrt(1 - b2**t) + eps),
                               rtol=1e-12)


def test_no_state_unless_asked():
    assert optimizers.run(BOWL, optimizers.get("adam"), steps=3).state is None


# --- bad input to run() -----------------------------------------------------------------------------

ADAM = optimizers.get("adam")
BAD_RUNS = [
    ("steps-negative", dict(steps=-1), "steps must be an integer"),
    ("steps-float", dict(steps=1.5), "steps must be an integer"),
    ("steps-bool", dict(steps=True), "steps must be an integer"),
    ("noise-negative", dict(noise=-0.1), "noise must be a finite number"),
    ("noise-nan", dict(noise=float("nan")), "noise must be a finite number"),
    ("noise-inf", dict(noise=float("inf")), "noise must be a finite number"),
    ("tol-negative", dict(tol=-1.0), "tol must be a finite number"),
    ("seed-negative", dict(seed=-1), "seed must be an integer"),
    ("start-three", dict(start=(1.0, 2.0, 3.0)), "start must be (x, y) or an array of shape (n, 2)"),
    ("start-columns", dict(start=np.zeros((4, 3))), "start must be (x, y) or an array of shape (n, 2)"),
    ("start-empty", dict(start=np.zeros((0, 2))), "start must be (x, y) or an array of shape (n, 2)"),
    ("start-text", dict(start="origin"), "start must be (x, y)"),
    ("start-inf", dict(start=[(0.0, 0.0), (np.inf, 1.0)]), "start points must be finite"),
    ("start-nan", dict(start=(np.nan, 1.0)), "start points must be finite"),
    ("start-far", dict(start=(2e6, 0.0)), "start points must be finite with |coordinate| <= 1e+06"),
    ("sweep-too-long", dict(optimizer=optimizers.get("sgd", lr=np.array([[0.1], [0.2], [0.3]])),
                            start=[(1.0, 1.0), (2.0, 2.0)]), "broadcast"),
    ("sweep-one-start", dict(optimizer=optimizers.get("sgd", lr=np.array([[0.1], [0.2], [0.3]])),
                             start=(1.0, 1.0)), "sgd: lr has shape (3, 1), which does not broadcast against 1 runs"),
    ("onecycle-adagrad", dict(optimizer=optimizers.get("adagrad"), schedule=optimizers.schedule("onecycle")),
     "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    ("onecycle-adadelta", dict(optimizer=optimizers.get("adadelta"), schedule=optimizers.schedule("onecycle")),
     "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    ("onecycle-in-a-list", dict(optimizer=[ADAM, optimizers.get("adagrad")], schedule=optimizers.schedule("onecycle")),
     "cycle_momentum"),
    ("optimizer-name", dict(optimizer="adam"), "optimizer must be an Optimizer"),
    ("optimizer-empty-list", dict(optimizer=[]), "optimizer must be an Optimizer"),
    ("schedule-type", dict(schedule=0.5), "schedule must be a name or optimizers.schedule"),
]


@pytest.mark.parametrize("case", BAD_RUNS, ids=[c[0] for c in BAD_RUNS])
def test_bad_run_input_raises(case):
    _, kwargs, message = case
    kwargs = {"optimizer": ADAM, "steps": 5, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        optimizers.run(BOWL, **kwargs)


def test_onecycle_without_cycle_momentum_runs_adagrad():
    sched = optimizers.schedule("onecycle", cycle_momentum=False)
    traj = optimizers.run(BOWL, optimizers.get("adagrad"), steps=5, schedule=sched)
    assert traj.momentum is None and traj.lr.shape == (5, 1, 2)


# (id, optimizer, kwargs, start, steps, expected evals): one gradient per step, frozen steps included
EVALS_CASES = [
    ("adam", "adam", dict(lr=0.01), [[0.5, -0.5], [1.0, 1.0]], 30, [30, 30]),
    ("gd-diverges", "gd", dict(lr=1.2), [[-1.5, 1.2], [0.0, 0.0]], 60, [60, 60]),
    ("zero-steps", "sgd", dict(lr=0.1), [[0.5, 0.5]], 0, [0]),
    # L-BFGS, max_iter=1 without line search: one closure call per step, as torch
    ("lbfgs-one-iteration", "lbfgs", dict(lr=0.1, max_iter=1), [[0.5, -0.5], [1.0, 1.0]], 20, [20, 20]),
    # default, f = |x|²: step 1 evaluates at the start, after iteration 1 (t = 1/|g|₁ = 1/3: (1/6, -1/3)) and
    # after iteration 2 (the secant pair gives H = I/2 exactly: the minimum, where max|g| <= tolerance_grad
    # ends the step); steps 2 and 3 evaluate once and return at once
    ("lbfgs-bowl", "lbfgs", dict(), [[0.5, -1.0]], 3, [5]),
]


@pytest.mark.parametrize("case", EVALS_CASES, ids=[c[0] for c in EVALS_CASES])
def test_evals_count_the_gradients_each_run_used(case):
    _, name, kwargs, start, steps, expected = case
    traj = optimizers.run(landscapes.get("bowl"), optimizers.get(name, **kwargs), start=start, steps=steps)
    assert traj.evals.dtype == np.int64 and traj.evals.tolist() == expected
    if name == "gd" and steps:
        assert traj.diverged_at[0] == 40   # the case really diverges


# --- a closure rule (L-BFGS) in the run loop ---------------------------------------------------------

LBFGS = dict(line_search_fn="strong_wolfe")


@pytest.mark.parametrize("kwargs, message", [
    (dict(noise=0.5), "use noise=0"),
    (dict(start=[0.5, 0.5], steps=3, landscape="bowl", lr=np.array([0.1, 0.2])), "one value per run"),
], ids=["noise", "per-coordinate-lr"])
def test_lbfgs_refuses_what_its_closure_cannot_mean(kwargs, message):
    kwargs = dict(kwargs)
    L = landscapes.get(kwargs.pop("landscape", "rosenbrock"))
    lr = kwargs.pop("lr", 1.0)
    with pytest.raises(ValueError, match=re.escape(message)):
        optimizers.run(L, optimizers.get("lbfgs", lr=lr), **kwargs)


def test_lbfgs_refuses_mini_batches():
    from test_minibatch import TOY
    with pytest.raises(ValueError, match="full batch only"):
        optimizers.run(TOY, optimizers.get("lbfgs"), start=[0.5, 0.5], steps=2, batch_size=4)


def test_lbfgs_runs_are_independent_and_a_sweep_equals_separate_runs():
    lrs = np.array([[1.0], [0.5], [0.2], [1.0]])
    together = optimizers.run(ROSENBROCK, optimizers.get("lbfgs", lr=lrs, **LBFGS), start=STARTS, steps=15)
    for i, start in enumerate(STARTS):
        alone = optimizers.run(ROSENBROCK, optimizers.get("lbfgs", lr=float(lrs[i, 0]), **LBFGS), start=start,
                               steps=15)
        np.testing.assert_array_equal(together.params[:, i], alone.params[:, 0])
        assert together.evals[i] == alone.evals[0]
    assert together.evals.min() > 15   # the line search evaluates more than once per step


def test_lbfgs_beside_kernel_rules_leaves_them_alone():
    adam = optimizers.get("adam", lr=0.01)
    both = optimizers.run(ROSENBROCK, [adam, optimizers.get("lbfgs", **LBFGS)], start=STARTS, steps=20)
    alone = optimizers.run(ROSENBROCK, adam, start=STARTS, steps=20)
    assert_same_path(both[0], alone)
    assert both[0].evals.tolist() == [20] * len(STARTS)
    assert np.all(both[1].evals > 20)


def test_lbfgs_divergence_is_frozen_and_counted():
    """lr 10 without a line search leaves the valley at once; the frozen steps cost one evaluation each."""
    traj = optimizers.run(ROSENBROCK, optimizers.get("lbfgs", lr=10.0), start=[[-1.5, 2.0]], steps=30,
                          record_state=True)
    k = int(traj.diverged_at[0])
    assert k > 0
    np.testing.assert_array_equal(traj.params[k:, 0], np.broadcast_to(traj.params[k - 1, 0], traj.params[k:, 0].shape))
    assert np.all(np.isfinite(traj.params))
    # the live steps' closure calls (steps 0..k-1), then one evaluation per frozen step
    assert traj.evals[0] == int(traj.state["evals"][:k, 0, 0].sum()) + (30 - k)
    assert traj.evals[0] > 30


def test_lbfgs_records_its_step_length_and_evaluations():
    traj = optimizers.run(ROSENBROCK, optimizers.get("lbfgs", max_iter=1, lr=0.1), start=STARTS, steps=10,
                          record_state=True)
    assert set(traj.state) == {"direction", "t", "iterations", "evals", "move"}
    np.testing.assert_array_equal(traj.state["evals"], 1.0)
    np.testing.assert_array_equal(traj.state["move"], np.diff(traj.params, axis=0))
    # the first step's length is min(1, 1/|g|₁)·lr, its direction -g
    g0 = ROSENBROCK.grad(STARTS)
    np.testing.assert_allclose(traj.state["t"][0, :, 0], np.minimum(1.0, 1.0 / np.abs(g0).sum(axis=1)) * 0.1)
    np.testing.assert_array_equal(traj.state["direction"][0], -g0)


def test_lbfgs_reads_the_scheduled_rate_each_step():
    sched = optimizers.schedule("step", step_size=3, gamma=0.5)
    traj = optimizers.run(ROSENBROCK, optimizers.get("lbfgs", max_iter=1), start=STARTS, steps=9, schedule=sched,
                          record_state=True)
    np.testing.assert_array_equal(traj.lr[:, 0, 0], [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25])
    np.testing.assert_array_equal(traj.state["t"][1:, 0, 0], traj.lr[1:, 0, 0])   # t = lr after the first


def test_lbfgs_has_no_momentum_for_onecycle():
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        optimizers.run(ROSENBROCK, optimizers.get("lbfgs"), steps=3, schedule="onecycle")


def test_lbfgs_update_points_to_run():
    opt = optimizers.get("lbfgs")
    with pytest.raises(ValueError, match="use optimizers.run"):
        opt.update(np.ones(2), opt.init(np.zeros(2)), np.zeros(2))
