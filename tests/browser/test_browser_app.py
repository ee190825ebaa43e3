"""The page opens on its teaching scene, and the controls change what it shows."""

import pytest
from dash.testing.wait import until

from gradscape_page import VIEWS, query, read_graph, paths_key, wait_drawn

pytestmark = pytest.mark.browser


def test_app001_page_loads_default_scene(gradscape):
    duo = gradscape
    duo.wait_for_text_to_equal("#frame-label", "step 300 / 300")
    wait_drawn(duo, 3)
    rows = duo.find_elements("#results tbody tr")
    assert [r.find_element("css selector", "td").text for r in rows] == ["SGD", "Momentum", "Adam"]
    assert query(duo)["landscape"] == "rosenbrock"
    assert query(duo)["opt"] == "sgd,momentum,adam"
    assert duo.find_element("#message").text == ""
    assert duo.get_logs() == []


_RENDERER = "return [...document.scripts].map(s => s.src).filter(s => s.includes('dash_renderer'))"


def renderer_builds(duo) -> list:
    """The build and extension of each Dash renderer script on the page: ["dev", "js"] or ["min", "js"]."""
    return [src.split("/")[-1].split(".")[-2:] for src in duo.driver.execute_script(_RENDERER)]


def test_app002_the_debug_page_names_a_bad_prop_in_the_console(gradscape):
    """Most browser tests open the page under Dash's dev bundles, whose prop checks turn a bad
    prop into a console error that the test's ``get_logs() == []`` catches."""
    duo = gradscape
    wait_drawn(duo, 3, views=("contour",))
    assert renderer_builds(duo) == [["dev", "js"]]
    duo.driver.execute_script("window.dash_clientside.set_props('speed', {value: 'fast'});")
    until(lambda: any("Invalid argument `value` passed into Slider with ID \"speed\"" in e["message"]
                      for e in duo.get_logs()), timeout=10, msg="the dev bundles did not name the bad prop")


@pytest.mark.minified
def test_app003_a_minified_test_opens_the_page_users_get(gradscape):
    """Tests marked ``minified`` open the page as `python app.py` and gunicorn serve it."""
    duo = gradscape
    wait_drawn(duo, 3)
    assert renderer_builds(duo) == [["min", "js"]]
    assert duo.get_logs() == []


def test_ctrl001_changing_lr_changes_the_paths(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    before_key, before = paths_key(duo), read_graph(duo, "contour")["ghost"][0]
    label = duo.find_element("#lr-value").text
    duo.click_at_coord_fractions("#lr", 0.2, 0.25)  # lower on the log scale: about 2e-4
    until(lambda: duo.find_element("#lr-value").text != label, timeout=5)
    until(lambda: paths_key(duo) != before_key, timeout=10)
    wait_drawn(duo, 3)
    after = read_graph(duo, "contour")["ghost"][0]
    assert after["x"] != before["x"]
    assert float(query(duo)["lr"]) < 0.001
    assert duo.get_logs() == []


def test_ctrl002_adding_an_optimizer_adds_a_path_in_every_view(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    duo.find_element("//label[.//span[text()='Nesterov']]", "XPATH").click()
    wait_drawn(duo, 4)
    for view in VIEWS:
        assert len(read_graph(duo, view)["ghost"]) == 4, view
    duo.wait_for_text_to_equal("#results tbody tr:nth-child(4) td", "Nesterov")
    assert query(duo)["opt"] == "sgd,momentum,adam,nesterov"
    assert duo.get_logs() == []


def test_ctrl003_click_on_contour_moves_the_start(gradscape):
    duo = gradscape
    wait_drawn(duo, 3)
    before = paths_key(duo)
    duo.click_at_coord_fractions("#contour .nsewdrag", 0.75, 0.7)
    until(lambda: paths_key(duo) != before, timeout=10)
    wait_drawn(duo, 3)
    x0, y0 = float(query(duo)["x0"]), float(query(duo)["y0"])
    assert (x0, y0) != (-1.5, 2.0)
    assert 0 < x0 < 2 and -1 < y0 < 1  # lower right quarter of Rosenbrock's view
    start = read_graph(duo, "contour")["ghost"][0]
    assert start["x"][0] == pytest.approx(x0, abs=1e-3) and start["y"][0] == pytest.approx(y0, abs=1e-3)
    assert duo.get_logs() == []
