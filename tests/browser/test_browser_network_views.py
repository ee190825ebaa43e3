"""The network views panel in a small app (tests/browser/netviews_app.py): the decision boundary and
what one weight sees follow the frame in the browser, with no server request per frame."""

import numpy as np
import pytest
from dash.testing.wait import until

from netviews_app import SCENE, create_app, runs_for
from ui.model import network_views as M
from ui.views import network_views as V

# Each run trace's data by role, the figure's key, title and drawn step, and the server requests so far.
_READ = """
const read = (id) => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    if (!gd || !gd.data || !gd.layout || !gd.layout.meta) { return null; }
    const traces = {};
    gd.data.forEach(t => {
        if (t.meta && t.meta.role) {
            traces[t.meta.role + ':' + t.meta.run] = {x: t.x && Array.from(t.x),
                y: t.y && Array.from(t.y), z: t.z && Array.from(t.z, row => Array.from(row))};
        }
    });
    return {key: gd.layout.meta.key, title: gd.layout.title && gd.layout.title.text,
            step: gd.getAttribute('data-step'), traces: traces};
};
const requests = performance.getEntriesByType('resource')
    .filter(e => e.name.indexOf('_dash-update-component') >= 0).length;
return {boundary: read('net-boundary'), weight: read('net-weight-plot'), requests: requests};
"""


def read(duo) -> dict:
    return duo.driver.execute_script(_READ)


def set_frame(duo, frame: int) -> None:
    duo.driver.execute_script("window.dash_clientside.set_props('frame', {value: arguments[0]});", frame)


def wait_title(duo, view: str, text: str, timeout: float = 60) -> dict:
    until(lambda: (read(duo)[view] or {}).get("title") == text, timeout=timeout,
          msg=lambda: f"{view} title never became {text!r}: {(read(duo)[view] or {}).get('title')!r}")
    return read(duo)


@pytest.fixture(scope="module")
def payload():
    runs = runs_for(SCENE)
    return M.views_payload(runs.net, runs.paths)


def test_netviews001_boundary_and_tangent_follow_the_frame_without_the_server(dash_duo, free_port, payload):
    dash_duo.start_server(create_app(), port=free_port)
    last = SCENE["steps"]
    at_end = wait_title(dash_duo, "weight", f"What 0.weight[0] sees · step {last}")
    assert at_end["boundary"]["key"] == payload["boundary"]["key"]      # the same payload as computed here
    assert at_end["weight"]["key"] == payload["weight"]["key"]
    served = at_end["requests"]
    assert served >= 1

    steps = payload["steps"]
    for frame in (10, 57, 0):
        ki = M.key_index(steps, frame)
        set_frame(dash_duo, frame)
        now = wait_title(dash_duo, "boundary", f"Decision boundary · step {steps[ki]}")
        until(lambda: read(dash_duo)["weight"]["step"] == str(steps[ki]), timeout=10)
        now = read(dash_duo)
        for run in (0, 1):
            z = np.array(now["boundary"]["traces"][f"boundary:{run}"]["z"])
            np.testing.assert_allclose(z, V.boundary_z(payload, run, ki), atol=1e-6)
            tx, ty = V.tangent(payload, run, ki)
            tangent = now["weight"]["traces"][f"tangent:{run}"]
            np.testing.assert_allclose(tangent["x"], tx, rtol=1e-6)
            np.testing.assert_allclose(tangent["y"], ty, rtol=1e-6)
            cx, cy = V.weight_curve(payload, run, ki)
            curve = now["weight"]["traces"][f"curve:{run}"]
            np.testing.assert_allclose(curve["x"], cx, rtol=1e-6)
            np.testing.assert_allclose(curve["y"], cy, rtol=1e-6)
        before = np.array(at_end["boundary"]["traces"]["boundary:1"]["z"])
        assert np.mean(np.sign(before) != np.sign(z)) > 0.02                 # the boundary moved
        assert now["weight"]["traces"]["tangent:1"] != at_end["weight"]["traces"]["tangent:1"]
        assert now["requests"] == served                                     # no request per frame
    assert dash_duo.get_logs() == []


def test_netviews002_a_new_weight_asks_the_server_once_and_keeps_the_frame(dash_duo, free_port, payload):
    dash_duo.start_server(create_app(), port=free_port)
    start = wait_title(dash_duo, "weight", f"What 0.weight[0] sees · step {SCENE['steps']}")
    set_frame(dash_duo, 20)
    ki = M.key_index(payload["steps"], 20)
    wait_title(dash_duo, "weight", f"What 0.weight[0] sees · step {payload['steps'][ki]}")
    dash_duo.driver.execute_script("window.dash_clientside.set_props('net-weight', {value: '2.weight[5]'});")
    now = wait_title(dash_duo, "weight", f"What 2.weight[5] sees · step {payload['steps'][ki]}")
    assert now["weight"]["key"] != start["weight"]["key"]
    assert now["boundary"]["key"] == start["boundary"]["key"]            # the boundary was not resent
    assert now["requests"] == start["requests"] + 1
    assert dash_duo.get_logs() == []
