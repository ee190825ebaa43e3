"""Every screen (issue 13): a 390×844 phone by touch, a 1024×768 laptop, a 1920×1080 projector in
Present mode, and Present mode at 1280×720 with 8 runs. Each asserts on the measured layout."""

import pytest
from dash.testing.wait import until

from gradscape_page import current_step, paths_key, query, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.minified]  # the page users get (conftest.py)

EIGHT = "?opt=sgd,momentum,nesterov,adagrad,rmsprop,adam,adamw,nadam"

# What the page looks like at this size, measured.
_MEASURE = """
const box = (e) => e.getBoundingClientRect();
const gd = document.querySelector('#contour .js-plotly-plot'), g = box(gd);
const bar = document.querySelector('#colour-key .colour-bar');
const b = bar ? box(bar) : null;
const ticks = Array.from(gd.querySelectorAll('.xtick text, .ytick text')).map(box);
const side = document.querySelector('.sidebar'), s = box(side);
const labels = Array.from(document.querySelectorAll('.optimizer-list label'));
const shown = (id) => Array.from(document.querySelectorAll('#' + id + ' .dash-slider-mark'))
    .filter(m => getComputedStyle(m).visibility !== 'hidden' && m.textContent).map(box);
const overlap = (marks) => marks.some((m, i) => i > 0 && m.left < marks[i - 1].right + 2);
const header = document.querySelector('.header');
return {
    inner: innerWidth, scrollWidth: document.documentElement.scrollWidth,
    map: box(document.getElementById('contour')).width,
    headerOut: Array.from(header.querySelectorAll('button, a, summary, label'))
        .filter(e => e.checkVisibility() && box(e).right > innerWidth + 0.5).length,
    views: box(document.querySelector('.views')).top, sidebar: s.top,
    sidebarScrolls: side.scrollWidth > side.clientWidth,
    clippedLabels: labels.filter(l => l.scrollWidth > l.clientWidth || box(l).right > s.right + 0.5).map(l => l.textContent),
    ticksOut: ticks.filter(t => t.left < g.left - 0.5 || t.right > g.right + 0.5 || t.bottom > g.bottom + 0.5).length,
    ticksUnderKey: b ? ticks.filter(t => t.right > b.left && t.left < b.right && t.bottom > b.top && t.top < b.bottom).length : 0,
    marksOverlap: overlap(shown('speed')), frameMarksOverlap: overlap(shown('frame')),
};
"""

_FONTS = """
const px = (sel) => { const e = document.querySelector(sel); return e ? parseFloat(getComputedStyle(e).fontSize) : 0; };
return {root: px('html'), label: px('.control-label'), legend: px('.legend-item'), table: px('#results td'),
        tick: px('#contour .xtick text'), lossTick: px('#loss-curve .ytick text'), axisTitle: px('#contour .xtitle'),
        colourKey: px('.colour-tick'), header: px('#present')};
"""


def screen(duo, width, height, link="", mobile=False):
    """Open the page at this size (a phone: its viewport tag honoured, touch on)."""
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    duo.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile, "maxTouchPoints": 5})
    duo.driver.get(duo.server_url + "/" + link)


def measure(duo) -> dict:
    return duo.driver.execute_script(_MEASURE)


def tap(duo, x, y, to=None):
    """A finger on (x, y), moved to `to` if given, then lifted."""
    send = lambda kind, pts: duo.driver.execute_cdp_cmd("Input.dispatchTouchEvent",
                                                        {"type": kind, "touchPoints": pts})
    send("touchStart", [{"x": x, "y": y}])
    if to:
        for i in range(1, 6):
            send("touchMove", [{"x": x + (to[0] - x) * i / 5, "y": y + (to[1] - y) * i / 5}])
    send("touchEnd", [])


