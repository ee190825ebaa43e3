"""The rules Python and the page's JavaScript share, run in the browser against their Python twins:
the number format (scene_fields.format_number), path thinning (payload.thin_index), the loss
curve's transform (figures.loss_values), the lr slider's log scale (controls.slider_to_lr and
lr_to_slider) and the link's view flags' order (scene.encode_view). Their numbers come from
ui/web/shared.py."""

from pathlib import Path

import numpy as np
import pytest

from dash.testing.wait import until

from gradscape_page import query, set_value, wait_drawn
from ui.model import payload
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.views import figures
from ui.web import controls as C
from ui.web import shared

pytestmark = [pytest.mark.browser, pytest.mark.minified]  # the page users get (conftest.py)

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _page(duo):
    """A blank page with the shared script, share.js and animation.js loaded as the app loads them."""
    duo.driver.get("about:blank")
    stub = "window.dash_clientside = {no_update: {}, callback_context: {triggered: []}, set_props: function () {}};"
    for src in (shared.script(), stub, (ASSETS / "share.js").read_text(), (ASSETS / "animation.js").read_text()):
        duo.driver.execute_script(src)
    return duo.driver


NUMBERS = [0.001, 0.0001, 1e-5, 1.23456e-5, 0.0012345, 0.002, 0.005, 12345.6, 1234.5678, -1.5, 0.9, 10.0,
           2.5e-7, 0.00020000001, 123456789.0, -0.000123456, 3.0, 1e30, 0.1 + 0.2]


def test_shared101_labels_and_the_link_write_numbers_by_one_rule(dash_duo):
    driver = _page(dash_duo)
    js = driver.execute_script("return arguments[0].map(window.gradscapeNumber)", NUMBERS)
    assert js == [F.format_number(v) for v in NUMBERS]
    # the lr label shows the rate the link holds (it showed 3 digits against the link's 4)
    share = "window.dash_clientside.share"
    for lr in (0.0001, 0.002, 0.001023, 0.0123456, 5.0):
        label = driver.execute_script(f"return {share}.lrValue(Math.log10(arguments[0]))", lr)
        assert label == "= " + F.format_number(lr), lr
    assert driver.execute_script(f"return {share}.sliderValue(0.123456)") == "= " + F.format_number(0.123456)
    assert dash_duo.get_logs() == []


def test_shared102_a_path_is_thinned_in_the_browser_as_python_thins_it(dash_duo):
    driver = _page(dash_duo)
    limit = payload.PATH_POINTS
    for n in (1, 2, 3, limit, limit + 1, limit + 2, 2 * limit + 1, 2001, 3000, 4999):
        js = driver.execute_script("return window.gradscape.rules.thinIndex(arguments[0], arguments[1])", n, limit)
        assert js == payload.thin_index(n, limit).tolist(), n
    assert dash_duo.get_logs() == []


def test_shared103_the_loss_curve_transform_is_pythons(dash_duo):
    driver = _page(dash_duo)
    loss = np.array([5.0, 1.0, 1e-3, 2.5e-9, 0.0, -1e-3, 1e12])
    for log_y, offset, floor in ((True, 0.0, figures.LOSS_FLOOR), (True, -0.5, 1e-6), (False, 0.0, figures.LOSS_FLOOR)):
        js = driver.execute_script(
            "return Array.from(window.gradscape.rules.lossValues(Float64Array.from(arguments[0]), arguments[1]))",
            loss.tolist(), {"log": log_y, "offset": offset, "floor": floor})
        assert js == figures.loss_values(loss, log_y, offset, floor).tolist()
    assert dash_duo.get_logs() == []


def _notches_and_grid() -> list:
    """Every notch of the lr slider, then a fine grid over its whole range (a typed rate puts the
    slider anywhere on it)."""
    scale = C.lr_slider_scale()
    grid = np.linspace(scale["min"], scale["max"], 601).tolist()
    return scale["stops"] + grid + [-2.0 + 1e-12, -1e-15, 0.3010299956639812]


