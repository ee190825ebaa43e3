"""A network scene from a link: the paths on the plane's slice, the share it explains, accuracy."""

from urllib.parse import urlparse

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from gradscape_page import current_step, query, read_graph, set_value, type_into, wait_drawn
from ui.model import scene as S

pytestmark = pytest.mark.browser

LINK = ("/?landscape=net_moons&opt=sgd,momentum,adam&lr=0.05&momentum=0.9&steps=150&schedule=constant"
        "&batch=32&hidden=8&activation=tanh&layer_lr=0.1,1")


def _title(duo, graph: str) -> str:
    """A graph's title as drawn ('' before it has one): the network views say their step there."""
    return duo.driver.execute_script("const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
                                     "return gd && gd.layout.title ? gd.layout.title.text : '';", graph)


def test_net001_network_link_draws_paths_on_the_slice(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + LINK)
    duo.wait_for_text_to_equal("#frame-label", "step 150 / 150")
    wait_drawn(duo, 3)
    duo.wait_for_contains_text("#landscape-info", "of the paths' movement")
    contour = read_graph(duo, "contour")
    assert not contour["bad"]
    assert all((p["x"][0], p["y"][0]) == (0.0, 0.0) for p in contour["ghost"])  # every run starts at the start
    axes = duo.driver.execute_script(
        "const gd = document.querySelector('#contour .js-plotly-plot');"
        "return [gd.layout.xaxis.title.text, gd.layout.yaxis.title.text];")
    assert axes[0].startswith("PC1 (") and axes[1].startswith("PC2 (")
    accuracy = duo.driver.execute_script(
        "const gd = document.querySelector('#loss-curve .js-plotly-plot');"
        "return gd._fullData.filter(t => t.meta && t.meta.part === 'accuracy').map(t => Array.from(t.y).pop());")
    assert len(accuracy) == 3 and all(0 <= a <= 1 for a in accuracy) and max(accuracy) > 0.8
    # The network's own views: the decision boundary and one weight, following the page's frame.
    until(lambda: duo.find_element("#net-views-panel").is_displayed(), timeout=60)
    until(lambda: _title(duo, "net-boundary") == "Decision boundary · step 150", timeout=60)
    boundaries = duo.driver.execute_script(
        "const gd = document.querySelector('#net-boundary .js-plotly-plot');"
        "return gd.data.filter(t => t.type === 'contour').length;")
    assert boundaries == 3
    duo.find_element("body").send_keys(Keys.HOME)
    until(lambda: _title(duo, "net-boundary") == "Decision boundary · step 0", timeout=30)
    until(lambda: _title(duo, "net-weight-plot").endswith("· step 0"), timeout=30)
    assert duo.find_element("#net-panel").is_displayed() and not duo.find_element("#start-group").is_displayed()
    assert duo.find_element("#net-layer-lr").get_attribute("value") == "0.1,1"
    q = query(duo)
    assert (q["landscape"], q["hidden"], q["layer_lr"]) == ("net_moons", "8", "0.1,1") and "x0" not in q
    assert duo.find_element("#message").text == ""
    # the footer says what the map does here: no click moves a network's start; a surface's does
    footer = duo.find_element("#footer").text
    assert "a network starts at its initialisation" in footer and "click" not in footer
    assert footer.startswith("Space plays")
    set_value(duo, "landscape", "rosenbrock")
    duo.wait_for_contains_text("#footer", "click the map to move the start")
    assert "network" not in duo.find_element("#footer").text
    assert duo.get_logs() == []


