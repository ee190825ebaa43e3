"""Exports for slides, papers and notebooks: the trajectories as CSV, and the graphs' PNG settings.

Pure (no Dash): a scene in, text out. The CSV is the engine's own ``Trajectory.to_frame()`` for
every run, with an ``optimizer`` column in front, and the scene in ``#`` comment lines, among
them the exact notebook call that re-creates every number::

    pandas.read_csv("gradscape-rosenbrock.csv", comment="#")

The GIF lives in ``ui/views/gif.py`` and the scene file in ``ui/model/scene_file.py``.
"""

from __future__ import annotations

import io
from typing import List

from ui.model import scene as S
from ui.model.compute import SceneRun, run_scene
from ui.views import network_export
from ui.model.scene_type import Scene

IMAGE_SCALE = 2  # the modebar's PNG: twice the on-screen size, sharp on a slide


def graph_config(name: str) -> dict:
    """A graph's Plotly config: only the camera button, exporting a 2× PNG named after the view.
    The figures have a white paper, so the image has a clean white background."""
    # plotGlPixelRatio 1: the 3-D view draws a quarter of the pixels of Plotly's default 2 (in
    # software GL, the cost of every 3-D redraw); its PNG export still renders at IMAGE_SCALE.
    return {"displaylogo": False, "responsive": True, "plotGlPixelRatio": 1, "displayModeBar": "hover", "modeBarButtons": [["toImage"]],
            "toImageButtonOptions": {"format": "png", "scale": IMAGE_SCALE, "filename": f"gradscape-{name}"}}


def filename(scene: Scene, extension: str) -> str:
    return f"gradscape-{scene.landscape}.{extension}"


def _call(func: str, *args, **kwargs) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{func}({', '.join(parts)})"


def notebook_lines(runs) -> List[str]:
    """Python that re-creates the runs: one ``optimizers.run`` call each, read off its own
    trajectory (start, steps, noise, seed, tolerance) and the schedule it really followed. Each
    optimizer draws its noise from its own generator, so a run alone gives the numbers it had in
    the scene's one fused call."""
    names, lines = {}, []
    for run in runs:
        if run.schedule is not None and id(run.schedule) not in names:
            names[id(run.schedule)] = f"schedule{len(names) or ''}"
            lines.append(f"{names[id(run.schedule)]} = "
                         + _call("optimizers.schedule", run.schedule.name, **dict(run.schedule.kwargs)))
    lines.append("trajs = []")
    for run in runs:
        traj = run.trajectory
        start = (float(traj.params[0, 0, 0]), float(traj.params[0, 0, 1]))
        schedule = "None" if run.schedule is None else names[id(run.schedule)]
        lines.append(f"trajs.append(optimizers.run(L, {_call('optimizers.get', run.name, **run.hyper)}, "
                     f"start={start!r}, steps={traj.steps!r}, schedule={schedule}, noise={traj.noise!r}, "
                     f"seed={traj.seed!r}, tol={traj.tol!r}))")
    return lines


def header_lines(result: SceneRun) -> List[str]:
    scene, L = result.scene, result.landscape
    ran = [run for run in result.runs if run.trajectory is not None]
    lines = ["Gradscape trajectories: one row per run and step (pandas.read_csv(path, comment='#'))",
             f"scene: ?{S.encode(scene)}",
             f"landscape: {L.name} ({L.title})",
             "re-create every number in a notebook:",
             "  import landscapes, optimizers",
             f"  L = landscapes.get({L.name!r})"]
    lines += ["  " + line for line in notebook_lines(ran)]
    lines += ["  frames = [t.to_frame() for t in trajs]"]
    return network_export.commented(lines, result, lambda hyper: ", ".join(f"{k}={v!r}" for k, v in hyper.items()))


def trajectories_csv(scene: Scene) -> str:
    """Every run of a (valid) scene as CSV text: the scene in comment lines, then the rows."""
    import pandas as pd

    result = run_scene(scene)
    if result.network is not None:  # every parameter of every run, by torch's names
        return network_export.network_csv(result)
    frames = [run.trajectory.to_frame().assign(optimizer=run.name) for run in result.runs
              if run.trajectory is not None]
    if frames:
        table = pd.concat(frames, ignore_index=True)
    else:
        table = pd.DataFrame(columns=["run", "step", "x", "y", "loss", "grad_x", "grad_y", "lr_x", "lr_y",
                                      "optimizer"])
    table = table[["optimizer"] + [c for c in table.columns if c != "optimizer"]]
    out = io.StringIO()
    out.write("\n".join(header_lines(result)) + "\n")
    table.to_csv(out, index=False, lineterminator="\n")  # floats as repr: they read back exactly
    return out.getvalue()
