"""Loss surfaces, each with its exact gradient: the registry's over two parameters, and
``rosenbrock_nd(d)``/``quadratic_nd(d)`` over any number d, and ``network(...)``, a small MLP
on a 2-D dataset.

    >>> import landscapes
    >>> landscapes.names()[:3]
    ['bowl', 'saddle', 'monkey_saddle']
    >>> float(landscapes.get("rosenbrock").loss([1.0, 1.0]))
    0.0

``from_expression("x**2 - y**2 + 0.1*sin(3*x)")`` makes a surface from a formula, with an
exact gradient and without running the text. Nothing here imports Dash or Plotly: this is
also the notebook API.
"""

from __future__ import annotations

from . import analytic, datasets, slices
from .base import Landscape, compiled, fused
from .nd import quadratic_nd, rosenbrock_nd
from .network import Network, network, network_logits

# Analytic surfaces in teaching order, then the dataset landscapes (real mini-batches).
REGISTRY = {**analytic.REGISTRY, **datasets.REGISTRY}

__all__ = ["Landscape", "Network", "compiled", "from_expression", "fused", "get", "names", "network", "network_logits",
           "quadratic_nd", "rosenbrock_nd"]


def __getattr__(name):
    # from_expression needs sympy (~0.3 s to import): loaded on first use, not with the package.
    if name == "from_expression":
        from .expression import from_expression
        return from_expression
    raise AttributeError(f"module 'landscapes' has no attribute {name!r}")


def names() -> list[str]:
    """The registry's landscape names, in teaching order."""
    return list(REGISTRY)


def get(name: str) -> Landscape:
    """The registered landscape called ``name``; ValueError listing the known names if none is."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown landscape {name!r}; known: {', '.join(REGISTRY)}") from None
