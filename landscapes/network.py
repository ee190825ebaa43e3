"""A tiny real network as a landscape: an MLP classifying a seeded 2-D dataset, with backprop written out.

``network(dataset="moons", hidden=(16,), activation="tanh")`` is the mean BCE-with-logits loss of
``nn.Sequential(Linear(2, h₁), act, …, Linear(h_k, 1))`` over its parameters, flattened in the order
of torch's ``parameters_to_vector`` (each layer's weight row by row, then its bias), so a point of
the landscape loads straight into torch with ``vector_to_parameters``. P (n, d) is n independent
networks: the compiled kernel runs the forward and backward pass of each over its own mini-batch.

The data are drawn from ``seed`` (nothing is downloaded) and the start is torch's ``nn.Linear``
default, U(−1/√fan_in, 1/√fan_in) for weights and biases, from the same seed.
"""

from __future__ import annotations

import dataclasses
import math
from types import MappingProxyType
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

import numba
import numpy as np

from .base import Landscape, _as_points, compiled
from .datasets import check_batch

_JIT = dict(cache=True, error_model="numpy")  # no fastmath: rounding is part of the contract

DATASETS = ("moons", "circles", "spirals", "xor")
ACTIVATIONS = ("tanh", "relu")


# --- data ------------------------------------------------------------------------------------------

def make_data(name: str, n: int, seed: int = 0) -> Tuple[np.ndarray, np.ndarray]:
    """A seeded 2-D binary dataset: X (n, 2), y (n,) of 0.0/1.0, classes alternating then shuffled."""
    rng = np.random.default_rng([seed, 0x64617461])
    y = (np.arange(n) % 2).astype(np.float64)
    u = rng.random(n)
    if name == "moons":  # two interleaved half circles, as sklearn's make_moons
        t = np.pi * u
        X = np.where(y[:, None] == 0, np.column_stack([np.cos(t), np.sin(t)]),
                     np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]))
        X = X - np.array([0.5, 0.25]) + 0.1 * rng.standard_normal((n, 2))
    elif name == "circles":  # a disc inside a ring
        t = 2.0 * np.pi * u
        r = np.where(y == 0, 1.0, 0.5)[:, None]
        X = r * np.column_stack([np.cos(t), np.sin(t)]) + 0.08 * rng.standard_normal((n, 2))
    elif name == "spirals":  # two arms, each 1.5 turns, the second rotated by π
        s = np.sqrt(0.05 + 0.95 * u)
        t = 3.0 * np.pi * s + np.pi * y
        X = s[:, None] * np.column_stack([np.cos(t), np.sin(t)]) + 0.04 * rng.standard_normal((n, 2))
    elif name == "xor":  # the four quadrants, same sign -> class 1
        X = rng.uniform(-1.0, 1.0, (n, 2))
        X[:, 0] = np.where((X[:, 0] * X[:, 1] > 0) == (y == 1), X[:, 0], -X[:, 0])
    else:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    order = rng.permutation(n)
    X, y = np.ascontiguousarray(X[order]), y[order].copy()
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


# --- the compiled forward and backward pass ---------------------------------------------------------

# exp(x) for the tanh below, in plain arithmetic that LLVM vectorises (numba has no vector exp here):
# x = k ln2 + r with |r| <= ln2/2 (Cody-Waite, ln2 in two parts), exp(r) by its Taylor series to r^13
# (the first term left out is below 1e-17 relative), and 2^k built from the bits of x/ln2 + SHIFT.
_INV_LN2 = 1.4426950408889634
_LN2_HI = 0.6931471803691238   # ln 2 with its last 21 bits zero: k * _LN2_HI is exact for |k| < 2^21
_LN2_LO = 1.9082149292705877e-10
_SHIFT = 6755399441055744.0     # 1.5 * 2^52: adding it rounds x/ln2 to an integer kept in the low bits
_SHIFT_BITS = int(np.float64(_SHIFT).view(np.int64))


