"""optimizers.curvature: eigenvalues along a path, the rules' stability limits on a quadratic, and
why a run diverged; traj.evals_at. The limits are checked where they are known exactly: on a
quadratic, a rate 1% under the limit converges and 1% over it diverges."""

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import curvature as C

STRETCHED = landscapes.get("stretched_bowl")   # ½(x² + 50 y²)·2: eigenvalues 1 and 50, axis-aligned
ROTATED = landscapes.get("ill_conditioned")    # a rotated ravine: its steep direction is not an axis


def _lam_max(L):
    w, v = np.linalg.eigh(L.hessian(np.array([L.start]))[0])
    return w[-1], v[:, -1] * np.sign(v[0, -1] or 1.0)


# name, keyword arguments, the limit on h = (1 - τ)·γ·(λmax + λ_wd), its formula
LIMITS = [
    ("gd", {}, 2.0, "2"),
    ("sgd", {"weight_decay": 3.0}, 2.0, "2"),
    ("momentum", {"momentum": 0.9}, 2 * 1.9, "2(1+μ)"),
    ("momentum", {"momentum": 0.5}, 2 * 1.5, "2(1+μ)"),
    ("momentum", {"momentum": 0.5, "dampening": 0.5}, 2 * 1.5, "2(1+μ)"),
    ("nesterov", {"momentum": 0.9}, 2 * 1.9 / 2.8, "2(1+μ)/(1+2μ)"),
    ("nesterov", {"momentum": 0.3}, 2 * 1.3 / 1.6, "2(1+μ)/(1+2μ)"),
]
IDS = [f"{n}-{'-'.join(f'{k}{v}' for k, v in kw.items()) or 'plain'}" for n, kw, _, _ in LIMITS]


@pytest.mark.parametrize("landscape", [STRETCHED, ROTATED], ids=["stretched", "rotated"])
@pytest.mark.parametrize("name, kw, bound, formula", LIMITS, ids=IDS)
def test_just_below_the_limit_converges_just_above_diverges_and_the_message_has_the_numbers(landscape, name, kw,
                                                                                            bound, formula):
    lam, steep = _lam_max(landscape)
    shift, scale = kw.get("weight_decay", 0.0), 1.0 - kw.get("dampening", 0.0)
    edge = bound / (scale * (lam + shift))
    below = optimizers.get(name, lr=0.99 * edge, **kw)
    lim = C.limit(name, below.hyper)
    assert lim.formula == formula and float(lim.bound()) == pytest.approx(bound, rel=1e-12)
    t = optimizers.run(landscape, below, start=landscape.start, steps=6000)
    assert t.diverged_at[0] == -1 and t.loss[-1, 0] < 1e-6 * t.loss[0, 0]

    above = optimizers.get(name, lr=1.01 * edge, **kw)
    t = optimizers.run(landscape, above, start=landscape.start, steps=6000)
    k = int(t.diverged_at[0])
    assert k > 0
    why = C.diagnose(landscape, name, above.hyper, t.params[:, 0], t.lr[:, 0], k)
    assert why.explained and why.exact and why.step == k and why.left_at == 0
    assert why.h == pytest.approx(1.01 * bound, rel=1e-9) and why.bound == pytest.approx(bound, rel=1e-12)
    assert why.lam_max == pytest.approx(lam + shift, rel=1e-12)
    np.testing.assert_allclose(why.direction, steep, atol=1e-12)
    np.testing.assert_allclose(why.point, landscape.start)
    text = why.sentence("Run")
    assert text.startswith(f"Run diverged at step {k}: γ·λmax = {1.01 * bound:.3g} > {formula}")
    assert f"({steep[0]:.2f}, {steep[1]:.2f})" in text and f"γ = {1.01 * edge:.3g}" in text


def test_the_limit_follows_the_schedule_and_names_the_step_the_run_left_the_stable_region():
    lam, _ = _lam_max(STRETCHED)
    base = 1.1 * 2.0 / lam                       # over the limit, but the warm-up starts far under it
    opt = optimizers.get("gd", lr=base)
    t = optimizers.run(STRETCHED, opt, start=STRETCHED.start, steps=3000,
                       schedule=optimizers.schedule("linear", start_factor=0.1, total_iters=100))
    k = int(t.diverged_at[0])
    assert k > 0
    why = C.diagnose(STRETCHED, "gd", opt.hyper, t.params[:, 0], t.lr[:, 0], k)
    j = why.left_at
    assert 0 < j < k
    assert t.lr[j, 0, 0] * lam > 2.0 >= t.lr[j - 1, 0, 0] * lam     # the first step over the limit
    assert why.h == pytest.approx(t.lr[j, 0, 0] * lam) and f"from step {j}" in why.sentence("GD")
    np.testing.assert_allclose(why.point, t.params[j, 0])


