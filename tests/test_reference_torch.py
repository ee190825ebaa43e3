"""Step-for-step comparison with torch.optim in float64 (skips without torch).

x and y are two torch parameters in two param_groups, exactly the model
``groups`` describes; gradients are the landscape's exact ones, fed to torch
through ``p.grad``, so this checks the optimizer arithmetic and nothing else.

We follow torch's order of operations, but not its fused multiply-adds: its
CPU kernels contract ``a + alpha * b`` into one FMA, which NumPy cannot, so
single steps may differ in the last bit. Over 100 steps the gap stays many
orders of magnitude under the 1e-9 tolerance (worst measured: ~5e-10 on a
near-divergent AdaDelta path; typically 1e-15).
"""

import numpy as np
import pytest

import landscapes
import optimizers

from optim_db import BY_NAME, INPUT_CASES

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

STEPS = 100
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.2, 1.4]])

# (id, registry name, kwargs, groups): every input case of tests/optim_db.py
OPTIMIZER_CASES = INPUT_CASES

# (id, schedule name, kwargs, optimizer name, optimizer kwargs)
SCHEDULE_CASES = [
    ("step", "step", dict(step_size=7, gamma=0.5), "momentum", dict(lr=1e-3)),
    ("multistep", "multistep", dict(milestones=[10, 30, 30, 60], gamma=0.5), "adam", dict(lr=1e-2)),
    ("exponential", "exponential", dict(gamma=0.97), "rmsprop", dict(lr=1e-2)),
    ("cosine", "cosine", dict(T_max=40, eta_min=1e-4), "adam", dict(lr=2e-2)),  # goes past T_max
    ("linear", "linear", dict(start_factor=0.1, end_factor=1.0, total_iters=20), "sgd", dict(lr=1e-3)),
    ("onecycle-sgd", "onecycle", dict(max_lr=5e-3, total_steps=STEPS), "sgd", dict(lr=1e-3, momentum=0.9)),
    ("onecycle-adam", "onecycle", dict(max_lr=5e-2, total_steps=120, three_phase=True), "adam", dict(lr=1e-2)),
    ("onecycle-linear", "onecycle", dict(max_lr=2e-2, total_steps=STEPS, anneal_strategy="linear",
                                         cycle_momentum=False), "adagrad", dict(lr=1e-2)),
    ("onecycle-nadam", "onecycle", dict(max_lr=1e-2, total_steps=STEPS), "nadam", dict()),
    ("plateau", "plateau", dict(factor=0.5, patience=3, threshold=1e-2), "adam", dict(lr=5e-2)),
    ("plateau-abs-cooldown", "plateau", dict(factor=0.3, patience=2, threshold=1e-3, threshold_mode="abs",
                                             cooldown=4, min_lr=1e-3), "sgd", dict(lr=2e-3, momentum=0.9)),
]

TORCH_SCHEDULER = {"step": "StepLR", "multistep": "MultiStepLR", "exponential": "ExponentialLR",
                   "cosine": "CosineAnnealingLR", "linear": "LinearLR", "onecycle": "OneCycleLR",
                   "plateau": "ReduceLROnPlateau"}


@pytest.fixture(autouse=True)
def float64_torch():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # torch keeps NAdam's mu_product in the default dtype
    torch.set_num_threads(1)
    yield
    torch.set_default_dtype(previous)


def _torch_kwargs(name, kwargs):
    info = optimizers.info(name)
    merged = {**info.defaults, **info.fixed, **kwargs}
    if info.family == "AdamW":
        merged.pop("decoupled_weight_decay")
    if info.family == "Adam" and not merged.get("decoupled_weight_decay"):
        merged.pop("decoupled_weight_decay")
    return info.family, merged


def torch_run(landscape, name, kwargs, groups, start, steps, sched=None):
    family, merged = _torch_kwargs(name, kwargs)
    x = torch.tensor([start[0]], requires_grad=True)
    y = torch.tensor([start[1]], requires_grad=True)
    param_groups = [{"params": [x], **(groups[0] if groups else {})},
                    {"params": [y], **(groups[1] if groups else {})}]
    opt = getattr(torch.optim, BY_NAME[name].torch_family)(param_groups, foreach=False, **merged)
    scheduler = None
    if sched is not None:
        sname, skw = sched
        scheduler = getattr(torch.optim.lr_scheduler, TORCH_SCHEDULER[sname])(opt, **skw)
    points, lrs = [np.array(start, dtype=float)], []
    for _ in range(steps):
        P = np.array([x.item(), y.item()])
        loss = float(landscape.loss(P))
        g = landscape.grad(P)
        x.grad = torch.tensor([g[0]])
        y.grad = torch.tensor([g[1]])
        lrs.append([opt.param_groups[0]["lr"], opt.param_groups[1]["lr"]])
        opt.step()
        if scheduler is not None:
            if sched[0] == "plateau":
                scheduler.step(loss)
            else:
                scheduler.step()
        points.append([x.item(), y.item()])
    return np.array(points), np.array(lrs)


def _assert_close(ours, theirs):
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def _assert_same_path(traj, i, points):
    """Equal to torch's points up to torch's divergence, and frozen at the last finite one after it."""
    with np.errstate(invalid="ignore"):
        bad = ~np.all(np.abs(points) <= 1e6, axis=1)
    k = int(np.argmax(bad)) if bad.any() else -1
    assert traj.diverged_at[i] == k
    if k == -1:
        _assert_close(traj.params[:, i], points)
    else:
        _assert_close(traj.params[:k, i], points[:k])
        _assert_close(traj.params[k:, i], np.broadcast_to(points[k - 1], traj.params[k:, i].shape))


