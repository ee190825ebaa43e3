"""Colours: one per run, the same in every view, from the Okabe–Ito colour-blind-safe palette.

Runs take colours in the order they are selected, so a shared link shows the same colours. The
order puts the colours that read best on the light contour map first; yellow, the weakest on a
light background, comes last.
"""

from __future__ import annotations

from typing import List

OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
]

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


def run_colours(n: int) -> List[str]:
    """Colours for n runs; a scene holds at most 8, so they never repeat."""
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]


# Basin maps: pale tones (Paul Tol's colour-blind-safe "light" scheme) under the saturated paths,
# one per known minimum; grey for runs still moving, lilac for settling elsewhere, dark for diverged.
BASIN_MINIMA = ["#77AADD", "#EE8866", "#EEDD88", "#44BB99", "#FFAABB", "#99DDFF", "#BBCC33", "#AAAA00"]
BASIN_ELSEWHERE = "#C9A6D9"
BASIN_NOT_CONVERGED = "#DDDDDD"
BASIN_DIVERGED = "#4A4A4A"
BASIN_STEPS_SCALE = [[0.0, "#FDE8C9"], [0.5, "#EE8866"], [1.0, "#7A3B69"]]   # few steps pale, many dark
STABILITY_SCALE = [[0.0, "#1B6B93"], [0.35, "#77AADD"], [0.7, "#EEDD88"], [1.0, "#FFF6E0"]]  # low loss dark blue
STABILITY_DIVERGED = "#B2182B"