def test_shared104_the_lr_slider_reads_as_python_reads_it_at_every_notch(dash_duo):
    """One rule for the log10 lr slider: the JS turns every slider value into the rate Python does,
    its label is the rate the link holds (4 significant digits), and each rate goes back to the slider
    value Python gives it."""
    driver = _page(dash_duo)
    values = _notches_and_grid()
    url, share = "window.gradscapeUrl", "window.dash_clientside.share"
    js_lr = driver.execute_script(f"return arguments[0].map({url}.sliderToLr)", values)
    labels = driver.execute_script(f"return arguments[0].map({share}.lrValue)", values)
    assert len(C.lr_slider_scale()["stops"]) == 19
    for v, lr, label in zip(values, js_lr, labels):
        assert lr == C.slider_to_lr(v), v
        assert label == "= " + F.format_number(C.slider_to_lr(v)), v
        linked = dict(p.split("=", 1) for p in S.encode(S.default_scene().replace(lr=C.slider_to_lr(v))).split("&"))
        assert label == "= " + linked["lr"], v
    rates = [C.slider_to_lr(v) for v in values]
    js_back = driver.execute_script(f"return arguments[0].map({url}.lrToSlider)", rates)
    assert js_back == [C.lr_to_slider(lr) for lr in rates]
    given = driver.execute_script("return window.gradscapeShared.lrSlider")
    assert given == C.lr_slider_scale()
    assert [C.slider_to_lr(v) for v in given["stops"]] == C.lr_stops()
    assert dash_duo.get_logs() == []


# (search, key, value) -> the search the one writer makes: replaced in place, inserted in encode_view's order
SET_PARAM = [
    ("?landscape=bowl&opt=sgd&t=5", "weight", "2.weight[0]", "?landscape=bowl&opt=sgd&weight=2.weight[0]&t=5"),
    ("?landscape=bowl&lesson=one&teach=1", "weight", "0.bias[1]",
     "?landscape=bowl&lesson=one&weight=0.bias[1]&teach=1"),
    ("?a=1&weight=0.bias[1]&teach=1&t=3", "weight", "1.weight[2]", "?a=1&weight=1.weight[2]&teach=1&t=3"),
    ("?a=1&weight=0.bias[1]&t=3", "weight", None, "?a=1&t=3"),
    ("?a=1&weight=0.bias[1]&t=3", "t", "", "?a=1&weight=0.bias[1]"),
    ("?a=1&teach=1&present=1", "t", "7", "?a=1&teach=1&present=1&t=7"),
    ("?a=1&t=2&b=2&t=4", "t", "9", "?a=1&t=9&b=2"),
    ("?a=1&b=2", "c", "3", "?a=1&b=2&c=3"),
    ("", "t", "0", "?t=0"),
    ("?t=1", "t", None, ""),
]


@pytest.mark.parametrize("search, key, value, expected", SET_PARAM)
def test_shared105_one_writer_sets_a_link_parameter_and_keeps_the_others_in_order(dash_duo, search, key, value,
                                                                                 expected):
    driver = _page(dash_duo)
    got = driver.execute_script("return window.gradscapeUrl.setParam(arguments[0], arguments[1], arguments[2])",
                                search, key, value)
    assert got == expected
    assert driver.execute_script("return window.gradscapeShared.viewOrder") == shared.view_order()


def test_shared106_weight_and_t_written_in_any_order_give_pythons_link(dash_duo):
    """The browser adds weight= and t= to a link Python wrote, in either order: the result is the link
    Python writes for the whole view (scene.link)."""
    driver = _page(dash_duo)
    scene = S.parse("landscape=net_moons&opt=sgd&hidden=4&steps=20")[0]
    for flags in ({}, {"lesson": "one-weight"}, {"teach": True, "present": True},
                  {"lesson": "one-weight", "predict": True}):
        view = {**S.VIEW_DEFAULTS, **flags}
        start = "?" + S.link(scene, view)
        whole = "?" + S.link(scene, {**view, "weight": "2.weight[1]", "t": 12})
        for order in (("weight", "t"), ("t", "weight")):
            search = start
            for key in order:
                search = driver.execute_script("return window.gradscapeUrl.setParam(arguments[0], arguments[1], "
                                               "arguments[2])", search, key, {"weight": "2.weight[1]", "t": "12"}[key])
            assert search == whole, (flags, order)
    assert dash_duo.get_logs() == []


def test_shared107_the_lr_label_is_the_links_lr_at_every_notch_on_the_page(gradscape_link):
    """On the page: the lr slider at each of its notches, its label and the link's lr= agree."""
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=bowl&opt=sgd&lr=0.001&steps=20")
    wait_drawn(duo, 1, views=("contour",))
    for notch in C.lr_slider_scale()["stops"]:
        expected = F.format_number(C.slider_to_lr(notch))
        set_value(duo, "lr", notch)
        until(lambda: query(duo).get("lr") == expected, timeout=20, msg=f"lr={expected} not in the link")
        duo.wait_for_text_to_equal("#lr-value", "= " + expected)
        assert duo.find_element("#lr-text").get_attribute("value") == expected
    assert duo.get_logs() == []
