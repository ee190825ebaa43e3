"""Headless Chromium for the dash_duo browser tests.

Without Chromium or chromedriver the browser tests skip with a loud reason, except in CI
(CI=true), where a missing browser fails them: CI must never pass without running them.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

# The one place that knows where Chromium lives and how to start it headless (shared with the
# benchmark and the screenshot script).
from benchmarks.headless import CHROME_FLAGS, chromium_binary


def missing_browser() -> str:
    """Why the browser tests cannot run here, or "" if they can."""
    missing = []
    if chromium_binary() is None:
        missing.append("chromium")
    if shutil.which("chromedriver") is None:
        missing.append("chromedriver")
    try:
        import selenium  # noqa: F401
        from dash.testing.plugin import _installed
    except ImportError:
        _installed = False
    if not _installed:
        missing.append("dash[testing]")
    return ", ".join(missing)


def pytest_setup_options():
    """dash.testing's hook: the selenium options for every dash_duo browser."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    binary = chromium_binary()
    if binary:
        options.binary_location = binary
    for flag in CHROME_FLAGS + ["--window-size=1280,900"]:
        options.add_argument(flag)
    return options


@pytest.fixture(autouse=True)
def _require_browser():
    missing = missing_browser()
    if not missing:
        return
    message = (f"BROWSER TESTS NOT RUN: {missing} not found. Install them (as root: "
               "apt-get install chromium chromium-driver) or run scripts/test.sh as root.")
    if os.environ.get("CI") == "true":
        pytest.fail(message + " CI=true, so this is a failure.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _compiled_kernels():
    """Compile (or load) the engine's kernels once, before the first page opens.

    On a fresh clone numba compiles each kernel on its first call (seconds each); a page's first
    answer would then wait on the compiler while the test waits on the page. Doing it here keeps
    every browser test about the page."""
    from optimizers import warm

    warm.warm()


@pytest.fixture
def free_port() -> int:
    """A free local port, so a test server never collides with a running `python app.py`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gradscape(dash_duo, free_port):
    """A fresh Gradscape app served (in debug mode) to a headless browser; returns dash_duo."""
    from ui import create_app

    # Debug mode checks every component's props in the browser; a bad prop becomes a console
    # error, which each test's `get_logs() == []` then catches.
    dash_duo.start_server(create_app(), port=free_port, debug=True, use_reloader=False,
                          dev_tools_hot_reload=False)
    return dash_duo
