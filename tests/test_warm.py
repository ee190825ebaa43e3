"""Compiled kernels come from numba's on-disk cache: a second process compiles nothing.

This is what the Dockerfile relies on: it runs ``python -m optimizers.warm`` while building, with
NUMBA_CACHE_DIR inside the image, so containers and gunicorn workers start warm.
"""

import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _warm(cache_dir):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-m", "optimizers.warm"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    found = re.search(r"(\d+) functions, (\d+) compiled, (\d+) loaded", out.stdout)
    assert found, out.stdout
    return tuple(int(x) for x in found.groups())


def test_a_second_process_loads_every_kernel_from_the_cache(tmp_path):
    functions, compiled, loaded = _warm(tmp_path)
    import optimizers
    families = {optimizers.info(n).module for n in optimizers.names()}
    assert functions >= len(families) + 2 and compiled > 0   # every kernel, and the run loop's bookkeeping
    assert any(tmp_path.rglob("*.nbi")), "nothing was written to NUMBA_CACHE_DIR"
    functions_again, compiled_again, loaded_again = _warm(tmp_path)
    assert compiled_again == 0
    assert loaded_again > 0


def test_the_dockerfile_warms_the_cache_as_the_runtime_user():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert any("NUMBA_CACHE_DIR=/app/numba-cache" in line for line in lines)
    warm = lines.index("RUN python -m optimizers.warm")
    users = [i for i, line in enumerate(lines) if line.startswith("USER ")]
    assert users and users[0] < warm and lines[users[0]] != "USER root"
    assert any("chown 10001 /app/numba-cache" in line for line in lines[:warm])
