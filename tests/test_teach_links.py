"""Teaching links: predict=1 and t= in the codec (round trips, bad values named), and the step a
newly computed scene opens at."""

import pytest

from ui import scene as S
from ui.callbacks import opening_step


@pytest.mark.parametrize("view", [
    {"lesson": None, "teach": False, "present": False, "predict": True, "t": None},
    {"lesson": None, "teach": True, "present": False, "predict": False, "t": 0},
    {"lesson": "saddle-adam-sgd", "teach": False, "present": True, "predict": True, "t": 37},
    dict(S.VIEW_DEFAULTS),
], ids=["predict", "t0", "all", "defaults"])
def test_view_flags_round_trip(view):
    assert S.parse_view(S.encode_view(view)) == view
    scene = S.parse("landscape=bowl&opt=sgd&steps=40")[0]
    assert S.parse(S.link(scene, view)) == (scene, [])


def test_predict_and_t_read_from_a_link():
    assert S.encode_view({"predict": True, "t": 12}) == "predict=1&t=12"
    view = S.parse_view("landscape=bowl&opt=sgd&predict=1&t=12")
    assert view["predict"] is True and view["t"] == 12


@pytest.mark.parametrize("query, warning", [
    ("opt=sgd&t=-1", "t: '-1' is not a step in 0..2000; ignored"),
    ("opt=sgd&t=1.5", "t: '1.5' is not a step in 0..2000; ignored"),
    ("opt=sgd&t=99999", "t: '99999' is not a step in 0..2000; ignored"),
    ("opt=sgd&predict=maybe", "predict: expected 1 or 0; ignored"),
])
def test_bad_view_values_are_named_and_dropped(query, warning):
    scene, warnings = S.parse(query)
    assert warnings == [warning] and scene["optimizers"] == ["sgd"]
    view = S.parse_view(query)
    assert view["t"] is None and view["predict"] is False


def test_a_scene_opens_at_the_links_step_once_else_at_0_to_predict_else_at_the_end():
    link = {"source": "link", "open_at": 12}
    assert opening_step(link, 40, predict=False) == 12
    assert opening_step({"source": "link", "open_at": 500}, 40, predict=False) == 40  # clamped to the run
    assert opening_step({"source": "controls", "open_at": 12}, 40, predict=False) == 40  # consumed
    assert opening_step({"source": "link"}, 40, predict=True) == 0
    assert opening_step({}, 40, predict=False) == 40