def centre(duo, selector):
    r = duo.driver.execute_script("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                                  "return [r.left + r.width / 2, r.top + r.height / 2];", selector)
    return r[0], r[1]


def test_scr001_phone_one_column_and_touch(gradscape_link):
    duo = gradscape_link
    screen(duo, 390, 844, mobile=True)
    wait_drawn(duo, 3, views=("contour",), timeout=40)
    m = measure(duo)
    assert m["inner"] == 390  # the viewport tag: laid out at the phone's width, not 980 px shrunk
    assert m["scrollWidth"] <= m["inner"]
    assert m["map"] >= 0.9 * m["inner"]
    assert m["headerOut"] == 0
    assert m["views"] < m["sidebar"]  # the controls come below the views
    assert m["ticksOut"] == 0 and m["ticksUnderKey"] == 0

    # playback by touch
    duo.driver.execute_script("window.dash_clientside.set_props('speed', {value: 0});")
    duo.driver.execute_script("document.getElementById('play').scrollIntoView({block: 'center'});")
    tap(duo, *centre(duo, "#play"))
    duo.wait_for_text_to_equal("#play", "❚❚ Pause")
    tap(duo, *centre(duo, "#play"))
    duo.wait_for_text_to_equal("#play", "▶ Play")
    # scrubbing by touch: the finger drags the step slider's thumb (near step 0) to the middle
    assert current_step(duo) < 100
    x, y = centre(duo, "#frame [role=slider]")
    middle, _ = centre(duo, "#frame .dash-slider-track")
    tap(duo, x, y, to=(middle, y))
    until(lambda: 100 < current_step(duo) < 200, timeout=10, msg="touch did not scrub")
    # a tap on the map starts the runs there
    before = paths_key(duo)
    duo.driver.execute_script("document.getElementById('contour').scrollIntoView({block: 'center'});")
    r = duo.driver.execute_script("const r = document.querySelector('#contour .nsewdrag').getBoundingClientRect();"
                                  "return [r.left, r.top, r.width, r.height];")
    tap(duo, r[0] + 0.75 * r[2], r[1] + 0.7 * r[3])
    until(lambda: paths_key(duo) != before, timeout=15, msg="a tap on the map did not move the start")
    x0, y0 = float(query(duo)["x0"]), float(query(duo)["y0"])
    assert 0 < x0 < 2 and -1 < y0 < 1  # lower right quarter of Rosenbrock's view
    assert duo.get_logs() == []


def test_scr002_1024_nothing_clipped_nothing_scrolls_sideways(gradscape_link):
    duo = gradscape_link
    screen(duo, 1024, 768)
    wait_drawn(duo, 3, timeout=40)
    m = measure(duo)
    assert m["scrollWidth"] <= m["inner"] == 1024
    assert not m["sidebarScrolls"]
    assert m["clippedLabels"] == []
    assert m["ticksOut"] == 0 and m["ticksUnderKey"] == 0
    assert not m["marksOverlap"]  # the steps/s marks no longer run together ("160320")
    assert not m["frameMarksOverlap"]  # nor the step slider's ("150225300")
    assert m["headerOut"] == 0
    assert duo.get_logs() == []


def test_scr003_present_mode_at_1920_scales_every_text(gradscape_link):
    duo = gradscape_link
    screen(duo, 1920, 1080)
    wait_drawn(duo, 3, views=("contour", "loss-curve"), timeout=40)
    plain = duo.driver.execute_script(_FONTS)
    screen(duo, 1920, 1080, link="?present=1")
    wait_drawn(duo, 3, views=("contour", "loss-curve"), timeout=40)
    until(lambda: duo.driver.execute_script(_FONTS)["tick"] >= 1.4 * plain["tick"], timeout=10,
          msg="the graph ticks did not grow")
    big = duo.driver.execute_script(_FONTS)
    assert big["root"] >= 24  # read from the back of a hall
    for what in ("label", "legend", "table", "tick", "lossTick", "axisTitle", "colourKey"):
        assert big[what] >= 1.4 * plain[what], what
    m = measure(duo)
    assert m["scrollWidth"] <= m["inner"] and m["ticksOut"] == 0 and m["ticksUnderKey"] == 0
    assert not m["sidebarScrolls"] and m["clippedLabels"] == []
    # "Why?": the diagram's text grows with its width (its SVG is 440 units wide, its labels 12.5)
    duo.find_element("//span[text()='Why?']", "XPATH").click()
    text_px = "const t = document.querySelector('#diagram .part text'); return t ? t.getBoundingClientRect().height : 0"
    until(lambda: duo.driver.execute_script(text_px) > 0, timeout=15, msg="the diagram was not drawn")
    assert duo.driver.execute_script(text_px) >= 1.4 * 12.5
    assert duo.get_logs() == []


def test_scr004_present_mode_at_1280x720_shows_every_run_in_the_results(gradscape_link):
    duo = gradscape_link
    screen(duo, 1280, 720, link=EIGHT + "&present=1")
    wait_drawn(duo, 8, views=("contour",), timeout=40)
    until(lambda: len(duo.find_elements("#results tbody tr")) == 8, timeout=10)
    bottoms = duo.driver.execute_script("return Array.from(document.querySelectorAll('#results tbody tr'))"
                                        ".map(r => r.getBoundingClientRect().bottom)")
    assert max(bottoms) <= 720
    height = duo.driver.execute_script("return document.getElementById('contour').getBoundingClientRect().height")
    assert height >= 250  # the map keeps a usable size
    assert duo.get_logs() == []


# Present mode, every graph kind: the font sizes each graph really renders (the 3-D view draws its text
# in WebGL, so for it the sizes Plotly lays out), and the basin map's legend.
_GRAPH_FONTS = """
const px = (sel) => { const e = document.querySelector(sel); return e ? parseFloat(getComputedStyle(e).fontSize) : 0; };
const full = (id) => { const gd = document.querySelector('#' + id + ' .js-plotly-plot'); return gd && gd._fullLayout; };
const s = full('surface');
return {
    surfaceX: s.scene.xaxis.title.font.size, surfaceZ: s.scene.zaxis.title.font.size, surfaceHover: s.hoverlabel.font.size,
    contourTick: px('#contour .xtick text'), contourHover: full('contour').hoverlabel.font.size,
    lossTick: px('#loss-curve .ytick text'), lossNote: px('#loss-curve .annotation-text'), lossTitle: px('#loss-curve .ytitle'),
    stabilityTick: px('#stability-map .xtick text'), stabilityBar: px('#stability-map .cbaxis text'),
    stabilityTitle: px('#stability-map .gtitle'),
    tuneTick: px('#tune-plot .xtick text'), basinLegend: px('#basin-legend .basin-row'),
};
"""


def make_map(duo, button, optimizer):
    duo.driver.execute_script("window.dash_clientside.set_props('map-optimizer', {value: arguments[0]});", optimizer)
    duo.driver.execute_script("const b = document.getElementById(arguments[0]); b.closest('details').open = true;"
                              "b.click();", button)
    until(lambda: duo.driver.execute_script(
        "return /^(Basin|Stability) map:/.test(document.getElementById('map-status').innerText)"
        " && !document.getElementById(arguments[0]).disabled", button), timeout=90, msg=f"no map from {button}")


def test_scr005_present_mode_scales_the_text_of_every_graph_kind(gradscape_link):
    duo = gradscape_link
    screen(duo, 1920, 1080, link="?landscape=six_hump_camel&opt=adam,momentum&lr=0.02&steps=100")  # f* ≠ 0: the loss curve notes it
    wait_drawn(duo, 2, timeout=40)
    duo.find_element("#tune-button").click()  # first: tuning changes the scene, which clears a basin map
    until(lambda: duo.driver.execute_script("return document.querySelector('#tune-plot .xtick text') !== null"),
          timeout=90, msg="no lr-sensitivity plot")
    until(lambda: "adam.lr" in query(duo), timeout=30, msg="the tuned rates did not reach the scene")
    make_map(duo, "basin-button", "adam")
    make_map(duo, "stability-button", "adam")
    plain = duo.driver.execute_script(_GRAPH_FONTS)
    assert all(v > 0 for v in plain.values()), plain
    duo.find_element("#present input").click()
    until(lambda: duo.driver.execute_script(_GRAPH_FONTS)["surfaceZ"] >= 1.4 * plain["surfaceZ"], timeout=15,
          msg="the 3-D view's axis title did not grow")
    until(lambda: all(v >= 1.4 * plain[k] for k, v in duo.driver.execute_script(_GRAPH_FONTS).items()), timeout=15,
          msg=f"some text did not grow: {plain} -> {duo.driver.execute_script(_GRAPH_FONTS)}")
    assert duo.get_logs() == []


def test_scr006_present_at_1280x720_a_stability_map_shares_the_screen_with_map_loss_and_results(gradscape_link):
    duo = gradscape_link
    screen(duo, 1280, 720, link=EIGHT)
    wait_drawn(duo, 8, views=("contour",), timeout=40)
    make_map(duo, "stability-button", "momentum")
    duo.find_element("#present input").click()
    rects = """
    const r = (sel) => { const b = document.querySelector(sel).getBoundingClientRect();
                         return {top: b.top, bottom: b.bottom, left: b.left, right: b.right, h: b.height}; };
    const views = document.querySelector('.views');
    return {stability: r('#stability-map'), contour: r('#contour'), loss: r('#loss-curve'),
            rows: Array.from(document.querySelectorAll('#results tbody tr')).map(t => t.getBoundingClientRect().bottom),
            scrolls: views.scrollHeight > views.clientHeight + 1 || document.documentElement.scrollHeight > innerHeight};
    """
    until(lambda: duo.driver.execute_script(rects)["stability"]["bottom"] <= 720, timeout=10,
          msg="the stability map is below the fold")
    m = duo.driver.execute_script(rects)
    assert len(m["rows"]) == 8 and max(m["rows"]) <= 720  # every run's result
    for view in ("stability", "contour", "loss"):
        assert m[view]["top"] >= 0 and m[view]["bottom"] <= 720 and m[view]["h"] >= 120, (view, m[view])
    assert m["stability"]["left"] >= m["contour"]["right"] and m["stability"]["left"] >= m["loss"]["right"]
    assert not m["scrolls"]
    assert duo.get_logs() == []


def test_scr007_a_diverged_path_is_cut_near_the_plot_area_not_drawn_millions_of_pixels_out(gradscape_link):
    """SGD and momentum diverge on Rosenbrock at lr 0.01: their last steps lie millions of pixels away,
    which Chromium drew as lines through the margins. The overlay cuts them at a box around the plot."""
    duo = gradscape_link
    screen(duo, 1280, 720, link="?landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.01&steps=100")
    wait_drawn(duo, 3, views=("contour",), timeout=40)
    coords = duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#contour-overlay g.paths path, #contour-overlay g.ghosts path'))"
        ".map(p => (p.getAttribute('d') || '').match(/-?[0-9.]+/g) || []).flat().map(Number);")
    width = duo.driver.execute_script("return document.querySelector('#contour .js-plotly-plot')._fullLayout.width")
    assert coords and max(abs(c) for c in coords) <= 10 * width
    assert duo.find_element("#message").text.count("diverged") >= 2  # the scene does diverge
    assert duo.get_logs() == []
