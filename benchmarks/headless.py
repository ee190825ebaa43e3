"""Headless Chromium and a throwaway server for the benchmark and the screenshot script.

The browser tests use dash_duo instead (tests/browser/conftest.py); these scripts want no pytest.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
import urllib.request

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run"]


def chromium_binary():
    for path in (os.environ.get("DASH_TEST_CHROMEPATH"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if path and os.path.exists(path):
            return path
    return None


def chrome_options(width: int = 1280, height: int = 720):
    from selenium.webdriver.chrome.options import Options

    options = Options()
    binary = chromium_binary()
    if binary:
        options.binary_location = binary
    for flag in CHROME_FLAGS + [f"--window-size={width},{height}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    return options


@contextlib.contextmanager
def chrome(width: int = 1280, height: int = 720):
    from selenium import webdriver

    driver = webdriver.Chrome(options=chrome_options(width, height))
    try:
        yield driver
    finally:
        driver.quit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app):
    """Serve a Dash app on a free local port in a daemon thread; yields its base URL."""
    from werkzeug.serving import make_server

    port = _free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=5)
