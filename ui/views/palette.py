"""Colours: each optimizer keeps its own colour in every scene, lesson and view.

An optimizer's colour is keyed by its name, never by its place in the list: its *home* colour is the
entry of ``RUN_COLOURS`` at its place in the registry (``optimizers.names()``), so momentum is the
same orange whether it is chosen first or third. The colours are Okabe–Ito's and Paul Tol's
colour-blind-safe sets without the pale ones (yellow, sand, light grey and light cyan vanish on the
cream map). Twenty-one colours cannot all be told apart at once, so a scene checks its choice:
runs are taken in registry order, and a run whose home colour is too close to one already taken
(``difference``: the CIELAB distance under normal, protan and deutan vision, as Machado et al. 2009
simulate them) takes the first colour of ``RUN_COLOURS`` that is far from all of them. The scenes and
lessons the page ships keep every home colour (a test checks this), and any 8 optimizers get 8
distinguishable colours (a test tries thousands of choices).
"""

from __future__ import annotations

import functools
from typing import Dict, List, Sequence

import numpy as np
import optimizers

# In registry order (gd, sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw, ...). The
# eight met most often (the first six, Adam and AdamW) are chosen to differ by ΔE ≥ 23 from each other
# for every vision simulated below; SGD, momentum and Adam keep Okabe–Ito's blue, orange and green.
RUN_COLOURS = [
    "#000000",  # black
    "#0072B2",  # blue (Okabe–Ito)
    "#E69F00",  # orange (Okabe–Ito)
    "#332288",  # indigo (Tol muted)
    "#CC3311",  # red (Tol vibrant)
    "#56B4E9",  # sky blue (Okabe–Ito)
    "#CC79A7",  # reddish purple (Okabe–Ito)
    "#009E73",  # bluish green (Okabe–Ito)
    "#882255",  # wine (Tol muted)
    "#999933",  # olive (Tol muted)
    "#EE3377",  # magenta (Tol vibrant)
    "#8C510A",  # brown
    "#009988",  # teal (Tol vibrant)
    "#555555",  # dark grey
    "#CC6677",  # rose (Tol muted)
    "#AA3377",  # purple (Tol bright)
    "#4477AA",  # blue (Tol bright)
    "#EE7733",  # orange (Tol vibrant)
    "#117733",  # green (Tol muted)
    "#D55E00",  # vermillion (Okabe–Ito)
    "#AA4499",  # purple (Tol muted)
]

# Two colours are told apart when they differ by at least this CIELAB ΔE under every simulated
# vision; orange and vermillion (18.3 for a deuteranope) fall below it, so one scene never has both.
DISTINCT_DELTA_E = 19.0
# A path must stand out on the lightest part of the map: at least this much darker (ΔL*).
MIN_LIGHTNESS_GAP = 25.0  # yellow #F0E442 is 10, orange 29

# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
_VISION = {
    "normal": np.eye(3),
    "protan": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                        [-0.003882, -0.048116, 1.051998]]),
    "deutan": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                        [-0.011820, 0.042940, 0.968881]]),
}
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])


def _linear(colour: str) -> np.ndarray:
    c = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(colour: str, vision: str = "normal") -> np.ndarray:
    """CIELAB (D65) of a ``#rrggbb`` colour as someone with ``vision`` sees it."""
    xyz = _XYZ @ np.clip(_VISION[vision] @ _linear(colour), 0.0, 1.0) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def difference(a: str, b: str) -> float:
    """The smallest CIELAB ΔE between two colours over normal, protan and deutan vision."""
    return float(min(np.linalg.norm(lab(a, v) - lab(b, v)) for v in _VISION))


@functools.lru_cache(maxsize=1)
def _distances() -> np.ndarray:
    n = len(RUN_COLOURS)
    return np.array([[difference(RUN_COLOURS[i], RUN_COLOURS[j]) for j in range(n)] for i in range(n)])


def home_colour(name: str) -> str:
    """The colour an optimizer has whenever no run in its scene is too close to it."""
    names = optimizers.names()
    index = names.index(name) if name in names else len(names)
    return RUN_COLOURS[index % len(RUN_COLOURS)]


def scene_colours(chosen: Sequence[str]) -> Dict[str, str]:
    """Optimizer name -> colour for one scene: home colours, unless two would be confused.

    Runs are taken in registry order, each preferring its home colour and then ``RUN_COLOURS`` in
    order; when a run finds nothing far enough from the ones before it, the search backs up (a
    scene has at most 8 runs, so this is quick). Past what the palette can tell apart, the home colours."""
    known = optimizers.names()
    order = sorted(dict.fromkeys(chosen), key=lambda n: (known.index(n) if n in known else len(known), n))
    d = _distances()
    homes = [RUN_COLOURS.index(home_colour(name)) for name in order]

    def place(i: int, taken: list):
        if i == len(order):
            return taken
        for k in [homes[i]] + [k for k in range(len(RUN_COLOURS)) if k != homes[i]]:
            if k not in taken and all(d[k, t] >= DISTINCT_DELTA_E for t in taken):
                found = place(i + 1, taken + [k])
                if found is not None:
                    return found
        return None

    picks = place(0, []) if len(order) <= 8 else None
    return dict(zip(order, (RUN_COLOURS[k] for k in (picks if picks is not None else homes))))


def run_colours(chosen: Sequence[str]) -> List[str]:
    """Each chosen optimizer's colour, in the order given (the order does not change them)."""
    colours = scene_colours(chosen)
    return [colours[name] for name in chosen]


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
