"""Which colour each run has: every optimizer keeps its own colour in every scene, lesson and view.

Pure data (optimizer names in, ``#rrggbb`` out), so the model gives each run its colour when it makes
it; ui/views/palette.py holds the drawing colours (the map, the basins) and re-exports these.

An optimizer's colour is keyed by its name, never by its place in the list: its *home* colour is the
entry of ``RUN_COLOURS`` at its place in the registry (``optimizers.names()``), so momentum is the
same orange whether it is chosen first or third. The colours are Okabe–Ito's and Paul Tol's
colour-blind-safe sets without the pale ones (yellow, sand, light grey and light cyan vanish on the
cream map). Twenty-one colours cannot all be told apart at once (CIELAB distance under normal, protan
and deutan vision, as Machado et al. 2009 simulate them: ``difference``), so a scene with two
confusable optimizers moves the later one off its home colour, by the rule ``scene_colours`` states.
The scenes and lessons the page ships keep every home colour, and any 8 optimizers get 8
distinguishable colours (tests/test_palette.py checks both).
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
    """Optimizer name -> colour for one scene. The rule, in full:

    1. The chosen optimizers are taken in registry order. Each keeps its home colour unless that
       colour is too close (``difference`` < ``DISTINCT_DELTA_E``) to the home colour of one taken
       before it that kept its own: of two confusable optimizers, the one earlier in the registry
       keeps its home. ``confusable_pairs()`` lists every such pair.
    2. Those that gave up their homes take, in registry order, colours of ``RUN_COLOURS`` far enough
       from every colour given out: the first that is no chosen optimizer's home and still leaves a
       colour for each one after it (else the first such home of another).

    3. Only if that leaves some run no colour far enough from the others (it happens with 8 runs, in
       about one random choice of 8 in a hundred, never with fewer: tests/test_palette.py) is the
       whole scene coloured by ``_crowded``, which may move an earlier optimizer too.

    So a scene whose optimizers form no confusable pair shows every home colour, and no run's colour
    depends on its place in the list. More than 8 optimizers (not a scene the page makes) keep their
    homes."""
    known = optimizers.names()
    order = sorted(dict.fromkeys(chosen), key=lambda n: (known.index(n) if n in known else len(known), n))
    d = _distances()
    homes = [RUN_COLOURS.index(home_colour(name)) for name in order]
    if len(order) > 8:
        return {name: RUN_COLOURS[k] for name, k in zip(order, homes)}
    given: Dict[str, int] = {}
    for name, k in zip(order, homes):
        if all(d[k, t] >= DISTINCT_DELTA_E for t in given.values()):
            given[name] = k
    movers = [n for n in order if n not in given]

    def place(i: int, taken: List[int]):
        # the first choice for each mover, in order, that leaves a choice for every later one
        if i == len(movers):
            return taken
        far = [k for k in range(len(RUN_COLOURS)) if k not in taken and all(d[k, t] >= DISTINCT_DELTA_E for t in taken)]
        for k in [k for k in far if k not in homes] + [k for k in far if k in homes]:
            found = place(i + 1, taken + [k])
            if found is not None:
                return found
        return None

    picks = place(0, list(given.values()))
    if picks is None:
        return _crowded(order, homes)
    given.update(zip(movers, picks[len(given):]))
    return {name: RUN_COLOURS[given[name]] for name in order}


def _crowded(order: List[str], homes: List[int]) -> Dict[str, str]:
    """Rule 3: runs in registry order, each preferring its home colour and then ``RUN_COLOURS`` in
    order, backing up when a later run would find nothing far enough from those before it."""
    d = _distances()

    def place(i: int, taken: List[int]):
        if i == len(order):
            return taken
        for k in [homes[i]] + [k for k in range(len(RUN_COLOURS)) if k != homes[i]]:
            if k not in taken and all(d[k, t] >= DISTINCT_DELTA_E for t in taken):
                found = place(i + 1, taken + [k])
                if found is not None:
                    return found
        return None

    picks = place(0, []) or homes
    return {name: RUN_COLOURS[k] for name, k in zip(order, picks)}


def confusable_pairs() -> List[tuple]:
    """Every (earlier, later) pair of registered optimizers whose home colours are too close to share
    a scene: with both chosen, the later one leaves its home colour (``scene_colours``, rule 2)."""
    names, d = optimizers.names(), _distances()
    index = [RUN_COLOURS.index(home_colour(n)) for n in names]
    return [(a, b) for i, a in enumerate(names) for j, b in enumerate(names)
            if i < j and d[index[i], index[j]] < DISTINCT_DELTA_E]


def run_colours(chosen: Sequence[str]) -> List[str]:
    """Each chosen optimizer's colour, in the order given (the order does not change them)."""
    colours = scene_colours(chosen)
    return [colours[name] for name in chosen]
