"""What a network scene's two small views play: the decision boundary, and what one weight sees.

Pure NumPy (no Dash, no Plotly). ``views_payload(net, paths, ...)`` turns a ``landscapes.network``
and the runs' paths (one array (steps+1, d) per run) into a JSON-able dict that the browser plays
without asking the server again (``assets/network_views.js``):

    {"steps": [0, 1, 2, 3, 4, 6, …, 300],      key steps: the browser shows the one at or before the frame
     "last": [300, 300],                        each run's last finite step (a diverged run holds there)
     "boundary": {"key": "…", "x": [41], "y": [41], "clip": 6.0,
                  "z": {"dtype": "i1", "bdata": "…", "shape": "R, K, 41, 41"}},   round(logit · 127 / clip)
     "weight": {"key": "…", "name": "0.weight[3]", "index": 3, "label": "…", "values": pack (W,),
                "loss": pack (R, K, W), "at": f8 (R, K), "loss_at": f8 (R, K), "slope_at": f8 (R, K),
                "half": tangent half-width}}

The boundary is each run's logits on a coarse grid of inputs over the data (41 × 41), at up to
``KEY_STEPS`` key steps, log-spaced (a network changes most in its first steps) and always with 0
and the last. Only the logit = 0 line is drawn, so the logits travel as int8: clipped to ±``CLIP``
(the probability 0.0025…0.9975: the far field is flat anyway) and rounded to steps of CLIP/127 ≈
0.05. The zero line then moves by under 0.024 logit / |∇ logit|, a fraction of a grid cell, and every
cell whose logit is more than half a step from 0 keeps its exact sign. That is 1681 bytes a key step
and run (about 2.2 KB in base64): 8 runs × 40 key steps ≈ 0.7 MB, where float32 would be 2.9 MB.

The weight view holds, at each key step, the full-batch loss along one weight with every other
parameter at that step's values (``landscapes.slices.along_weight``), over one fixed range of the
weight so the axis stays still, with the held value, its loss and the slope there (the tangent);
those three in float64, since the held loss *is* the network's loss at that step.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from typing import List, Optional, Sequence, Tuple

import numpy as np

from landscapes.network import fast_tanh
from ui.model.payload import pack

KEY_STEPS = 40          # at most this many key steps a scene
GRID = 41               # the boundary's input grid, GRID × GRID
MARGIN = 0.08           # the input view around the data, as a fraction of its span
CLIP = 6.0              # logits are clipped to ±CLIP before int8 rounding
LEVELS = 127
WEIGHT_SAMPLES = 41     # points along the weight
TANGENT_SHARE = 0.12    # the tangent reaches this share of the weight's range on either side

_NAME = re.compile(r"^\s*(\d+\.(?:weight|bias))\s*\[\s*(\d+)\s*\]\s*$")


@dataclasses.dataclass(frozen=True)
class NetworkRuns:
    """What the views need from a network scene: the network, each run's path (steps+1, d), its
    title and colour (as the other views show it), and a key naming the scene (for the figures)."""

    net: object
    paths: Sequence[np.ndarray]
    titles: Sequence[str]
    colours: Sequence[str]
    key: str = ""


def network_runs(scene_run, key: str = "") -> Optional[NetworkRuns]:
    """The page's adapter from a computed scene (``ui/model/compute.py``'s ``SceneRun``: its
    ``landscape`` and ``ok_runs``, each with ``params``, ``title``, ``colour``) to what the views need,
    or None when the scene is not a network or has no run to show."""
    net = getattr(scene_run, "network", None) or getattr(scene_run, "landscape", None)
    runs = list(getattr(scene_run, "ok_runs", None) or [])
    if not (hasattr(net, "layers") and hasattr(net, "logits")) or not runs:
        return None
    # A network scene's run keeps its whole vector in ``path``; ``params`` is its projection on the plane.
    full = [getattr(r, "path", None) if getattr(r, "path", None) is not None else r.params for r in runs]
    paths = [np.asarray(p, dtype=np.float64).reshape(len(p), -1) for p in full]
    return NetworkRuns(net=net, paths=paths, titles=[r.title for r in runs], colours=[r.colour for r in runs], key=key)


# --- naming a weight --------------------------------------------------------------------------------

def _fan_in(net, tensor: str) -> int:
    """A weight tensor's inputs: its size over its bias's size."""
    w = net.layers[tensor]
    b = net.layers[tensor.replace(".weight", ".bias")]
    return (w.stop - w.start) // (b.stop - b.start)


def weight_options(net) -> List[dict]:
    """Every parameter as a picker option, in the vector's order: value "0.weight[3]", label
    "0.weight[3] · unit 1 ← input 1" (Linear 0's unit 1, from its input 1; units and inputs from 0)."""
    return [{"label": _label(net, tensor, i), "value": f"{tensor}[{i}]"}
            for tensor, s in net.layers.items() for i in range(s.stop - s.start)]


def _label(net, tensor: str, i: int) -> str:
    if tensor.endswith(".weight"):
        unit, source = divmod(i, _fan_in(net, tensor))
        return f"{tensor}[{i}] · unit {unit} ← input {source}"
    return f"{tensor}[{i}] · bias of unit {i}"


def default_weight(net) -> str:
    """The first weight of the first layer: it turns the boundary directly."""
    return f"{next(iter(net.layers))}[0]"


def weight_index(net, name) -> int:
    """The vector index of a weight named as ``weight_options`` names it; ValueError saying what is
    wrong otherwise."""
    m = _NAME.match(name) if isinstance(name, str) else None
    if m is None:
        raise ValueError(f"{str(name)[:40]!r} is not a weight name such as '0.weight[3]'")
    tensor, i = m.group(1), int(m.group(2))
    s = net.layers.get(tensor)
    if s is None:
        raise ValueError(f"this network has no {tensor!r}; it has {', '.join(net.layers)}")
    if i >= s.stop - s.start:
        raise ValueError(f"{tensor} has {s.stop - s.start} entries: {tensor}[{i}] is not one of them")
    return int(s.start) + i


# --- the steps the browser plays --------------------------------------------------------------------

def key_steps(last: int, limit: int = KEY_STEPS, frames: Optional[Sequence[int]] = None) -> np.ndarray:
    """Up to ``limit`` steps of 0..last, log-spaced, with 0 and ``last``. With ``frames`` (the steps the
    page animates, if it shows only some), each key step is the frame at or before it."""
    last = int(last)
    if last <= 0:
        return np.zeros(1, dtype=np.int64)
    if last + 1 <= limit:
        steps = np.arange(last + 1)
    else:
        steps = np.zeros(1, dtype=np.int64)
        for n in range(limit - 1, 4 * limit):  # the first steps round to the same integers: ask for more
            more = np.unique(np.concatenate([[0], np.round(np.geomspace(1, last, n))]).astype(np.int64))
            if len(more) > limit:
                break
            steps = more
    if frames is not None:
        frames = np.unique(np.asarray(frames, dtype=np.int64))
        frames = frames[(frames >= 0) & (frames <= last)]
        if len(frames):
            at = np.searchsorted(frames, steps, side="right") - 1
            steps = np.unique(np.concatenate([[0], frames[at[at >= 0]], frames[-1:]]))
    return steps.astype(np.int64)


def key_index(steps: Sequence[int], frame) -> int:
    """The position in ``steps`` of the key step at or before ``frame`` (0 before the first)."""
    try:
        frame = int(frame)
    except (TypeError, ValueError):
        return len(steps) - 1
    return max(0, int(np.searchsorted(np.asarray(steps), frame, side="right")) - 1)


def last_finite(path: np.ndarray) -> int:
    """The last step before the path's first non-finite point (a diverged run holds there)."""
    bad = np.flatnonzero(~np.all(np.isfinite(path), axis=-1))
    return len(path) - 1 if len(bad) == 0 else max(0, int(bad[0]) - 1)


def _held(paths, steps) -> Tuple[np.ndarray, List[int]]:
    """(R, K, d): each run's parameters at each key step (a diverged run's last finite ones)."""
    lasts = [last_finite(p) for p in paths]
    return np.stack([p[np.minimum(steps, last)] for p, last in zip(paths, lasts)]), lasts


# --- the decision boundary --------------------------------------------------------------------------

def input_grid(X: np.ndarray, n: int = GRID) -> Tuple[np.ndarray, np.ndarray]:
    """The axes of the boundary's grid: the data's span with a margin, n points each."""
    axes = []
    for col in X.T:
        lo, hi = float(col.min()), float(col.max())
        pad = MARGIN * ((hi - lo) or 1.0)
        axes.append(np.round(np.linspace(lo - pad, hi + pad, n), 4))
    return axes[0], axes[1]


def quantise(logits: np.ndarray) -> np.ndarray:
    """Logits as int8: clipped to ±CLIP, in steps of CLIP/127 (NaN as 0)."""
    z = np.clip(np.nan_to_num(logits, nan=0.0), -CLIP, CLIP)
    return np.round(z * (LEVELS / CLIP)).astype(np.int8)


def dequantise(q) -> np.ndarray:
    return np.asarray(q, dtype=np.float64) * (CLIP / LEVELS)


def _pack_i1(a: np.ndarray) -> dict:
    a = np.ascontiguousarray(a, dtype=np.int8)
    return {"dtype": "i1", "bdata": base64.b64encode(a.tobytes()).decode("ascii"),
            "shape": ", ".join(str(n) for n in a.shape)}


def unpack_i1(spec: dict) -> np.ndarray:
    """The inverse of the int8 packing, for tests."""
    a = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.int8)
    return a.reshape([int(n) for n in spec["shape"].split(",")])


