"""Headless Chromium for the dash_duo browser tests.

Without Chromium or chromedriver the browser tests skip with a loud reason, except in CI
(CI=true), where a missing browser fails them: CI must never pass without running them.

Speed: starting Chromium and serving a fresh Gradscape cost seconds per test, so the session keeps
ONE Chromium (``dash_duo`` here replaces dash.testing's: same object, same use) and one Gradscape
server per mode, each in a process of its own (the ``gradscape`` fixture's page: the server is
stateless, every scene lives in the URL and the page). Most tests open it in Dash's debug mode,
whose prop checks catch a bad prop; tests marked ``minified`` open the production page users get.
Between tests the browser is put back as a fresh one would be: a blank page, no other tab, no device
emulation or touch, no pressed key or button, the window's size, no cookies or storage, an empty
console log, this test's download folder. If that fails, the next test gets a
new Chromium. A test that needs its own app still calls ``dash_duo.start_server(app)``.
"""

from __future__ import annotations

import os
import shutil
import socket
import warnings
from urllib.parse import urlparse

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


WINDOW = (1280, 900)


class _Chromium:
    """The session's one Chromium (a selenium driver), handed to each test's dash_duo in turn."""

    def __init__(self):
        self.driver = None
        self.origins = set()   # the servers' origins whose storage a test may have written

    def fresh(self, download_path: str) -> None:
        """Put the browser back as a new one would start (raises if it cannot: then it is replaced)."""
        from selenium.webdriver.common.actions.action_builder import ActionBuilder

        d = self.driver
        handles = d.window_handles
        for extra in handles[1:]:
            d.switch_to.window(extra)
            d.close()
        d.switch_to.window(handles[0])
        d.get("about:blank")
        ActionBuilder(d).clear_actions()   # release any key or mouse button a test left pressed
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
        d.execute_cdp_cmd("Network.clearBrowserCookies", {})
        for origin in self.origins:
            d.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_path})
        if tuple(d.get_window_size().values()) != WINDOW:
            d.set_window_size(*WINDOW)
        d.implicitly_wait(2)
        d.get_log("browser")   # drain: each test's get_logs() sees its own page's messages only

    def quit(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except Exception:  # noqa: BLE001 - a browser that died already is gone either way
                pass
            self.driver = None


@pytest.fixture(scope="session")
def _chromium():
    chromium = _Chromium()
    yield chromium
    chromium.quit()


def _composite_on(chromium: _Chromium):
    from dash.testing.composite import DashComposite

    class SharedComposite(DashComposite):
        """dash.testing's DashComposite on the session's Chromium: started once, never quit per test."""

        def _try_get_webdriver(self):
            if chromium.driver is None:
                chromium.driver = super()._try_get_webdriver()
            return chromium.driver

        @property
        def server_url(self):
            return DashComposite.server_url.fget(self)

        @server_url.setter
        def server_url(self, value):
            parsed = urlparse(value)
            chromium.origins.add(f"{parsed.scheme}://{parsed.netloc}")
            DashComposite.server_url.fset(self, value)

        def server_url_unopened(self, value):
            """The server's url, as ``server_url = value`` sets it, without opening its page."""
            parsed = urlparse(value)
            chromium.origins.add(f"{parsed.scheme}://{parsed.netloc}")
            self._url = value

        def __exit__(self, exc_type, exc_val, traceback):
            return None   # the session's fixture quits the browser

        def _wait_for(self, method, timeout, msg):
            """dash.testing's explicit waits (wait_for_text_to_equal, wait_for_element, ...) look every
            0.1 s, as its `until` does, not selenium's default 0.5 s: a page state is seen when it comes."""
            from selenium.common.exceptions import TimeoutException
            from selenium.webdriver.support.ui import WebDriverWait

            wait = WebDriverWait(self.driver, self._wait_timeout if timeout is None else timeout, poll_frequency=0.1)
            try:
                return wait.until(method)
            except Exception as err:
                raise TimeoutException(str(msg(self.driver) if callable(msg) else msg)) from err

    return SharedComposite


@pytest.fixture
def dash_duo(request, dash_thread_server, tmpdir, _chromium):
    """dash.testing's dash_duo, on the session's one Chromium, reset to a fresh state for this test."""
    download_path = tmpdir.mkdir("download").strpath
    if _chromium.driver is not None:
        try:
            _chromium.fresh(download_path)
        except Exception as err:  # noqa: BLE001 - a browser that cannot be reset is replaced, not reused
            warnings.warn(f"the session's Chromium could not be reset ({err!r}); starting a new one")
            _chromium.quit()
    config = request.config
    with _composite_on(_chromium)(
        server=dash_thread_server,
        browser=config.getoption("webdriver"),
        remote=config.getoption("remote"),
        remote_url=config.getoption("remote_url"),
        headless=config.getoption("headless"),
        options=config.hook.pytest_setup_options(),
        download_path=download_path,
        percy_assets_root=config.getoption("percy_assets"),
        percy_finalize=config.getoption("nopercyfinalize"),
        pause=config.getoption("pause"),
    ) as dc:
        yield dc
        if dash_thread_server.started and _chromium.driver is not None:
            # Leave the test's own app before it stops: dash.testing stops it by raising SystemExit in its
            # threads, and a request the page still had open became an "unhandled thread exception" warning.
            try:
                _chromium.driver.get("about:blank")
            except Exception:  # noqa: BLE001 - a browser that cannot is reset or replaced by the next test
                pass


_SERVE = """
import sys
from ui import create_app
# "debug": Dash's dev bundles check every component's props in the browser; a bad prop becomes a
# console error, which each test's `get_logs() == []` then catches. "minified": the page as
# `python app.py` and gunicorn serve it, Dash's production bundles.
create_app().run(port=int(sys.argv[1]), debug=sys.argv[2] == "debug", use_reloader=False, dev_tools_hot_reload=False,
                 dev_tools_disable_version_check=True, threaded=True)
"""


class _Served:
    """The session's Gradscape, served by a process of its own: dash.testing stops a test's own
    thread-served app by raising SystemExit in every thread started since, which would reach this
    server's request threads if it ran in the test process."""

    def __init__(self, mode: str):
        import subprocess
        import sys
        import tempfile
        import time

        import requests

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://localhost:{port}"
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.log = tempfile.TemporaryFile()   # werkzeug logs every request: a file, never a pipe that fills
        self.proc = subprocess.Popen([sys.executable, "-c", _SERVE, str(port), mode], cwd=root,
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 120   # a cold numba cache compiles before the first answer
        while True:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("the Gradscape test server exited: " + self.log.read().decode()[-2000:])
            try:
                if requests.get(self.url, timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the Gradscape test server did not answer within 120 s")
            time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - one that ignores SIGTERM is killed
            self.proc.kill()
        self.log.close()


MINIFIED = "minified"   # the marker of a test (or module) that opens the page as users get it


class _Servers:
    """The session's Gradscape servers, each started when a test first needs it: "debug" (Dash's dev
    bundles and their prop checks) for most tests, "minified" (production bundles, 5-20 % faster per
    test module in the browser) for the tests marked ``minified``: the mechanisms behind the page's speed, which
    the benchmark measures on the production page too."""

    def __init__(self):
        self.served = {}

    def url(self, mode: str) -> str:
        if mode not in self.served:
            self.served[mode] = _Served(mode)
        return self.served[mode].url

    def stop(self):
        for served in self.served.values():
            served.stop()


@pytest.fixture(scope="session")
def _gradscape_servers():
    """Gradscape served for the whole session: its pages keep no state on it."""
    servers = _Servers()
    yield servers
    servers.stop()


@pytest.fixture
def _gradscape_url(request, _gradscape_servers):
    return _gradscape_servers.url(MINIFIED if request.node.get_closest_marker(MINIFIED) else "debug")


@pytest.fixture
def gradscape(dash_duo, _gradscape_url):
    """The Gradscape page opened fresh in the headless browser (the session's server); returns dash_duo."""
    dash_duo.server_url = _gradscape_url
    return dash_duo


@pytest.fixture
def gradscape_link(dash_duo, _gradscape_url):
    """The session's Gradscape server, its page not opened yet: for a test that opens its own link
    (``duo.wait_for_page(url=duo.server_url + link)``) or sets the screen first. Opening the default
    page first would cost a whole page load and a scene the test never looks at."""
    dash_duo.server_url_unopened(_gradscape_url)
    return dash_duo
