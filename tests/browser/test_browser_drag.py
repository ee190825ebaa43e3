"""The page answers while you drag (issue 12): each mechanism behind the speed targets, proved in
the browser. Speed itself is measured in benchmarks/bench_browser.py, never here."""

import math
import pytest
from dash.testing.wait import until

from gradscape_page import (drag_stats, mouse_on_slider, page_idle, paths_key, query, read_overlay, slider_geometry,
                            wait_drawn)

pytestmark = [pytest.mark.browser, pytest.mark.minified]  # the page users get (conftest.py)

# Every Plotly call that redraws a graph, by graph id (restyle, react, newPlot, relayout).
_WATCH_PLOTLY = """
window.__plotlyCalls = [];
['restyle', 'react', 'newPlot', 'relayout'].forEach(function (f) {
    var o = Plotly[f];
    Plotly[f] = function (gd) {
        var id = gd && gd.closest ? (gd.closest('.dash-graph') || gd).id : String(gd);
        window.__plotlyCalls.push(f + ':' + id);
        return o.apply(this, arguments);
    };
});
"""


def _gate(duo) -> dict:
    return duo.driver.execute_script("return Object.assign({}, window.gradscapeGate)")



def test_drag001_an_lr_change_touches_only_the_path_data(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: page_idle(duo), timeout=10)
    contour = duo.driver.execute_script(
        "var gd = document.querySelector('#contour .js-plotly-plot'); gd.data[0].__probe = 1; return gd.data.length")
    duo.driver.execute_script(_WATCH_PLOTLY)
    before, path_before = paths_key(duo), read_overlay(duo, "contour")
    # 0.0005, a 1-2-5 stop where no run diverges: a divergence rightly adds its steep direction to the map
    duo.driver.execute_script("window.dash_clientside.set_props('lr', {value: Math.log10(0.0005)})")
    until(lambda: paths_key(duo) != before and page_idle(duo), timeout=10, msg="the new paths were not drawn")
    assert query(duo)["lr"] == "0.0005"
    assert read_overlay(duo, "contour") != path_before
    # The contour grid is the same object: no new figure, no Plotly call on the map.
    assert duo.driver.execute_script(
        "var gd = document.querySelector('#contour .js-plotly-plot'); return [gd.data[0].__probe, gd.data.length]"
    ) == [1, contour]
    calls = duo.driver.execute_script("return window.__plotlyCalls")
    assert not any(c.endswith(":contour") for c in calls), calls
    assert not any(c.startswith(("react:surface", "newPlot:surface")) for c in calls), calls
    assert duo.get_logs() == []


def test_drag002_changes_made_while_a_request_is_on_its_way_send_one_request_not_many(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: page_idle(duo), timeout=10)
    sent = _gate(duo)["sent"]
    # Five values in one go, as a fast drag reports them: the first goes, the rest wait for its
    # answer and then travel as one request with the newest value; the three in between are dropped.
    duo.driver.execute_script(
        "[-2.9, -2.8, -2.7, -2.6, -2.4].forEach(function (v) { window.dash_clientside.set_props('lr', {value: v}); })")
    until(lambda: page_idle(duo) and query(duo).get("lr") == "0.003981", timeout=10,
          msg="the newest value was not drawn")
    assert _gate(duo)["sent"] - sent <= 2
    assert duo.get_logs() == []


def test_drag003_a_drag_redraws_the_paths_while_it_goes_on(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: page_idle(duo), timeout=10)
    # The slider's value as updatemode="drag" reports it: a new value every 16 ms (a 60 Hz pointer),
    # 10**-3 up to 10**-1.5 and back, until the test says stop.
    duo.driver.execute_script("""
        var values = [], i = 0;
        for (var k = 0; k <= 150; k++) { values.push(-3 + k / 100); }
        values = values.concat(values.slice().reverse());
        window.__dragging = setInterval(function () {
            window.dash_clientside.set_props('lr', {value: values[i++ % values.length]});
        }, 16);""")
    seen = [paths_key(duo)]
    for _ in range(3):  # the paths follow while the drag goes on
        until(lambda: paths_key(duo) != seen[-1], timeout=10, msg="the paths did not follow the drag")
        seen.append(paths_key(duo))
    assert duo.driver.execute_script("clearInterval(window.__dragging); return window.__dragging") is not None
    until(lambda: page_idle(duo), timeout=10, msg=f"the gate did not settle: {_gate(duo)}")
    assert len(set(seen)) == 4 and not _gate(duo).get("lost")
    assert duo.get_logs() == []


