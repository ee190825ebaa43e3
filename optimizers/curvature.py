r"""Curvature behind every step: the Hessian's eigenvalues along a path, a rule's stability limit on
a quadratic, and why a run diverged. Pure NumPy: the notebook's API and the page's numbers.

On a quadratic f = ½θᵀAθ a rule with a known limit (its module's ``stability``, e.g. SGD's) is
stable exactly when the largest eigenvalue h of :math:`(1-\tau)\,\Gamma^{1/2}(A + \lambda_{wd} I)\Gamma^{1/2}`
stays below the rule's bound: 2 for gradient descent, 2(1 + μ) for heavy ball, 2(1 + μ)/(1 + 2μ)
for torch's Nesterov. With one learning rate γ for both coordinates h is γ·λmax. Off a quadratic
the same numbers are a local reading of the curvature at a point, and the sentences say so.

    import landscapes, optimizers
    from optimizers import curvature
    L = landscapes.get("stretched_bowl")
    opt = optimizers.get("momentum", lr=0.08)
    traj = optimizers.run(L, opt, start=L.start, steps=200)
    why = curvature.diagnose(L, "momentum", opt.hyper, traj.params[:, 0], traj.lr[:, 0], int(traj.diverged_at[0]))
    print(why.sentence("Momentum"))   # Momentum diverged at step 12: γ·λmax = 4 > 2(1+μ) = 3.8 ...
"""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from .registry import info

SEGMENT = 0.12   # half the drawn steep-direction line, as a share of the view's shorter side


def hessians(landscape, points) -> np.ndarray:
    """(..., d, d) the landscape's exact Hessian at ``points`` (..., d); NaN where a point is not finite."""
    P = np.asarray(points, dtype=np.float64)
    good = np.all(np.isfinite(P), axis=-1)
    H = np.full(P.shape + (P.shape[-1],), np.nan)
    if np.any(good) and getattr(landscape, "hessian", None) is not None:
        with np.errstate(all="ignore"):
            H[good] = np.asarray(landscape.hessian(P[good]), dtype=np.float64)
    return H


def eigen(H):
    """(eigenvalues ascending (..., d), unit eigenvectors as columns (..., d, d)) of symmetric Hessians;
    NaN where a Hessian is not finite. Each eigenvector points to x ≥ 0 (its sign is arbitrary)."""
    H = np.asarray(H, dtype=np.float64)
    good = np.all(np.isfinite(H), axis=(-2, -1))
    vals = np.full(H.shape[:-1], np.nan)
    vecs = np.full(H.shape, np.nan)
    if np.any(good):
        sym = 0.5 * (H[good] + np.swapaxes(H[good], -1, -2))
        w, v = np.linalg.eigh(sym)
        flip = np.where(v[..., :1, :] < 0, -1.0, 1.0)
        vals[good], vecs[good] = w, v * flip
    return vals, vecs


def condition_number(vals) -> np.ndarray:
    """|λ|max / |λ|min per point (inf where an eigenvalue is 0)."""
    a = np.abs(np.asarray(vals, dtype=np.float64))
    with np.errstate(all="ignore"):
        return a.max(axis=-1) / a.min(axis=-1)


def is_quadratic(landscape, rtol: float = 1e-9) -> bool:
    """Whether the Hessian is the same all over the view (a 7 × 7 grid and its start): then the
    stability limits are exact, not local readings."""
    (x0, x1), (y0, y1) = landscape.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 7), np.linspace(y0, y1, 7))
    H = hessians(landscape, np.vstack([np.column_stack([X.ravel(), Y.ravel()]), [landscape.start]]))
    if not np.all(np.isfinite(H)):
        return False
    return bool(np.all(np.abs(H - H[0]) <= rtol * (1.0 + np.abs(H[0]).max())))


@dataclasses.dataclass(frozen=True)
class Limit:
    """A rule's stability limit on a quadratic: stable while h = scale(μ)·γ·(λ + shift) < bound(μ)."""

    formula: str
    momentum: float
    shift: float
    bound_fn: object = dataclasses.field(repr=False)
    scale_fn: object = dataclasses.field(repr=False)

    def bound(self, momentum=None):
        return np.asarray(self.bound_fn(self.momentum if momentum is None else np.asarray(momentum)), dtype=float)

    def scale(self, momentum=None):
        return np.asarray(self.scale_fn(self.momentum if momentum is None else np.asarray(momentum)), dtype=float)


