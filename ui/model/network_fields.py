"""What a network scene's own fields may hold, and the network they build. Pure (no Dash, no Plotly).

A network scene is one of the surface picker's ``net_<dataset>`` entries: an MLP
``landscapes.network(dataset, hidden, activation, n_samples=256, seed=net_seed)``. Its link adds
``hidden=16,16``, ``activation=relu``, ``net_seed=3`` (seeds the data and the initialisation; the
scene's ``seed`` still seeds the mini-batches and noise) and ``layer_lr=0.1,1`` (one learning-rate
multiplier per layer, first layer first: torch's param_groups by layer).

The codec (``ui/model/scene.py``) reads these tables; ``ui/model/network_scene.py`` computes the scene.
"""

from __future__ import annotations

import functools
from typing import Optional, Tuple

import landscapes
from landscapes.network import ACTIVATIONS, DATASETS

PREFIX = "net_"                # the picker's value: net_moons, net_circles, net_spirals, net_xor
NAMES = tuple(PREFIX + d for d in DATASETS)
TITLES = {"moons": "two moons", "circles": "a disc in a ring", "spirals": "two spirals",
          "xor": "XOR quadrants"}
N_SAMPLES = 256
DEFAULT_HIDDEN = (16,)
DEFAULT_ACTIVATION = "tanh"
MAX_LAYERS = 3                 # hidden layers
MAX_WIDTH = 64
MAX_DIM = 600                  # parameters: the slice grid and the runs stay interactive
LAYER_LR_RANGE = (1e-4, 100.0)  # a layer's multiplier of the optimizer's lr


def is_network(name) -> bool:
    return isinstance(name, str) and name in NAMES


def dataset_of(name: str) -> str:
    return name[len(PREFIX):]


def title(name: str) -> str:
    return f"Network: {TITLES.get(dataset_of(name), dataset_of(name))}"


def layer_sizes(hidden) -> tuple:
    return (2, *hidden, 1)


def dim_of(hidden) -> int:
    sizes = layer_sizes(hidden)
    return sum((i + 1) * o for i, o in zip(sizes[:-1], sizes[1:]))


def layer_names(hidden) -> list:
    """The layers as nn.Sequential numbers them: "0", "2", … (the activations take the odd numbers)."""
    return [str(2 * i) for i in range(len(hidden) + 1)]


def parse_hidden(text) -> Tuple[Optional[tuple], Optional[str]]:
    """(widths, None) from text such as "16" or "16,16", else (None, why)."""
    if not isinstance(text, str) or len(text) > 40:
        return None, "is not a list of layer widths such as 16 or 16,16"
    parts = [p.strip() for p in text.split(",")]
    if not parts or not all(p.isdigit() for p in parts):
        return None, "is not a list of layer widths such as 16 or 16,16"
    hidden = tuple(int(p) for p in parts)
    if not 1 <= len(hidden) <= MAX_LAYERS:
        return None, f"has {len(hidden)} hidden layers; 1..{MAX_LAYERS} are allowed"
    if not all(1 <= h <= MAX_WIDTH for h in hidden):
        return None, f"needs every width in 1..{MAX_WIDTH}"
    if dim_of(hidden) > MAX_DIM:
        return None, f"makes {dim_of(hidden)} parameters; at most {MAX_DIM} keep the page interactive"
    return hidden, None


def parse_layer_lr(text, hidden) -> Tuple[Optional[tuple], Optional[str]]:
    """(one multiplier per layer, None) from text such as "0.1,1", else (None, why)."""
    n = len(hidden) + 1
    parts = text.split(",") if isinstance(text, str) and len(text) <= 200 else []
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != n:
        return None, f"needs {n} multipliers, one per layer ({', '.join(layer_names(hidden))})"
    lo, hi = LAYER_LR_RANGE
    if not all(lo <= v <= hi for v in values):
        return None, f"needs every multiplier in {lo:g}..{hi:g}"
    return tuple(float(f"{v:.4g}") for v in values), None


@functools.lru_cache(maxsize=16)
def network(name: str, hidden: tuple = DEFAULT_HIDDEN, activation: str = DEFAULT_ACTIVATION,
            net_seed: int = 0) -> landscapes.Network:
    """The network a picker entry builds (cached: its data and start are fixed by the arguments)."""
    return landscapes.network(dataset_of(name), hidden=tuple(hidden), activation=activation,
                              n_samples=N_SAMPLES, seed=int(net_seed))


__all__ = ["ACTIVATIONS", "NAMES", "is_network", "network", "parse_hidden", "parse_layer_lr"]
