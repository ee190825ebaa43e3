"""Playback runs in the browser: play advances the step, the step buttons move exactly one."""

import pytest
from dash.testing.wait import until

from gradscape_page import VIEWS, current_step, markers, read_graph, read_overlay, set_value, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.minified]  # the page users get (conftest.py)


def test_anim001_play_advances_frame_and_moves_markers_in_every_view(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    set_value(duo, "speed", 1)  # 10 steps/s: playback keeps time, so a slow moment is made up at once
    duo.find_element("#play").click()  # at the last step, play starts again from step 0
    until(lambda: 0 < current_step(duo) < 100, timeout=10, msg="play did not start from the beginning")
    early_step, early = current_step(duo), markers(duo)
    until(lambda: current_step(duo) > early_step + 40, timeout=10, msg="play did not advance")
    duo.find_element("#play").click()  # pause
    duo.wait_for_text_to_equal("#play", "▶ Play")
    # The 3-D view follows once playing stops (it never holds up the 2-D views while playing).
    for view in VIEWS:
        until(lambda: markers(duo)[view] != early[view], timeout=10, msg=f"the marker did not move in {view}")
    assert duo.get_logs() == []


def test_anim002_step_buttons_move_exactly_one_step(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    duo.wait_for_text_to_equal("#frame-label", "step 300 / 300")
    duo.find_element("#step-back").click()
    duo.wait_for_text_to_equal("#frame-label", "step 299 / 300")
    duo.find_element("#step-back").click()
    duo.wait_for_text_to_equal("#frame-label", "step 298 / 300")
    duo.find_element("#step-forward").click()
    duo.wait_for_text_to_equal("#frame-label", "step 299 / 300")
    ghost = read_graph(duo, "contour")["ghost"][0]
    until(lambda: read_overlay(duo, "contour")["markers"][0] == [ghost["x"][299], ghost["y"][299]], timeout=5,
          msg="the contour marker is not at step 299")
    assert read_overlay(duo, "contour")["paths"][0] == 300  # the path so far: steps 0..299
    assert read_overlay(duo, "loss-curve")["cursor"] == 299
    assert read_overlay(duo, "loss-curve")["markers"][0][0] == 299
    assert duo.get_logs() == []
