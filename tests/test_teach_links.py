"""Teaching links: predict=1 and t= in the codec (round trips, bad values named), and the step a
newly computed scene opens at."""

import pytest

from ui.model import scene as S
from ui.web.callbacks import opening_step


@pytest.mark.parametrize("view", [
    {"lesson": None, "teach": False, "present": False, "predict": True, "t": None, "weight": None},
    {"lesson": None, "teach": True, "present": False, "predict": False, "t": 0, "weight": "0.bias[3]"},
    {"lesson": "saddle-adam-sgd", "teach": False, "present": True, "predict": True, "t": 37, "weight": None},
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
    assert warnings == [warning] and list(scene.optimizers) == ["sgd"]
    view = S.parse_view(query)
    assert view["t"] is None and view["predict"] is False


def test_a_scene_opens_at_the_links_step_once_else_at_0_to_predict_else_at_the_end():
    link = {"source": "link", "open_at": 12}
    assert opening_step(link, 40, predict=False) == 12
    assert opening_step({"source": "link", "open_at": 500}, 40, predict=False) == 40  # clamped to the run
    assert opening_step({"source": "controls", "open_at": 12}, 40, predict=False) == 40  # consumed
    assert opening_step({"source": "link"}, 40, predict=True) == 0
    assert opening_step({}, 40, predict=False) == 40


# --- round values: lr snaps to 1-2-5 per decade, steps to tens; any lr can still be typed ----------

def test_the_lr_slider_stops_only_at_1_2_5_in_every_decade():
    import math

    from ui.web import controls as C

    slider = C.lr_slider(0.001)
    assert slider.step is None  # only the marks
    rates = sorted(C.slider_to_lr(k) for k in slider.marks)
    assert rates[:6] == [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4] and rates[-4:] == [1.0, 2.0, 5.0, 10.0]
    assert {0.001, 0.002, 0.005, 0.01} <= set(rates) and len(rates) == 19
    labelled = {C.slider_to_lr(k): m["label"] for k, m in slider.marks.items() if m["label"].strip()}
    assert sorted(labelled) == [10.0 ** k for k in range(-5, 2)]
    assert all(math.isclose(C.slider_to_lr(C.lr_to_slider(r)), r) for r in rates)


def test_the_steps_slider_moves_in_tens():
    from layout_tree import walk

    from ui.web import ids, layout

    steps = next(c for c in walk(layout.scene_controls(S.default_scene())) if getattr(c, "id", None) == ids.STEPS)
    assert steps.step == 10 and steps.min % 10 == 0


def test_the_lr_box_shows_the_scenes_rate_and_the_link_keeps_any_typed_rate():
    from ui.web import controls as C

    assert C.lr_box(0.00955).value == "0.00955"
    scene, warnings = S.parse("opt=sgd&lr=0.0037")
    assert warnings == [] and scene.lr == 0.0037
    assert C.slider_to_lr(C.lr_to_slider(0.0037)) == 0.0037  # the box sets the slider to log10 of it
