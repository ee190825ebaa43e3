"""Gradscape's optimizer engine: torch.optim's update rules as compiled kernels, and its schedules.

    import landscapes, optimizers
    opt = optimizers.get("adam", lr=0.01)
    traj = optimizers.run(landscapes.get("rosenbrock"), opt, start=(-1.5, 2.0), steps=300)

Nothing here imports dash or plotly: this is the notebook API as well as the app's engine.
"""

from ._meta import Control, Inputs
from .maps import BasinMap, StabilityMap, basin_map, stability_map
from .registry import KINDS, Optimizer, OptimizerInfo, get, info, names
from .runner import run
from .schedules import Schedule, ScheduleState, schedule
from .schedules import names as schedule_names
from .trajectory import Trajectory, reference_loss
from .tune import TuneResult, tune

__all__ = ["KINDS", "BasinMap", "Control", "Inputs", "Optimizer", "OptimizerInfo", "Schedule", "ScheduleState", "StabilityMap", "Trajectory", "TuneResult",
           "basin_map", "get", "info", "names", "run", "schedule", "schedule_names", "reference_loss", "stability_map", "tune"]
