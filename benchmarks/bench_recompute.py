"""The app's engine work before and after a change, measured side by side in one run.

    python benchmarks/bench_recompute.py                      # this checkout only
    python benchmarks/bench_recompute.py --before /path/to/old/checkout

Two workloads, each in a fresh process per checkout, the checkouts taking turns:
- the default scene's recompute: ``ui.views.render.render_scene`` of the scene an empty link opens
  (three optimizers on Rosenbrock, the figures' data included), best of 30;
- a basin map of 200 x 200 starts x 500 Adam steps on Himmelblau (``optimizers.basin_map``), best of 3.
Each process is warmed first (imports, numba's cache), so the figures are steady-state times.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import landscapes, optimizers
from ui.model import scene as S
from ui.views import render

def best(fn, k):
    fn()
    out = []
    for _ in range(k):
        t0 = time.perf_counter(); fn(); out.append(time.perf_counter() - t0)
    return min(out)

default, _ = S.parse("")
recompute = best(lambda: render.render_scene(default), 30)
L = landscapes.get("himmelblau")
adam = optimizers.get("adam", lr=0.05)
basin = best(lambda: optimizers.basin_map(L, adam, G=200, steps=500), 3)
print(json.dumps({"recompute_ms": recompute * 1e3, "basin_ms": basin * 1e3}))
"""


def measure(tree: str) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", NUMBA_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD, tree], capture_output=True, text=True, env=env, cwd=tree,
                         timeout=900)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="another checkout to measure alternately (e.g. a worktree of main)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    trees = {"this": os.path.dirname(HERE)}
    if args.before:
        trees = {"before": os.path.abspath(args.before), **trees}
    print(f"date: {datetime.date.today().isoformat()}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    results = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            results[name].append(measure(tree))
    for name, rows in results.items():
        rec = min(r["recompute_ms"] for r in rows)
        basin = min(r["basin_ms"] for r in rows)
        print(f"{name:7s} default-scene recompute {rec:7.1f} ms   basin map 200x200x500 {basin:8.1f} ms")


if __name__ == "__main__":
    main()
