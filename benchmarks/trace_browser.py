"""Chromium's own trace of the page in headless mode: where the renderer's main thread goes.

Opens Gradscape in headless Chromium with tracing on (chromedriver's performance log, categories
``devtools.timeline`` and friends, the same events as the DevTools Performance panel), runs one
scenario, and prints the renderer main thread's time by event (scripting, style, layout, paint,
GPU) and the longest tasks.

Scenarios: ``open`` (the page until its paths are drawn), ``notch`` (one lr keyboard notch),
``drag`` (two seconds of dragging the lr slider with real mouse events), ``play`` (playback of 8
runs x 2000 steps at 80 steps/s). ``--trace out.json`` keeps the raw trace for chrome://tracing
or Perfetto.

Usage: python benchmarks/trace_browser.py drag [--trace /tmp/drag.json]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import logging
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

CATEGORIES = ",".join(["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"])
# Main-thread events by kind (the DevTools summary's groups).
KINDS = {"Scripting": ("FunctionCall", "EvaluateScript", "TimerFire", "FireAnimationFrame", "EventDispatch",
                       "v8.compile", "RunMicrotasks", "XHRLoad", "v8.callFunction", "V8.GC", "MajorGC", "MinorGC"),
         "Style": ("UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet"),
         "Layout": ("Layout", "PrePaint", "Layerize", "UpdateLayer"),
         "Paint": ("Paint", "PaintImage", "Rasterize", "RasterTask", "CompositeLayers", "Commit"),
         "WebGL": ("WebGL", "GLES2")}


def _driver():
    from selenium import webdriver

    from benchmarks.headless import chrome_options

    options = chrome_options(1280, 720)
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE", "performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": False, "enablePage": False,
                                                         "traceCategories": CATEGORIES})
    return webdriver.Chrome(options=options)


def _trace_events(driver) -> list:
    events = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Tracing.dataCollected":
            events.append(msg["params"])
    return events


def summarize(events: list) -> dict:
    """Main-thread time by kind and the longest top-level tasks (ms) of the renderer."""
    # The renderer's main thread: where the page's scripts and style recalculations run
    # (chromedriver's log carries no thread names).
    threads = collections.Counter((e.get("pid"), e.get("tid")) for e in events
                                  if e.get("name") in ("FunctionCall", "UpdateLayoutTree", "EventDispatch"))
    main = {threads.most_common(1)[0][0]} if threads else set()
    marks = [e["ts"] for e in events if e.get("name") == "gs-scenario"]
    t0 = max(marks) if marks else 0
    tasks, by_name = [], collections.Counter()
    for e in events:
        if e.get("ts", 0) < t0 or (e.get("pid"), e.get("tid")) not in main or e.get("ph") != "X" or "dur" not in e:
            continue
        if e["name"] == "RunTask":
            tasks.append(e["dur"] / 1000)
        by_name[e["name"]] += e["dur"] / 1000
    return _totals(tasks, by_name)


def _totals(tasks, by_name) -> dict:
    kinds = {kind: round(sum(by_name[n] for n in evs), 1) for kind, evs in KINDS.items()}
    busy = sum(tasks)
    return {"main_thread_busy_ms": round(busy, 1), "tasks": len(tasks),
            "long_tasks_ms": sorted((round(t) for t in tasks if t >= 50), reverse=True)[:12], "kinds_ms": kinds,
            "top_events_ms": {n: round(v, 1) for n, v in by_name.most_common(14)}}


def run(scenario: str, trace_path: str = "") -> dict:
    from benchmarks import bench_browser as B
    from benchmarks.headless import serve
    from ui import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(serve(create_app()))
        driver = _driver()
        stack.callback(driver.quit)
        driver.set_script_timeout(120)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": B.WATCH_JS})
        target = url + (B.EIGHT_RUNS if scenario == "play" else "")
        B._open(driver, target)            # warm-up
        if scenario != "open":
            B._open(driver, target)
            B._settle(driver)
        # chromedriver hands the trace over once, at the end: a user-timing mark says where the
        # scenario starts, and summarize() counts only what comes after it.
        driver.execute_script("performance.mark('gs-scenario')")
        if scenario == "open":
            B._open(driver, target)
            B._settle(driver)
        elif scenario == "notch":
            B._notch(driver, B.NOTCH_LR[1])
        elif scenario == "drag":
            B._drag(driver, "lr", B.LR_DRAG, 2.0)
        elif scenario == "play":
            driver.execute_script(f"window.dash_clientside.set_props('speed', {{value: {B.PLAY_SPEED_INDEX}}});")
            B._settle(driver)
            driver.execute_async_script(B.PLAY_JS, 4.0)
        else:
            raise SystemExit(f"unknown scenario {scenario!r}")
        events = _trace_events(driver)
    if trace_path:
        with open(trace_path, "w") as f:
            json.dump({"traceEvents": events}, f)
    return summarize(events)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=("open", "notch", "drag", "play"))
    parser.add_argument("--trace", default="", help="write the raw trace events here")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.scenario, args.trace), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