@numba.njit(**_JIT)
def _tanh_layer(out, bits):
    """tanh of out (units, b) in place, bits (units * b,) int64 scratch.

    tanh x = ±(1 − e) / (1 + e), e = exp(−2|x|), with x's sign, as glibc's tanh but from one exp, and
    that exp in three loops that vectorise (2-3x faster than a scalar math.exp per unit, the network's
    hot loop). |x| is clipped at 20, where tanh is 1.0 in float64 either way. Absolute error within a
    few 1e-16 of np.tanh (tests/test_network.py); NaN stays NaN.
    """
    units, b = out.shape
    kd = bits.view(np.float64)
    for o in range(units):
        for s in range(b):
            x = -2.0 * abs(out[o, s])
            if x < -40.0:
                x = -40.0
            kd[o * b + s] = x * _INV_LN2 + _SHIFT
    for i in range(units * b):
        bits[i] = (bits[i] - _SHIFT_BITS + 1023) << 52   # now the float 2^k, k = round(x / ln2)
    for o in range(units):
        for s in range(b):
            a = out[o, s]
            x = -2.0 * abs(a)
            if x < -40.0:
                x = -40.0
            k = (x * _INV_LN2 + _SHIFT) - _SHIFT
            r = (x - k * _LN2_HI) - k * _LN2_LO
            r2 = r * r
            r4 = r2 * r2
            # sum_{j <= 13} r^j / j!, Estrin's scheme (short dependency chains)
            q0 = (1.0 + r) + r2 * (0.5 + r * (1.0 / 6.0))
            q1 = (1.0 / 24.0 + r * (1.0 / 120.0)) + r2 * (1.0 / 720.0 + r * (1.0 / 5040.0))
            q2 = (1.0 / 40320.0 + r * (1.0 / 362880.0)) + r2 * (1.0 / 3628800.0 + r * (1.0 / 39916800.0))
            q3 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0)
            e = ((q0 + r4 * q1) + (r4 * r4) * (q2 + r4 * q3)) * kd[o * b + s]
            t = (1.0 - e) / (1.0 + e)
            out[o, s] = t if a >= 0.0 else -t


_NO_BATCH = (np.empty(0, dtype=np.int64), np.empty(0), np.empty((0, 0)))  # _mlp's batch, f_batch, G_batch


@numba.njit(**_JIT)
def _backward(Pr, sizes, relu, A, base, delta, back, b, depth, Gr):
    """One network's backward pass over b samples: A (units, b) its activations, delta[:b] ∂loss/∂z
    of the logit. Writes the gradient of the last ``depth`` layers into Gr (d,) and 0 below them."""
    n_layers = sizes.shape[0] - 1
    stop = max(n_layers - depth, 0)   # the lowest layer whose gradient is computed
    below = 0
    for l in range(stop):
        below += (sizes[l] + 1) * sizes[l + 1]
    for j in range(below):
        Gr[j] = 0.0
    at = Gr.shape[0]
    for l in range(n_layers - 1, stop - 1, -1):   # last layer first: δ is ∂loss/∂z of its outputs
        fan_in, fan_out = sizes[l], sizes[l + 1]
        b0 = at - fan_out
        w0 = b0 - fan_in * fan_out
        at = w0
        dz = delta[:fan_out * b].reshape(fan_out, b)
        inputs = A[base[l]:base[l + 1]]
        for o in range(fan_out):
            g = 0.0
            for s in range(b):
                g += dz[o, s]
            Gr[b0 + o] = g
        np.dot(dz, inputs.T, Gr[w0:b0].reshape(fan_out, fan_in))
        if l == stop:
            break
        W = Pr[w0:b0].reshape(fan_out, fan_in)
        dprev = back[:fan_in * b].reshape(fan_in, b)
        np.dot(W.T, dz, dprev)
        for i in range(fan_in):
            for s in range(b):
                a = inputs[i, s]
                if relu:
                    dprev[i, s] = dprev[i, s] if a > 0.0 else 0.0
                else:
                    dprev[i, s] = dprev[i, s] * (1.0 - a * a)
        delta, back = back, delta


