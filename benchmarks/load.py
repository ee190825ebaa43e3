"""Load: a whole class changing scenes at once, against the container's gunicorn.

Starts the Dockerfile's own command (``gunicorn app:server``, 2 workers by default) on a free
port, then runs N simulated students for a while. Each student keeps one HTTP connection, as a
browser does, and in a loop makes a realistic scene change (a new learning rate, momentum, start,
step count or schedule; an optimizer ticked or unticked; now and then another surface), waits for
the recompute callback's answer like the page does, and thinks for a moment. Prints throughput,
latency percentiles and errors, then stops gunicorn. Target (issue 6): p95 <= 500 ms, 0 errors,
for 50 students over 60 s with 2 workers.

Usage: python benchmarks/load.py [--users 50] [--seconds 60] [--workers 2] [--think 1.0] [--url URL]
(--url measures a server that is already running instead of starting one.)
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import sys
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import landscapes  # noqa: E402
import optimizers  # noqa: E402
from benchmarks.dash_requests import DISPATCH, body_for, scene_values  # noqa: E402
from benchmarks.gunicorn_server import container_command  # noqa: E402
from ui import create_app  # noqa: E402
from ui.model import scene as S  # noqa: E402
from ui.web import ids  # noqa: E402

P95_TARGET_MS = 500
# The answer's `drawn` store, read without parsing the whole answer (the client shares the machine).
def recompute_payload(callbacks, scene: dict, drawn: dict) -> bytes:
    """The body the page posts when a student changes the scene (the recompute callback)."""
    return json.dumps(body_for(callbacks, ids.TRAJECTORIES,
                               scene_values(scene, **{ids.DRAWN: drawn, ids.LOG_Y: ["log"]}))).encode()


def drawn_of(data: bytes):
    """The drawn store the answer sets (what the graphs now hold), or None if the answer has none."""
    try:
        drawn = json.loads(data)["response"][ids.DRAWN]["data"]
    except (ValueError, KeyError, TypeError):
        return None
    return drawn if isinstance(drawn, dict) and drawn.get("landscape") else None
CLASSROOM = ["rosenbrock", "himmelblau", "beale", "saddle", "bowl", "rastrigin"]


def scene_change(scene: dict, rng: random.Random) -> dict:
    """One thing a student changes, as the controls would (then checked by the codec)."""
    raw = scene.to_dict()
    move = rng.choices(["lr", "momentum", "start", "steps", "optimizer", "schedule", "landscape"],
                       weights=[30, 15, 20, 10, 12, 8, 5])[0]
    if move == "lr":
        raw["lr"] = 10 ** rng.uniform(-4, 0)
    elif move == "momentum":
        raw["momentum"] = rng.uniform(0, 0.99)
    elif move == "start":
        (xmin, xmax), (ymin, ymax) = landscapes.get(raw["landscape"]).bounds
        raw["x0"], raw["y0"] = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
    elif move == "steps":
        raw["steps"] = rng.choice([100, 200, 300, 500, 1000])
    elif move == "optimizer":
        chosen = list(raw["optimizers"])
        name = rng.choice(optimizers.names())
        if name in chosen and len(chosen) > 1:
            chosen.remove(name)
        elif name not in chosen and len(chosen) < 4:
            chosen.append(name)
        raw["optimizers"] = chosen
    elif move == "schedule":
        raw["schedule"], raw["schedule_param"] = rng.choice(["constant", "cosine", "step", "exponential"]), None
    else:
        names = [n for n in CLASSROOM if n in landscapes.names()] or landscapes.names()
        raw["landscape"] = rng.choice(names)
        raw["x0"], raw["y0"] = S.default_start(raw["landscape"])
    return S.normalize(raw)[0]


class Student(threading.Thread):
    def __init__(self, index, url, callbacks, stop_at, think, results):
        super().__init__(daemon=True)
        self.rng = random.Random(index)
        self.url, self.callbacks, self.stop_at, self.think, self.results = url, callbacks, stop_at, think, results
        self.scene = S.default_scene()
        self.drawn = {}

    def connect(self):
        parts = urllib.parse.urlsplit(self.url)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def request(self, connection, payload: bytes):
        connection.request("POST", DISPATCH, body=payload, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()

    def post(self, payload: bytes):
        """One request on the kept connection. If the server had already closed it (gunicorn ends
        idle keep-alive connections after 2 s), send it again on a new one, as browsers do."""
        try:
            return self.request(self.connection, payload)
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            self.connection.close()
            self.connection = self.connect()
            return self.request(self.connection, payload)

    def run(self):
        self.connection = self.connect()
        time.sleep(self.rng.uniform(0, self.think))  # students do not all click at the same instant
        while time.monotonic() < self.stop_at:
            self.scene = scene_change(self.scene, self.rng)
            payload = recompute_payload(self.callbacks, self.scene, self.drawn)
            t0 = time.perf_counter()
            try:
                status, data = self.post(payload)
                drawn = drawn_of(data) if status == 200 else None
                if drawn:  # what the graphs now hold, sent back with the next change as the page does
                    self.drawn = drawn
                # A change that leaves the scene as it was is answered with the gate's ticket alone.
                answered = drawn or status == 200 and f'"{ids.SERVED}"'.encode() in data
                error = None if answered else f"HTTP {status}" + ("" if status != 200 else ": no drawn store")
            except (OSError, http.client.HTTPException) as err:
                error = f"{type(err).__name__}: {err}"
                self.connection.close()
                self.connection = self.connect()
            self.results.append((t0, time.perf_counter() - t0, error))
            if self.think > 0:
                time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))
        self.connection.close()


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(round(q * (len(sorted_values) - 1))))]


def run_load(url: str, users: int, seconds: float, think: float) -> dict:
    callbacks = create_app().callback_map  # the same code the server runs: the same callback keys
    results = []
    # Warm-up: every worker builds its grids and Dash sets itself up.
    warm = [Student(10_000 + i, url, callbacks, time.monotonic() + 3, 0.0, []) for i in range(4)]
    for s in warm:
        s.start()
    for s in warm:
        s.join()
    load_before = os.getloadavg()
    start = time.monotonic()
    students = [Student(i, url, callbacks, start + seconds, think, results) for i in range(users)]
    for s in students:
        s.start()
    for s in students:
        s.join(timeout=seconds + 120)
    elapsed = time.monotonic() - start
    latencies = sorted(1000 * dt for _, dt, _ in results)
    errors = [e for _, _, e in results if e]
    return {"users": users, "seconds": round(elapsed, 1), "think_s": think, "requests": len(results),
            "throughput_rps": round(len(results) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50), 1), "p95_ms": round(percentile(latencies, 0.95), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1), "max_ms": round(latencies[-1], 1) if latencies else None,
            "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
            "loadavg_before": [round(v, 2) for v in load_before], "loadavg_after": [round(v, 2) for v in os.getloadavg()]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (GUNICORN_WORKERS)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: the Dockerfile's)")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a student watches the result before the next change (0: as fast as "
                             "answers come, which measures the server's capacity)")
    parser.add_argument("--url", default=None, help="measure this running server instead of starting gunicorn")
    args = parser.parse_args(argv)
    print(f"Gradscape load benchmark, {datetime.date.today()}, {platform.node()}: "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} before start")
    if args.url:
        report = run_load(args.url.rstrip("/"), args.users, args.seconds, args.think)
        report["server"] = args.url
    else:
        overrides = {"GUNICORN_WORKERS": str(args.workers)}
        if args.threads:
            overrides["GUNICORN_THREADS"] = str(args.threads)
        with container_command(**overrides) as (url, _):
            report = run_load(url, args.users, args.seconds, args.think)
        report["server"] = f"the Dockerfile's gunicorn command, {args.workers} workers" + \
            (f", {args.threads} threads" if args.threads else "")
    print(f"{report['users']} students for {report['seconds']} s ({report['server']}, think time ~{args.think:g} s): "
          f"{report['requests']} recomputes, {report['throughput_rps']} per second; latency p50 {report['p50_ms']} ms, "
          f"p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms; errors {report['errors']}")
    ok = report["errors"] == 0 and report["p95_ms"] <= P95_TARGET_MS
    print(f"target (p95 <= {P95_TARGET_MS} ms, 0 errors):", "met" if ok else "NOT met")
    print(json.dumps(report))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
