"""The drawing colours: the runs' (keyed by the optimizer, chosen in ui/model/optimizer_colours.py and
re-exported here), the map's, the basins' and the stability map's.

Each optimizer keeps its own colour in every scene, lesson and view; ``optimizer_colours.scene_colours``
states the whole rule, including the one case where a colour moves (two confusable optimizers in one
scene: the later in the registry takes another).
"""

from __future__ import annotations

from ui.model.optimizer_colours import (  # noqa: F401  (re-exported: the views read the runs' colours here)
    DISTINCT_DELTA_E, MIN_LIGHTNESS_GAP, RUN_COLOURS, confusable_pairs, difference, home_colour, lab,
    run_colours, scene_colours)

# Identical paths: a run that follows an earlier one exactly is drawn dashed over it, so both show.
SAME_PATH_DASH = "dash"
SAME_PATH_DASHARRAY = "7 5"


# The surface is coloured by (log) loss on a quiet scale, so the paths in saturated colours stand
# out: low loss is pale, high loss a muted slate blue.
SURFACE_SCALE = [
    [0.0, "#fffdf4"],
    [0.3, "#eef0ea"],
    [0.65, "#cfd8e0"],
    [1.0, "#9aabbd"],
]
CONTOUR_LINE = "rgba(50, 62, 78, 0.30)"
MINIMUM = "#ffffff"
INK = "#1f2933"        # text and outlines
GRID = "#d9dee4"


# Basin maps: pale tones (Paul Tol's colour-blind-safe "light" scheme) under the saturated paths,
# one per known minimum; grey for runs still moving, lilac for settling elsewhere, dark for diverged.
BASIN_MINIMA = ["#77AADD", "#EE8866", "#EEDD88", "#44BB99", "#FFAABB", "#99DDFF", "#BBCC33", "#AAAA00"]
BASIN_ELSEWHERE = "#C9A6D9"
BASIN_NOT_CONVERGED = "#DDDDDD"
BASIN_DIVERGED = "#4A4A4A"
BASIN_STEPS_SCALE = [[0.0, "#FDE8C9"], [0.5, "#EE8866"], [1.0, "#7A3B69"]]   # few steps pale, many dark
STABILITY_SCALE = [[0.0, "#1B6B93"], [0.35, "#77AADD"], [0.7, "#EEDD88"], [1.0, "#FFF6E0"]]  # low loss dark blue
STABILITY_DIVERGED = "#B2182B"
