"""The curvature and the evaluations on the page: a diverging scene says why in numbers and draws the
steep direction; the loss curve against evaluations keeps every playback marker on its run's cost."""

import pytest
from dash.testing.wait import until

from gradscape_page import read_overlay, wait_drawn

pytestmark = pytest.mark.browser

DIVERGING = ("/?landscape=stretched_bowl&opt=adam,momentum&lr=0.01&momentum=0.9&x0=-1.8&y0=0.5&steps=300"
             "&momentum.lr=0.0798")

_STEEP = """
const gd = document.querySelector('#contour .js-plotly-plot');
const i = gd.data.findIndex(t => t.meta && t.meta.steep);
if (i < 0) { return null; }
const t = gd.data[i];
// Plotly draws it: a dashed line (the only one on the map) with a path
const dashed = Array.from(gd.querySelectorAll('.scatterlayer path.js-line'))
    .filter(p => (p.getAttribute('d') || '').length > 0 && /dasharray/.test(p.getAttribute('style') || ''));
return {run: t.meta.steep, x: Array.from(t.x), y: Array.from(t.y), colour: t.line.color,
        visible: gd._fullData[i].visible === true, path: dashed.length === 1};
"""


def test_curv001_a_diverging_scene_says_why_and_draws_the_steep_direction(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + DIVERGING)
    wait_drawn(duo, 2, timeout=40)
    duo.wait_for_contains_text("#message", "Momentum diverged at step", timeout=15)
    text = duo.find_element("#message").text
    assert "γ·λmax = 3.99 > 2(1+μ) = 3.8 from the start (γ = 0.0798, μ = 0.9, λmax = 50)" in text
    assert "steep direction (0.00, 1.00)" in text
    until(lambda: duo.driver.execute_script(_STEEP) is not None, timeout=10, msg="no steep-direction line")
    line = duo.driver.execute_script(_STEEP)
    assert line["run"] == "momentum" and line["visible"] and line["path"]
    assert line["x"] == [pytest.approx(-1.8), pytest.approx(-1.8)] and sum(line["y"]) / 2 == pytest.approx(0.5)
    colour = duo.driver.execute_script("return window.gradscape.runs[1].colour")
    assert line["colour"] == colour
    assert duo.get_logs() == []


def test_curv002_loss_against_evaluations_keeps_each_marker_on_its_runs_evaluations(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=rosenbrock&opt=adam,lbfgs&lr=0.05&steps=30&x0=-1.5&y0=2")
    wait_drawn(duo, 2, timeout=40)
    assert "Gradient evaluations" in duo.find_element("#results thead").text
    evals = duo.driver.execute_script("return Array.from(window.gradscape.runs[1].evals)")
    assert len(evals) == 31 and evals[-1] > 30
    assert duo.find_element('#results tr[data-run="lbfgs"] .cell-evals').text == str(int(evals[-1]))
    duo.find_element("#loss-x input").click()
    loss_x = "return document.querySelector('#loss-curve .js-plotly-plot').layout.meta.lossMap.x"
    until(lambda: duo.driver.execute_script(loss_x) == "evals", timeout=10,
          msg="the loss curve did not switch to evaluations")
    until(lambda: [m[0] for m in read_overlay(duo, "loss-curve")["markers"]] == [30, evals[30]], timeout=10,
          msg="the markers are not at each run's evaluations")
    duo.find_element("#step-back").click()
    duo.wait_for_text_to_equal("#frame-label", "step 29 / 30")
    until(lambda: [m[0] for m in read_overlay(duo, "loss-curve")["markers"]] == [29, evals[29]], timeout=10,
          msg="after a step back the markers are not at step 29's evaluations")
    duo.find_element("#loss-x input").click()   # back to steps: both markers at step 29
    until(lambda: [m[0] for m in read_overlay(duo, "loss-curve")["markers"]] == [29, 29], timeout=10,
          msg="back on the step axis the markers are not at step 29")
    assert read_overlay(duo, "loss-curve")["cursor"] == 29
    assert duo.get_logs() == []
