"""Colour belongs to the optimizer: the same colour in every scene, lesson and view, whatever its place
in the list, and any 8 optimizers distinguishable (also for protan and deutan vision)."""

import itertools
import random

import optimizers
import pytest

from ui.model import lesson_catalog
from ui.model import scene as S
from ui.model.compute import run_scene
from ui.views import palette

CREAM = "#fffdf4"  # the lightest colour of the map (palette.SURFACE_SCALE[0])


def test_an_optimizers_colour_does_not_depend_on_its_place_in_the_list():
    a = palette.run_colours(["sgd", "momentum", "adam"])
    b = palette.run_colours(["adam", "momentum", "sgd"])
    assert a == b[::-1]
    assert palette.run_colours(["momentum", "gd"])[0] == palette.run_colours(["sgd", "momentum", "adam"])[1]


def test_every_optimizer_keeps_its_home_colour_in_the_default_scene_and_every_lesson():
    scenes = [S.default_scene()] + [S.parse(text.query)[0] for text in lesson_catalog.CATALOG]
    for scene in scenes:
        for name, colour in zip(scene.optimizers, palette.run_colours(scene.optimizers)):
            assert colour == palette.home_colour(name), (scene.optimizers, name)


def test_momentum_is_one_colour_in_the_default_scene_and_in_lessons_one_and_two():
    def colour_of(query):
        result = run_scene(S.parse(query)[0])
        return {r.name: r.colour for r in result.runs}["momentum"]
    lessons = lesson_catalog.queries()
    assert colour_of("") == colour_of(lessons["ravine-momentum"]) == colour_of(lessons["nesterov-heavy-ball"])


def test_the_eight_optimizers_met_most_keep_their_homes_together():
    common = ["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]
    assert palette.run_colours(common) == [palette.home_colour(n) for n in common]
    for a, b in itertools.combinations(palette.run_colours(common), 2):
        assert palette.difference(a, b) >= 23


def test_every_registered_optimizer_has_its_own_home_colour():
    homes = [palette.home_colour(n) for n in optimizers.names()]
    assert len(set(homes)) == len(homes) == len(palette.RUN_COLOURS)


@pytest.mark.parametrize("colour", palette.RUN_COLOURS)
def test_every_run_colour_stands_out_on_the_pale_map(colour):
    assert palette.lab(CREAM)[0] - palette.lab(colour)[0] >= palette.MIN_LIGHTNESS_GAP


def test_the_named_confusions_count_as_too_close():
    orange, vermillion = "#E69F00", "#D55E00"
    assert palette.difference(orange, vermillion) < palette.DISTINCT_DELTA_E
    both = palette.scene_colours(["momentum", "newton"])  # homes: orange and vermillion
    assert palette.difference(*both.values()) >= palette.DISTINCT_DELTA_E
    assert both["momentum"] == orange  # the earlier in the registry keeps its home


def test_any_eight_optimizers_get_eight_distinguishable_colours():
    names = optimizers.names()
    rng = random.Random(13)
    choices = [rng.sample(names, 8) for _ in range(1500)] + [names[:8], names[-8:]]
    for chosen in choices:
        colours = palette.run_colours(chosen)
        assert len(set(colours)) == 8
        for a, b in itertools.combinations(colours, 2):
            assert palette.difference(a, b) >= palette.DISTINCT_DELTA_E, (chosen, a, b)


def test_a_path_identical_to_an_earlier_one_is_dashed_and_named_in_results_legend_and_message():
    from ui.views import figures, render
    from ui.web.layout import results_table, run_legend

    r = render.render_scene(S.parse("landscape=rosenbrock&opt=gd,sgd,momentum&lr=0.001&steps=50")[0], [], False, "full")
    paths = [t for t in r.contour["data"] if isinstance(t.get("meta"), dict) and t["meta"].get("role") == "path"]
    assert [t["line"]["dash"] for t in paths] == ["solid", "dash", "solid"]
    assert [row["same_as"] for row in r.rows] == [None, "Gradient descent", None]
    from layout_tree import walk

    def texts(components):
        return [c.children for top in components for c in walk(top) if isinstance(getattr(c, "children", None), str)]
    said = "\u00a0= Gradient descent, same path"
    assert texts([results_table(r.rows)]).count(said) == 1 and texts(run_legend(r.legend)).count(said) == 1
    assert any("SGD and Gradient descent follow the same path" in m and "without gradient noise" in m
               for m in r.messages)
    assert r.store["runs"][1]["same_as"] == "Gradient descent"  # the browser's overlay dashes it too


def test_repeated_seeds_keep_their_optimizers_colour():
    from ui.views import figures, layers

    result = run_scene(S.parse("landscape=bowl&opt=sgd,adam&noise=0.5&repeat=3&steps=30")[0])
    fig = layers.with_spread(figures.contour_figure(result.landscape, result.ok_runs, (0, 0)), result.ok_runs)
    spread = [t for t in fig["data"] if "spread" in str(t.get("meta", ""))]
    assert spread and {t["line"]["color"] for t in spread} <= {r.colour for r in result.ok_runs}


def test_the_update_rule_cards_say_when_sgd_is_gradient_descent():
    from ui.model import teaching

    cards = {c["name"]: c["panel"]["sentence"] for c in teaching.rule_cards(S.parse("opt=gd,sgd,momentum")[0])}
    assert "same rule with the same settings as Gradient descent" in cards["sgd"]
    assert "same rule" not in cards["gd"] and "same rule" not in cards["momentum"]
    apart = {c["name"]: c["panel"]["sentence"] for c in teaching.rule_cards(S.parse("opt=gd,sgd&sgd.lr=0.2")[0])}
    assert "same rule" not in apart["sgd"]


def test_with_noise_the_message_says_why_gd_and_sgd_still_coincide():
    result = run_scene(S.parse("landscape=bowl&opt=gd,sgd&noise=0.5&steps=20")[0])
    assert result.runs[1].same_as == "Gradient descent"
    assert any("every run draws the same noise" in n for n in result.notes)


# --- when a colour moves: the whole rule (ui/model/optimizer_colours.py scene_colours) -----------------

def test_of_two_confusable_optimizers_the_later_in_the_registry_moves_and_only_it():
    pairs = palette.confusable_pairs()
    assert ("adam", "nadam") in pairs and ("momentum", "newton") in pairs and ("sgd", "adam") not in pairs
    for a, b in pairs:
        both = palette.scene_colours([b, a])
        assert both[a] == palette.home_colour(a), (a, b)
        assert both[b] != palette.home_colour(b) and palette.difference(both[a], both[b]) >= palette.DISTINCT_DELTA_E


def test_up_to_seven_runs_a_colour_moves_only_for_a_confusable_earlier_one_that_kept_its_home():
    names = optimizers.names()
    pairs = set(palette.confusable_pairs())
    rng = random.Random(7)
    for _ in range(1500):
        chosen = rng.sample(names, rng.randint(2, 7))
        colours = palette.scene_colours(chosen)
        kept = [n for n in sorted(chosen, key=names.index) if colours[n] == palette.home_colour(n)]
        for name in chosen:
            if colours[name] != palette.home_colour(name):  # rule 1: a kept, earlier, confusable optimizer
                assert any((k, name) in pairs and names.index(k) < names.index(name) for k in kept), (chosen, name)
            else:                                             # and none that keeps its home has one
                assert not any((k, name) in pairs for k in kept), (chosen, name)
        if not any((a, b) in pairs for a in chosen for b in chosen):
            assert all(colours[n] == palette.home_colour(n) for n in chosen)
