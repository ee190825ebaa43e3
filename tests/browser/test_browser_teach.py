"""The teaching layer in the browser: the "why" panel follows the step, the keys, the lessons,
presentation mode, and the parameter-groups control."""

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from gradscape_page import (FLAT_VIEWS, class_list, current_step, query, read_graph, read_teach, set_value, wait_drawn,
                            wait_teach)
from ui.model import lessons
from ui.model import scene as S
from ui.model import scene_fields as F

pytestmark = pytest.mark.browser


def press(duo, key):
    ActionChains(duo.driver).send_keys(key).perform()


def fmt(v: float) -> str:
    """The inspector's number format: the page's one format (assets/share.js), the link's."""
    return F.format_number(float(v))


def test_teach001_why_panel_follows_the_step(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?lesson=nesterov-heavy-ball&teach=1")
    duo.wait_for_text_to_equal("#frame-label", "step 150 / 150")
    wait_drawn(duo, 2, views=("contour",))
    assert "teach" in class_list(duo, "#app")
    assert not duo.find_element("#surface").is_displayed()  # the panel stands in for the 3-D view
    t = wait_teach(duo)
    assert t["title"] == "Nesterov" and t["stepText"] == "step 150 (the last point)"
    assert not any(t["arrows"].values())  # no step leaves the last point

    duo.find_element("#step-back").click()
    duo.wait_for_text_to_equal("#frame-label", "step 149 / 150")
    until(lambda: read_teach(duo)["step"] == "149", timeout=5, msg="the inspector did not follow the step")
    t = read_teach(duo)
    ghost = read_graph(duo, "contour")["ghost"][0]
    assert t["rows"]["point"] == [fmt(ghost["x"][149]), fmt(ghost["y"][149])]
    assert set(t["rows"]) >= {"grad", "momentum_buffer", "direction", "lr", "effective_lr", "update"}
    assert t["rows"]["lr"] == ["0.02"] and t["rows"]["effective_lr"] == ["0.02"]
    assert t["arrows"] == {"neg_grad": True, "velocity": True, "step": True, "lookahead": True}
    assert t["sliceStep"] == "149" and t["cursor"] == "149"

    duo.find_element("#restart").click()  # back to step 0, then play: everything follows
    duo.wait_for_text_to_equal("#frame-label", "step 0 / 150")
    until(lambda: read_teach(duo)["step"] == "0", timeout=5)
    set_value(duo, "speed", 2)  # 20 steps/s: paused well before the last step, where no arrow is drawn
    duo.find_element("#play").click()
    until(lambda: int(read_teach(duo)["step"]) > 20, timeout=10, msg="the inspector did not follow playback")
    duo.find_element("#play").click()
    duo.wait_for_text_to_equal("#play", "▶ Play")
    until(lambda: read_teach(duo)["step"] == str(current_step(duo)), timeout=5)
    assert read_teach(duo)["sliceStep"] == str(current_step(duo))

    cards = duo.find_elements("#rules .rule-card")
    assert [c.get_attribute("data-run") for c in cards] == ["nesterov", "momentum"]
    until(lambda: duo.find_element("#rules").get_attribute("data-typeset") == "1", timeout=20,
          msg="MathJax did not typeset the rules")
    assert len(duo.find_elements("#rules .rule-maths mjx-container")) == 2
    assert "Nesterov is torch's form" in duo.find_element("#rules").text
    assert class_list(duo, "#diagram") == ["diagram", "uses-state"]
    assert len(duo.find_elements("#diagram svg .part")) == 11

    duo.find_element("#restart").click()  # a step in the middle, where every arrow of the run is drawn
    duo.find_element("#step-forward").click()
    duo.wait_for_text_to_equal("#frame-label", "step 1 / 150")
    duo.find_element("//label[.//span[text()='Momentum']][ancestor::*[@id='inspect-run']]", "XPATH").click()
    until(lambda: read_teach(duo)["run"] == "momentum" and read_teach(duo)["title"] == "Momentum", timeout=10,
          msg="the inspector did not switch to Momentum")  # the map and the inspector redraw in one frame
    t = wait_teach(duo)
    assert t["title"] == "Momentum" and t["arrows"]["velocity"] and not t["arrows"]["lookahead"]
    duo.find_element("//label[.//span[text()='gradient field']]", "XPATH").click()
    until(lambda: read_teach(duo)["fieldShown"] and read_teach(duo)["field"] == 17 * 17, timeout=5)

    duo.find_element("//span[text()='Why?']", "XPATH").click()  # off: the 3-D view and loss curve are back
    until(lambda: "teach" not in class_list(duo, "#app") and "teach" not in query(duo), timeout=5)
    wait_drawn(duo, 2, views=FLAT_VIEWS)
    assert not any(read_teach(duo)["arrows"].values()) and not read_teach(duo)["fieldShown"]
    assert duo.get_logs() == []


def test_key001_keys_play_step_restart_and_walk_the_lessons_round(gradscape_link):
    duo = gradscape_link
    walk = lessons.LESSONS
    # A teaching lesson's link: its keys step, restart and play; then L opens the next lesson, its
    # scene in the link and on the page (a teaching lesson to a plain one), and from the last one's
    # link (a network) L goes round to the first. Every lesson's link and the order are checked
    # without a browser (test_lessons.py).
    duo.wait_for_page(url=duo.server_url + "/" + walk[1].link())
    _shows_lesson(duo, walk[1])
    steps = walk[1].scene.steps
    for key, step in ((Keys.ARROW_LEFT, steps - 1), (Keys.HOME, 0), (Keys.ARROW_RIGHT, 1)):
        press(duo, key)
        duo.wait_for_text_to_equal("#frame-label", f"step {step} / {steps}")
    press(duo, Keys.SPACE)
    duo.wait_for_text_to_equal("#play", "❚❚ Pause")
    until(lambda: current_step(duo) > 5, timeout=10)
    press(duo, Keys.SPACE)
    duo.wait_for_text_to_equal("#play", "▶ Play")
    assert duo.get_logs() == []
    press(duo, "l")
    _shows_lesson(duo, walk[2])
    duo.driver.get(duo.server_url + "/" + walk[-1].link())
    _shows_lesson(duo, walk[-1])
    press(duo, "L")
    _shows_lesson(duo, walk[0])


def _shows_lesson(duo, lesson):
    until(lambda: query(duo).get("lesson") == lesson.id, timeout=15, msg=f"L did not open {lesson.id}")
    scene = lesson.scene
    duo.wait_for_text_to_equal("#frame-label", f"step {scene.steps} / {scene.steps}")
    wait_drawn(duo, len(scene.optimizers), views=("contour",))
    assert S.parse("?" + "&".join(f"{k}={v}" for k, v in query(duo).items())) == (scene, [])
    titles = [r.find_element("css selector", "td").text for r in duo.find_elements("#results tbody tr")]
    assert len(titles) == len(scene.optimizers)
    assert lesson.title in duo.find_element("#lesson-bar").text
    assert ("teach" in class_list(duo, "#app")) == lesson.teach
    assert duo.get_logs() == []


def test_lesson001_menu_presentation_mode_and_parameter_groups(gradscape):
    duo = gradscape
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    assert duo.find_element("#lesson-bar").get_attribute("hidden") is not None  # no lesson open
    duo.find_element("#lessons summary").click()
    items = duo.find_elements("#lesson-list .lesson-link")
    assert len(items) == len(lessons.LESSONS)
    items[5].click()  # parameter groups on an ill-conditioned bowl
    until(lambda: query(duo).get("lesson") == "groups-bowl", timeout=15)
    wait_drawn(duo, 2, views=("contour",))
    rows = duo.find_elements("#results tbody tr")
    assert [r.find_element("css selector", "td").text for r in rows] == ["SGD (x/y rates)", "Gradient descent"]
    wait_teach(duo)
    duo.find_element("#restart").click()
    until(lambda: read_teach(duo)["step"] == "0", timeout=5)
    assert read_teach(duo)["rows"]["lr"] == ["0.5", "0.01"]  # the inspector shows both rates
    lr_x = duo.find_element("input[id*='\"key\":\"lr_x\"'][id*='\"index\":\"sgd\"']")
    assert lr_x.get_attribute("value") == "0.5"

    duo.find_element("//span[text()='Present']", "XPATH").click()
    until(lambda: "present" in class_list(duo, "#app"), timeout=5)
    until(lambda: query(duo).get("present") == "1", timeout=5)
    assert not any(s.is_displayed() for s in duo.find_elements(".sidebar .section"))
    assert duo.find_element("#next-lesson").get_attribute("href").endswith("lesson=cosine-constant&teach=1&present=1")
    set_value(duo, "speed", 0)  # 5 steps/s: the run lasts long enough to see it playing
    press(duo, Keys.SPACE)  # the switch keeps no focus: space plays, it does not switch presentation off
    duo.wait_for_text_to_equal("#play", "❚❚ Pause")
    press(duo, Keys.SPACE)
    duo.wait_for_text_to_equal("#play", "▶ Play")
    assert "present" in class_list(duo, "#app")
    assert float(duo.driver.execute_script("return parseFloat(getComputedStyle("
                                           "document.querySelector('#contour-overlay .overlay-svg path')).strokeWidth)")) >= 6

    duo.find_element("//span[text()='Present']", "XPATH").click()  # back, and set a rate for y on GD
    until(lambda: "present" not in class_list(duo, "#app") and "present" not in query(duo), timeout=5)
    for details in (duo.find_element("#advanced-section"),
                    duo.find_element("//details[contains(@class,'override-panel')][summary[contains(., 'Gradient')]]",
                                     "XPATH")):
        if details.get_attribute("open") is None:
            details.find_element("css selector", "summary").click()
    box = duo.find_element("input[id*='\"key\":\"lr_y\"'][id*='\"index\":\"gd\"']")
    box.send_keys("0.01", Keys.ENTER)
    until(lambda: query(duo).get("gd.lr_y") == "0.01", timeout=10, msg="the y rate did not reach the link")
    duo.wait_for_contains_text("#results tbody", "Gradient descent (x/y rates)")
    assert query(duo)["lesson"] == "groups-bowl"  # the lesson stays open while the scene changes
    assert duo.get_logs() == []


def test_lesson002_lion_moves_by_lr_and_newton_shows_the_saddles_curvature(gradscape_link):
    """The new optimizers' lessons show their point in the inspector: Lion's update is ±lr at every
    step; Newton's rows give the saddle's eigenvalues, −2 and 2."""
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/" + lessons.get("lion-sign-steps").link())
    wait_drawn(duo, 2, views=("contour",))
    wait_teach(duo)
    assert read_teach(duo)["title"] == "Lion"
    for step in (0, 1, 60, 119):
        set_value(duo, "frame", step)
        until(lambda: read_teach(duo)["step"] == str(step), timeout=5)
        assert [v.lstrip("−-") for v in read_teach(duo)["rows"]["update"]] == ["0.05", "0.05"]

    duo.wait_for_page(url=duo.server_url + "/" + lessons.get("newton-saddle").link())
    wait_drawn(duo, 2, views=("contour",))
    until(lambda: read_teach(duo)["loaded"] and read_teach(duo)["title"] == "Newton", timeout=15)
    set_value(duo, "frame", 0)
    until(lambda: read_teach(duo)["step"] == "0", timeout=5)
    rows = read_teach(duo)["rows"]
    assert rows["eig_min"] == ["−2"] or rows["eig_min"] == ["-2"]
    assert rows["eig_max"] == ["2"] and rows["update"][0] == "1.8"  # x = 0 in one step
    assert duo.get_logs() == []
