"""The load benchmark's student replays real scene changes, and each answer must carry the drawn store it
sends back next time, as the page does. Checked against the app itself, so a change to the recompute
callback's outputs cannot silently turn every benchmark request into an error again."""

import random

from benchmarks import load
from ui import create_app
from ui.web import ids


def test_a_student_session_gets_a_drawn_store_back_from_every_change():
    app = create_app()
    client = app.server.test_client()
    student_rng = random.Random(3)
    scene, drawn = load.S.default_scene(), {}
    for _ in range(12):
        scene = load.scene_change(scene, student_rng)
        response = client.post(load.DISPATCH, data=load.recompute_payload(app.callback_map, scene, drawn),
                               content_type="application/json")
        assert response.status_code == 200
        answer = response.get_json()["response"]
        if ids.TRAJECTORIES not in answer:  # the change left the scene as it was: only the gate's ticket
            assert set(answer) == {ids.SERVED}
            continue
        drawn = load.drawn_of(response.get_data())
        assert drawn is not None, response.get_data(as_text=True)[:300]
    assert drawn["runs"] >= 1
    assert load.drawn_of(b'{"response": {}}') is None
    assert load.drawn_of(b"<html>500</html>") is None
