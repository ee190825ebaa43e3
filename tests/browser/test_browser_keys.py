"""The keys after mouse use (issue 13): Space, ← →, Home drive playback whatever the mouse did,
never a control's value; Tab gives a control its own keys and Escape gives them back; no press
is dropped. One test per case the issue reproduced (assets/keys.js)."""

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from gradscape_page import FLAT_VIEWS, current_step, query, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.minified]  # the page users get (conftest.py)

ACTIVE = "return document.activeElement === document.body ? 'body' : " \
         "(document.activeElement.id || document.activeElement.className || document.activeElement.tagName)"


def press(duo, *keys):
    ActionChains(duo.driver).send_keys(*keys).perform()


def at_step(duo, k, steps=300):
    duo.wait_for_text_to_equal("#frame-label", f"step {k} / {steps}")


def focus_is_on_page(duo) -> bool:
    return duo.driver.execute_script(ACTIVE) == "body"


def _scene_of(duo) -> dict:
    """The link's scene: everything in it but the step shown (t=, which playing rightly moves)."""
    return {k: v for k, v in query(duo).items() if k != "t"}


def test_key101_click_step_button_then_arrows_keep_stepping(gradscape):
    duo = gradscape
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    at_step(duo, 300)
    duo.find_element("#restart").click()
    at_step(duo, 0)
    duo.find_element("#step-forward").click()  # the mouse: one step
    at_step(duo, 1)
    until(lambda: focus_is_on_page(duo), timeout=5, msg="the clicked button kept the focus")
    press(duo, Keys.ARROW_RIGHT)
    at_step(duo, 2)
    press(duo, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    at_step(duo, 4)
    press(duo, Keys.ARROW_LEFT)
    at_step(duo, 3)
    assert duo.get_logs() == []


def test_key102_click_play_then_home_goes_back_to_step_0(gradscape):
    duo = gradscape
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    duo.driver.execute_script("window.dash_clientside.set_props('speed', {value: 0});")  # 5 steps/s
    duo.find_element("#play").click()
    duo.wait_for_text_to_equal("#play", "❚❚ Pause")
    until(lambda: current_step(duo) >= 2, timeout=10, msg="play did not advance")
    press(duo, Keys.SPACE)  # pause: the key goes to the page, not to the Play button
    duo.wait_for_text_to_equal("#play", "▶ Play")
    paused_at = current_step(duo)
    assert paused_at > 0
    press(duo, Keys.HOME)
    at_step(duo, 0)
    assert duo.get_logs() == []


def test_key103_tick_nesterov_then_space_plays_and_leaves_the_box_ticked(gradscape):
    duo = gradscape
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    box = duo.find_element(".optimizer-list input[value='nesterov']")
    box.click()
    until(lambda: "nesterov" in query(duo).get("opt", ""), timeout=10, msg="Nesterov was not added")
    wait_drawn(duo, 4, views=("contour",))
    link = _scene_of(duo)
    duo.driver.execute_script("window.dash_clientside.set_props('speed', {value: 0});")
    press(duo, Keys.SPACE)
    duo.wait_for_text_to_equal("#play", "❚❚ Pause")
    press(duo, Keys.SPACE)
    duo.wait_for_text_to_equal("#play", "▶ Play")
    assert box.is_selected()
    assert _scene_of(duo) == link  # the scene is the same: nothing was recomputed
    assert duo.get_logs() == []


def test_key104_drag_momentum_then_home_changes_neither_the_value_nor_the_link(gradscape):
    duo = gradscape
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    thumb = duo.find_element("#momentum [role=slider]")
    ActionChains(duo.driver).click_and_hold(thumb).move_by_offset(-40, 0).release().perform()
    until(lambda: query(duo).get("momentum") not in (None, "0.9"), timeout=10, msg="the drag did not move momentum")
    until(lambda: duo.driver.execute_script("return !document.documentElement.classList.contains('gs-working')"),
          timeout=15, msg="the new scene was not drawn")
    value, link = thumb.get_attribute("aria-valuenow"), _scene_of(duo)
    assert focus_is_on_page(duo)
    press(duo, Keys.HOME)
    at_step(duo, 0)
    press(duo, Keys.ARROW_RIGHT)
    at_step(duo, 1)
    assert thumb.get_attribute("aria-valuenow") == value
    assert _scene_of(duo) == link
    assert duo.get_logs() == []


def test_key105_sixty_quick_presses_make_sixty_steps(gradscape):
    duo = gradscape
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    press(duo, Keys.HOME)
    at_step(duo, 0)
    press(duo, *([Keys.ARROW_RIGHT] * 60))
    at_step(duo, 60)
    until(lambda: duo.driver.execute_script("return window.gradscape.frame") == 60, timeout=5)
    # the scrubber ends where the keys left it, and stays there
    until(lambda: duo.find_element("#frame [role=slider]").get_attribute("aria-valuenow") == "60", timeout=5)
    at_step(duo, 60)
    press(duo, *([Keys.ARROW_LEFT] * 25))
    at_step(duo, 35)
    assert duo.get_logs() == []


def test_key106_tab_into_a_control_gets_its_keys_and_escape_returns_to_the_page(gradscape):
    duo = gradscape
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    at_step(duo, 300)
    thumb = duo.find_element("#momentum [role=slider]")
    before = thumb.get_attribute("aria-valuenow")
    # From the learning-rate slider, Tab on to the momentum slider, as a keyboard user gets there.
    duo.driver.execute_script("document.querySelector('#lr [role=slider]').focus();")
    for _ in range(6):
        if duo.driver.execute_script("return document.activeElement") == thumb:
            break
        press(duo, Keys.TAB)
    assert duo.driver.execute_script("return document.activeElement") == thumb, "Tab did not reach the slider"
    press(duo, Keys.ARROW_LEFT)  # the slider's own key: momentum moves, the step does not
    until(lambda: thumb.get_attribute("aria-valuenow") != before, timeout=5, msg="the slider ignored its key")
    at_step(duo, 300)
    press(duo, Keys.ESCAPE)
    until(lambda: focus_is_on_page(duo), timeout=5, msg="Escape left the focus on the slider")
    moved = thumb.get_attribute("aria-valuenow")
    press(duo, Keys.ARROW_LEFT)  # the page's key again
    at_step(duo, 299)
    assert thumb.get_attribute("aria-valuenow") == moved
    assert duo.get_logs() == []