@numba.njit(**_JIT)
def _mlp(P, X, y, idx, sizes, relu, depth, f, G, Z, batch, f_batch, G_batch):
    """Each run's mean BCE-with-logits loss over its samples, its gradient and its logits.

    P (n, d) parameters, one network per row; X (N, 2), y (N,) the data; idx (n, b), or (1, b)
    when every run sees the same samples; sizes the layer widths (2, h₁, …, 1). Writes f (n,),
    the logits Z (n, b) and, into G (n, d), the gradient of the last ``depth`` layers: 0 is the
    forward pass alone (G untouched), len(sizes) − 1 the whole gradient. Below ``depth`` G is 0,
    so its norm is a lower bound of the gradient's (the run loop's cheap convergence test).

    ``batch`` (m,), positions in idx's row, asks also for the loss f_batch (n,) and the whole
    gradient G_batch (n, d) over those samples alone, from the same forward pass: a run loop's
    mini-batch step, whose full-batch loss is computed at the same point. Empty: not asked.

    Activations are feature-major, A[unit, sample], so each layer is one matrix product
    (BLAS) over the batch: z = W a + bias forward; ∂W = δ aᵀ, ∂bias = Σ_s δ, δ_prev = (Wᵀ δ) ⊙ act'.

        loss = mean_s max(z, 0) − z y + log1p(exp(−|z|))     (torch's BCEWithLogitsLoss)
        ∂loss/∂z_s = (σ(z_s) − y_s) / b
    """
    n, d = P.shape
    b = idx.shape[1]
    m = batch.shape[0]
    n_layers = sizes.shape[0] - 1
    base = np.zeros(n_layers + 2, dtype=np.int64)  # row offset of each layer's units in A
    widest = 0
    for l in range(n_layers + 1):
        base[l + 1] = base[l] + sizes[l]
        widest = max(widest, sizes[l])
    A = np.empty((base[n_layers + 1], b))
    A_batch = np.empty((base[n_layers + 1], m))
    delta = np.empty(widest * b)
    back = np.empty(widest * b)
    bits = np.empty(widest * b, dtype=np.int64)
    err = np.empty(b)     # σ(z_s) − y_s
    losses = np.empty(b)  # each sample's loss
    for r in range(n):
        row = idx[0] if idx.shape[0] == 1 else idx[r]
        for s in range(b):
            A[0, s] = X[row[s], 0]
            A[1, s] = X[row[s], 1]
        at = 0
        for l in range(n_layers):
            fan_in, fan_out = sizes[l], sizes[l + 1]
            W = P[r, at:at + fan_in * fan_out].reshape(fan_out, fan_in)
            b0 = at + fan_in * fan_out
            at = b0 + fan_out
            out = A[base[l + 1]:base[l + 2]]
            np.dot(W, A[base[l]:base[l + 1]], out)
            hidden = l < n_layers - 1
            for o in range(fan_out):
                bias = P[r, b0 + o]
                if hidden and relu:
                    for s in range(b):
                        out[o, s] = max(out[o, s] + bias, 0.0)
                else:
                    for s in range(b):
                        out[o, s] = out[o, s] + bias
            if hidden and not relu:
                _tanh_layer(out, bits)
        last = base[n_layers]
        for s in range(b):
            z = A[last, s]
            t = y[row[s]]
            e = math.exp(-abs(z))
            losses[s] = max(z, 0.0) - z * t + math.log1p(e)
            err[s] = (1.0 / (1.0 + e) if z >= 0.0 else e / (1.0 + e)) - t
            Z[r, s] = z
        loss = 0.0
        for s in range(b):
            loss += losses[s]
        f[r] = loss / b
        if depth > 0:
            for s in range(b):
                delta[s] = err[s] / b
            _backward(P[r], sizes, relu, A, base, delta, back, b, depth, G[r])
        if m > 0:
            loss = 0.0
            for j in range(m):
                loss += losses[batch[j]]
                delta[j] = err[batch[j]] / m
                for u in range(base[n_layers + 1]):
                    A_batch[u, j] = A[u, batch[j]]
            f_batch[r] = loss / m
            _backward(P[r], sizes, relu, A_batch, base, delta, back, m, n_layers, G_batch[r])


def _nn_linear_init(sizes, seed: int) -> np.ndarray:
    """torch's nn.Linear default: weight and bias each U(−1/√fan_in, 1/√fan_in), layer by layer."""
    rng = np.random.default_rng([seed, 0x696e6974])
    parts = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / math.sqrt(fan_in)
        parts.append(rng.uniform(-bound, bound, fan_in * fan_out))
        parts.append(rng.uniform(-bound, bound, fan_out))
    return np.concatenate(parts)


def fast_tanh(x: np.ndarray) -> np.ndarray:
    """tanh as 1 − 2 / (e^{2x} + 1), on a copy: about three times NumPy's own tanh, within a few 1e-16
    of it (the NumPy views' hot loop: the decision boundary, accuracy, one weight's curve)."""
    e = np.multiply(x, 2.0)
    with np.errstate(over="ignore"):
        np.exp(e, out=e)
    e += 1.0
    np.divide(2.0, e, out=e)
    return np.subtract(1.0, e, out=e)