def limit(name: str, settings) -> Optional[Limit]:
    """The limit the optimizer's own module states for these resolved settings, or None."""
    own = info(name).stability(settings)
    if own is None:
        return None
    return Limit(own["formula"], float(own["momentum"]), float(own["shift"]), own["bound"], own["scale"])


def products(H, lr, lim: Limit, momentum=None):
    """(h, direction): for every step, the largest eigenvalue h of scale·Γ^½(H + shift·I)Γ^½ (γ·λmax
    for one rate) and its direction in θ (Γ^½u, unit length, x ≥ 0). ``lr`` (..., d) per coordinate."""
    H = np.asarray(H, dtype=np.float64)
    d = H.shape[-1]
    root = np.sqrt(np.broadcast_to(np.asarray(lr, dtype=np.float64), H.shape[:-1]))
    A = (H + lim.shift * np.eye(d)) * root[..., :, None] * root[..., None, :]
    vals, vecs = eigen(A)
    scale = lim.scale(momentum)
    h = vals[..., -1] * (np.broadcast_to(scale, vals.shape[:-1]) if np.ndim(scale) else scale)
    with np.errstate(all="ignore"):
        u = vecs[..., :, -1] * root
        u = u / np.linalg.norm(u, axis=-1, keepdims=True)
    u = np.where(u[..., :1] < 0, -u, u)
    return h, u


def readout(landscape, name: str, settings, points, lr, momentum=None) -> dict:
    """What the step inspector shows for steps 0..n-1 taken at ``points`` (n, d) with rates ``lr``
    (n, d): the Hessian's eigenvalues (n, d), the condition number (n,), and for a rule with a
    known limit h (n,) and its bound (n,) (else None), and whether the surface is a quadratic."""
    H = hessians(landscape, points)
    vals, _ = eigen(H)
    out = {"eigenvalues": vals, "condition": condition_number(vals), "limit": None, "h": None, "bound": None,
           "quadratic": is_quadratic(landscape)}
    lim = limit(name, settings)
    if lim is not None:
        mu = None if momentum is None else np.asarray(momentum, dtype=float)[..., 0]
        h, _ = products(H, lr, lim, mu)
        out.update(limit=lim, h=h, bound=np.broadcast_to(lim.bound(mu), h.shape).copy())
    return out


def _vector(v) -> str:
    return "(" + ", ".join(f"{c:.2f}" for c in v) + ")"


def _n(v) -> str:
    return f"{v:.3g}"


@dataclasses.dataclass(frozen=True)
class Diagnosis:
    """Why a run diverged, as far as the curvature tells.

    ``explained`` when the rule has a known limit and h passed it on the path: ``left_at`` is the
    first step whose h was over the bound, ``point`` where that step started and ``direction`` the
    steep direction there. ``exact`` when the surface is a quadratic (else a local reading).
    ``eigenvalues`` are the Hessian's at the last finite point ``last_point``.
    """

    step: int
    explained: bool
    exact: bool
    formula: Optional[str]
    eigenvalues: np.ndarray
    last_point: np.ndarray
    left_at: int = -1
    h: float = float("nan")
    bound: float = float("nan")
    lr: Optional[np.ndarray] = None
    lam_max: float = float("nan")
    momentum: Optional[float] = None
    point: Optional[np.ndarray] = None
    direction: Optional[np.ndarray] = None
    has_limit: bool = False

    def sentence(self, title: str) -> str:
        lam = ", ".join(_n(v) for v in self.eigenvalues)
        at = f"Hessian eigenvalues at the last finite point {_vector(self.last_point)}: {lam}."
        if not self.explained:
            if not self.has_limit:
                why = (f"{title}'s rule states no stability limit in γ·λmax on a quadratic (an adaptive rule "
                       "scales each step itself), so the curvature alone does not say why.")
            else:
                why = "The step size stayed inside the quadratic stability limit along the path, so it is not the cause."
            return f"{title} diverged at step {self.step}. {at} {why}"
        rates = np.unique(np.round(self.lr, 12))
        gamma = f"γ = {_n(rates[0])}" if len(rates) == 1 else "γ = " + _vector(self.lr)
        mu = "" if self.momentum is None or "μ" not in self.formula else f", μ = {_n(self.momentum)}"
        product = "γ·λmax" if len(rates) == 1 else "the largest eigenvalue of Γ^½HΓ^½"
        where = f"from step {self.left_at}" if self.left_at > 0 else "from the start"
        limit = self.formula if self.formula == _n(self.bound) else f"{self.formula} = {_n(self.bound)}"
        head = (f"{title} diverged at step {self.step}: {product} = {_n(self.h)} > {limit} "
                f"{where} ({gamma}{mu}, λmax = {_n(self.lam_max)}), so every step overshoots further "
                f"along the steep direction {_vector(self.direction)}.")
        if self.exact:
            return head
        return (head + " The surface is not a quadratic: this is the limit for its curvature at that point, "
                "a local reading rather than an exact cause.")

    def segment(self, bounds) -> Optional[np.ndarray]:
        """(2, d): a short line along the steep direction through ``point``, or None."""
        if not self.explained:
            return None
        (x0, x1), (y0, y1) = bounds
        half = SEGMENT * min(x1 - x0, y1 - y0)
        return np.array([self.point - half * self.direction, self.point + half * self.direction])


