"""Teaching links: predict first (predict=1) and the step shown (t=), both in the address bar."""

import pytest
from dash.testing.wait import until

from gradscape_page import FLAT_VIEWS, current_step, page_idle, query, read_graph, read_overlay, shown_step, wait_drawn

pytestmark = pytest.mark.browser

SCENE = "/?landscape=bowl&opt=sgd,adam&lr=0.1&x0=-1.5&y0=1.2&steps=40"


def _results_hidden(duo) -> bool:
    return duo.driver.execute_script(
        "return getComputedStyle(document.getElementById('results')).visibility === 'hidden';")


def test_url101_predict_first_opens_at_step_0_with_the_results_hidden_until_the_end(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + SCENE + "&predict=1")
    wait_drawn(duo, 2, views=FLAT_VIEWS)
    duo.wait_for_text_to_equal("#frame-label", "step 0 / 40")
    until(lambda: _results_hidden(duo), timeout=10)
    assert duo.find_element("#reveal").is_displayed()
    assert query(duo).get("predict") == "1"
    duo.find_element("#play").click()
    duo.wait_for_text_to_equal("#frame-label", "step 40 / 40", timeout=20)
    until(lambda: not _results_hidden(duo), timeout=10)
    assert not duo.find_element("#reveal").is_displayed()
    assert duo.get_logs() == []


def test_url102_reveal_shows_the_results_before_the_end(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + SCENE + "&predict=1")
    wait_drawn(duo, 2, views=FLAT_VIEWS)
    until(lambda: _results_hidden(duo), timeout=10)
    duo.find_element("#reveal").click()
    until(lambda: not _results_hidden(duo), timeout=10)
    assert current_step(duo) == 0
    assert duo.get_logs() == []


def test_url103_the_link_holds_the_step_shown_and_opens_there(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + SCENE + "&t=12")
    wait_drawn(duo, 2, views=FLAT_VIEWS)
    # The page's own state, not the address bar (which holds t=12 from the start, whatever the page
    # shows): its step is the link's, the map's markers stand on step 12, and the opening's scene
    # request has been answered, so no late answer can move the step under the click below.
    until(lambda: shown_step(duo) == 12 and page_idle(duo), timeout=20,
          msg="the page did not settle on the link's step 12")
    duo.wait_for_text_to_equal("#frame-label", "step 12 / 40")
    ghosts = read_graph(duo, "contour")["ghost"]
    until(lambda: read_overlay(duo, "contour")["markers"] == [[g["x"][12], g["y"][12]] for g in ghosts], timeout=5,
          msg="the map's markers are not at step 12")
    assert query(duo).get("t") == "12" and not _results_hidden(duo)
    duo.find_element("#step-forward").click()
    duo.wait_for_text_to_equal("#frame-label", "step 13 / 40")
    until(lambda: query(duo).get("t") == "13", timeout=10, msg="t= did not follow the step")
    duo.find_element("#play").click()  # to the end: the scene's default step, left out of the link
    duo.wait_for_text_to_equal("#frame-label", "step 40 / 40", timeout=20)
    until(lambda: "t" not in query(duo), timeout=10, msg="t= stayed in the link at the last step")
    assert query(duo)["steps"] == "40"
    assert duo.get_logs() == []


def test_ctrl101_lr_snaps_to_1_2_5_and_any_rate_can_be_typed(gradscape_link):
    from gradscape_page import type_into

    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + SCENE)
    wait_drawn(duo, 2, views=FLAT_VIEWS)
    duo.click_at_coord_fractions("#lr", 0.37, 0.25)  # between marks: lands on one of 1, 2, 5 × 10^k
    until(lambda: query(duo).get("lr") != "0.1", timeout=10)
    lr = float(query(duo)["lr"])
    assert f"{lr:.0e}"[0] in "125" and float(f"{lr:.0e}") == lr, lr
    until(lambda: duo.find_element("#lr-text").get_attribute("value") == f"{lr:g}", timeout=10)
    type_into(duo, "#lr-text", "0.0037")
    until(lambda: query(duo).get("lr") == "0.0037", timeout=10)
    duo.wait_for_text_to_equal("#lr-value", "= 0.0037")
    type_into(duo, "#lr-text", "fast")
    duo.wait_for_contains_text("#message", "lr: 'fast' is not a learning rate in")
    until(lambda: duo.find_element("#lr-text").get_attribute("value") == "0.0037", timeout=10)
    assert query(duo)["lr"] == "0.0037"
    type_into(duo, "#lr-text", "50")
    duo.wait_for_contains_text("#message", "lr: '50' is not a learning rate in")
    assert query(duo)["lr"] == "0.0037"
    assert duo.get_logs() == []


_FIT = """
var gd = document.querySelector('#fit .js-plotly-plot'), panel = document.getElementById('fit-panel');
if (!gd || !gd.data || panel.hidden) { return null; }
var lines = gd.data.filter(function (t) { return t.meta && t.meta.role === 'fit'; });
return {step: gd.getAttribute('data-step'), shown: panel.offsetHeight > 50,
        lines: lines.map(function (t) { return {x: Array.from(t.x), y: Array.from(t.y)}; }),
        runs: window.gradscape.runs.map(function (r) { return [Array.from(r.x), Array.from(r.y)]; }),
        xrange: gd.layout.meta.xrange, title: document.querySelector('#contour .xtitle').textContent};
"""


def test_fit101_a_regression_shows_its_data_and_each_runs_line_moving_with_the_step(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=linear_regression&opt=sgd,adam&lr=0.05&steps=40&t=0")
    wait_drawn(duo, 2, views=FLAT_VIEWS)
    duo.wait_for_text_to_equal("#frame-label", "step 0 / 40")
    until(lambda: (duo.driver.execute_script(_FIT) or {}).get("step") == "0", timeout=15)
    fit = duo.driver.execute_script(_FIT)
    assert fit["shown"] and fit["title"] == "w" and len(fit["lines"]) == 2

    def line_at(fit, i, k):
        w, b = fit["runs"][i][0][k], fit["runs"][i][1][k]
        return [w * x + b for x in fit["xrange"]]

    assert fit["lines"][0]["y"] == pytest.approx(line_at(fit, 0, 0), rel=1e-6)
    for _ in range(5):
        duo.find_element("#step-forward").click()
    duo.wait_for_text_to_equal("#frame-label", "step 5 / 40")
    until(lambda: duo.driver.execute_script(_FIT)["step"] == "5", timeout=15)
    fit = duo.driver.execute_script(_FIT)
    assert fit["lines"][1]["y"] == pytest.approx(line_at(fit, 1, 5), rel=1e-6)
    assert fit["lines"][1]["y"] != pytest.approx(line_at(fit, 1, 0), rel=1e-3)
    assert duo.get_logs() == []
