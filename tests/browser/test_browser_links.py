"""A shared link restores its scene; bad values and diverging runs are explained, never fatal."""

import pytest

from gradscape_page import FLAT_VIEWS, VIEWS, query, read_graph, read_overlay, wait_drawn

pytestmark = pytest.mark.browser

SHARED = ("/?landscape=himmelblau&opt=adam,rmsprop&lr=0.05&momentum=0.8&x0=1&y0=-1&steps=200"
          "&schedule=cosine&T_max=100&adam.beta2=0.99")


def test_url001_shared_link_restores_its_scene(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + SHARED)
    duo.wait_for_text_to_equal("#frame-label", "step 200 / 200")
    wait_drawn(duo, 2)
    assert query(duo) == {"landscape": "himmelblau", "opt": "adam,rmsprop", "lr": "0.05", "momentum": "0.8",
                          "x0": "1", "y0": "-1", "steps": "200", "schedule": "cosine", "T_max": "100",
                          "adam.beta2": "0.99"}
    duo.wait_for_contains_text(f"#{'landscape'}", "Himmelblau")
    ghost = read_graph(duo, "contour")["ghost"][0]
    assert (ghost["x"][0], ghost["y"][0]) == (1.0, -1.0)
    rows = duo.find_elements("#results tbody tr")
    assert [r.find_element("css selector", "td").text for r in rows] == ["Adam", "RMSprop"]
    beta2 = duo.find_element("input[id*='\"key\":\"beta2\"'][id*='\"index\":\"adam\"']")
    assert beta2.get_attribute("value") == "0.99"
    assert duo.find_element("#message").text == ""
    assert duo.get_logs() == []


def test_url002_bad_values_fall_back_and_are_named(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?lr=banana&opt=adam,nope&steps=99999")
    duo.wait_for_contains_text("#message", "lr: 'banana' is not a finite number")
    duo.wait_for_contains_text("#message", "'nope'")
    duo.wait_for_contains_text("#message", "steps: '99999' is outside 10..2000")
    wait_drawn(duo, 1)
    assert query(duo)["lr"] == "0.001" and query(duo)["opt"] == "adam" and query(duo)["steps"] == "300"
    assert duo.get_logs() == []


def test_div001_diverging_setting_shows_message_and_no_nan(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=rosenbrock&opt=sgd,adam&lr=0.5&steps=100")
    duo.wait_for_contains_text("#message", "SGD diverged at step")
    duo.wait_for_contains_text("#message", "γ·λmax")  # the cause in numbers (optimizers/curvature.py)
    wait_drawn(duo, 2)
    for view in VIEWS:
        assert read_graph(duo, view)["bad"] is False, f"NaN or inf reached {view}"
    for view in FLAT_VIEWS:
        assert read_overlay(duo, view)["bad"] is False, f"NaN or inf reached the {view} overlay"
    duo.wait_for_contains_text("#results tbody tr:first-child", "at step")
    assert duo.get_logs() == []