def diagnose(landscape, name: str, settings, params, lr, diverged_at: int, momentum=None) -> Diagnosis:
    """Why run ``params`` (steps+1, d), with per-step rates ``lr`` (steps, d) (and one-cycle's
    ``momentum`` (steps, d) or None), diverged at step ``diverged_at``."""
    k = int(diverged_at)
    P = np.asarray(params, dtype=np.float64)[:max(k, 1)]
    finite = np.all(np.isfinite(P), axis=-1)
    last = P[np.flatnonzero(finite)[-1]] if finite.any() else P[0]
    H = hessians(landscape, P)
    vals, _ = eigen(H[-1:] if finite[-1] else hessians(landscape, last[None]))
    base = dict(step=k, exact=is_quadratic(landscape), eigenvalues=vals[0], last_point=last)
    lim = limit(name, settings)
    if lim is None:
        return Diagnosis(explained=False, formula=None, **base)
    mu = None if momentum is None else np.asarray(momentum, dtype=float)[:len(P), 0]
    rates = np.asarray(lr, dtype=np.float64)[:len(P)]
    h, u = products(H, rates, lim, mu)
    bound = np.broadcast_to(lim.bound(mu), h.shape)
    over = np.flatnonzero(h > bound)
    if not len(over):
        return Diagnosis(explained=False, formula=lim.formula, has_limit=True, **base)
    j = int(over[0])
    lam = eigen(H[j] + lim.shift * np.eye(H.shape[-1]))[0][-1]
    m = lim.momentum if mu is None else float(mu[j])
    formula = lim.formula if m != 0 or mu is None else "2"
    return Diagnosis(explained=True, formula=formula, has_limit=True, left_at=j, h=float(h[j]),
                     bound=float(bound[j]), lr=rates[j], lam_max=float(lam), momentum=m, point=P[j],
                     direction=u[j], **base)


def boundary(landscape, name: str, settings, momenta, point=None) -> Optional[np.ndarray]:
    """The stability map's edge: for each momentum (μ, or what the rule's limit reads) the learning
    rate at which h reaches the bound, lr = bound(μ) / (scale(μ)·(λmax + shift)), for a rule with a
    known limit on a convex quadratic (every λ + shift > 0: on a saddle every rate diverges downhill);
    else None."""
    lim = limit(name, settings)
    if lim is None or not is_quadratic(landscape):
        return None
    point = landscape.start if point is None else point
    vals = eigen(hessians(landscape, np.asarray(point, dtype=float)[None]))[0][0] + lim.shift
    lam = vals[-1]
    if not vals[0] > 0:
        return None
    m = np.asarray(momenta, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.broadcast_to(lim.bound(m) / (lim.scale(m) * lam), m.shape).copy()
