"""Network-scene speed (issue 14): a race on a real network, and a slice through it.

N1: 8 optimizers x 300 steps on an MLP 2-16-16-1 (d = 337) on moons (256 samples), batch 32.
    Goal: <= 150 ms. Each step evaluates, for all 8 networks, the full-batch loss (traj.loss) and
    the mini-batch's loss and gradient in one forward pass over the full batch, with the last
    layer's full-batch gradient (a lower bound that settles the convergence test; the whole
    backward pass runs only where it is below tol).
N2: a 41 x 41 slice grid through the same network (1681 networks, full batch, loss only).
    Goal: <= 0.5 s.

N3: the page's whole network-scene recompute (ui/model/network_scene.py, ui/views/render.py) for the
    same 8 optimizers x 300 steps, d = 337, batch 32: the runs with accuracy and the PCA plane, the
    plane's 41 x 41 grid, and the figures and store payload, each timed apart. Goals: <= 150 ms for the
    runs, <= 0.5 s for the grid.

Also printed: what one step's landscape calls cost (full batch and mini-batch), for tanh and relu.

    python benchmarks/bench_network.py [--repeats 5]

Prints the date, the machine and each timing, best of the repeats, after one warm-up run (numba
compiles on first use, or loads its on-disk cache).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from benchmarks.bench_engine import best_of  # noqa: E402
from landscapes.slices import random_directions, slice_grid  # noqa: E402

OPTIMIZERS = [("sgd", dict(lr=0.1)), ("momentum", dict(lr=0.05)), ("nesterov", dict(lr=0.05)),
              ("adagrad", dict(lr=0.05)), ("rmsprop", dict(lr=1e-3)), ("adam", dict(lr=1e-2)),
              ("adamw", dict(lr=1e-2)), ("nadam", dict(lr=1e-2))]
HIDDEN, STEPS, BATCH, GRID = (16, 16), 300, 32, 41


def warm_best_of(fn, repeats):
    fn()  # warm-up: compile or load numba's cache
    return best_of(fn, repeats)


def cpu_best_of(fn, repeats):
    """The least CPU time (time.process_time) of the repeats: what other work on the machine
    inflates least."""
    return best_of(fn, repeats, clock=time.process_time)


def race(L):
    opts = [optimizers.get(name, **kw) for name, kw in OPTIMIZERS]
    return optimizers.run(L, opts, steps=STEPS, batch_size=BATCH)


def grid(L):
    dirs = random_directions(L, seed=0)
    axis = np.linspace(-1.0, 1.0, GRID)
    return slice_grid(L, dirs.centre, dirs.d1, dirs.d2, axis, axis)


PAGE_LINK = ("landscape=net_moons&opt=" + ",".join(name for name, _ in OPTIMIZERS)
             + "&lr=0.01&steps=300&batch=32&hidden=16,16&activation=tanh")


def page_scene(repeats):
    """(runs, grid, figures) seconds of the page's recompute of PAGE_LINK, best of the repeats,
    every cache emptied first (a new scene)."""
    from ui.model import grid as G
    from ui.model import network_scene as NS
    from ui.model import scene as S
    from ui.model import surfaces
    from ui.views.render import render_scene

    scene = S.parse(PAGE_LINK)[0]

    def runs():
        NS._compute.cache_clear()
        return NS.run_network_scene(scene)

    def plane_grid():
        G.surface_grid.cache_clear()
        return G.surface_grid(surfaces.name_of(scene), G.CONTOUR_RESOLUTION)

    def figures():
        return render_scene(scene)  # runs and grid cached: the figures and the store's payload

    runs_s = warm_best_of(runs, repeats)
    grid_s = warm_best_of(plane_grid, repeats)
    figures_s = warm_best_of(figures, repeats)
    return runs_s, grid_s, figures_s


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"date: {datetime.datetime.now().isoformat(timespec='seconds')}")
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores, "
          f"{platform.system()} {platform.release()}, Python {platform.python_version()}, NumPy {np.__version__}")
    if hasattr(os, "getloadavg"):
        print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f}")
    for activation in ("tanh", "relu"):
        L = landscapes.network("moons", HIDDEN, activation)
        n = len(OPTIMIZERS)
        P = np.tile(L.start, (n, 1))
        f, G = np.empty(n), np.empty((n, L.dim))
        idx = np.broadcast_to(np.arange(BATCH), (n, BATCH))
        full = warm_best_of(lambda: L.compiled_value_and_grad(P, f, G), args.repeats * 20)
        batch = warm_best_of(lambda: L.batch_value_and_grad(P, idx), args.repeats * 20)
        fb, Gb, G1 = np.empty(n), np.empty((n, L.dim)), np.empty((n, L.dim))
        fused = warm_best_of(lambda: L.compiled_minibatch_step(P, idx[0], f, G1, fb, Gb), args.repeats * 20)
        n1 = warm_best_of(lambda: race(L), args.repeats)
        n1_cpu = cpu_best_of(lambda: race(L), args.repeats)
        n2 = warm_best_of(lambda: grid(L), args.repeats)
        print(f"\n{L.title}, d = {L.dim}")
        print(f"  one step's full batch (8 networks x 256 samples, loss + gradient): {full * 1e3:7.3f} ms")
        print(f"  one step's mini-batch (8 networks x {BATCH} samples, loss + gradient): {batch * 1e3:7.3f} ms")
        print(f"  what the run loop does instead, one pass (the full batch's loss and last layer, "
              f"the mini-batch's loss and gradient): {fused * 1e3:7.3f} ms")
        print(f"  N1 8 optimizers x {STEPS} steps, batch {BATCH}: {n1 * 1e3:7.1f} ms   (goal <= 150 ms; CPU time {n1_cpu * 1e3:.1f} ms)")
        print(f"  N2 {GRID} x {GRID} slice grid:                 {n2 * 1e3:7.1f} ms   (goal <= 500 ms)")
    runs_s, grid_s, figures_s = page_scene(args.repeats)
    print(f"\nN3 the page's network scene ({PAGE_LINK}):")
    print(f"  runs + accuracy + PCA plane + projections: {runs_s * 1e3:7.1f} ms   (goal <= 150 ms)")
    print(f"  the plane's {GRID} x {GRID} grid:                 {grid_s * 1e3:7.1f} ms   (goal <= 500 ms)")
    print(f"  figures + store payload (cached runs, grid): {figures_s * 1e3:7.1f} ms")
    print(f"  whole recompute:                            {(runs_s + grid_s + figures_s) * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