def test_net002_bad_network_value_is_named_and_a_new_width_recomputes(gradscape_link):
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?landscape=net_xor&opt=adam&lr=0.01&steps=50&hidden=99")
    wait_drawn(duo, 1)
    duo.wait_for_contains_text("#message", "hidden: '99' needs every width in 1..64")
    until(lambda: query(duo).get("hidden") == "16", timeout=10)
    type_into(duo, "#net-hidden", "8,8")
    until(lambda: query(duo).get("hidden") == "8,8", timeout=30)
    duo.wait_for_contains_text("#landscape-info", "MLP 2-8-8-1", timeout=30)
    duo.wait_for_contains_text("#net-layers", "Layers 0, 2, 4")
    type_into(duo, "#net-layer-lr", "0.1,0.1")  # three layers need three: named, the scene keeps its rates
    duo.wait_for_contains_text("#message", "layer_lr: '0.1,0.1' needs 3 multipliers", timeout=30)
    assert "layer_lr" not in query(duo)
    assert duo.get_logs() == []


def test_net003_the_weight_shown_is_in_the_link(gradscape_link):
    """The one-weight lesson's link opens on its weight; picking another writes weight= in its place,
    and a scene change keeps it."""
    duo = gradscape_link
    duo.wait_for_page(url=duo.server_url + "/?lesson=one-weight&weight=2.weight%5B0%5D"
                      "&landscape=net_moons&opt=sgd&lr=0.1&momentum=0.9&steps=100&hidden=16&activation=tanh")
    until(lambda: _title(duo, "net-weight-plot") == "What 2.weight[0] sees · step 100", timeout=60)
    set_value(duo, "net-weight", "0.bias[3]")
    until(lambda: _title(duo, "net-weight-plot") == "What 0.bias[3] sees · step 100", timeout=60)
    until(lambda: query(duo).get("weight") == "0.bias[3]", timeout=10)
    type_into(duo, "#net-layer-lr", "0.5,1")  # a new scene: the weight stays, in the view and the link
    until(lambda: query(duo).get("layer_lr") == "0.5,1", timeout=60)
    until(lambda: _title(duo, "net-weight-plot") == "What 0.bias[3] sees · step 100", timeout=60)
    assert query(duo).get("weight") == "0.bias[3]" and query(duo).get("lesson") == "one-weight"
    assert duo.find_element("#message").text == ""
    assert duo.get_logs() == []


def test_net004_a_weight_picked_then_played_keeps_weight_and_t_in_the_links_order(gradscape):
    """weight= and t= are written by one writer (assets/share.js setParam): picking a weight after t=
    is there, playing after picking one, and a scene change all leave the link as scene.link writes it."""
    duo = gradscape
    duo.wait_for_page(url=duo.server_url + "/?landscape=net_moons&opt=sgd&lr=0.1&momentum=0.9&steps=400&hidden=4"
                      "&present=1")
    until(lambda: _title(duo, "net-weight-plot").endswith("· step 400"), timeout=60)

    def in_order():
        search = urlparse(duo.driver.current_url).query
        return search == S.link(S.parse(search)[0], S.parse_view(search))

    duo.find_element("body").send_keys(Keys.HOME)  # t=0 is written
    until(lambda: query(duo).get("t") == "0", timeout=10)
    set_value(duo, "net-weight", "0.bias[3]")
    until(lambda: query(duo).get("weight") == "0.bias[3]", timeout=10)
    assert in_order(), duo.driver.current_url
    duo.find_element("#play").click()  # the scrubber, and with it t=, follows at the pause
    until(lambda: current_step(duo) > 3, timeout=30, msg="it did not play")
    duo.find_element("#play").click()
    until(lambda: int(query(duo).get("t", "0")) > 3, timeout=30, msg="playing wrote no t=")
    assert query(duo).get("weight") == "0.bias[3]" and in_order(), duo.driver.current_url
    keys = [p.split("=")[0] for p in urlparse(duo.driver.current_url).query.split("&")]
    assert keys[-3:] == ["weight", "present", "t"]
    set_value(duo, "momentum", 0.5)  # a new scene: the address is rewritten, weight= kept in its place
    until(lambda: query(duo).get("momentum") == "0.5", timeout=60)
    assert query(duo).get("weight") == "0.bias[3]" and in_order(), duo.driver.current_url
    assert duo.get_logs() == []