def test_an_adaptive_rule_gets_the_eigenvalues_at_its_last_finite_point_and_no_invented_cause():
    L = landscapes.get("saddle")
    opt = optimizers.get("adam", lr=0.5)
    t = optimizers.run(L, opt, start=(1.0, 0.0), steps=50)
    assert optimizers.info("adam").stability(opt.hyper) is None
    # Adam cannot diverge on a bowl at a fixed rate; ask about a made-up divergence at step 10.
    why = C.diagnose(L, "adam", opt.hyper, t.params[:, 0], t.lr[:, 0], 10)
    assert not why.explained and not why.has_limit
    np.testing.assert_allclose(why.eigenvalues, [-2.0, 2.0])
    np.testing.assert_allclose(why.last_point, t.params[9, 0])
    text = why.sentence("Adam")
    assert "states no stability limit" in text and "-2, 2" in text and " = " not in text.split(":")[-1]


def test_off_a_quadratic_the_limit_is_a_local_reading():
    L = landscapes.get("rosenbrock")
    assert not C.is_quadratic(L) and C.is_quadratic(STRETCHED) and C.is_quadratic(ROTATED)
    opt = optimizers.get("gd", lr=0.01)
    t = optimizers.run(L, opt, start=(-1.5, 2.0), steps=300)
    k = int(t.diverged_at[0])
    assert k > 0
    why = C.diagnose(L, "gd", opt.hyper, t.params[:, 0], t.lr[:, 0], k)
    assert why.explained and not why.exact
    H = L.hessian(t.params[why.left_at, 0][None])[0]
    assert why.h == pytest.approx(0.01 * np.linalg.eigvalsh(H)[-1])
    assert "local reading" in why.sentence("GD")


def test_readout_eigenvalues_are_numpys_and_h_is_lr_times_lambda_max():
    L = landscapes.get("rosenbrock")
    opt = optimizers.get("momentum", lr=1e-4, momentum=0.8)
    t = optimizers.run(L, opt, start=(-1.5, 2.0), steps=40)
    out = C.readout(L, "momentum", opt.hyper, t.params[:-1, 0], t.lr[:, 0])
    expected = np.linalg.eigvalsh(L.hessian(t.params[:-1, 0]))
    np.testing.assert_allclose(out["eigenvalues"], expected, rtol=1e-12)
    np.testing.assert_allclose(out["h"], 1e-4 * expected[:, -1], rtol=1e-12)
    np.testing.assert_allclose(out["bound"], 3.6)
    np.testing.assert_allclose(out["condition"], np.abs(expected).max(1) / np.abs(expected).min(1))
    assert not out["quadratic"]


def test_per_coordinate_rates_use_the_preconditioned_curvature():
    lrs = np.array([0.5, 0.03])          # x has λ = 1, y has λ = 50: h = max(0.5, 1.5)
    H = STRETCHED.hessian(np.zeros((1, 2)))
    h, u = C.products(H, lrs[None], C.limit("gd", optimizers.get("gd").hyper))
    assert h[0] == pytest.approx(1.5) and np.allclose(u[0], [0.0, 1.0])


def test_the_stability_boundary_is_the_limit_over_lambda_max_and_only_on_a_quadratic():
    lam, _ = _lam_max(ROTATED)
    momenta = np.array([0.0, 0.5, 0.9])
    edge = C.boundary(ROTATED, "momentum", optimizers.get("momentum").hyper, momenta)
    np.testing.assert_allclose(edge, 2 * (1 + momenta) / lam, rtol=1e-12)
    edge = C.boundary(ROTATED, "nesterov", optimizers.get("nesterov").hyper, momenta[1:])
    np.testing.assert_allclose(edge, 2 * (1 + momenta[1:]) / (1 + 2 * momenta[1:]) / lam, rtol=1e-12)
    assert C.boundary(landscapes.get("rosenbrock"), "momentum", optimizers.get("momentum").hyper, momenta) is None
    assert C.boundary(ROTATED, "adam", optimizers.get("adam").hyper, momenta) is None
    assert C.boundary(landscapes.get("saddle"), "momentum", optimizers.get("momentum").hyper, momenta) is None


def test_only_rules_that_state_a_limit_have_one():
    with_limit = {n for n in optimizers.names() if optimizers.info(n).stability(optimizers.get(n).hyper) is not None}
    assert with_limit == {"gd", "sgd", "momentum", "nesterov"}
    assert optimizers.info("sgd").stability(optimizers.get("sgd", maximize=True).hyper) is None


# --- traj.evals_at ------------------------------------------------------------------------------------

def test_evals_at_counts_the_evaluations_to_reach_each_point():
    L = landscapes.get("rosenbrock")
    lbfgs, adam = optimizers.run(L, [optimizers.get("lbfgs"), optimizers.get("adam", lr=0.05)], start=(-1.5, 2.0),
                                 steps=6, record_state=True)
    per_step = lbfgs.state["evals"][:, 0, 0]
    np.testing.assert_array_equal(lbfgs.evals_at[:, 0], np.concatenate([[0], np.cumsum(per_step)]))
    assert lbfgs.evals_at[-1, 0] == lbfgs.evals[0] > 6
    np.testing.assert_array_equal(adam.evals_at[:, 0], np.arange(7))
    assert optimizers.run(L, optimizers.get("adam"), start=(0, 0), steps=3, history=False).evals_at is None
