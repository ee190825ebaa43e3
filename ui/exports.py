"""Exports for slides, papers and notebooks: the trajectories as CSV, and the graphs' PNG settings.

Pure (no Dash): a scene in, text out. The CSV is the engine's own ``Trajectory.to_frame()`` for
every run, with an ``optimizer`` column in front, and the scene in ``#`` comment lines, among
them the exact notebook call that re-creates every number::

    pandas.read_csv("gradscape-rosenbrock.csv", comment="#")

The GIF lives in ``ui/gif.py`` and the scene file in ``ui/scene_file.py``.
"""

from __future__ import annotations

import io
from typing import List

from . import scene as S
from .compute import SceneRun, run_scene

IMAGE_SCALE = 2  # the modebar's PNG: twice the on-screen size, sharp on a slide


def graph_config(name: str) -> dict:
    """A graph's Plotly config: only the camera button, exporting a 2× PNG named after the view.
    The figures have a white paper, so the image has a clean white background."""
    return {"displaylogo": False, "responsive": True, "displayModeBar": "hover", "modeBarButtons": [["toImage"]],
            "toImageButtonOptions": {"format": "png", "scale": IMAGE_SCALE, "filename": f"gradscape-{name}"}}


def filename(scene: dict, extension: str) -> str:
    return f"gradscape-{scene['landscape']}.{extension}"


def _call(func: str, *args, **kwargs) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{func}({', '.join(parts)})"


def notebook_call(result: SceneRun) -> str:
    """The one ``optimizers.run`` call that computes the scene's runs (noise draws depend on the
    run order, so it is one call with every optimizer, as the page makes)."""
    scene = result.scene
    opts = [_call("optimizers.get", run.name, **run.hyper) for run in result.runs if run.trajectory is not None]
    schedule = None
    if result.schedule is not None:
        schedule = _call("optimizers.schedule", result.schedule.name, **dict(result.schedule.kwargs))
    first = next((r.trajectory for r in result.runs if r.trajectory is not None), None)
    tol = first.tol if first is not None else None
    return (f"trajs = optimizers.run(landscapes.get({scene['landscape']!r}), [{', '.join(opts)}], "
            f"start=({scene['x0']!r}, {scene['y0']!r}), steps={scene['steps']!r}, schedule={schedule or 'None'}, "
            f"noise={scene['noise']!r}, seed={scene['seed']!r}, tol={tol!r})")


def header_lines(result: SceneRun) -> List[str]:
    scene, L = result.scene, result.landscape
    lines = ["Gradscape trajectories: one row per run and step (pandas.read_csv(path, comment='#'))",
             f"scene: ?{S.encode(scene)}",
             f"landscape: {L.name} ({L.title})",
             "re-create every number in a notebook:",
             "  import landscapes, optimizers",
             "  " + notebook_call(result),
             "  frames = [t.to_frame() for t in trajs]"]
    for run in result.runs:
        settings = ", ".join(f"{k}={v!r}" for k, v in run.hyper.items())
        state = f"not run: {run.error}" if run.trajectory is None else \
            (f"diverged at step {run.diverged_at}" if run.diverged_at >= 0 else "ok")
        lines.append(f"run {run.name} ({run.title}): {settings}; {state}")
    lines += [f"note: {note}" for note in result.notes]
    return ["# " + line.replace("\n", " ") for line in lines]


def trajectories_csv(scene: dict) -> str:
    """Every run of a (valid) scene as CSV text: the scene in comment lines, then the rows."""
    import pandas as pd

    result = run_scene(scene)
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
