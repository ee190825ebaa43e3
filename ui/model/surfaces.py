"""Which surface a scene shows: a registry landscape, or the user's own formula ("Custom…").

A custom surface is named ``"custom:" + formula`` everywhere in the app (the contour grid's
cache, the figures' uirevision, the "is this the landscape already drawn?" check), so the name
alone rebuilds it on any worker: no server-side state. ``landscapes.from_expression`` parses the
formula without running it; the result is cached per formula, as the grid is per name.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import Optional

import landscapes

from ui.model import network_fields

CUSTOM = "custom"          # the dropdown's value, and the link's landscape=custom
PREFIX = "custom:"         # a custom surface's name: PREFIX + formula
DEFAULT_EXPRESSION = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"  # an egg crate in a bowl: several basins
EXAMPLES = ["x^2 - y^2 + 0.1*sin(3*x)", "(1 - x)^2 + 100*(y - x^2)^2", "x^4 - 2*x^2 + y^2 + 0.3*x",
            "log(1 + x^2 + 10*y^2)", "abs(x) + 3*abs(y)"]


@functools.lru_cache(maxsize=64)
def _custom(formula: str) -> landscapes.Landscape:
    return dataclasses.replace(landscapes.from_expression(formula), name=PREFIX + formula)


NETWORK_PREFIX = "net:"  # a network scene's plane: NETWORK_PREFIX + the scene as JSON (ui/model/network_scene.py)
# The plane's builder, JSON scene -> landscape: ui/model/network_scene.py registers it when imported
# (it runs the scene, and running scenes builds on this module).
PLANES = []


def get(name: str) -> landscapes.Landscape:
    """The landscape called ``name``: a registry name, ``"custom:" + formula``, a network picker
    entry (``net_moons``: the network at its defaults) or a network scene's plane (``"net:" + link``:
    the 2-D slice through its runs, rebuilt from the scene alone).
    ValueError (with the parser's message) for a bad formula or an unknown name."""
    if isinstance(name, str) and name.startswith(PREFIX):
        return _custom(name[len(PREFIX):])
    if isinstance(name, str) and name.startswith(NETWORK_PREFIX):
        if not PLANES:
            raise ValueError("a network's plane needs ui.model.network_scene imported (it registers its builder)")
        return PLANES[0](name[len(NETWORK_PREFIX):])
    if network_fields.is_network(name):
        return network_fields.network(name)
    return landscapes.get(name)


def surface_name(landscape: str, expr: Optional[str] = None) -> str:
    """The name of a picker entry's surface: a registry name, or ``"custom:" + formula``."""
    return PREFIX + (expr or DEFAULT_EXPRESSION) if landscape == CUSTOM else landscape


def name_of(scene) -> str:
    """The name of the surface a Scene shows (a network scene's plane is named by the whole scene)."""
    if scene.is_network:
        return NETWORK_PREFIX + json.dumps(scene.to_dict(), sort_keys=True, separators=(",", ":"))
    return surface_name(scene.landscape, scene.expr)


def of(scene) -> landscapes.Landscape:
    return get(name_of(scene))


def expression_error(formula) -> Optional[str]:
    """Why a formula cannot be drawn, or None if it can."""
    try:
        _custom(formula)
    except ValueError as err:
        return str(err)
    return None


def finite_at(name: str, x: float, y: float) -> bool:
    """Whether the surface and its gradient are finite at (x, y): a run cannot start elsewhere."""
    import numpy as np

    with np.errstate(all="ignore"):
        v, g = get(name).value_and_grad(np.array([x, y], dtype=float))
    return bool(np.isfinite(v) and np.all(np.isfinite(g)))


def is_dataset(name: str) -> bool:
    try:
        return get(name).n_samples > 0
    except ValueError:
        return False