# --- a drag with the pointer: read by assets/drag.js outside Dash ---------------------------------


def test_drag004_a_pointer_drag_redraws_only_the_paths_several_times_before_release(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: page_idle(duo), timeout=10)
    duo.driver.execute_script(_WATCH_PLOTLY)
    duo.driver.execute_script("window.__dashPosts = 0; var f = window.fetch; window.fetch = function (u) {"
                              " if (String(u).indexOf('_dash-update-component') >= 0) { window.__dashPosts += 1; }"
                              " return f.apply(this, arguments); };")
    geo = slider_geometry(duo, "lr")
    mouse_on_slider(duo, geo, "mousePressed", -3.0)
    seen, value = [paths_key(duo)], -3.0
    # the lr slider stops at 1-2-5 per decade: 0.0005, 0.0002, 0.0001
    for value in (math.log10(0.0005), math.log10(0.0002), -4.0):  # the button is still down: each new value's paths reach the map
        mouse_on_slider(duo, geo, "mouseMoved", value)
        until(lambda: paths_key(duo) != seen[-1] and not drag_stats(duo)["inFlight"], timeout=10,
              msg=f"the paths did not follow the drag: {drag_stats(duo)}")
        seen.append(paths_key(duo))
    stats = drag_stats(duo)
    assert stats["active"] and stats["drawn"] >= 3 and stats["committed"] == 0
    assert len(set(seen)) == 4
    # While the button is down: the page says it is working, Dash is not asked, no graph is redrawn
    # by Plotly (the paths are the SVG overlay's), the link still holds the scene before the drag.
    assert duo.driver.execute_script("return document.documentElement.classList.contains('gs-working')")
    assert duo.driver.execute_script("return window.__dashPosts") == 0
    assert duo.driver.execute_script("return window.__plotlyCalls") == []
    assert query(duo)["lr"] == "0.001"
    assert duo.find_element("#lr-value").text == "= 0.0001"  # the label follows the thumb
    mouse_on_slider(duo, geo, "mouseReleased", value)
    # On release, one Dash change: the link, the slider's value and the rest of the page follow.
    until(lambda: page_idle(duo) and query(duo).get("lr") == "0.0001", timeout=10,
          msg=f"the release did not reach the scene: {query(duo)} {drag_stats(duo)} {_gate(duo)} "
              + str(duo.driver.execute_script("return window.dash_component_api.getLayout('lr').props.value")))
    assert duo.driver.execute_script("return window.dash_component_api.getLayout('lr').props.value") == -4
    assert drag_stats(duo)["committed"] == 1
    assert duo.get_logs() == []


def test_drag005_a_value_made_stale_while_a_drag_request_is_on_its_way_is_dropped(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: page_idle(duo), timeout=10)
    # Hold every paths request until the test lets it go, and note what each asked for.
    duo.driver.execute_script("""
        window.__asked = []; window.__held = [];
        var f = window.fetch;
        window.fetch = function (u) {
            if (String(u).indexOf('/_gradscape/paths') < 0) { return f.apply(this, arguments); }
            window.__asked.push(new URL(u, location.href).searchParams.get('value'));
            var args = arguments, self = this;
            return new Promise(function (resolve) { window.__held.push(function () { resolve(f.apply(self, args)); }); });
        };""")
    geo = slider_geometry(duo, "momentum")
    mouse_on_slider(duo, geo, "mousePressed", 0.5)
    until(lambda: duo.driver.execute_script("return window.__asked.length") == 1, timeout=5)
    for value in (0.6, 0.7, 0.8):  # each newer than the one waiting: 0.6 and 0.7 go stale
        mouse_on_slider(duo, geo, "mouseMoved", value)
    stats = drag_stats(duo)
    assert stats["sent"] == 1 and stats["pending"] == 0.8 and stats["dropped"] == 2, stats
    duo.driver.execute_script("window.__held.shift()()")  # the first answer comes back
    until(lambda: duo.driver.execute_script("return window.__asked.length") == 2, timeout=5)
    assert duo.driver.execute_script("return window.__asked") == ["0.5", "0.8"]  # never 0.6 or 0.7
    duo.driver.execute_script("window.__held.shift()()")
    until(lambda: not drag_stats(duo)["inFlight"], timeout=10)
    mouse_on_slider(duo, geo, "mouseReleased", 0.8)
    until(lambda: page_idle(duo) and query(duo).get("momentum") == "0.8", timeout=10)
    assert duo.driver.execute_script("return window.__asked") == ["0.5", "0.8"]
    assert duo.get_logs() == []