@pytest.mark.parametrize("landscape_name", ["rosenbrock", "himmelblau"])
@pytest.mark.parametrize("case", OPTIMIZER_CASES, ids=[c[0] for c in OPTIMIZER_CASES])
def test_optimizer_matches_torch(case, landscape_name):
    _, name, kwargs, groups = case
    L = landscapes.get(landscape_name)
    traj = optimizers.run(L, optimizers.get(name, groups=groups, **kwargs), start=STARTS, steps=STEPS)
    for i, start in enumerate(STARTS):
        points, lrs = torch_run(L, name, kwargs, groups, start, STEPS)
        _assert_same_path(traj, i, points)
        _assert_close(traj.lr[:, i], lrs)


@pytest.mark.parametrize("case", SCHEDULE_CASES, ids=[c[0] for c in SCHEDULE_CASES])
def test_schedule_matches_torch(case):
    _, sname, skw, name, kwargs = case
    L = landscapes.get("rosenbrock")
    sched = optimizers.schedule(sname, **skw)
    traj = optimizers.run(L, optimizers.get(name, **kwargs), start=STARTS, steps=STEPS, schedule=sched)
    for i, start in enumerate(STARTS):
        points, lrs = torch_run(L, name, kwargs, None, start, STEPS, sched=(sname, skw))
        _assert_close(traj.lr[:, i], lrs)
        _assert_same_path(traj, i, points)


def test_schedule_with_groups_matches_torch():
    L = landscapes.get("himmelblau")
    groups = [{"lr": 2e-2}, {"lr": 5e-3}]
    sched = ("cosine", dict(T_max=30))
    traj = optimizers.run(L, optimizers.get("adam", groups=groups), start=STARTS, steps=STEPS,
                          schedule=optimizers.schedule(sched[0], **sched[1]))
    for i, start in enumerate(STARTS):
        points, lrs = torch_run(L, "adam", {}, groups, start, STEPS, sched=sched)
        _assert_close(traj.lr[:, i], lrs)
        _assert_close(traj.params[:, i], points)


# --- d parameters: one tensor of 10 per run, and torch's param_groups over index sets ---------------

D = 10
# 60 steps, not 100: once an adaptive rule with small betas hovers at this surface's minimum, a last-bit
# difference (torch's CPU kernels fuse a + alpha*b into an FMA; ours round twice) doubles every few steps:
# measured for Adam betas (0.3, 0.9) + L2, 1e-16 at step 60, 3e-15 at step 80, 5e-5 at step 100.
STEPS_D = 60
GROUP_SETS = [[0, 1, 2], [3, 4, 5, 6, 7, 8, 9]]


def _chained(P):
    """A 10-parameter surface with curvature coupling the coordinates: 0.5 Σ (x_{i+1} − x_i²)² + Σ (x_i − 0.3)²/10."""
    a = P[..., 1:] - P[..., :-1] ** 2
    loss = 0.5 * np.sum(a * a, axis=-1) + 0.1 * np.sum((P - 0.3) ** 2, axis=-1)
    g = 0.2 * (P - 0.3)
    g[..., 1:] += a
    g[..., :-1] -= 2.0 * P[..., :-1] * a
    return loss, g


CHAINED = landscapes.Landscape("chained10", loss=lambda P: _chained(P)[0], grad=lambda P: _chained(P)[1],
                               dim=D, value_and_grad=_chained)
STARTS_D = np.random.default_rng(7).uniform(-1.0, 1.0, (3, D))


def torch_run_d(name, kwargs, start, groups):
    family, merged = _torch_kwargs(name, kwargs)
    if groups is None:
        tensors = [torch.tensor(start, requires_grad=True)]
        param_groups = [{"params": tensors}]
        sets = [list(range(D))]
    else:
        sets = [g["params"] for g in groups]
        tensors = [torch.tensor(start[s], requires_grad=True) for s in sets]
        param_groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [t]}
                        for g, t in zip(groups, tensors)]
    opt = getattr(torch.optim, BY_NAME[name].torch_family)(param_groups, foreach=False, **merged)
    points = [np.array(start, dtype=float)]
    for _ in range(STEPS_D):
        P = np.empty(D)
        for s, t in zip(sets, tensors):
            P[s] = t.detach().numpy()
        g = CHAINED.grad(P)
        for s, t in zip(sets, tensors):
            t.grad = torch.tensor(g[s])
        opt.step()
        for s, t in zip(sets, tensors):
            P[s] = t.detach().numpy()
        points.append(P.copy())
    return np.array(points)


def _group_case(case):
    """Each optim_db input case's x/y groups become index-set groups over 3 and 7 coordinates."""
    _, name, kwargs, groups = case
    if groups is None:
        return [{"params": GROUP_SETS[0], "lr": kwargs.get("lr", 1e-3) * 2}, {"params": GROUP_SETS[1]}]
    return [{"params": s, **g} for s, g in zip(GROUP_SETS, groups)]


# every case as one group (cases without x/y groups), and every case with index-set groups
TEN = [(c, False) for c in OPTIMIZER_CASES if c[3] is None] + [(c, True) for c in OPTIMIZER_CASES]


@pytest.mark.parametrize("case, grouped", TEN, ids=[f"{c[0]}-{'sets' if g else 'one'}" for c, g in TEN])
def test_optimizer_matches_torch_on_ten_parameters(case, grouped):
    _, name, kwargs, groups = case
    index_groups = _group_case(case) if grouped else None
    traj = optimizers.run(CHAINED, optimizers.get(name, groups=index_groups, **kwargs), start=STARTS_D,
                          steps=STEPS_D)
    assert traj.params.shape == (STEPS_D + 1, len(STARTS_D), D)
    for i, start in enumerate(STARTS_D):
        _assert_same_path(traj, i, torch_run_d(name, kwargs, start, index_groups))
