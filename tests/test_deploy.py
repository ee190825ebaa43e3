"""The container's command really serves the app, and two instances serve one scene identically.

The command is read from the Dockerfile (benchmarks/gunicorn_server.py), so these tests follow
any change to it. Two instances are started once for the module and shared by its tests.
"""

import contextlib
import json
import threading
import urllib.request

import pytest

from benchmarks.dash_requests import DISPATCH, body_for, scene_values
from benchmarks.gunicorn_server import container_command, dockerfile_command
from ui import create_app
from ui.model import scene as S
from ui.web import ids


@pytest.fixture(scope="module")
def instances():
    """Two separate servers, each the Dockerfile's command with its own ENV (2 workers each),
    started side by side."""
    started, errors = [None, None], []

    def start(i, stack):
        try:
            started[i] = stack.enter_context(container_command())
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    with contextlib.ExitStack() as stack:
        threads = [threading.Thread(target=start, args=(i, stack)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        yield [url for url, _ in started]


def get(url):
    # 60 s like post(): /_dash-layout runs the engine (the opened link's scene is drawn into the
    # layout), and a fresh worker's first engine call loads the compiled kernels.
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def post(url, payload):
    request = urllib.request.Request(url + DISPATCH, data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        return response.read()


def test_the_dockerfile_command_is_gunicorn_with_workers_and_threads_from_env():
    argv, env = dockerfile_command()
    command = " ".join(argv)
    assert "gunicorn app:server" in command
    assert "${GUNICORN_WORKERS}" in command and "${GUNICORN_THREADS}" in command and "${PORT}" in command
    assert env["PORT"] == "8050" and int(env["GUNICORN_WORKERS"]) >= 1 and int(env["GUNICORN_THREADS"]) >= 1


def test_the_containers_command_serves_healthz_and_the_page(instances):
    url = instances[0]
    status, headers, data = get(url + "/healthz")
    assert (status, data) == (200, b"ok") and headers["Server"].startswith("gunicorn")
    status, headers, data = get(url + "/")
    page = data.decode()
    assert status == 200 and "<title>Gradscape</title>" in page and 'id="_dash-config"' in page
    assert headers["X-Content-Type-Options"] == "nosniff" and "frame-ancestors" in headers["Content-Security-Policy"]
    status, _, layout = get(url + "/_dash-layout")
    assert status == 200 and all(f'"{i}"' in layout.decode() for i in (ids.CONTOUR, ids.MESSAGE, ids.EXPORT_GIF))
    status, _, script = get(url + "/assets/export.js")
    assert status == 200 and b"modebar" in script


def test_two_instances_answer_interleaved_requests_of_one_scene_identically(instances):
    """A student's session, each request going to whichever instance a load balancer picks."""
    a, b = instances
    callbacks = create_app().callback_map  # the same code as the servers: the same callback keys
    link = "?landscape=himmelblau&opt=sgd,momentum,adam&lr=0.01&steps=200&noise=0.2&seed=3&schedule=cosine"

    def both(output_id, values, changed=None):
        payload = body_for(callbacks, output_id, values, changed)
        answers = post(a, payload), post(b, payload)
        assert answers[0] == answers[1], f"the instances differ on {output_id}"
        return json.loads(answers[0])["response"]

    opened = both(ids.SCENE, {ids.URL: link})
    stored = opened[ids.SCENE]["data"]
    assert stored["scene"] == S.parse(link)[0].to_dict()
    drawn = both(ids.TRAJECTORIES, scene_values(S.read(stored["scene"]), **{ids.SCENE: stored, ids.DRAWN: {}, ids.LOG_Y: ["log"]}))
    assert drawn[ids.FRAME]["max"] == 200 and len(drawn[ids.TRAJECTORIES]["data"]["runs"]) == 3
    # The student moves the learning rate: the scene store travels with the request, not the server.
    moved = S.read(stored["scene"]).replace(lr=0.02)
    redrawn = both(ids.TRAJECTORIES, scene_values(moved, **{ids.SCENE: stored, ids.DRAWN: drawn[ids.DRAWN]["data"],
                                                             ids.LOG_Y: ["log"]}))
    assert ids.CONTOUR not in redrawn and redrawn[ids.SCENE]["data"]["scene"] == moved.to_dict()  # the paths only
    flipped = both(ids.LOSS_CURVE, {ids.LOG_Y: [], ids.TRAJECTORIES: redrawn[ids.TRAJECTORIES]["data"],
                                    ids.SCENE: {"scene": moved.to_dict(), "warnings": []}})
    assert flipped[ids.LOSS_CURVE]["figure"]["layout"]["yaxis"]["type"] == "linear"
    exported = both(ids.DOWNLOAD_CSV, {ids.EXPORT_CSV: 1, ids.SCENE: {"scene": moved.to_dict(), "warnings": []}})
    assert exported[ids.DOWNLOAD_CSV]["data"]["content"].count("\nadam,") == 201
