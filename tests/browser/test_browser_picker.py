"""The optimizer picker in the browser: grouped, searched and ticked by keyboard and by a tap on a
name, at 1024×768 without a name cut off or the sidebar widened, and a 9th is refused with a message."""

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from gradscape_page import FLAT_VIEWS, query, wait_drawn

pytestmark = pytest.mark.browser

EIGHT = "gd,sgd,momentum,nesterov,adagrad,rmsprop,adadelta,adam"

# Per picker row: its text, whether it is wider than its box, sits on more than one line, or leaves
# the sidebar; and the sidebar's width.
_LAYOUT = """
const side = document.querySelector('.sidebar').getBoundingClientRect();
const rows = [...document.querySelectorAll('#optimizers label')].map(l => {
    const text = l.querySelector('.dash-options-list-option-text'), r = text.getBoundingClientRect();
    const line = parseFloat(getComputedStyle(text).lineHeight) || 20;
    return {text: l.innerText.trim(), cut: text.scrollWidth > text.clientWidth + 1 || r.height > 1.6 * line
            || r.right > side.right || r.left < side.left};
});
return {sidebar: side.width, rows};
"""


def visible_names(duo):
    return [r["text"] for r in duo.driver.execute_script(_LAYOUT)["rows"]]


def test_pick001_grouped_searched_by_keyboard_a_ninth_refused_then_a_tap_makes_room(gradscape_link):
    duo = gradscape_link
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    duo.wait_for_page(url=duo.server_url + "/?landscape=bowl&steps=50&opt=" + EIGHT)
    wait_drawn(duo, 8, views=FLAT_VIEWS)
    layout = duo.driver.execute_script(_LAYOUT)
    assert layout["sidebar"] == 300  # the 1024-wide layout's sidebar (assets/screens.css), not widened by the picker
    assert len(layout["rows"]) == 21 + 5 and [r["text"] for r in layout["rows"] if r["cut"]] == []
    assert layout["rows"][0]["text"] == "GRADIENT DESCENT"  # headings from the registry's kinds

    # Keyboard: type a search, Tab to the one match, Space ticks it.
    box = duo.find_element("#optimizer-search")
    box.click()
    box.send_keys("lion")
    until(lambda: visible_names(duo) == ["SIGN AND SCHEDULE-FREE", "Lion"], timeout=10)
    box.send_keys(Keys.TAB)
    focused = duo.driver.switch_to.active_element
    assert focused.get_attribute("value") == "lion"
    focused.send_keys(Keys.SPACE)
    duo.wait_for_contains_text("#message", "at most 8 optimizers in one scene; lion left out", timeout=15)
    duo.wait_for_contains_text("#optimizer-status", "Lion left out", timeout=10)
    assert query(duo)["opt"] == EIGHT  # the scene (and its link) keep their eight

    # While 9 are ticked the unticked wait; untick one (a tap on its name) and the 9th joins the scene.
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    until(lambda: len(visible_names(duo)) == 26, timeout=10)
    assert not duo.find_element("#optimizers input[value='newton']").is_enabled()
    duo.find_element("#optimizers input[value='adam']").find_element(
        "xpath", "ancestor::label").find_element("css selector", ".opt-label").click()
    until(lambda: query(duo).get("opt") == EIGHT.replace(",adam", "") + ",lion", timeout=15)
    wait_drawn(duo, 8, views=FLAT_VIEWS)
    # the warning goes (what stays is the note that GD and SGD share a path without noise)
    until(lambda: "left out" not in duo.find_element("#message").text, timeout=10, msg="the warning stayed")
    assert duo.find_element("#optimizers input[value='newton']").is_enabled()
    assert duo.get_logs() == []
