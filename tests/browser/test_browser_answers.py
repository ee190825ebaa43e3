"""The page answers before Dash does (issue 12): a slider change's paths by the short GET, a drag
into divergence drawn while the button is down, the 3-D view put in only after the map's paths, and the
opening's callbacks held until then.
Mechanisms only; their speed is measured in benchmarks/bench_browser.py."""

import math

import pytest
from dash.testing.wait import until

from gradscape_page import (drag_stats, mouse_on_slider, page_idle, paths_key, query, read_overlay, slider_geometry,
                            wait_drawn)

pytestmark = [pytest.mark.browser, pytest.mark.minified]  # the page users get (conftest.py)

# Holds every Dash callback request until the test lets them go.
_HOLD_DASH = """
window.__heldDash = []; window.__holding = true;
var f = window.fetch;
window.fetch = function (u) {
    var args = arguments, self = this;
    if (!window.__holding || String(u).indexOf('_dash-update-component') < 0) { return f.apply(self, args); }
    return new Promise(function (resolve) { window.__heldDash.push(function () { resolve(f.apply(self, args)); }); });
};
window.__releaseDash = function () { window.__holding = false; window.__heldDash.splice(0).forEach(function (go) { go(); }); };
"""




def test_answer001_a_key_notch_draws_its_paths_before_the_scene_callback_answers(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: page_idle(duo), timeout=10)
    duo.driver.execute_script(_HOLD_DASH)
    before, path_before = paths_key(duo), read_overlay(duo, "contour")
    # one notch of the lr slider (0.001 -> 0.002), as the keyboard sends it through Dash
    duo.driver.execute_script("window.dash_clientside.set_props('lr', {value: Math.log10(0.002)})")
    until(lambda: paths_key(duo) != before, timeout=10, msg=f"no paths before Dash's answer: {drag_stats(duo)}")
    assert read_overlay(duo, "contour") != path_before
    stats = drag_stats(duo)
    assert stats["previews"] == 1 and stats["drawn"] == 1
    # Dash's scene request goes once the previewed paths are painted (assets/drag.js), and is held here:
    # the page says it is working, and the link has not moved yet
    until(lambda: duo.driver.execute_script("return window.__heldDash.length") >= 1, timeout=5,
          msg="the scene callback's request was not sent after the preview")
    assert duo.driver.execute_script("return document.documentElement.classList.contains('gs-working')")
    assert query(duo)["lr"] == "0.001"
    drawn = paths_key(duo)
    duo.driver.execute_script("window.__releaseDash()")
    until(lambda: page_idle(duo) and query(duo).get("lr") == "0.002", timeout=15, msg="the scene callback did not follow")
    assert paths_key(duo) == drawn  # the same scene: nothing redrawn twice
    assert drag_stats(duo)["previews"] == 1  # the lr box's echo sent no second change
    assert duo.get_logs() == []


def test_answer002_a_drag_into_divergence_draws_the_paths_while_the_button_is_down(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: page_idle(duo), timeout=10)
    key_before = duo.driver.execute_script("return window.gradscape.figureKey")
    geo = slider_geometry(duo, "lr")
    mouse_on_slider(duo, geo, "mousePressed", -3.0)
    seen = [str(read_overlay(duo, "contour"))]
    # 0.005 and 0.01: a run diverges, and its steep-direction line is part of the map, not the paths
    for lr in (0.005, 0.01):
        mouse_on_slider(duo, geo, "mouseMoved", math.log10(lr))
        # the drawn paths (the overlay), not just the store loaded: the map is not the store's
        until(lambda: str(read_overlay(duo, "contour")) != seen[-1], timeout=10,
              msg=f"the paths did not follow the drag: {drag_stats(duo)}")
        until(lambda: not duo.driver.execute_script("return window.gradscapeDrag.inFlight"), timeout=10)
        seen.append(str(read_overlay(duo, "contour")))
    # the map's figure is the one from before the drag, yet the new paths are on it
    assert duo.driver.execute_script("return window.gradscape.figureKey") != key_before
    assert duo.driver.execute_script(
        "return document.querySelector('#contour .js-plotly-plot').layout.meta.key") == key_before
    assert len(set(seen)) == 3 and drag_stats(duo)["active"]
    mouse_on_slider(duo, geo, "mouseReleased", math.log10(0.01))
    until(lambda: page_idle(duo) and query(duo).get("lr") == "0.01", timeout=15)
    # on release the map with the steep line comes
    until(lambda: duo.driver.execute_script(
        "return document.querySelector('#contour .js-plotly-plot').layout.meta.key === window.gradscape.figureKey"),
        timeout=10)
    assert duo.get_logs() == []


# Notes, in the page's own frames, when the map first shows paths, when the 3-D view first has data, and
# when the first Dash callback request really goes out (installed before assets/opening.js wraps fetch, so
# it sees only what the opening lets through).
_ORDER = """
window.__order = [];
(function () {
    function note(what) { if (window.__order.indexOf(what) < 0) { window.__order.push(what); } }
    var f = window.fetch;
    window.fetch = function (u) {
        if (String(u).indexOf('_dash-update-component') >= 0) { note('request'); }
        return f.apply(this, arguments);
    };
    (function watch() {
        var o = document.querySelector('#contour-overlay svg path[data-run]');
        var s = document.querySelector('#surface .js-plotly-plot');
        if (o && o.getAttribute('d')) { note('paths'); }
        if (s && s.data && s.data.length) { note('surface'); }
        if (window.__order.indexOf('paths') < 0 || window.__order.indexOf('surface') < 0) {
            requestAnimationFrame(watch);
        }
    }());
}());
"""


def test_answer003_an_opened_page_draws_its_paths_first_then_its_callbacks_and_3d_view_go(gradscape_link):
    """The paths come before the 3-D view is put in (its WebGL set-up is the page's longest task) and
    before any of the opening's callback requests goes (their answers re-render the page)."""
    duo = gradscape_link
    duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _ORDER})
    duo.driver.get(duo.server_url + "/?landscape=rosenbrock&opt=sgd,adam&lr=0.002&steps=200")
    wait_drawn(duo, 2)
    until(lambda: duo.driver.execute_script("return window.__order.length") == 3, timeout=20)
    order = duo.driver.execute_script("return window.__order")
    assert order[0] == "paths" and sorted(order[1:]) == ["request", "surface"], order
    # the figure held back is the scene's own, and the store that held it is emptied
    assert duo.driver.execute_script(
        "return document.querySelector('#surface .js-plotly-plot').layout.meta.key === window.gradscape.figureKey")
    assert duo.driver.execute_script("return window.dash_component_api.getLayout('surface-pending').props.data") is None
    # the callbacks held at the opening have run and answered
    until(lambda: page_idle(duo), timeout=20)
    assert not duo.driver.execute_script("return window.gradscapeOpening.holding()")
    assert query(duo)["steps"] == "200" and query(duo)["lr"] == "0.002"
    # later requests are not held: a new lr is computed and drawn
    before = paths_key(duo)
    duo.driver.execute_script("window.dash_clientside.set_props('lr', {value: Math.log10(0.004)})")
    until(lambda: paths_key(duo) != before and page_idle(duo) and query(duo).get("lr") == "0.004", timeout=15)
    assert duo.get_logs() == []
