"""The page answers while you drag (issue 12): each mechanism behind the speed targets, proved in
the browser. Speed itself is measured in benchmarks/bench_browser.py, never here."""

import pytest
from dash.testing.wait import until

from gradscape_page import paths_key, query, read_overlay, wait_drawn

pytestmark = pytest.mark.browser

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


def _idle(duo) -> bool:
    g = _gate(duo)
    working = duo.driver.execute_script("return document.documentElement.classList.contains('gs-working')")
    return not g["inFlight"] and not g["dirty"] and not working


def test_drag001_an_lr_change_touches_only_the_path_data(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: _idle(duo), timeout=10)
    contour = duo.driver.execute_script(
        "var gd = document.querySelector('#contour .js-plotly-plot'); gd.data[0].__probe = 1; return gd.data.length")
    duo.driver.execute_script(_WATCH_PLOTLY)
    before, path_before = paths_key(duo), read_overlay(duo, "contour")
    duo.driver.execute_script("window.dash_clientside.set_props('lr', {value: -2.5})")
    until(lambda: paths_key(duo) != before and _idle(duo), timeout=10, msg="the new paths were not drawn")
    assert query(duo)["lr"] == "0.003162"
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
    until(lambda: _idle(duo), timeout=10)
    sent = _gate(duo)["sent"]
    # Five values in one go, as a fast drag reports them: the first goes, the rest wait for its
    # answer and then travel as one request with the newest value; the three in between are dropped.
    duo.driver.execute_script(
        "[-2.9, -2.8, -2.7, -2.6, -2.4].forEach(function (v) { window.dash_clientside.set_props('lr', {value: v}); })")
    until(lambda: _idle(duo) and query(duo).get("lr") == "0.003981", timeout=10,
          msg="the newest value was not drawn")
    assert _gate(duo)["sent"] - sent <= 2
    assert duo.get_logs() == []


def test_drag003_a_drag_redraws_the_paths_while_it_goes_on(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    until(lambda: _idle(duo), timeout=10)
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
    until(lambda: _idle(duo), timeout=10, msg=f"the gate did not settle: {_gate(duo)}")
    assert len(set(seen)) == 4 and not _gate(duo).get("lost")
    assert duo.get_logs() == []
