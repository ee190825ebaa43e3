"""The container's own command, outside the container: read from the Dockerfile, started on a free port.

The deployment tests and the load benchmark start gunicorn exactly as the image does (the
Dockerfile's ENTRYPOINT/CMD with its ENV defaults), so neither can drift from the Dockerfile.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import shlex
import subprocess
import tempfile
import time
import urllib.request
from typing import Dict, List, Tuple

from benchmarks.headless import _free_port

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"


def _instructions(text: str) -> List[Tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    out = []
    for line in text.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _command(arguments: str) -> List[str]:
    """An exec-form (JSON array) or shell-form instruction as argv."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return ["/bin/sh", "-c", arguments]


def dockerfile_command(path=DOCKERFILE) -> Tuple[List[str], Dict[str, str]]:
    """(argv, environment) the image runs: ENTRYPOINT + CMD, and every ENV it sets."""
    env, entrypoint, cmd = {}, [], []
    for word, arguments in _instructions(pathlib.Path(path).read_text()):
        if word == "ENV":
            for assignment in shlex.split(arguments):
                key, _, value = assignment.partition("=")
                env[key] = value
        elif word == "ENTRYPOINT":
            entrypoint = _command(arguments)
        elif word == "CMD":
            cmd = _command(arguments)
    return entrypoint + cmd, env


def wait_healthy(url: str, timeout: float = 90.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url}/healthz did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def container_command(**overrides: str):
    """Start the Dockerfile's command in the repository (the image's /app) on a free port;
    yields (base URL, process). ``overrides`` replace ENV values (e.g. GUNICORN_WORKERS="2")."""
    argv, env = dockerfile_command()
    port = _free_port()
    env = {**os.environ, **env, **overrides, "PORT": str(port)}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process=process)
            yield url, process
        except Exception:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:])
            raise
        finally:
            process.terminate()  # gunicorn's graceful stop: SIGTERM to the arbiter
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
