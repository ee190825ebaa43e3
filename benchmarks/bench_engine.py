"""Engine speed against torch.optim, measured in the same run.

W1 (one redraw): 8 optimizers x 1 start x 1000 steps on Rosenbrock.
    Target: >= 20x faster than torch.optim with autograd, float64, one thread.
W2 (a basin map): Adam from 40 000 starts x 500 steps, history=False.
    Target: >= 2x faster than torch.optim, peak memory under 200 MB.

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


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
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


def numpy_floor_w2(n=40_000, steps=500):
    """The least NumPy work W2 can be: Rosenbrock and Adam hand-fused, in place, on coordinate-major
    buffers, with no allocation, no generality and no divergence or convergence bookkeeping beyond
    the cheapest checks. Not the engine: it bounds what any NumPy engine with torch's rounding order
    (one rounding per ufunc pass; NumPy has no fused lerp/addcmul/addcdiv) can reach on this machine."""
    rng = np.random.default_rng(0)
    Q = np.empty((2, n))
    Q[0], Q[1] = rng.uniform(-2, 2, n), rng.uniform(-1, 3, n)
    m, v, G, t1, t2 = (np.zeros((2, n)) for _ in range(5))
    a, b, f = np.empty(n), np.empty(n), np.empty(n)
    beta1, beta2, lr, eps = 0.9, 0.999, 1e-2, 1e-8
    with np.errstate(all="ignore"):
        for step in range(1, steps + 1):
            x, y = Q[0], Q[1]
            np.multiply(x, x, out=a)
            np.subtract(y, a, out=a)                                   # a = y - x^2
            np.subtract(1.0, x, out=b)                                 # b = 1 - x
            np.multiply(b, b, out=f)
            np.multiply(a, a, out=G[1])
            G[1] *= 100.0
            f += G[1]                                                  # f = b^2 + 100 a^2
            np.multiply(b, -2.0, out=G[0])
            np.multiply(x, 400.0, out=b)
            b *= a
            G[0] -= b                                                  # df/dx
            np.multiply(a, 200.0, out=G[1])                            # df/dy
            assert Q.max() <= 1e6 and Q.min() >= -1e6 and np.isfinite(f.sum())
            np.multiply(G[0], G[0], out=a)
            np.multiply(G[1], G[1], out=b)
            a += b
            (a < 1e-12).any()
            np.subtract(G, m, out=t1)
            t1 *= 1 - beta1
            m += t1                                                    # lerp
            v *= beta2
            np.multiply(G, 1 - beta2, out=t1)
            t1 *= G
            v += t1                                                    # mul_ + addcmul_
            np.sqrt(v, out=t1)
            t1 /= (1 - beta2 ** step) ** 0.5
            t1 += eps
            np.multiply(m, -lr / (1 - beta1 ** step), out=t2)
            t2 /= t1
            Q += t2                                                    # addcdiv_
    return Q


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
        print(f"    ratio torch/ours: {t1 / w1:.1f}x   (target >= 20x)")

    w2 = best_of(ours_w2, max(2, repeats // 2))
    mem = peak_mb(ours_w2)
    print(f"\nW2  Adam x 40 000 starts x 500 steps, history=False")
    print(f"    ours : {w2 * 1e3:8.1f} ms, peak traced memory {mem:.1f} MB (target < 200 MB)")
    floor = best_of(numpy_floor_w2, max(2, repeats // 2))
    print(f"    NumPy floor (hand-fused, in place, no bookkeeping): {floor * 1e3:8.1f} ms")
    if torch is not None:
        t2 = best_of(lambda: torch_w2(torch), 2)
        print(f"    torch: {t2 * 1e3:8.1f} ms")
        print(f"    ratio torch/ours: {t2 / w2:.1f}x   (target >= 2x); torch/floor: {t2 / floor:.1f}x")


if __name__ == "__main__":
    main()
