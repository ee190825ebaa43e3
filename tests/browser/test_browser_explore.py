"""Issue 5 in the browser: your own formula (good and hostile), noise/repeat/batch, both maps."""

import os

import numpy as np
import pytest
from dash.testing.wait import until

from gradscape_page import (FLAT_VIEWS, VIEWS, axis_boxes, open_section_of, query, read_graph, read_overlay,
                            read_traces, set_value, paths_key, type_into, wait_drawn, wait_settled)

pytestmark = pytest.mark.browser

SENTINEL = "/tmp/gradscape-browser-sentinel"


# Records whether a button was ever disabled (the map callbacks disable both while they run).
WATCH_DISABLED = """
const button = document.getElementById(arguments[0]);
window.__disabledSeen = false;
new MutationObserver(() => { if (button.disabled) { window.__disabledSeen = true; } })
    .observe(button, {attributes: true});
"""


def spread_traces(duo, view):
    return [t for t in read_traces(duo, view) if (t["meta"] or {}).get("spread") is not None]


def test_expr001_custom_formula_draws_and_a_hostile_one_is_refused(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    assert duo.find_element("#expr-row").get_attribute("hidden") == "true"
    set_value(duo, "landscape", "custom")
    duo.wait_for_element("#expr-row:not([hidden])")
    type_into(duo, "#expr", "x^2 + 3*y^2 + 0.5*sin(3*x)")
    until(lambda: query(duo).get("expr") == "x^2 + 3*y^2 + 0.5*sin(3*x)", timeout=10,
          msg="the formula is not in the URL")
    wait_drawn(duo, 3)
    assert query(duo)["landscape"] == "custom"
    duo.wait_for_contains_text("#landscape-info", "f(x, y) = x^2 + 3*y^2 + 0.5*sin(3*x)")
    good_key = paths_key(duo)
    adam = read_graph(duo, "contour")["ghost"][2]
    assert abs(adam["x"][-1]) < 0.5 and abs(adam["y"][-1]) < 0.2  # Adam heads for the bowl's bottom
    # A payload: refused by the parser, never run; the scene and its drawing stay as they were.
    if os.path.exists(SENTINEL):
        os.remove(SENTINEL)
    type_into(duo, "#expr", f"__import__('os').system('touch {SENTINEL}')")
    duo.wait_for_contains_text("#message", "expr: attribute access ('.') is not allowed at column 1")
    duo.wait_for_contains_text("#message", "showing x^2 + 3*y^2 + 0.5*sin(3*x)")
    assert query(duo)["expr"] == "x^2 + 3*y^2 + 0.5*sin(3*x)" and paths_key(duo) == good_key
    wait_drawn(duo, 3)
    assert not os.path.exists(SENTINEL)
    # A formula that is fine again clears the message.
    type_into(duo, "#expr", "(x - 1)^2 + y^2")
    until(lambda: query(duo).get("expr") == "(x - 1)^2 + y^2", timeout=10)
    duo.wait_for_text_to_equal("#message", "")
    wait_drawn(duo, 3)
    assert duo.get_logs() == []


def test_expr002_hostile_link_and_gaps_are_explained(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=custom&opt=adam&expr=%5Bc%20for%20c%20in%20()%5D")
    duo.wait_for_contains_text("#message", "expr: 'for' is not allowed", timeout=30)  # a busy machine
    wait_drawn(duo, 1)
    assert query(duo)["expr"] == "sin(x)*cos(y) + 0.1*(x^2 + y^2)"  # the default formula stands in
    assert duo.find_element("#expr").get_attribute("value") == "sin(x)*cos(y) + 0.1*(x^2 + y^2)"
    # The box takes a formula past the 500-character limit and says so, as a link does (it stopped typing at
    # 500 characters, and the cut-off formula got "invalid syntax").
    long = "x" + "+x" * 300
    type_into(duo, "#expr", long)
    duo.wait_for_contains_text("#message", "expr: expression too long (601 > 500 characters)")
    assert duo.find_element("#expr").get_attribute("value") == long
    # log(x) is not finite for x <= 0: that half is left blank, the message says so, nothing NaN is drawn
    type_into(duo, "#expr", "log(x) + y^2")
    duo.wait_for_contains_text("#message", "f is not finite on 5")
    wait_drawn(duo, 1)
    for view in VIEWS:
        assert read_graph(duo, view)["bad"] is False, view
    for view in FLAT_VIEWS:
        assert read_overlay(duo, view)["bad"] is False, view
    # f* = -78.33 here, so the loss axis shows loss − f*: its title is whole and clear of its tick labels
    # (10⁻⁵ …; "loss − f*  (f* = -78.33)" ran over them).
    duo.wait_for_page(url=duo.server_url + "/?landscape=styblinski_tang&opt=adam,sgd&x0=4.5&y0=4.5&lr=0.05")
    wait_drawn(duo, 2)
    wait_settled(duo, "loss-curve")
    boxes = axis_boxes(duo, "loss-curve")
    (l, t, r, b), (sl, st, sr, sb) = boxes["title"], boxes["svg"]
    assert len(boxes["ticks"]) >= 3 and sl - 1 <= l and st - 1 <= t and r <= sr + 1 and b <= sb + 1, boxes
    assert all(r <= tl or tr <= l or b <= tt or tb <= t for tl, tt, tr, tb in boxes["ticks"]), boxes
    assert boxes["text"] == "loss − f*"
    assert duo.get_logs() == []


def test_sgd001_noise_repeat_and_minibatches(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=bowl&opt=sgd,adam&lr=0.05&repeat=4")
    wait_drawn(duo, 2)
    duo.wait_for_contains_text("#message", "every seed gives the same path")
    assert spread_traces(duo, "contour") == []
    # noise: the slider's value reaches the scene, and the repeated seeds fan out faintly
    before = paths_key(duo)
    set_value(duo, "noise", 1.5)
    until(lambda: query(duo).get("noise") == "1.5" and paths_key(duo) != before, timeout=10)
    wait_drawn(duo, 2)
    until(lambda: len(spread_traces(duo, "contour")) == 2 and len(spread_traces(duo, "loss-curve")) == 2,
          timeout=10, msg="the other seeds are not drawn")
    assert query(duo)["repeat"] == "4" and duo.find_element("#message").text == ""
    assert duo.find_element("#batch-size-row").get_attribute("hidden") == "true"  # not a dataset
    # a dataset surface: the batch size control appears; a batch makes the mini-batch loss available
    set_value(duo, "landscape", "linear_regression")
    duo.wait_for_element("#batch-size-row:not([hidden])")
    set_value(duo, "batch-size", 8)
    until(lambda: query(duo).get("batch") == "8" and query(duo).get("landscape") == "linear_regression", timeout=10)
    wait_drawn(duo, 2)
    duo.wait_for_element("#loss-kind-wrap:not([hidden])")
    assert read_traces(duo, "loss-curve")[0]["source"] == "full"
    full_marker = read_overlay(duo, "loss-curve")["markers"][0]
    duo.find_element("#loss-kind input").click()
    until(lambda: read_traces(duo, "loss-curve")[0]["source"] == "batch", timeout=10)
    until(lambda: read_overlay(duo, "loss-curve")["markers"][0] != full_marker, timeout=10,
          msg="the loss curve's marker did not move to the mini-batch loss")
    assert read_overlay(duo, "loss-curve")["markers"][0][0] == 299  # one mini-batch loss per step
    set_value(duo, "batch-size", 0)  # the full batch: plain gradient descent
    until(lambda: "batch" not in query(duo), timeout=10)
    duo.wait_for_element("#loss-kind-wrap[hidden]")
    assert duo.get_logs() == []


def test_map001_basin_map_layer_legend_and_modes(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=himmelblau&opt=adam&lr=0.05&x0=-0.3&y0=-0.9&steps=200")
    wait_drawn(duo, 1)
    open_section_of(duo, "#basin-button")
    duo.find_element("#basin-grid input[value='50']").click()
    duo.driver.execute_script(WATCH_DISABLED, "basin-button")
    duo.find_element("#basin-button").click()
    duo.wait_for_contains_text("#map-status", "Basin map: Adam, 50 × 50 starts × 200 steps", timeout=20)
    duo.wait_for_contains_text("#basin-legend", "Adam: basin: where each start ends")
    legend = duo.find_element("#basin-legend").text
    assert legend.count("minimum ") == 4 and "(3.00, 2.00)" in legend
    traces = read_traces(duo, "contour")
    assert traces[1]["type"] == "heatmap" and traces[1]["visible"] is True and traces[0]["coloring"] == "none"
    assert duo.driver.execute_script("return window.__disabledSeen") is True  # while it ran
    assert duo.find_element("#basin-button").is_enabled()  # enabled again once the map is in
    # the map's loss colours are gone (level lines only): so is their key, as in the PNG export
    assert not duo.find_element("#colour-key").is_displayed() and duo.find_element("#basin-legend").is_displayed()
    duo.find_element("#basin-mode input[value='steps']").click()
    duo.wait_for_contains_text("#basin-legend", "steps to converge")
    assert not duo.find_element("#colour-key").is_displayed()
    # moving the start keeps the map (it does not depend on the start)...
    key = paths_key(duo)
    duo.click_at_coord_fractions("#contour .nsewdrag", 0.8, 0.2)
    until(lambda: paths_key(duo) != key, timeout=10)
    wait_drawn(duo, 1)
    assert read_traces(duo, "contour")[1]["visible"] is True and duo.find_element("#basin-legend").text
    # ...any other change makes it stale: the layer and its legend go
    set_value(duo, "momentum", 0.5)
    until(lambda: read_traces(duo, "contour")[1]["visible"] is False, timeout=10, msg="the stale layer stayed")
    duo.wait_for_text_to_equal("#basin-legend", "")
    assert read_traces(duo, "contour")[0]["coloring"] == "fill"
    assert duo.find_element("#colour-key").is_displayed() and "loss" in duo.find_element("#colour-key").text
    assert duo.get_logs() == []


def test_map002_stability_map_click_sets_the_sliders(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)  # the default scene: Adam has its own lr (0.05) there
    assert query(duo)["adam.lr"] == "0.05"
    open_section_of(duo, "#stability-button")
    set_value(duo, "map-optimizer", "adam")
    duo.find_element("#stability-button").click()
    duo.wait_for_element("#stability-panel:not([hidden])", timeout=20)
    duo.wait_for_contains_text("#map-status", "Stability map: 50 × 41 settings × 300 steps", timeout=20)
    until(lambda: len(read_traces(duo, "stability-map") or []) == 3, timeout=10)
    # read in the page: Plotly may redraw the title between finding it and reading it (a stale element)
    until(lambda: "β₁" in duo.driver.execute_script(
        "const t = document.querySelector('#stability-map .ytitle'); return t ? t.textContent : '';"), timeout=10,
          msg="the stability map's y axis is not β₁")
    duo.driver.execute_script("document.getElementById('stability-panel').scrollIntoView();")
    duo.click_at_coord_fractions("#stability-map .nsewdrag", 0.35, 0.5)  # lr about 10^-2.9, β₁ about 0.5
    until(lambda: "adam.lr" not in query(duo), timeout=10, msg="Adam kept its own lr")
    lr, beta1 = float(query(duo)["lr"]), float(query(duo)["momentum"])
    assert 10 ** -3.6 < lr < 10 ** -2.3 and 0.35 < beta1 < 0.65
    assert round(beta1 / 0.02, 6) == round(beta1 / 0.02)      # exactly a cell's value
    duo.wait_for_text_to_equal("#lr-value", "= " + query(duo)["lr"])  # the label shows what the link holds
    # The 3-D view redraws only while it is on screen, and the click scrolled the stability map into view:
    # back to the top, where the map, the 3-D view and the loss curve all show the new scene.
    duo.driver.execute_script("window.scrollTo(0, 0);")
    wait_drawn(duo, 3)
    ring = ("const gd = document.querySelector('#stability-map .js-plotly-plot');"
            "return [gd.data[2].x[0], gd.data[2].y[0]];")
    until(lambda: duo.driver.execute_script(ring) == [pytest.approx(np.log10(lr)), pytest.approx(beta1)], timeout=10,
          msg="the ring did not move to the clicked cell")
    assert duo.get_logs() == []


def test_map003_a_links_scene_gives_the_maps_its_own_optimizer(gradscape_link):
    """A link whose scene has no SGD: the maps' optimizer is the scene's first run, as the page opens."""
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=rosenbrock&opt=adam,momentum")
    wait_drawn(duo, 2, views=FLAT_VIEWS)
    open_section_of(duo, "#stability-button")
    assert duo.find_element("#map-optimizer").text.splitlines()[0] == "Adam"
    duo.find_element("#stability-button").click()
    duo.wait_for_contains_text("#map-status", "Stability map:", timeout=20)
    duo.wait_for_contains_text("#stability-map .gtitle", "Adam on Rosenbrock", timeout=10)
    assert duo.get_logs() == []