def network_logits(P, points, hidden=None, activation: str = "tanh") -> np.ndarray:
    """The logits of one network P (d,), or of each of P (n, d), at points (m, 2): (m,) or (n, m).

    Pure NumPy, for the decision boundary. ``hidden`` defaults to what fits one hidden layer and
    ``activation`` to tanh: pass the network's own (``L.hidden``, ``L.activation``) otherwise, or
    use ``L.logits(P, points)``, which does.
    """
    P = np.asarray(P, dtype=np.float64)
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (m, 2), got {points.shape}")
    if hidden is None:  # d = 2h + h + h + 1 for one hidden layer
        h, rest = divmod(P.shape[-1] - 1, 4)
        if rest:
            raise ValueError(f"{P.shape[-1]} parameters are not one hidden layer: pass hidden=")
        hidden = (h,)
    sizes = (2, *hidden, 1)
    if P.shape[-1] != _count(sizes):
        raise ValueError(f"hidden={tuple(hidden)} needs {_count(sizes)} parameters, got {P.shape[-1]}")
    runs = P.reshape(-1, P.shape[-1])
    a = np.broadcast_to(points, (len(runs),) + points.shape)
    at = 0
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = runs[:, at:at + fan_in * fan_out].reshape(-1, fan_out, fan_in)
        bias = runs[:, at + fan_in * fan_out:at + (fan_in + 1) * fan_out]
        at += (fan_in + 1) * fan_out
        a = np.matmul(a, W.transpose(0, 2, 1)) + bias[:, None, :]
        if l < len(sizes) - 2:
            a = np.maximum(a, 0.0) if activation == "relu" else fast_tanh(a)
    return a[..., 0].reshape(P.shape[:-1] + (len(points),))


def _count(sizes) -> int:
    return sum((i + 1) * o for i, o in zip(sizes[:-1], sizes[1:]))


# --- the landscape ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Network(Landscape):
    """A Landscape over an MLP's parameters, with what a network scene needs besides the loss.

    Extra fields:
      data: (X (N, 2), y (N,)) the dataset, labels 0.0/1.0.
      hidden: the hidden layers' widths; activation: "tanh" or "relu".
      layers: torch's parameter names -> slices of the parameter vector
        ({"0.weight": slice(0, 32), "0.bias": slice(32, 48), "2.weight": ..., "2.bias": ...}).
      compiled_minibatch_step: ``(P, idx, f, G, f_batch, G_batch) -> None``, one step of a mini-batch
        run in one forward pass over the full batch: its loss into f (n,) and, into G (n, d), only
        the last layer's gradient (exact; 0 elsewhere), whose norm is a lower bound of the whole
        gradient's, so the convergence test needs the full backward pass only where it is below
        tol; and the loss and whole gradient over the samples idx (b,) into f_batch (n,) and
        G_batch (n, d), the same numbers as ``batch_value_and_grad``. idx may be empty.
    """

    data: Tuple[np.ndarray, np.ndarray] = None
    hidden: Tuple[int, ...] = ()
    activation: str = "tanh"
    layers: Mapping[str, slice] = None
    compiled_minibatch_step: Optional[Callable[..., None]] = None

    @property
    def layer_slices(self) -> Dict[str, slice]:
        """By layer, as nn.Sequential numbers them: {"0": weight and bias of Linear 0, "2": …}."""
        out: Dict[str, slice] = {}
        for name, s in self.layers.items():
            key = name.split(".")[0]
            out[key] = slice(out[key].start, s.stop) if key in out else s
        return out

    def logits(self, P, points=None) -> np.ndarray:
        """The logits of each network in P (..., d) at points (m, 2) (the data by default): (..., m)."""
        return network_logits(P, self.data[0] if points is None else points, self.hidden, self.activation)

    def accuracy(self, P) -> np.ndarray:
        """The share of the samples each network in P (..., d) classifies right (logit > 0 is class 1)."""
        P = _as_points(P, self.dim)
        return np.mean((self.logits(P) > 0.0) == (self.data[1] > 0.5), axis=-1)[()]

    def groups(self, spec: Mapping[str, Mapping[str, Any]]) -> list:
        """torch's ``param_groups`` by layer, for ``optimizers.get(..., groups=...)``.

        ``spec`` maps a layer ("0", "2", …) or a tensor ("0.weight") to the hyperparameters it
        overrides, e.g. fine-tuning's ``{"0": dict(lr=1e-4), "2": dict(lr=1e-3)}``. Every other
        tensor goes into one last group with the optimizer's own values, so the groups cover
        every coordinate once, as ``optimizers.get`` requires.
        """
        by_layer, tensors = self.layer_slices, dict(self.layers)
        used = np.zeros(self.dim, dtype=bool)
        out = []
        for key, values in spec.items():
            s = tensors.get(key, by_layer.get(key))
            if s is None:
                raise ValueError(f"unknown layer {key!r}; known: {', '.join([*by_layer, *tensors])}")
            if not isinstance(values, Mapping) or "params" in values:
                raise ValueError(f"layer {key!r}: give a dict of hyperparameters, without 'params'")
            if used[s].any():
                raise ValueError(f"layer {key!r} overlaps another group")
            used[s] = True
            out.append({"params": np.arange(self.dim)[s].tolist(), **values})
        if not used.all():
            out.append({"params": np.flatnonzero(~used).tolist()})
        return out


