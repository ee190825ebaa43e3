"""The optimizer picker without a browser: every registry entry under its kind's heading, the
search, the limit of 8 (a 9th is named left out, in the picker and in ``message``)."""

import json

import pytest

import optimizers
from benchmarks.dash_requests import DISPATCH, body_for, scene_values
from ui import create_app
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.web import ids
from ui.web import controls as C


def rows(options):
    """(heading or None, value, disabled) per row, the heading each optimizer row sits under."""
    out, heading = [], None
    for o in options:
        if o["value"].startswith(C.HEADING):
            heading = o["value"][len(C.HEADING):]
            assert o["disabled"] is True  # a heading can never be ticked
        else:
            out.append((heading, o["value"], o["disabled"]))
    return out


def shown(search, chosen=()):
    return [name for _, name, _ in rows(C.optimizer_options(chosen, search))]


def test_every_optimizer_once_under_its_kinds_heading_in_the_registrys_order():
    options = C.optimizer_options()
    headings = [o["value"][len(C.HEADING):] for o in options if o["value"].startswith(C.HEADING)]
    assert headings == list(optimizers.KINDS)  # from the registry: ui/ writes no heading of its own
    table = rows(options)
    assert sorted(name for _, name, _ in table) == sorted(optimizers.names()) and len(table) == 21
    assert all(heading == optimizers.info(name).kind for heading, name, _ in table)
    assert not any(disabled for *_, disabled in table)
    assert all(not n.startswith(C.HEADING) for n in optimizers.names())


def test_every_kind_has_members_and_says_what_they_share():
    kinds = {optimizers.info(n).kind for n in optimizers.names()}
    assert kinds == set(optimizers.KINDS) and all(optimizers.KINDS.values())
    with pytest.raises(ValueError, match="kind 'Exotic' is not one of"):
        optimizers.registry._entry("x", "X", "X", optimizers.registry.sgd, "x", kind="Exotic")


@pytest.mark.parametrize("search, expected", [
    ("lion", ["lion"]),                                          # a name
    ("L-BFGS", ["lbfgs"]),                                       # a title
    ("AdamWScheduleFree", ["schedulefree_adamw"]),               # a family (the reference's class)
    ("second order", ["newton", "lbfgs"]),                       # a kind, two words
    ("  SCHEDULE   free ", ["schedulefree_adamw", "lion", "prodigy"]),  # title words, any case and spacing
    ("adam", ["adam", "adamw", "amsgrad", "nadam", "radam", "adamax", "adafactor", "schedulefree_adamw"]),
])
def test_the_search_matches_name_title_family_or_kind(search, expected):
    assert sorted(shown(search)) == sorted(expected)
    assert f"{len(expected)} of 21 match." in C.picker_status([], search)


def test_a_search_that_matches_nothing_shows_no_rows_and_says_so():
    assert C.optimizer_options([], "xyzzy") == []
    assert "No optimizer matches “xyzzy”" in C.picker_status(["adam"], "xyzzy")
    assert shown("") == shown(None) == shown("   ")  # empty: everything


def test_chosen_keep_their_colours_and_eight_leave_every_box_open():
    eight = optimizers.names()[:8]
    options = C.optimizer_options(eight)
    assert not any(o["disabled"] for o in options if not o["value"].startswith(C.HEADING))
    assert C.picker_status(eight) == "8 of 8 chosen."


def test_a_ninth_is_left_out_and_named_and_the_rest_wait():
    nine = optimizers.names()[:8] + ["lion"]
    table = rows(C.optimizer_options(nine))
    assert {name for _, name, disabled in table if disabled} == set(optimizers.names()) - set(nine)
    lion = next(o for o in C.optimizer_options(nine) if o["value"] == "lion")
    assert "opt-left-out" in lion["label"].className and "swatch-off" in lion["label"].children[0].className
    assert "Lion left out: a scene holds at most 8" in C.picker_status(nine)


# --- over HTTP: the callbacks --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dash_app():
    return create_app()


def post(app, output_id, values):
    return app.server.test_client().post(DISPATCH, json=body_for(app.callback_map, output_id, values))


def test_the_picker_callback_filters_and_never_fails_on_a_strange_search(dash_app):
    out = post(dash_app, ids.OPTIMIZERS, {ids.OPTIMIZERS: ["adam"], ids.OPTIMIZER_SEARCH: "sign"}).get_json()
    values = [o["value"] for o in out["response"][ids.OPTIMIZERS]["options"]]
    assert values == [C.HEADING + "Sign and schedule-free", "lion", "schedulefree_adamw", "prodigy"]
    for search in (None, 12, ["adam"], "x" * 10_000):
        response = post(dash_app, ids.OPTIMIZERS, {ids.OPTIMIZERS: ["adam"], ids.OPTIMIZER_SEARCH: search})
        assert response.status_code == 200


def test_ticking_a_ninth_runs_eight_and_says_why_in_the_message(dash_app):
    scene = S.default_scene()
    nine = optimizers.names()[:8] + ["lion"]
    values = scene_values(scene, **{ids.OPTIMIZERS: nine, ids.DRAWN: {}, ids.LOG_Y: ["log"]})
    out = post(dash_app, ids.TRAJECTORIES, values).get_json()["response"]
    assert [r["name"] for r in out[ids.TRAJECTORIES]["data"]["runs"]] == nine[:F.MAX_OPTIMIZERS]
    assert "opt: at most 8 optimizers in one scene; lion left out" in json.dumps(out[ids.MESSAGE]["children"])


def test_a_link_asking_for_more_than_eight_keeps_eight_and_says_so():
    scene, warnings = S.parse("opt=" + ",".join(optimizers.names()))
    assert list(scene.optimizers) == optimizers.names()[:8]
    # one message names all 13 left out, not 13 messages
    assert warnings == ["opt: at most 8 optimizers in one scene; " + ", ".join(optimizers.names()[8:]) + " left out"]
