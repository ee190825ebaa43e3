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

import inspect

import numpy as np
import pytest

import landscapes
import optimizers

from optim_db import BY_NAME, REFERENCE_CASES

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

STEPS = 100
STARTS = np.array([[-1.5, 2.0], [0.5, -0.5], [1.2, 1.4]])

# (id, registry name, kwargs, groups): every input case of tests/optim_db.py that has a reference
OPTIMIZER_CASES = REFERENCE_CASES

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
    ("cosine-lbfgs", "cosine", dict(T_max=40, eta_min=0.1), "lbfgs", dict(max_iter=4)),   # LBFGS reads lr each step
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


def _reference_class(name):
    """The reference optimizer class of an optim_db row: torch.optim's, or the author's package's."""
    module, cls = BY_NAME[name].reference.split(":")
    return getattr(pytest.importorskip(module), cls)


def _reference_kwargs(name, kwargs, cls):
    """Our keyword arguments as the reference takes them: every default spelled out, minus the
    switches a torch class takes as its own variant (AdamW is Adam with decoupled decay)."""
    info = optimizers.info(name)
    merged = {**info.defaults, **info.fixed, **kwargs}
    accepted = inspect.signature(cls).parameters
    merged = {k: v for k, v in merged.items() if k in accepted}
    if info.family == "AdamW" or (info.family == "Adam" and not merged.get("decoupled_weight_decay")):
        merged.pop("decoupled_weight_decay", None)
    if "foreach" in accepted:
        merged["foreach"] = False   # the single-tensor code: the order of operations we follow
    return merged


def _takes_closure(name):
    """A rule whose reference evaluates the closure itself (torch's LBFGS): its step gets one."""
    return getattr(optimizers.info(name).module, "CLOSURE", False)


def _step(opt, name, point, value_and_grad, set_grads):
    """One reference step. The gradient at the current point is set first (what the other rules read);
    a closure rule also gets a closure that sets the gradient wherever torch calls it."""
    if not _takes_closure(name):
        opt.step()
        return

    def closure():
        loss, g = value_and_grad(point())
        set_grads(g)
        return torch.tensor(float(loss))

    opt.step(closure)


def torch_run(landscape, name, kwargs, groups, start, steps, sched=None, keep=None):
    """The reference's path from ``start``. Without groups one run is ONE tensor of shape (2,) in one
    group (reductions such as Adafactor's RMS see both coordinates); with the two-group x/y form, x and y
    are two tensors of shape (1,) in two groups, as torch's param_groups are."""
    cls = _reference_class(name)
    merged = _reference_kwargs(name, kwargs, cls)
    if groups:
        x = torch.tensor([start[0]], requires_grad=True)
        y = torch.tensor([start[1]], requires_grad=True)
        tensors = [x, y]
        param_groups = [{"params": [x], **groups[0]}, {"params": [y], **groups[1]}]
    else:
        xy = torch.tensor([start[0], start[1]], requires_grad=True)
        tensors = [xy]
        param_groups = [{"params": [xy]}]
    opt = cls(param_groups, **merged)
    if hasattr(opt, "train"):
        opt.train()   # Schedule-Free: gradients are taken at its train-mode point y
    scheduler = None
    if sched is not None:
        sname, skw = sched
        scheduler = getattr(torch.optim.lr_scheduler, TORCH_SCHEDULER[sname])(opt, **skw)

    def point():
        return np.concatenate([t.detach().numpy() for t in tensors]).astype(float)

    def set_grads(g):
        if groups:
            tensors[0].grad, tensors[1].grad = torch.tensor([g[0]]), torch.tensor([g[1]])
        else:
            tensors[0].grad = torch.tensor([g[0], g[1]])

    points, lrs = [np.array(start, dtype=float)], []
    for _ in range(steps):
        P = point()
        loss = float(landscape.loss(P))
        set_grads(landscape.grad(P))
        lrs.append([opt.param_groups[0]["lr"], opt.param_groups[-1]["lr"]])
        _step(opt, name, point, lambda P: (landscape.loss(P), landscape.grad(P)), set_grads)
        if scheduler is not None:
            if sched[0] == "plateau":
                scheduler.step(loss)
            else:
                scheduler.step()
        points.append(point())
    if keep is not None:
        keep["optimizer"] = opt
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


CLOSURE_CASES = [c for c in OPTIMIZER_CASES if _takes_closure(c[1])]


