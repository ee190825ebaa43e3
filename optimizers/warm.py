"""Compile every kernel the engine uses into numba's on-disk cache, and report what it did.

    python -m optimizers.warm            # compile (or load) everything; print the time and counts

The Dockerfile runs this while building the image, as the user the container runs as, with
``NUMBA_CACHE_DIR`` pointing into the image: a container then starts warm, and gunicorn's
workers load compiled code instead of each compiling it. ``compiled_dispatchers()`` lists every
compiled function, so a test can check that a second process only loads from the cache.
"""

from __future__ import annotations

import sys
import time
from typing import Dict, List

import numba.core.registry
import numpy as np

import landscapes

from . import registry, runner
from .registry import get, names
from .runner import run
from .schedules import schedule


def compiled_dispatchers() -> List[object]:
    """Every numba dispatcher in the engine and the landscapes: the optimizers' kernels, the run
    loop's bookkeeping and each landscape's compiled value-and-grad."""
    seen: Dict[int, object] = {}
    modules = [runner, *(registry.info(n).module for n in names())]
    modules += [m for m in sys.modules.values()
                if getattr(m, "__name__", "").startswith("landscapes") and m is not None]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, numba.core.registry.CPUDispatcher):
                seen[id(value)] = value
    return list(seen.values())


def warm() -> dict:
    """Run every optimizer on every analytic surface, through both kernel paths, divergence included."""
    surfaces = [landscapes.get(n) for n in landscapes.names()]
    starts = np.array([[0.5, -0.5], [1e5, 1e5]])      # the second run diverges: the freezing path
    with np.errstate(all="ignore"):
        for name in names():
            uniform = get(name, lr=1e-3)
            per_run = get(name, lr=np.array([[1e-3], [2e-3]]))   # the per-element path
            for L in surfaces:
                if "hessian" in uniform.needs and not callable(getattr(L, "hessian", None)):
                    continue
                run(L, [uniform, per_run], start=starts, steps=2)
            if "hessian" in uniform.needs:   # its kernel compiles once for any surface: a bowl's Hessian
                P, G, out = np.zeros(4), np.ones(4), np.empty(4)
                hess = np.tile(np.eye(2).ravel() * 2.0, 2)
                for opt in (uniform, per_run):
                    opt.kernel(P, G, opt.init_state(2, 2), opt.hyper_rows(2, 2), opt.lr_row(2, 2), np.empty(0), 1,
                               2, out, hess)
                if not any(callable(getattr(L, "hessian", None)) for L in surfaces):
                    continue
            first = next(L for L in surfaces if "hessian" not in uniform.needs or callable(getattr(L, "hessian", None)))
            run(first, uniform, start=starts, steps=2, schedule=schedule("cosine", T_max=2))
            if registry.info(name).momentum_param:
                run(first, uniform, start=starts, steps=2, schedule=schedule("onecycle", total_steps=2))
    dispatchers = [d for d in compiled_dispatchers() if d.stats.cache_hits or d.stats.cache_misses]
    return {"functions": len(dispatchers),
            "loaded": sum(sum(d.stats.cache_hits.values()) for d in dispatchers),
            "compiled": sum(sum(d.stats.cache_misses.values()) for d in dispatchers)}


def main() -> None:
    t0 = time.perf_counter()
    counts = warm()
    print(f"numba kernels: {counts['functions']} functions, {counts['compiled']} compiled, "
          f"{counts['loaded']} loaded from the cache, in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
