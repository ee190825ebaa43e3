"""What every update rule shares: the compiled-kernel contract and torch's elementwise primitives.

Each optimizer family's module holds one numba kernel with this signature::

    kernel(P, G, S, H, LR, MOM, t, d, out)

- ``P`` (E,) the points of all runs, flattened run-major (E = n_runs * d); read only.
- ``G`` (E,) the gradient at ``P`` (noise included); read only.
- ``S`` (F, E) the state, one row per field of the module's ``STATE``; updated in place.
- ``H`` (K, 1) or (K, E): one row per name in the module's ``HYPER`` (booleans as 0.0/1.0).
  One column when every hyperparameter is the same everywhere: the fast path, in which the
  kernel reads each value once and the loop over elements vectorises.
- ``LR`` (1,) or (E,): the learning rate this step (a schedule's, or the optimizer's own).
- ``MOM`` (0,), (1,) or (E,): OneCycleLR's momentum or beta1 this step, replacing ``H[0]``
  (families that offer momentum put it first in ``HYPER``); (0,) when nothing cycles it.
- ``t`` the step count, 1 on the first step (torch's ``state["step"]`` after its increment).
- ``d`` the number of coordinates of one run: a rule may reduce over ``P[i*d:(i+1)*d]``,
  its own run, and never across runs.
- ``out`` (E,) receives the new points.

The kernel follows torch's single-tensor code in its order of operations, one rounding
at a time: ``lerp``'s two branches, ``mul_(decay).addcmul_(x, x, value=w)`` as
``a * decay + (w * x) * x``, ``addcdiv_(a, b, value=v)`` as ``p + (v * a) / b``. It is
compiled without fastmath, so LLVM may not reassociate or contract any of it, and with
numpy's error model, so 1/0 is inf as in torch rather than ZeroDivisionError.
"""

from __future__ import annotations

import math

import numba
from numba.core import types
from numba.extending import intrinsic

# Where numba keeps compiled kernels between processes. The Dockerfile points
# NUMBA_CACHE_DIR at a directory it fills while building the image.
_OPTIONS = dict(cache=True, error_model="numpy", nogil=True)


def jit(fn):
    """Compile ``fn`` on first call with our options (cached on disk, IEEE errors, no fastmath)."""
    return numba.njit(**_OPTIONS)(fn)


def inline(fn):
    """An elementwise helper that the kernels inline (numba ``inline="always"``)."""
    return numba.njit(inline="always", error_model="numpy")(fn)


@intrinsic
def _fma(typingctx, a, b, c):
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        return builder.fma(*args)   # llvm.fma.f64: one rounding, in hardware or in libm

    return sig, codegen


@inline
def fma(a, b, c):
    """``a * b + c`` with one rounding, where torch's CPU kernel fuses it: ``p.add_(u, alpha=a)``
    is ``fma(a, u, p)`` there. Used only where a rule's path is sensitive enough to show it
    (Adafactor's relative steps amplify one ulp to 1e-3 over 100 Rosenbrock steps); fastmath
    stays off, so LLVM never contracts anything on its own."""
    return _fma(float(a), float(b), float(c))


@inline
def lerp(start, end, weight):
    """torch.lerp: ``start + w (end - start)`` for |w| < 0.5, else ``end - (end - start)(1 - w)``."""
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)


@inline
def decay_addcmul(avg, decay, weight, x):
    """torch's ``avg.mul_(decay).addcmul_(x, x, value=weight)``: ``avg decay + (weight x) x``."""
    return avg * decay + (weight * x) * x


@inline
def maximum(a, b):
    """torch.maximum: NaN if either is NaN (Python's max would drop it)."""
    if a != a or b != b:
        return math.nan
    return a if a >= b else b


@inline
def l2(g, p, wd, maximize):
    """torch's first lines of every rule: negate for ``maximize``, then ``g + wd p`` where wd is not 0."""
    if maximize != 0.0:
        g = -g
    if wd != 0.0:
        g = g + wd * p
    return g


@inline
def adam_decay(g, p, lr, wd, maximize, decoupled):
    """The Adam family's weight decay: decoupled (``p (1 - lr wd)``, AdamW) or L2 (``g + wd p``)."""
    if maximize != 0.0:
        g = -g
    if wd != 0.0:
        if decoupled != 0.0:
            p = p * (1.0 - lr * wd)
        else:
            g = g + wd * p
    return g, p


@inline
def uniform(H, LR, MOM):
    """True when one value of each hyperparameter serves every element: the kernel's fast path."""
    return H.shape[1] == 1 and LR.shape[0] == 1 and MOM.shape[0] <= 1


@inline
def first_hyper(H, MOM, e):
    """``H[0]`` at element e (momentum or beta1), unless OneCycleLR sets it this step."""
    if MOM.shape[0] == 0:
        return H[0, e if H.shape[1] > 1 else 0]
    return MOM[e if MOM.shape[0] > 1 else 0]


@inline
def at(row, e):
    """``row[e]`` for a per-element row, ``row[0]`` for a shared one."""
    return row[e if row.shape[0] > 1 else 0]


@inline
def group_of(H, row, e):
    """The parameter group (torch tensor) of element e, from the ``"group"`` row of ``H``."""
    return H[row, e] if H.shape[1] > 1 else 0.0


@inline
def opens_group(H, row, base, j):
    """Whether coordinate j is the first of its group in the run starting at ``base``: a rule that
    reduces over a torch tensor handles each group once, from its first coordinate."""
    g = group_of(H, row, base + j)
    for k in range(j):
        if group_of(H, row, base + k) == g:
            return False
    return True