@pytest.mark.parametrize("case", CLOSURE_CASES, ids=[c[0] for c in CLOSURE_CASES])
def test_evals_are_the_references_closure_calls(case):
    """traj.evals counts exactly the closure calls torch made: its state["func_evals"]."""
    _, name, kwargs, groups = case
    L = landscapes.get("rosenbrock")
    traj = optimizers.run(L, optimizers.get(name, groups=groups, **kwargs), start=STARTS, steps=STEPS)
    for i, start in enumerate(STARTS):
        keep = {}
        torch_run(L, name, kwargs, groups, start, STEPS, keep=keep)
        opt = keep["optimizer"]
        func_evals = opt.state[opt.param_groups[0]["params"][0]]["func_evals"]
        assert traj.evals[i] == func_evals


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


def test_schedulefree_state_holds_the_references_x_and_z():
    """traj.params is y, where the gradient is taken; traj.state holds z and x, the point the reference's
    eval() would set (a lerp from y towards z with weight 1 - 1/beta1)."""
    schedulefree = pytest.importorskip("schedulefree")
    L, kwargs, start = landscapes.get("rosenbrock"), dict(lr=0.02, betas=(0.8, 0.99), warmup_steps=5), STARTS[0]
    traj = optimizers.run(L, optimizers.get("schedulefree_adamw", **kwargs), start=start, steps=50,
                          record_state=True)
    p = torch.tensor(start, requires_grad=True)
    opt = schedulefree.AdamWScheduleFree([p], foreach=False, **kwargs)
    opt.train()
    ys, zs, xs = [], [], []
    for _ in range(50):
        p.grad = torch.tensor(L.grad(p.detach().numpy()))
        opt.step()
        z = opt.state[p]["z"]
        ys.append(p.detach().numpy().copy())
        zs.append(z.numpy().copy())
        xs.append(torch.lerp(p.detach(), z, 1 - 1 / 0.8).numpy())
    _assert_close(traj.params[1:, 0], np.array(ys))
    _assert_close(traj.state["z"][:, 0], np.array(zs))
    _assert_close(traj.state["x"][:, 0], np.array(xs))
    assert np.abs(traj.state["x"][-1, 0] - traj.params[-1, 0]).max() > 1e-3   # x is not y


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
    cls = _reference_class(name)
    merged = _reference_kwargs(name, kwargs, cls)
    if groups is None:
        tensors = [torch.tensor(start, requires_grad=True)]
        param_groups = [{"params": tensors}]
        sets = [list(range(D))]
    else:
        sets = [g["params"] for g in groups]
        tensors = [torch.tensor(start[s], requires_grad=True) for s in sets]
        param_groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [t]}
                        for g, t in zip(groups, tensors)]
    opt = cls(param_groups, **merged)
    if hasattr(opt, "train"):
        opt.train()
    points = [np.array(start, dtype=float)]

    def point():
        P = np.empty(D)
        for s, t in zip(sets, tensors):
            P[s] = t.detach().numpy()
        return P

    def set_grads(g):
        for s, t in zip(sets, tensors):
            t.grad = torch.tensor(g[s])

    for _ in range(STEPS_D):
        set_grads(CHAINED.grad(point()))
        _step(opt, name, point, _chained, set_grads)
        points.append(point())
    return np.array(points)


def _group_case(case):
    """Each optim_db input case's x/y groups become index-set groups over 3 and 7 coordinates."""
    _, name, kwargs, groups = case
    if groups is None:
        doubled = [{"params": GROUP_SETS[0], "lr": kwargs.get("lr", 1e-3) * 2}, {"params": GROUP_SETS[1]}]
        try:
            optimizers.get(name, groups=doubled, **kwargs)
        except ValueError:   # Prodigy: groups may differ in lr only by 0; two tensors, the same settings
            return [{"params": GROUP_SETS[0]}, {"params": GROUP_SETS[1]}]
        return doubled
    return [{"params": s, **g} for s, g in zip(GROUP_SETS, groups)]


# every case as one group (cases without x/y groups), and every case with index-set groups where the
# reference takes groups (torch's LBFGS refuses them: tests/optim_db.py checks our refusal)
TEN = [(c, False) for c in OPTIMIZER_CASES if c[3] is None] + \
      [(c, True) for c in OPTIMIZER_CASES if not getattr(optimizers.info(c[1]).module, "GROUPS_REFUSED", None)]


@pytest.mark.parametrize("case, grouped", TEN, ids=[f"{c[0]}-{'sets' if g else 'one'}" for c, g in TEN])
def test_optimizer_matches_torch_on_ten_parameters(case, grouped):
    _, name, kwargs, groups = case
    index_groups = _group_case(case) if grouped else None
    traj = optimizers.run(CHAINED, optimizers.get(name, groups=index_groups, **kwargs), start=STARTS_D,
                          steps=STEPS_D)
    assert traj.params.shape == (STEPS_D + 1, len(STARTS_D), D)
    for i, start in enumerate(STARTS_D):
        _assert_same_path(traj, i, torch_run_d(name, kwargs, start, index_groups))
