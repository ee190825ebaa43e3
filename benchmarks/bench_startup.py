"""What numba's compiling costs: the first ``python app.py`` on a fresh clone, the next one, and the suite.

    python benchmarks/bench_startup.py

It clones this checkout's HEAD into a temporary folder (so no compiled kernel is cached there) and times,
in fresh processes, from the interpreter's start until the app is built AND the default scene has been
computed and drawn (the first recompute: what a student waits for on first open):
- cold: the first time, every kernel the default scene uses is compiled and cached;
- warm: the second time, they load from the cache;
- warm-all: ``python -m optimizers.warm`` in the same clone, cold, which compiles every kernel of every
  optimizer and surface once: what compiling adds to a test suite run on a fresh clone (every later
  test process loads from the cache).
Goals (issue 10): cold <= 20 s, warm <= 3 s.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRST_OPEN = ("import app\n"
              "from ui.views import render\nfrom ui.model import scene as S\n"
              "render.render_scene(S.parse('')[0])\n")


def timed(cmd, cwd) -> float:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - t0


def main() -> None:
    print(f"date: {datetime.date.today().isoformat()}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    with tempfile.TemporaryDirectory() as tmp:
        clone = os.path.join(tmp, "gradscape")
        subprocess.run(["git", "clone", "--quiet", ROOT, clone], check=True)
        cold = timed([sys.executable, "-c", FIRST_OPEN], clone)
        warm = timed([sys.executable, "-c", FIRST_OPEN], clone)
        again = timed([sys.executable, "-c", FIRST_OPEN], clone)
        clone2 = os.path.join(tmp, "gradscape2")
        subprocess.run(["git", "clone", "--quiet", ROOT, clone2], check=True)
        everything = timed([sys.executable, "-m", "optimizers.warm"], clone2)
    print(f"first open, cold (fresh clone): {cold:6.1f} s   (goal <= 20 s)")
    print(f"first open, warm:               {min(warm, again):6.1f} s   (goal <= 3 s)")
    print(f"every kernel, cold (python -m optimizers.warm on a fresh clone): {everything:6.1f} s")


if __name__ == "__main__":
    main()