def network(dataset: str = "moons", hidden=(16,), activation: str = "tanh", n_samples: int = 256,
            seed: int = 0) -> Network:
    """An MLP ``2 -> hidden… -> 1`` classifying a seeded 2-D dataset, as a landscape over its weights.

    Args:
      dataset: "moons", "circles", "spirals" or "xor", drawn from ``seed``.
      hidden: the hidden layers' widths, e.g. (16,) or (16, 16).
      activation: "tanh" or "relu", after every hidden layer.
      n_samples: the dataset's size; ``optimizers.run(..., batch_size=k)`` draws real mini-batches.
      seed: seeds the data and the start (torch's nn.Linear initialisation, from NumPy's generator).

    The loss is the mean BCE-with-logits, ``max(z, 0) − z y + log1p(exp(−|z|))``; the parameter
    vector is torch's ``parameters_to_vector(nn.Sequential(...).parameters())`` order.
    """
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    try:
        hidden = tuple(int(h) for h in hidden)
    except (TypeError, ValueError):
        raise ValueError(f"hidden must be a sequence of layer widths, got {hidden!r}") from None
    if not hidden or min(hidden) < 1:
        raise ValueError(f"hidden must be one or more positive widths, got {hidden!r}")
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2, got {n_samples!r}")
    n_samples, seed = int(n_samples), int(seed)
    X, y = make_data(dataset, n_samples, seed)
    sizes = np.array((2, *hidden, 1), dtype=np.int64)
    d = _count(sizes)
    relu = activation == "relu"
    n_layers = len(sizes) - 1
    everything = np.arange(n_samples, dtype=np.int64)[None, :]

    layers: Dict[str, slice] = {}
    at = 0
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers[f"{2 * l}.weight"] = slice(at, at + fan_in * fan_out)
        layers[f"{2 * l}.bias"] = slice(at + fan_in * fan_out, at + (fan_in + 1) * fan_out)
        at += (fan_in + 1) * fan_out

    def kernel(P, f, G):
        """The full batch: the runner's compiled (P, f, G) -> None."""
        _mlp(P, X, y, everything, sizes, relu, n_layers, f, G, np.empty((len(P), n_samples)), *_NO_BATCH)

    def minibatch_step(P, idx, f, G, f_batch, G_batch):
        """The full batch's loss and last layer's gradient; the loss and gradient over idx."""
        _mlp(P, X, y, everything, sizes, relu, 1, f, G, np.empty((len(P), n_samples)), idx, f_batch, G_batch)

    def loss(P):
        P = _as_points(P, d)
        flat = np.ascontiguousarray(P.reshape(-1, d))
        f = np.empty(len(flat))
        _mlp(flat, X, y, everything, sizes, relu, 0, f, np.empty((0, 0)), np.empty((len(flat), n_samples)),
             *_NO_BATCH)
        return f.reshape(P.shape[:-1])[()]

    def batch_value_and_grad(P, idx):
        P, idx = check_batch(P, idx, n_samples, d)
        P = np.ascontiguousarray(P)
        shared = idx[:1] if idx.strides[0] == 0 else idx  # the run loop's batches: one row for all runs
        shared = np.ascontiguousarray(shared, dtype=np.int64)
        f, G = np.empty(len(P)), np.empty(P.shape)
        _mlp(P, X, y, shared, sizes, relu, n_layers, f, G, np.empty((len(P), idx.shape[1])), *_NO_BATCH)
        return f, G

    shape = "-".join(str(h) for h in hidden)
    base = compiled(
        f"network_{dataset}_{shape}_{activation}", kernel, d, start=_nn_linear_init(sizes, seed),
        n_samples=n_samples, batch_value_and_grad=batch_value_and_grad,
        title=f"MLP 2-{shape}-1 ({activation}) on {dataset}",
        description=f"A {d}-parameter network classifying {n_samples} {dataset} points: a real, non-convex "
                    "landscape seen through slices.")
    fields = {field.name: getattr(base, field.name) for field in dataclasses.fields(Landscape)}
    fields["loss"] = loss  # the forward pass alone
    return Network(**fields, data=(X, y), hidden=hidden, activation=activation, layers=MappingProxyType(layers),
                   compiled_minibatch_step=minibatch_step)