def _key(*parts) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(p if isinstance(p, bytes) else repr(p).encode())
    return h.hexdigest()[:12]


def boundary_payload(net, held: np.ndarray) -> dict:
    """Each run's quantised logits on the input grid at each key step: z (R, K, GRID, GRID), rows y."""
    gx, gy = input_grid(np.asarray(net.data[0]))
    points = np.stack(np.meshgrid(gx, gy), -1).reshape(-1, 2)
    R, K, d = held.shape
    z = np.empty((R, K, len(gy), len(gx)), dtype=np.int8)
    for r in range(R):  # one run at a time keeps the hidden activations (K, 1681, width) small
        z[r] = quantise(net.logits(held[r], points)).reshape(K, len(gy), len(gx))
    packed = _pack_i1(z)
    return {"key": _key(gx.tobytes(), gy.tobytes(), packed["bdata"]), "x": gx.tolist(), "y": gy.tolist(),
            "clip": CLIP, "levels": LEVELS, "z": packed}


# --- what one weight sees ---------------------------------------------------------------------------

def _bce(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean BCE-with-logits over the last axis, as the network's loss (torch's formula)."""
    return np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z))), axis=-1)


def losses_along(net, point: np.ndarray, index: int, values: np.ndarray) -> np.ndarray:
    """The full-batch loss at ``point`` with parameter ``index`` set to each of ``values``: (W,).

    The same numbers as ``slices.along_weight(net, point, index, values).loss`` (a test checks it to
    1e-12), about 30× faster: moving one weight changes one unit's pre-activation by a multiple of
    one input, so the layers before it are computed once, the next layer's pre-activations change
    by a rank-one term, and only the layers after are computed per value. 8 runs × 40 key steps of
    a (16, 16) network take about 0.2 s this way against 3.6 s through the compiled kernel's full
    forward and backward passes.
    """
    X, y = (np.asarray(a, dtype=np.float64) for a in net.data)
    sizes = (2, *net.hidden, 1)
    act = (lambda a: np.maximum(a, 0.0)) if net.activation == "relu" else fast_tanh
    Ws, bs, at = [], [], 0
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        Ws.append(point[at:at + fan_in * fan_out].reshape(fan_out, fan_in))
        bs.append(point[at + fan_in * fan_out:at + (fan_in + 1) * fan_out])
        at += (fan_in + 1) * fan_out
    layer, unit, source = _locate(sizes, index)
    a = X
    for l in range(layer):  # the layers before the weight's, once
        a = act(a @ Ws[l].T + bs[l])
    z = a @ Ws[layer].T + bs[layer]                                  # (N, fan_out), held
    shift = np.asarray(values, dtype=np.float64) - point[index]       # (W,)
    moved = z[:, unit][None, :] + shift[:, None] * (a[:, source][None, :] if source >= 0 else 1.0)  # (W, N)
    if layer == len(Ws) - 1:
        return _bce(moved, y)
    change = act(moved) - act(z[:, unit])[None, :]                   # (W, N): one unit's output moves
    nxt = layer + 1
    z = act(z) @ Ws[nxt].T + bs[nxt]                                 # (N, next width), held
    a = z[None] + change[..., None] * Ws[nxt][:, unit][None, None, :]  # (W, N, width): a rank-one step
    shape = a.shape[:2]
    a = a.reshape(-1, a.shape[-1])                                   # one 2-D product a layer (BLAS)
    for l in range(nxt + 1, len(Ws)):
        a = act(a) @ Ws[l].T + bs[l]
    return _bce(a[:, 0].reshape(shape), y)


def _locate(sizes, index: int) -> Tuple[int, int, int]:
    """(layer, unit, input or -1 for a bias) of parameter ``index``."""
    at = 0
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if index < at + fan_in * fan_out:
            unit, source = divmod(index - at, fan_in)
            return l, unit, source
        if index < at + (fan_in + 1) * fan_out:
            return l, index - at - fan_in * fan_out, -1
        at += (fan_in + 1) * fan_out
    raise ValueError(f"index {index} is past the network's {at} parameters")


def weight_range(values: np.ndarray) -> Tuple[float, float]:
    """One range of the weight for every key step: the values it takes, widened by half their span
    and by at least 1 on either side, so the curve shows its shape around every held value."""
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, 0.0)
    pad = max(1.0, 0.5 * (hi - lo))
    return lo - pad, hi + pad


def weight_payload(net, held: np.ndarray, name: str, samples: int = WEIGHT_SAMPLES) -> dict:
    """The loss along weight ``name`` at each run's each key step, every other parameter held."""
    index = weight_index(net, name)
    R, K, d = held.shape
    lo, hi = weight_range(held[..., index])
    values = np.linspace(lo, hi, samples)
    flat = held.reshape(-1, d)
    f, G = net.value_and_grad(flat)                       # the held point's own loss and slope
    loss = np.stack([losses_along(net, p, index, values) for p in flat]).reshape(R, K, samples)
    tensor = _NAME.match(name).group(1)
    name = f"{tensor}[{index - net.layers[tensor].start}]"
    parts = {"values": pack(values), "loss": pack(loss), "at": pack(held[..., index], "f8"),
             "loss_at": pack(np.asarray(f).reshape(R, K), "f8"),
             "slope_at": pack(np.asarray(G)[:, index].reshape(R, K), "f8")}
    return {"key": _key(name, *(v["bdata"] for v in parts.values())), "name": name, "index": index,
            "label": _label(net, tensor, index - net.layers[tensor].start), "range": [lo, hi], "half": TANGENT_SHARE * (hi - lo), **parts}


