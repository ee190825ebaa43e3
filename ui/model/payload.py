"""What travels to the browser: compact typed arrays for the trajectory store and the figures.

Numbers go as float32 in base64 (Plotly's typed-array form, ``{"dtype": "f4", "bdata": ...}``):
about 5.3 characters a number against 8 to 20 for JSON text, and exact to 7 digits, which is
more than a screen can show. Values are clipped to ±1e30 first, so nothing becomes inf.
"""

from __future__ import annotations

import base64
import hashlib
import json

import numpy as np

from ui.model.compute import SceneRun
from ui.model.grid import SURFACE_RESOLUTION, inside_count, lifted_heights, surface_grid
from ui.model.scene_type import Scene

LIMIT = 1e30


SPREAD_POINTS = 300  # a repeated or mini-batch series is thinned to about this many points: a faint hint
PATH_POINTS = 500    # a path drawn in the browser is thinned to about this many (assets/animation.js, same rule)


def thin_index(n: int, limit: int = SPREAD_POINTS) -> np.ndarray:
    """Every k-th of n steps and the last, about ``limit`` in all. Idempotent: thinning a thinned
    series keeps it, so the trajectory store can hold it thinned already."""
    stride = max(1, int(np.ceil((n - 1) / limit)))
    idx = np.arange(0, n, stride)
    return idx if idx[-1] == n - 1 else np.append(idx, n - 1)


def pack(values, dtype: str = "f4", nan: float = 0.0) -> dict:
    """A numpy array as Plotly's typed-array spec (2-D arrays keep their shape); ``nan=np.nan``
    keeps NaN: for numbers shown as "—", and for the gaps of a trace marked ``meta.gaps``."""
    a = np.asarray(values, dtype=np.float64)
    a = np.clip(np.nan_to_num(a, nan=nan, posinf=LIMIT, neginf=-LIMIT), -LIMIT, LIMIT)
    a = np.ascontiguousarray(a, dtype=np.float32 if dtype == "f4" else np.float64)
    spec = {"dtype": dtype, "bdata": base64.b64encode(a.tobytes()).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in a.shape)
    return spec


def unpack(spec) -> np.ndarray:
    """The inverse of ``pack`` (also accepts plain lists), for tests and server-side rebuilds."""
    if not isinstance(spec, dict):
        return np.asarray(spec, dtype=np.float64)
    dtype = {"f4": np.float32, "f8": np.float64}[spec["dtype"]]
    a = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=dtype).astype(np.float64)
    if "shape" in spec:
        a = a.reshape([int(n) for n in spec["shape"].split(",")])
    return a


def compact_figure(fig, keep_nan: bool = False):
    """The same figure with every float array packed (ints and short lists are left alone). A
    trace with ``meta = {"gaps": True}`` keeps its NaN: gaps it means to draw."""
    if isinstance(fig, dict):
        keep_nan = keep_nan or (isinstance(fig.get("meta"), dict) and fig["meta"].get("gaps") is True)
        return {k: compact_figure(v, keep_nan) for k, v in fig.items()}
    if isinstance(fig, (list, tuple)):
        return [compact_figure(v, keep_nan) for v in fig]
    if isinstance(fig, np.ndarray):
        if fig.dtype.kind == "f" and fig.size > 4:
            return pack(fig, nan=np.nan if keep_nan else 0.0)
        return [None if v != v else v for v in fig.tolist()] if keep_nan and fig.dtype.kind == "f" else fig.tolist()
    if isinstance(fig, np.generic):
        return fig.item()
    return fig


def scene_key(value) -> str:
    """A short fingerprint of a Scene (or of any JSON value, e.g. its warnings): the browser matches
    store and figures by it."""
    value = value.to_dict() if isinstance(value, Scene) else value
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def trajectories_payload(result: SceneRun, key: str) -> dict:
    """The store's content: per run, x, y, loss and the height that lifts it onto the 3-D surface."""
    L = result.landscape
    grid = surface_grid(L.name, SURFACE_RESOLUTION)
    runs = []
    for run in result.ok_runs:
        inside = max(inside_count(run.params, L.bounds), 1)
        runs.append({"name": run.name, "title": run.title, "colour": run.colour,
                     "x": pack(run.params[:, 0]), "y": pack(run.params[:, 1]), "loss": pack(run.loss),
                     "z": pack(lifted_heights(grid, run.params[:inside], run.loss[:inside])),
                     "inside": inside, "diverged_at": run.diverged_at, "same_as": run.same_as, **_extras(run)})
    start = [float(result.scene.x0), float(result.scene.y0)]
    return {"key": key, "landscape": L.name, "steps": int(result.scene.steps), "start": start, "runs": runs}


def _extras(run) -> dict:
    """The evaluations used to reach each point (where that is not the step), the mini-batch loss
    (the loss curve can show it) and the repeated seeds' loss curves (for redraws of the loss
    curve), when the scene has them."""
    out = {}
    if run.evals_at is not None and not np.array_equal(run.evals_at, np.arange(len(run.evals_at))):
        out["evals"] = pack(run.evals_at)  # a rule with several evaluations per step (L-BFGS)
    if run.batch_loss is not None:
        out["batch_loss"] = pack(run.batch_loss)
    if run.accuracy is not None:  # a network's: the loss curve's right axis
        out["accuracy"], out["accuracy_steps"] = pack(run.accuracy), pack(run.accuracy_steps)
    for key in ("spread_loss", "spread_batch_loss"):
        value = getattr(run, key)
        if value is not None:  # thinned as the loss curve draws them: a few hundred points each
            out[key] = pack(value[:, thin_index(value.shape[1])])
    return out


def runs_from_payload(payload: dict):
    """(x, y, loss) arrays per run back from a store, for server callbacks that only restyle."""
    return [(unpack(r["x"]), unpack(r["y"]), unpack(r["loss"])) for r in payload.get("runs", [])]


def hollow_runs(fig: dict) -> dict:
    """The figure with its moving parts emptied (every trace with a ``meta.role``): the browser
    draws them from the trajectory store, so each path crosses the network once, not four times."""
    data = []
    for trace in fig["data"]:
        if isinstance(trace.get("meta"), dict) and "role" in trace["meta"]:
            trace = {k: ([] if k in ("x", "y", "z", "customdata") else v) for k, v in trace.items()}
        data.append(trace)
    return {**fig, "data": data}
