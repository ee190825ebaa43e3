"""Engine speed against torch.optim, measured side by side in the same run.

W1 (one redraw): 8 optimizers x 1 start x 1000 steps on Rosenbrock.
    Must: >= 50x faster than torch.optim with autograd, float64, one thread (aim 100x; the user's bar 20x).
W2 (a basin map): Adam from 40 000 starts x 500 steps, history=False.
    Must: >= 3x faster than torch.optim with autograd (aim 5x; the user's bar 2x), peak memory < 200 MB.
W2 against torch's best case: the analytic gradient and Adam(fused=True). Aim >= 2x.
T (issue 15): optimizers.tune, 8 optimizers x 41 lrs x 1000 steps on Rosenbrock, mean_log_loss.
    Must: <= 0.5 s, and >= 3x faster than a loop of optimizers.run calls over the same grid.

Everything single-threaded (numba's kernels are serial; torch.set_num_threads(1)).

    python benchmarks/bench_engine.py            # both, with torch if installed
    python benchmarks/bench_engine.py --quick    # fewer repeats

Prints the date, the machine, each timing (best of several repeats) and the
torch/ours ratio. Peak memory of our W2 is measured with tracemalloc (NumPy
reports its allocations to it), which counts the arrays the run allocates.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import landscapes  # noqa: E402
import optimizers  # noqa: E402

W1_OPTIMIZERS = [("sgd", dict(lr=1e-3)), ("momentum", dict(lr=1e-3)), ("adagrad", dict(lr=0.1)),
                 ("rmsprop", dict(lr=1e-2)), ("adadelta", dict()), ("adam", dict(lr=1e-2)),
                 ("nadam", dict(lr=1e-2)), ("radam", dict(lr=1e-2))]
START = (-1.5, 2.0)


def best_of(fn, repeats, clock=time.perf_counter):
    """The least time of the repeats, by ``clock`` (wall time; ``time.process_time`` for CPU time)."""
    times = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return min(times)


def ours_w1(steps=1000):
    L = landscapes.get("rosenbrock")
    opts = [optimizers.get(name, **kw) for name, kw in W1_OPTIMIZERS]
    return optimizers.run(L, opts, start=START, steps=steps)


def ours_w2(n=40_000, steps=500):
    L = landscapes.get("rosenbrock")
    rng = np.random.default_rng(0)
    starts = np.column_stack([rng.uniform(-2, 2, n), rng.uniform(-1, 3, n)])
    return optimizers.run(L, optimizers.get("adam", lr=1e-2), start=starts, steps=steps, history=False)


def torch_rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def torch_w1(torch, steps=1000):
    family = {"sgd": "SGD", "momentum": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop",
              "adadelta": "Adadelta", "adam": "Adam", "nadam": "NAdam", "radam": "RAdam"}
    for name, kw in W1_OPTIMIZERS:
        if name == "momentum":
            kw = dict(kw, momentum=0.9)
        p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
        opt = getattr(torch.optim, family[name])([p], **kw)
        for _ in range(steps):
            opt.zero_grad()
            loss = torch_rosenbrock(p[0], p[1])
            loss.backward()
            opt.step()


def torch_w2(torch, n=40_000, steps=500):
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.uniform(-2, 2, n), requires_grad=True)
    y = torch.tensor(rng.uniform(-1, 3, n), requires_grad=True)
    opt = torch.optim.Adam([x, y], lr=1e-2)
    for _ in range(steps):
        opt.zero_grad()
        loss = torch_rosenbrock(x, y).sum()
        loss.backward()
        opt.step()


def torch_w2_fused(torch, n=40_000, steps=500):
    """torch at its best on W2: no autograd (Rosenbrock's gradient by hand) and the fused Adam kernel."""
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.uniform(-2, 2, n))
    y = torch.tensor(rng.uniform(-1, 3, n))
    opt = torch.optim.Adam([x, y], lr=1e-2, fused=True)
    for _ in range(steps):
        a = y - x * x
        x.grad = -2.0 * (1.0 - x) - 400.0 * x * a
        y.grad = 200.0 * a
        opt.step()


TUNE_OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "nadam", "radam"]
TUNE_LRS = np.logspace(-4, 0, 41)


def ours_tune(steps=1000):
    L = landscapes.get("rosenbrock")
    return optimizers.tune(L, [optimizers.get(n) for n in TUNE_OPTIMIZERS], lrs=TUNE_LRS, steps=steps,
                           score="mean_log_loss")


def loop_tune(steps=1000):
    """The same grid as one optimizers.run call per optimizer and lr."""
    L = landscapes.get("rosenbrock")
    return [optimizers.run(L, optimizers.get(n, lr=lr), steps=steps) for n in TUNE_OPTIMIZERS for lr in TUNE_LRS]


def peak_mb(fn):
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else 5

    print(f"date: {datetime.date.today().isoformat()}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or platform.platform()}")
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    try:
        import torch
        torch.set_num_threads(1)
        torch.set_default_dtype(torch.float64)
        print(f"torch {torch.__version__} (1 thread, float64)")
    except ImportError:
        torch = None
        print("torch: not installed; ratios skipped (pip install torch==2.13.0)")

    ours_w1()  # warm up imports and caches
    w1 = best_of(ours_w1, repeats)
    print(f"\nW1  8 optimizers x 1 start x 1000 steps, Rosenbrock")
    print(f"    ours : {w1 * 1e3:8.1f} ms")
    if torch is not None:
        t1 = best_of(lambda: torch_w1(torch), max(2, repeats // 2))
        print(f"    torch: {t1 * 1e3:8.1f} ms")
        print(f"    ratio torch/ours: {t1 / w1:.1f}x   (must >= 50x, aim 100x)")

    ours_tune()
    tt = best_of(ours_tune, repeats)
    tl = best_of(loop_tune, 2)
    print(f"\nT   tune: 8 optimizers x 41 lrs x 1000 steps, Rosenbrock, mean_log_loss")
    print(f"    ours : {tt * 1e3:8.1f} ms   (must <= 500 ms)")
    print(f"    loop of run() calls: {tl * 1e3:8.1f} ms   ratio loop/tune: {tl / tt:.1f}x   (must >= 3x)")

    w2 = best_of(ours_w2, max(2, repeats // 2))
    mem = peak_mb(ours_w2)
    print(f"\nW2  Adam x 40 000 starts x 500 steps, history=False")
    print(f"    ours : {w2 * 1e3:8.1f} ms, peak traced memory {mem:.1f} MB (must < 200 MB)")
    if torch is not None:
        t2 = best_of(lambda: torch_w2(torch), 2)
        print(f"    torch (autograd): {t2 * 1e3:8.1f} ms   ratio torch/ours: {t2 / w2:.1f}x   (must >= 3x, aim 5x)")
        try:
            t3 = best_of(lambda: torch_w2_fused(torch), 2)
            print(f"    torch (analytic grad, Adam fused=True): {t3 * 1e3:8.1f} ms   ratio: {t3 / w2:.1f}x   (aim >= 2x)")
        except (RuntimeError, TypeError) as exc:  # a torch build without the fused CPU Adam
            print(f"    torch fused Adam: not available ({exc})")


if __name__ == "__main__":
    main()