# --- the whole payload ------------------------------------------------------------------------------

def views_payload(net, paths: Sequence[np.ndarray], weight: Optional[str] = None,
                  frames: Optional[Sequence[int]] = None, limit: int = KEY_STEPS) -> dict:
    """The boundary and one weight's view for every run, at the key steps (see the module's doc).

    Args:
      net: a ``landscapes.network(...)``.
      paths: each run's parameters, (steps+1, d) (``traj.params[:, 0]``).
      weight: a name from ``weight_options`` (default ``default_weight(net)``).
      frames: the steps the page animates, if not every one of 0..steps.
    """
    paths = [np.asarray(p, dtype=np.float64) for p in paths]
    if not paths or any(p.ndim != 2 or p.shape[1] != net.dim for p in paths):
        raise ValueError(f"give one or more paths of shape (steps+1, {net.dim})")
    steps = key_steps(max(len(p) for p in paths) - 1, limit, frames)
    held, lasts = _held(paths, steps)
    return {"steps": steps.tolist(), "last": lasts, "boundary": boundary_payload(net, held),
            "weight": weight_payload(net, held, weight or default_weight(net))}


def weight_only(net, paths: Sequence[np.ndarray], steps: Sequence[int], weight: str) -> dict:
    """Just the weight part, for a new choice of weight in the same scene (same key steps)."""
    held, _ = _held([np.asarray(p, dtype=np.float64) for p in paths], np.asarray(steps, dtype=np.int64))
    return weight_payload(net, held, weight)
