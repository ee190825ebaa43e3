"""Loss surfaces over two parameters, each with its exact gradient.

    >>> import landscapes
    >>> landscapes.names()[:3]
    ['bowl', 'saddle', 'monkey_saddle']
    >>> float(landscapes.get("rosenbrock").loss([1.0, 1.0]))
    0.0

Nothing here imports Dash or Plotly: this is also the notebook API.
"""

from __future__ import annotations

from .analytic import REGISTRY
from .base import Landscape, fused

# --- from_expression: the safe expression parser (not written yet) is exported here. ---
# from .expression import from_expression

__all__ = ["Landscape", "fused", "get", "names"]  # add "from_expression" with the import above


def names() -> list[str]:
    """The registry's landscape names, in teaching order."""
    return list(REGISTRY)


def get(name: str) -> Landscape:
    """The registered landscape called ``name``; ValueError listing the known names if none is."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown landscape {name!r}; known: {', '.join(REGISTRY)}") from None
