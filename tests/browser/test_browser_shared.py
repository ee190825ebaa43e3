"""The rules Python and the page's JavaScript share, run in the browser against their Python twins:
the number format (scene_fields.format_number), path thinning (payload.thin_index) and the loss
curve's transform (figures.loss_values). Their numbers come from ui/web/shared.py."""

from pathlib import Path

import numpy as np
import pytest

from ui.model import payload
from ui.model import scene_fields as F
from ui.views import figures
from ui.web import shared

pytestmark = pytest.mark.browser

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
