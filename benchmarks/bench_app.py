"""Benchmark the app: playback frames per second in headless Chromium, and the recompute
callback's server time and response size. Prints the figures; targets from issue 3:

    playback        >= 30 frames/s with 4 runs
    recompute p50   <= 30 ms server time for the default scene
    response        <= 150 KB for the default scene

Usage: python benchmarks/bench_app.py [--seconds 4] [--repeats 60] [--no-browser]
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks.dash_requests import body_for  # noqa: E402
from ui import create_app  # noqa: E402
from ui.model import scene as S  # noqa: E402
from ui.web import ids  # noqa: E402

FOUR_RUNS = "/?landscape=rosenbrock&opt=sgd,momentum,nesterov,adam&lr=0.001&steps=2000"
MEASURE_JS = """
const seconds = arguments[0], done = arguments[1], g = window.gradscape;
window.dash_clientside.set_props('speed', {value: 6});   // the fastest playback
setTimeout(() => {
    document.getElementById('play').click();
    const t0 = performance.now(), f0 = g.stats.frames, gaps = [];
    let last = t0;
    function tick(t) {
        gaps.push(t - last); last = t;
        if (t - t0 < seconds * 1000 && (g.playing || t - t0 < 500)) { requestAnimationFrame(tick); return; }
        const frames = g.stats.frames - f0, elapsed = (performance.now() - t0) / 1000;
        gaps.sort((a, b) => a - b);
        done({frames: frames, seconds: elapsed, fps: frames / elapsed, speed: g.speed,
              p95_frame_ms: gaps[Math.floor(0.95 * (gaps.length - 1))], step: g.frame});
    }
    requestAnimationFrame(tick);
}, 300);
"""


def measure_playback(seconds: float) -> dict:
    from selenium.webdriver.support.ui import WebDriverWait

    from benchmarks.headless import chrome, serve

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with serve(create_app()) as url, chrome(1280, 720) as driver:
        driver.set_script_timeout(seconds + 30)
        driver.get(url + FOUR_RUNS)
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "const g = window.gradscape, gd = document.querySelector('#contour .js-plotly-plot');"
            "return g && g.runs.length === 4 && gd && gd.layout.meta.key === g.key && gd.__gsFilledFor === gd.data"))
        return driver.execute_async_script(MEASURE_JS, seconds)


def recompute_request(app, drawn: dict) -> dict:
    """The body the page POSTs when the scene store changes (read off the app's callback map)."""
    return body_for(app.callback_map, ids.TRAJECTORIES,
                    {ids.SCENE: {"scene": S.default_scene().to_dict(), "warnings": []}, ids.DRAWN: drawn, ids.LOG_Y: ["log"],
                     ids.LOSS_KIND: []})


def time_request(client, body: dict, repeats: int) -> dict:
    """p50 and p90 server time and the response size of one callback request, after 3 warm-ups."""
    times, size = [], 0
    for _ in range(repeats + 3):
        t0 = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.data[:500]
        size = len(response.data)
    times = sorted(times[3:])
    return {"p50_ms": 1000 * statistics.median(times), "p90_ms": 1000 * times[int(0.9 * (len(times) - 1))],
            "kb": size / 1000}


def measure_recompute(repeats: int) -> dict:
    app = create_app()
    client = app.server.test_client()
    client.get("/")  # first request: Dash sets itself up
    return {label: time_request(client, recompute_request(app, drawn), repeats)
            for label, drawn in (("first open (grid sent)", {}),
                                 ("scene change (grid kept)", {"landscape": "rosenbrock", "runs": 3,
                                                               "contour_traces": 11, "surface_traces": 9}))}


def measure_teach(repeats: int) -> dict:
    """The "Why?" panel's one request per scene change (lazy: only while it is on): the default scene
    with record_state, the inspector's numbers for every step, arrows, slices and the schedule."""
    app = create_app()
    client = app.server.test_client()
    client.get("/")
    body = body_for(app.callback_map, ids.TEACH_DATA,
                    {ids.SCENE: {"scene": S.default_scene().to_dict(), "warnings": []}, ids.TEACH: ["on"],
                     ids.INSPECT_RUN: "adam", ids.SLICE_DIRECTION: "x"})
    return time_request(client, body, repeats)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="playback measured for this long")
    parser.add_argument("--repeats", type=int, default=60, help="recompute requests per case")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless-Chromium playback part")
    args = parser.parse_args(argv)
    print(f"Gradscape app benchmark, {datetime.date.today()}, {platform.node()}: "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    ok = True
    for label, r in measure_recompute(args.repeats).items():
        print(f"recompute, default scene, {label}: p50 {r['p50_ms']:.1f} ms, p90 {r['p90_ms']:.1f} ms, "
              f"response {r['kb']:.1f} KB")
        ok &= r["p50_ms"] <= 30 and r["kb"] <= 150
    r = measure_teach(args.repeats)
    print(f"teach data (\"Why?\" on, sent once per scene), default scene: p50 {r['p50_ms']:.1f} ms, "
          f"response {r['kb']:.1f} KB")
    if not args.no_browser:
        r = measure_playback(args.seconds)
        print(f"playback, 4 runs x 2000 steps, headless Chromium: {r['fps']:.1f} frames/s "
              f"({r['frames']} frames in {r['seconds']:.2f} s, p95 frame {r['p95_frame_ms']:.1f} ms, "
              f"{r['speed']:g} steps/s)")
        ok &= r["fps"] >= 30
    print("targets (>= 30 fps, <= 30 ms p50, <= 150 KB):", "met" if ok else "NOT met")
    print(json.dumps({"ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
