"""Benchmark the maps (issue 5): each is one vectorised engine call.

    basin map       100 × 100 starts × 500 Adam steps: target < 1 s
    stability map   41 lr × 50 momentum × 300 steps (the app's default grid)
    dataset maps    the app's caps for dataset landscapes (every step averages over 256 samples)

Prints the date, the machine and the best of several repeats.
Usage: python benchmarks/bench_maps.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import landscapes  # noqa: E402
import optimizers  # noqa: E402


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"Gradscape map benchmark, {datetime.date.today()}, {platform.node()}: "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    adam = optimizers.get("adam", lr=0.05)
    results = {}
    for name in ("himmelblau", "rosenbrock"):
        L = landscapes.get(name)
        t, b = best_of(lambda: optimizers.basin_map(L, adam, G=100, steps=500), args.repeats)
        results[f"basin_{name}"] = t
        print(f"basin map, {name}, 100 x 100 starts x 500 Adam steps: {1000 * t:.0f} ms "
              f"(target < 1000 ms) labels {b.counts()}")
    L = landscapes.get("rosenbrock")
    t, _ = best_of(lambda: optimizers.stability_map(L, "momentum", steps=300), args.repeats)
    results["stability_rosenbrock"] = t
    print(f"stability map, rosenbrock, momentum, 41 x 50 settings x 300 steps: {1000 * t:.0f} ms")
    for name in ("linear_regression", "logistic_regression"):
        L = landscapes.get(name)
        t, _ = best_of(lambda: optimizers.basin_map(L, adam, G=50, steps=300), max(1, args.repeats // 2))
        results[f"basin_{name}"] = t
        print(f"basin map, {name}, 50 x 50 starts x 300 Adam steps (full batch of 256): {1000 * t:.0f} ms")
        t, _ = best_of(lambda: optimizers.stability_map(L, "adam", steps=300), max(1, args.repeats // 2))
        results[f"stability_{name}"] = t
        print(f"stability map, {name}, Adam, 41 x 50 settings x 300 steps: {1000 * t:.0f} ms")
    ok = results["basin_himmelblau"] < 1.0 and results["basin_rosenbrock"] < 1.0
    print("target (100 x 100 x 500 Adam basin map < 1 s):", "met" if ok else "NOT met")
    print(json.dumps({"ok": ok, **{k: round(v, 4) for k, v in results.items()}}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
