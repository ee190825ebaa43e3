"""How fast a typed formula is answered: every hostile or malformed formula of
tests/test_expression.py is refused, and every honest one compiled, well under a second (the
README's promise). Timed here, not in the tests: a test never asserts a wall-clock time.

Usage: python benchmarks/bench_expression.py
"""

from __future__ import annotations

import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import landscapes  # noqa: E402
from test_expression import HONEST, HOSTILE  # noqa: E402

LIMIT_S = 1.0


def main() -> int:
    worst_refusal = worst_compile = 0.0
    for text, _ in HOSTILE:
        t0 = time.perf_counter()
        try:
            landscapes.from_expression(text)
        except ValueError:
            pass
        worst_refusal = max(worst_refusal, time.perf_counter() - t0)
    for text, bounds in HONEST:
        t0 = time.perf_counter()
        landscapes.from_expression(text, bounds=bounds)
        worst_compile = max(worst_compile, time.perf_counter() - t0)
    ok = worst_refusal < LIMIT_S and worst_compile < LIMIT_S
    print(f"{len(HOSTILE)} hostile formulas: slowest refusal {1000 * worst_refusal:.0f} ms; "
          f"{len(HONEST)} honest ones: slowest compile {1000 * worst_compile:.0f} ms (limit {LIMIT_S:g} s): "
          + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
