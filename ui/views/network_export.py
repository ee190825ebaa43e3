"""The CSV export of a network scene: every parameter of every run, named as torch names them.

One row per run and step: ``optimizer, run, step, pc1, pc2`` (the point on the page's plane),
``loss`` (full batch), ``batch_loss`` (the mini-batch the step's gradient came from; empty on the
last point and without mini-batches), then every parameter under its torch name and index,
``0.weight[0] … 0.bias[15] … 2.bias[0]`` (``parameters_to_vector`` order, so a row loads straight
into torch). The ``#`` lines above hold the scene and the notebook calls that re-create every number.
"""

from __future__ import annotations

import io
from typing import List

import numpy as np

from ui.model import scene as S
from ui.model.compute import SceneRun
from ui.model.network_fields import N_SAMPLES, dataset_of, layer_names


def parameter_names(net) -> List[str]:
    """``"0.weight[3]"`` for each coordinate of the network's parameter vector, in its order."""
    names = [""] * net.dim
    for tensor, s in net.layers.items():
        for i, j in enumerate(range(s.start, s.stop)):
            names[j] = f"{tensor}[{i}]"
    return names


def _kwargs(hyper: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in hyper.items() if k != "groups")


def notebook_lines(result: SceneRun) -> List[str]:
    """Python that re-creates the runs: the network, then one ``optimizers.run`` per run."""
    scene, net = result.scene, result.network
    lines = ["import landscapes, optimizers",
             f"L = landscapes.network({dataset_of(scene.landscape)!r}, hidden={tuple(net.hidden)!r}, "
             f"activation={net.activation!r}, n_samples={N_SAMPLES}, seed={int(scene.net_seed or 0)})"]
    if scene.layer_lr:
        spec = {layer: m for layer, m in zip(layer_names(net.hidden), scene.layer_lr)}
        lines.append(f"multipliers = {spec!r}  # each layer's lr = the optimizer's lr × its multiplier")
    for run in result.runs:
        if run.trajectory is None:
            continue
        traj = run.trajectory
        groups = (", groups=L.groups({k: dict(lr=" + repr(run.hyper["lr"]) + " * m) for k, m in multipliers.items()})"
                  if "groups" in run.hyper else "")
        schedule = "None" if run.schedule is None else \
            f"optimizers.schedule({run.schedule.name!r}, **{dict(run.schedule.kwargs)!r})"
        lines.append(f"{run.name} = optimizers.run(L, optimizers.get({run.name!r}, {_kwargs(run.hyper)}{groups}), "
                     f"steps={traj.steps!r}, schedule={schedule}, noise={traj.noise!r}, seed={traj.seed!r}, "
                     f"tol={traj.tol!r}, batch_size={traj.batch_size!r})")
    return lines


def header_lines(result: SceneRun) -> List[str]:
    net = result.network
    dirs = getattr(result.landscape, "directions", None)
    share = "" if dirs is None or dirs.share is None else f"; the plane shows {100 * dirs.share:.1f}% of the movement"
    lines = ["Gradscape network trajectories: one row per run and step (pandas.read_csv(path, comment='#'))",
             f"scene: ?{S.encode(result.scene)}",
             f"network: {net.title}, {net.dim} parameters in torch's parameters_to_vector order{share}",
             "pc1, pc2: each point on the page's plane (PCA of every path, through the start)",
             "re-create every number in a notebook:"]
    lines += ["  " + line for line in notebook_lines(result)]
    return commented(lines, result, _kwargs)


def commented(lines, result: SceneRun, settings) -> list:
    """``lines``, then each run's settings (``settings(run.hyper)``) and state and the scene's notes, as
    the CSV's ``# `` comment lines (the page's CSV of any scene)."""
    lines = list(lines)
    for run in result.runs:
        state = f"not run: {run.error}" if run.trajectory is None else \
            (f"diverged at step {run.diverged_at}" if run.diverged_at >= 0 else "ok")
        lines.append(f"run {run.name} ({run.title}): {settings(run.hyper)}; {state}")
    lines += [f"note: {note}" for note in result.notes]
    return ["# " + line.replace("\n", " ") for line in lines]


def network_csv(result: SceneRun) -> str:
    """The CSV text of a network scene's runs (``result`` from ``run_scene``)."""
    import pandas as pd

    names = parameter_names(result.network)
    frames = []
    for run in result.runs:
        if run.path is None:
            continue
        n = len(run.path)
        batch = np.full(n, np.nan)
        if run.batch_loss is not None:
            batch[:len(run.batch_loss)] = run.batch_loss
        head = pd.DataFrame({"optimizer": run.name, "run": 0, "step": np.arange(n), "pc1": run.params[:, 0],
                             "pc2": run.params[:, 1], "loss": run.loss, "batch_loss": batch})
        frames.append(pd.concat([head, pd.DataFrame(run.path, columns=names)], axis=1))
    columns = ["optimizer", "run", "step", "pc1", "pc2", "loss", "batch_loss", *names]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    out = io.StringIO()
    out.write("\n".join(header_lines(result)) + "\n")
    table.to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()
