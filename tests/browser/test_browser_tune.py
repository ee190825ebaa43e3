"""Issue 15 in the browser: Tune each sets every chosen optimizer's lr, the plot shows why, the link keeps it."""

import json

import pytest
from dash.testing.wait import until

from gradscape_page import FLAT_VIEWS, paths_key, query, read_traces, wait_drawn
from ui.model import lessons, tuning
from ui.model import scene_fields as F
from ui.web import ids

pytestmark = pytest.mark.browser


def lr_box(duo, name):
    """An optimizer's own lr box (Dash writes a pattern-matching id as its JSON, keys sorted)."""
    id_ = json.dumps({"index": name, "key": "lr", "type": ids.OPT_HYPER}, separators=(",", ":"))
    return duo.driver.execute_script("return document.getElementById(arguments[0]);", id_)


def tune_roles(duo):
    return [(t["meta"] or {}).get("role") for t in read_traces(duo, ids.TUNE_PLOT) or []]


def test_tune001_tune_each_sets_every_lr_draws_the_plot_and_the_link_holds_it(gradscape_link):
    duo = gradscape_link
    lesson = lessons.get("tuned-fairly")
    duo.wait_for_page(url=duo.server_url + "/" + lesson.link())
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    expected = {name: F.format_number(lr) for name, lr in tuning.tuned_lrs(tuning.tune_scene(lesson.scene)).items()}
    assert set(expected) == {"sgd", "momentum", "adam"}
    assert all(f"{n}.lr" not in query(duo) for n in expected)  # the lesson's link sets no optimizer's own lr
    untuned = paths_key(duo)
    assert duo.find_element(f"#{ids.TUNE_PANEL}").get_attribute("hidden") == "true"

    duo.find_element(f"#{ids.TUNE_BUTTON}").click()
    duo.wait_for_contains_text(f"#{ids.TUNE_STATUS}", "Tuned (whole run, 41 rates", timeout=60)
    duo.wait_for_element(f"#{ids.TUNE_PANEL}:not([hidden])")
    until(lambda: tune_roles(duo) == ["curve", "best", "off"] * 3, timeout=10, msg="the lr-sensitivity plot")
    duo.wait_for_contains_text(f"#{ids.TUNE_BUDGET}", "Same budget for all: 300 steps from (−1.5, 2) on Rosenbrock, "
                                                      "41 rates 10⁻⁴…1")
    duo.wait_for_contains_text(f"#{ids.TUNE_BUDGET}", "Score: mean log₁₀(loss − f*) over the run")
    for name, text in expected.items():
        duo.wait_for_contains_text(f"#{ids.TUNE_BEST} li[data-run='{name}']", f"best lr {text} (score −")
    # Every lr box holds its tuned rate, the scene follows, and so does the link.
    for name, text in expected.items():
        assert lr_box(duo, name).get_attribute("value") == text, name
    until(lambda: {n: query(duo).get(f"{n}.lr") for n in expected} == expected, timeout=15,
          msg="the link does not hold the tuned rates")
    until(lambda: paths_key(duo) != untuned, timeout=15, msg="the paths were not redrawn with the tuned rates")
    wait_drawn(duo, 3, views=FLAT_VIEWS)

    # Another score, another click: Adam's best final loss comes at another rate, and the link follows again.
    duo.find_element(f"#{ids.TUNE_SCORE} input[value='final_loss']").click()
    final = {name: F.format_number(lr)
             for name, lr in tuning.tuned_lrs(tuning.tune_scene(lesson.scene, "final_loss")).items()}
    assert final["adam"] != expected["adam"]
    duo.find_element(f"#{ids.TUNE_BUTTON}").click()
    duo.wait_for_contains_text(f"#{ids.TUNE_STATUS}", "Tuned (final loss, 41 rates", timeout=60)
    until(lambda: query(duo).get("adam.lr") == final["adam"], timeout=15, msg="the link keeps the first tuning")
    assert read_traces(duo, ids.TUNE_PLOT) and lr_box(duo, "adam").get_attribute("value") == final["adam"]
    wait_drawn(duo, 3, views=FLAT_VIEWS)
    assert duo.get_logs() == []
