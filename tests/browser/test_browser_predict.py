"""Teaching links: predict first (predict=1) and the step shown (t=), both in the address bar."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from gradscape_page import current_step, query, wait_drawn

pytestmark = pytest.mark.browser

SCENE = "/?landscape=bowl&opt=sgd,adam&lr=0.1&x0=-1.5&y0=1.2&steps=40"


def _results_hidden(duo) -> bool:
    return duo.driver.execute_script(
        "return getComputedStyle(document.getElementById('results')).visibility === 'hidden';")


def test_url101_predict_first_opens_at_step_0_with_the_results_hidden_until_the_end(gradscape):
    duo = gradscape
    duo.wait_for_page(url=duo.server_url + SCENE + "&predict=1")
    wait_drawn(duo, 2)
    duo.wait_for_text_to_equal("#frame-label", "step 0 / 40")
    WebDriverWait(duo.driver, 10).until(lambda d: _results_hidden(duo))
    assert duo.find_element("#reveal").is_displayed()
    assert query(duo).get("predict") == "1"
    duo.find_element("#play").click()
    duo.wait_for_text_to_equal("#frame-label", "step 40 / 40", timeout=20)
    WebDriverWait(duo.driver, 10).until(lambda d: not _results_hidden(duo))
    assert not duo.find_element("#reveal").is_displayed()
    assert duo.get_logs() == []


def test_url102_reveal_shows_the_results_before_the_end(gradscape):
    duo = gradscape
    duo.wait_for_page(url=duo.server_url + SCENE + "&predict=1")
    wait_drawn(duo, 2)
    WebDriverWait(duo.driver, 10).until(lambda d: _results_hidden(duo))
    duo.find_element("#reveal").click()
    WebDriverWait(duo.driver, 10).until(lambda d: not _results_hidden(duo))
    assert current_step(duo) == 0
    assert duo.get_logs() == []


def test_url103_the_link_holds_the_step_shown_and_opens_there(gradscape):
    duo = gradscape
    duo.wait_for_page(url=duo.server_url + SCENE + "&t=12")
    wait_drawn(duo, 2)
    duo.wait_for_text_to_equal("#frame-label", "step 12 / 40")
    WebDriverWait(duo.driver, 10).until(lambda d: query(duo).get("t") == "12")
    assert not _results_hidden(duo)
    duo.find_element("#step-forward").click()
    WebDriverWait(duo.driver, 10).until(lambda d: query(duo).get("t") == "13")
    duo.find_element("#play").click()  # to the end: the scene's default step, left out of the link
    duo.wait_for_text_to_equal("#frame-label", "step 40 / 40", timeout=20)
    WebDriverWait(duo.driver, 10).until(lambda d: "t" not in query(duo))
    assert query(duo)["steps"] == "40"
    assert duo.get_logs() == []


def test_ctrl101_lr_snaps_to_1_2_5_and_any_rate_can_be_typed(gradscape):
    from gradscape_page import type_into

    duo = gradscape
    duo.wait_for_page(url=duo.server_url + SCENE)
    wait_drawn(duo, 2)
    duo.click_at_coord_fractions("#lr", 0.37, 0.25)  # between marks: lands on one of 1, 2, 5 × 10^k
    WebDriverWait(duo.driver, 10).until(lambda d: query(duo).get("lr") != "0.1")
    lr = float(query(duo)["lr"])
    assert f"{lr:.0e}"[0] in "125" and float(f"{lr:.0e}") == lr, lr
    WebDriverWait(duo.driver, 10).until(lambda d: duo.find_element("#lr-text").get_attribute("value") == f"{lr:g}")
    type_into(duo, "#lr-text", "0.0037")
    WebDriverWait(duo.driver, 10).until(lambda d: query(duo).get("lr") == "0.0037")
    duo.wait_for_text_to_equal("#lr-value", "= 0.0037")
    type_into(duo, "#lr-text", "fast")
    duo.wait_for_contains_text("#message", "lr: 'fast' is not a learning rate in")
    WebDriverWait(duo.driver, 10).until(lambda d: duo.find_element("#lr-text").get_attribute("value") == "0.0037")
    assert query(duo)["lr"] == "0.0037"
    type_into(duo, "#lr-text", "50")
    duo.wait_for_contains_text("#message", "lr: '50' is not a learning rate in")
    assert query(duo)["lr"] == "0.0037"
    assert duo.get_logs() == []
