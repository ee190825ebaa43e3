"""The session's one Chromium (tests/browser/conftest.py): each test gets it back as a new browser would be.

A small app of its own, served once for this module, so both tests open the same origin: the first
leaves every kind of state a test can leave behind, the second (run right after it, as pytest runs a
file in order) finds none of it, in the same browser session.
"""

import dash
import pytest
from dash import html
from dash.testing.application_runners import ThreadedRunner

# Both tests in one process, in order, also when the suite runs on several workers (pytest-xdist).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-session")]

_STATE = """
return {width: innerWidth, touch: navigator.maxTouchPoints, stored: localStorage.length + sessionStorage.length,
        cookie: document.cookie, url: location.href};
"""

_seen = {}


@pytest.fixture(scope="module")
def small_app_url():
    app = dash.Dash(__name__)
    app.layout = html.Div("a small page", id="page")
    runner = ThreadedRunner()
    runner.start(app, port=free_port_now())
    yield runner.url
    runner.stop()


def free_port_now() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sess001_a_test_leaves_state_behind(dash_duo, small_app_url):
    dash_duo.server_url = small_app_url
    dash_duo.wait_for_text_to_equal("#page", "a small page")
    assert dash_duo.get_logs() == []
    _seen["session"] = dash_duo.driver.session_id
    d = dash_duo.driver
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1,
                                                            "mobile": True})
    d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    d.execute_script("localStorage.setItem('left', '1'); sessionStorage.setItem('left', '1');"
                     "document.cookie = 'left=1'; window.open('about:blank');"
                     "console.error('left behind by sess001');")
    state = d.execute_script(_STATE)
    assert (state["width"], state["touch"], state["stored"], state["cookie"]) == (390, 5, 2, "left=1")
    assert len(d.window_handles) == 2


def test_sess002_the_next_test_gets_the_same_browser_as_new(dash_duo, small_app_url):
    d = dash_duo.driver
    if "session" in _seen:  # after sess001 (the whole file, in order): the same Chromium, not a new one
        assert d.session_id == _seen["session"]
    assert len(d.window_handles) == 1
    assert dash_duo.get_logs() == []  # sess001's console error is not this test's
    dash_duo.server_url = small_app_url
    dash_duo.wait_for_text_to_equal("#page", "a small page")
    state = d.execute_script(_STATE)
    assert state["url"].startswith(small_app_url)
    assert (state["width"], state["touch"], state["stored"], state["cookie"]) == (1280, 0, 0, "")
    assert dash_duo.get_logs() == []
