"""The URL codec: round trips, and malformed links that must never raise."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from ui.model import surfaces
from ui.model import scene as S
from ui.model import scene_fields as F

DEFAULT_QUERY = ("landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.001&momentum=0.9&x0=-1.5&y0=2&steps=300"
                 "&schedule=constant&adam.lr=0.05")


def test_no_link_opens_the_default_scene():
    assert S.parse("") == (S.default_scene(), [])
    assert S.parse(None) == (S.default_scene(), [])
    assert S.encode(S.default_scene()) == DEFAULT_QUERY


def test_the_design_example_reads_exactly():
    scene, warnings = S.parse("?landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.001&momentum=0.9"
                              "&x0=-1.5&y0=2&steps=300&schedule=cosine&T_max=250&noise=0.5&seed=7"
                              "&adam.eps=1e-6&adam.beta2=0.99&rmsprop.centered=1")
    assert warnings == ["rmsprop.centered: 'rmsprop' is not among the chosen optimizers; ignored"]
    assert scene.to_dict() == {"landscape": "rosenbrock", "optimizers": ["sgd", "momentum", "adam"], "lr": 0.001,
                     "momentum": 0.9, "x0": -1.5, "y0": 2.0, "steps": 300, "schedule": "cosine",
                     "schedule_param": 250, "noise": 0.5, "seed": 7,
                     "overrides": {"adam": {"beta2": 0.99, "eps": 1e-6}}, "expr": None, "repeat": 1, "batch": None}


def test_a_partial_link_takes_field_defaults_without_the_first_open_overrides():
    scene, warnings = S.parse("lr=0.01")
    assert warnings == [] and scene.to_dict() == dict(S.default_scene().to_dict(), lr=0.01, overrides={})


def test_encoding_is_readable_and_ordered():
    scene = dict(S.default_scene().to_dict(), schedule="step", schedule_param=100, noise=0.25, seed=3,
                 overrides={"adam": {"lr": 0.05, "beta1": 0.8}, "sgd": {"weight_decay": 0.01}})
    assert S.encode(scene) == (
        "landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.001&momentum=0.9&x0=-1.5&y0=2&steps=300"
        "&schedule=step&step_size=100&noise=0.25&seed=3&sgd.weight_decay=0.01&adam.lr=0.05&adam.beta1=0.8")


def test_a_schedule_without_its_parameter_gets_the_default_for_the_run():
    scene, warnings = S.parse("steps=600&schedule=cosine")
    assert (scene.schedule_param, warnings) == (600, [])


# --- round trips ---------------------------------------------------------------------------------

def _canonical_in(lo, hi):
    return st.floats(lo, hi, allow_nan=False).map(F.canonical)


@st.composite
def scenes(draw):
    name = draw(st.sampled_from(landscapes.names() + [surfaces.CUSTOM]))
    expr = draw(st.sampled_from(surfaces.EXAMPLES + [surfaces.DEFAULT_EXPRESSION])) if name == surfaces.CUSTOM else None
    L = surfaces.get(surfaces.surface_name(name, expr))
    (xmin, xmax), (ymin, ymax) = L.bounds
    chosen = draw(st.lists(st.sampled_from(optimizers.names()), unique=True, max_size=F.MAX_OPTIMIZERS))
    steps = draw(st.integers(*F.STEPS_RANGE))
    schedule = draw(st.sampled_from([n for n in optimizers.schedule_names() if n in F.SCHEDULE_PARAMS]))
    spec = F.schedule_param(schedule)
    param = None if spec is None else draw(
        st.integers(*spec.bounds) if spec.kind is int else _canonical_in(*spec.bounds))
    overrides = {}
    for opt in chosen:
        defaults = optimizers.info(opt).defaults
        own = {}
        for key in draw(st.lists(st.sampled_from(F.override_keys(opt)), unique=True)):
            o = F.OVERRIDES[key]
            bounds = {"x0": (xmin, xmax), "y0": (ymin, ymax)}.get(key, o.bounds)  # a run's start: in view
            value = draw(st.booleans() if o.kind == "bool" else _canonical_in(*bounds))
            if o.pinned or not F.same_value(value, F.torch_default(key, defaults)):
                own[key] = value
        if own:
            overrides[opt] = {k: own[k] for k in F.OVERRIDES if k in own}
    return S.Scene.from_dict({"landscape": name, "optimizers": chosen,
            "lr": draw(st.floats(-5, 1).map(lambda e: F.canonical(10.0 ** e))),
            "momentum": draw(_canonical_in(*F.MOMENTUM_RANGE)),
            "x0": draw(_canonical_in(xmin, xmax)), "y0": draw(_canonical_in(ymin, ymax)),
            "steps": steps, "schedule": schedule, "schedule_param": param,
            "noise": draw(_canonical_in(*F.NOISE_RANGE)), "seed": draw(st.integers(*F.SEED_RANGE)),
            "overrides": overrides, "expr": expr, "repeat": draw(st.integers(*F.REPEAT_RANGE)),
            "batch": draw(st.none() | st.integers(1, L.n_samples - 1)) if L.n_samples else None})


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_every_scene_survives_its_link(scene):
    query = S.encode(scene)
    assert len(query) <= F.MAX_QUERY_LENGTH
    assert S.parse(query) == (scene, [])
    assert S.parse("?" + query) == (scene, [])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_to_a_scene_that_then_round_trips(text):
    scene, warnings = S.parse(text)
    assert all(isinstance(w, str) and w for w in warnings)
    assert S.parse(S.encode(scene)) == (scene, [])


_KEYS = ["landscape", "opt", "lr", "momentum", "x0", "y0", "steps", "schedule", "T_max", "gamma", "noise",
         "seed", "adam.eps", "adam.beta1", "sgd.lr", "rmsprop.centered", "zzz", "", "expr", "repeat", "batch",
         "landscape", "expr"]
_VALUES = ["", "nan", "NaN", "inf", "-inf", "1e999", "-1e999", "1e308", "0", "-1", "0.5", "2", "abc", "1,2",
           "adam", "sgd,,adam", "%00", "¹", "0x10", "1_000", " 3 ", "x" * 150, "custom", "linear_regression",
           "x*y", "x%5E2%2By", "__import__('os')", "9**9**9", "x.real", "log(-1-x**2)", "16"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES)), max_size=12))
def test_hostile_pairs_never_raise_and_always_give_a_valid_scene(pairs):
    query = "&".join(f"{k}={v}" for k, v in pairs)
    scene, _ = S.parse(query)
    assert scene.landscape in landscapes.names() + [surfaces.CUSTOM]
    assert (scene.expr is None) == (scene.landscape != surfaces.CUSTOM)
    assert surfaces.expression_error(scene.expr or "x") is None
    assert set(scene.optimizers) <= set(optimizers.names()) and len(scene.optimizers) <= 8
    assert F.LR_RANGE[0] <= scene.lr <= F.LR_RANGE[1]
    assert all(math.isfinite(getattr(scene, k)) for k in ("lr", "momentum", "x0", "y0", "noise"))
    assert S.parse(S.encode(scene)) == (scene, [])


# Any JSON a store or a scene file can hold: the codec reads it like a link (never raises).
JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers(-10**30, 10**30) | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                    max_leaves=12)
SCENE_KEYS = ["landscape", "optimizers", "lr", "momentum", "x0", "y0", "steps", "schedule", "schedule_param",
              "noise", "seed", "overrides", "expr", "repeat", "batch"]


@st.composite
def loose_scenes(draw):
    """A valid scene with some fields replaced by arbitrary JSON, or extra keys."""
    scene = draw(scenes()).to_dict()
    for key in draw(st.lists(st.sampled_from(SCENE_KEYS + ["colour", "", "__proto__"]), unique=True, max_size=5)):
        scene[key] = draw(JSON | st.lists(st.sampled_from(optimizers.names() + ["nope"]), max_size=25)
                          | st.dictionaries(st.sampled_from(optimizers.names()), JSON, max_size=3))
    return scene


@settings(max_examples=200, deadline=None)
@given(loose_scenes())
def test_any_json_scene_normalizes_to_a_valid_scene_that_round_trips(raw):
    scene, warnings = S.normalize(raw)
    assert all(isinstance(w, str) and w for w in warnings)
    assert scene.landscape in landscapes.names() + [surfaces.CUSTOM] and len(scene.optimizers) <= F.MAX_OPTIMIZERS
    assert F.STEPS_RANGE[0] <= scene.steps <= F.STEPS_RANGE[1]
    assert F.REPEAT_RANGE[0] <= scene.repeat <= F.REPEAT_RANGE[1]
    assert (scene.expr is None) == (scene.landscape != surfaces.CUSTOM)
    assert all(math.isfinite(getattr(scene, k)) for k in ("lr", "momentum", "x0", "y0", "noise"))
    assert S.normalize(scene) == (scene, [])


@settings(max_examples=100, deadline=None)
@given(scenes(), st.sampled_from(["lr", "momentum", "x0", "y0", "noise", "steps", "seed"]),
       st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 10**40, "12abc", "x" * 200]))
def test_one_bad_field_falls_back_alone_and_is_named(scene, key, bad):
    fixed, warnings = S.normalize(dict(scene.to_dict(), **{key: bad}))
    assert [w.split(":")[0] for w in warnings] == [key]
    assert {k: v for k, v in fixed.to_dict().items() if k not in (key, "schedule_param")} == \
        {k: v for k, v in scene.to_dict().items() if k not in (key, "schedule_param")}


@settings(max_examples=100, deadline=None)
@given(scenes(), st.sampled_from(["lr", "momentum", "x0", "y0", "noise", "steps", "seed"]),
       st.sampled_from([float("nan"), float("inf"), 1e308, -1e308, 10**40, "12abc", "x" * 200]))
def test_given_the_last_good_scene_a_bad_field_keeps_its_value(scene, key, bad):
    """The controls' case: a bad value leaves the scene as it was, and the message says so."""
    kept, warnings = S.normalize(dict(scene.to_dict(), **{key: bad}), base=scene)
    assert kept == scene
    assert len(warnings) == 1 and warnings[0].startswith(f"{key}: ") and "; keeping " in warnings[0]


def test_a_bad_override_keeps_its_last_good_value_or_the_default():
    good = dict(S.default_scene().to_dict(), overrides={"adam": {"lr": 0.05, "eps": 1e-6}})
    raw = dict(good, overrides={"adam": {"lr": "fast", "eps": "abc", "beta2": 7}})
    scene, warnings = S.normalize(raw, base=good)
    assert scene.to_dict() == good
    assert warnings == ["adam.lr: 'fast' is not a number in 1e-05..10; keeping 0.05",
                        "adam.eps: 'abc' is not a number in 1e-12..1; keeping 1e-06",
                        "adam.beta2: '7' is not a number in 0..0.9999; using the default"]
    scene, _ = S.normalize(raw)  # without a last good scene, as for a link: the defaults
    assert scene.overrides == {}


# --- malformed links: each falls back and names its field ------------------------------------------

@pytest.mark.parametrize("query, field, expected", [
    ("lr=banana", "lr", 0.001),
    ("lr=nan", "lr", 0.001),
    ("lr=inf", "lr", 0.001),
    ("lr=1e999", "lr", 0.001),
    ("lr=50", "lr", 0.001),
    ("lr=0", "lr", 0.001),
    ("momentum=-0.1", "momentum", 0.9),
    ("momentum=1", "momentum", 0.9),
    ("steps=5", "steps", 300),
    ("steps=99999999999999999999", "steps", 300),
    ("steps=12.5", "steps", 300),
    ("x0=7", "x0", -1.5),
    ("y0=-1e308", "y0", 2.0),
    ("noise=-1", "noise", 0.0),
    ("seed=-3", "seed", 0),
    ("landscape=atlantis", "landscape", "rosenbrock"),
    ("schedule=sometimes", "schedule", "constant"),
], ids=lambda v: str(v)[:30])
def test_a_bad_value_falls_back_to_its_default_and_is_named(query, field, expected):
    scene, warnings = S.parse(query)
    key = {"x0": "x0", "y0": "y0"}.get(field, field)
    assert getattr(scene, key) == expected
    assert len(warnings) == 1 and warnings[0].startswith(f"{field}: ")


def test_duplicates_keep_the_first_value_and_say_so():
    scene, warnings = S.parse("lr=0.01&lr=0.02&lr=0.01")
    assert scene.lr == 0.01
    assert warnings == ["lr: given more than once; using the first, '0.01'"]


def test_unknown_keys_and_optimizers_are_named_and_left_out():
    scene, warnings = S.parse("opt=adam,teleport,adam,sgd&utm_source=mail")
    assert list(scene.optimizers) == ["adam", "sgd"]
    assert warnings == ["opt: unknown optimizer 'teleport' left out", "opt: adam listed twice; kept once",
                        "'utm_source': unknown parameter; ignored"]


def test_at_most_eight_optimizers():
    scene, warnings = S.parse("opt=" + ",".join(optimizers.names()))
    assert list(scene.optimizers) == optimizers.names()[:8]
    assert all(w.startswith("opt: at most 8 optimizers") for w in warnings)
    assert len(warnings) == 1 and warnings[0].endswith(", ".join(optimizers.names()[8:]) + " left out")  # one message


def test_an_empty_selection_is_a_valid_scene():
    scene, warnings = S.parse("opt=")
    assert (list(scene.optimizers), warnings) == ([], [])


def test_overlong_links_and_values_are_refused_whole():
    scene, warnings = S.parse("lr=0.01&junk=" + "x" * 5000)
    assert scene == S.default_scene()  # the first-open scene: the link said nothing usable
    assert warnings == ["link: longer than 4000 characters; opened the default scene"]
    scene, warnings = S.parse("lr=" + "1" * 150)
    assert scene.lr == 0.001 and warnings[0].startswith("lr: '1111")


def test_too_many_parameters():
    scene, warnings = S.parse("&".join(f"k{i}=1" for i in range(300)))
    assert scene == S.default_scene() and warnings == ["link: too many parameters; opened the default scene"]


@pytest.mark.parametrize("query, warning", [
    ("opt=adam&adam.eps=-1", "adam.eps: '-1' is not a number in 1e-12..1; using the default"),
    ("opt=adam&adam.amsgrad=maybe", "adam.amsgrad: 'maybe' is not on/off; using the default"),
    ("opt=sgd&sgd.betas=0.9", "sgd.betas: sgd has no hyperparameter 'betas' to set here; ignored"),
    ("opt=sgd&adam.lr=0.1", "adam.lr: 'adam' is not among the chosen optimizers; ignored"),
    ("schedule=cosine&gamma=0.5", "gamma: not a parameter of the cosine schedule; ignored"),
])
def test_bad_overrides_are_named(query, warning):
    scene, warnings = S.parse(query)
    assert warnings == [warning]
    assert scene.overrides == {}


def test_overrides_equal_to_torch_defaults_are_dropped_but_pinned_ones_kept():
    scene, warnings = S.parse("opt=adam,rmsprop&adam.eps=1e-8&adam.beta2=0.999&adam.lr=0.001&adam.beta1=0.9"
                              "&rmsprop.centered=0&rmsprop.alpha=0.9")
    assert warnings == []
    assert scene.overrides == {"adam": {"lr": 0.001, "beta1": 0.9}, "rmsprop": {"alpha": 0.9}}


def test_the_start_defaults_to_the_surfaces_own():
    scene, _ = S.parse("landscape=himmelblau")
    assert (scene.x0, scene.y0) == landscapes.get("himmelblau").start


def test_normalize_takes_loose_control_values():
    raw = dict(S.default_scene().to_dict(), lr=0.0010000000000000002, x0=-1.4999999999, steps=300.0, seed=None,
               noise=None, overrides={"adam": {"eps": "1e-6", "beta1": None}})
    scene, warnings = S.normalize(raw)
    assert scene.lr == 0.001 and scene.x0 == -1.5 and scene.steps == 300
    assert scene.overrides == {"adam": {"eps": 1e-6}}
    assert all(w.split(":")[0] in ("adam.beta1", "noise", "seed") for w in warnings)


# --- issue 5: the custom formula, repeat and batch ------------------------------------------------

def test_a_custom_surface_link_reads_and_round_trips():
    query = "landscape=custom&expr=x%5E2%20-%20y%5E2%20%2B%200.1*sin(3*x)&opt=adam&repeat=3&noise=0.5"
    scene, warnings = S.parse(query)
    assert warnings == []
    assert scene.landscape == "custom" and scene.expr == "x^2 - y^2 + 0.1*sin(3*x)"
    assert scene.repeat == 3 and (scene.x0, scene.y0) == (-1.5, -1.5)
    assert S.encode(scene) == ("landscape=custom&expr=x%5E2%20-%20y%5E2%20%2B%200.1*sin(3*x)&opt=adam&lr=0.001"
                               "&momentum=0.9&x0=-1.5&y0=-1.5&steps=300&schedule=constant&noise=0.5&repeat=3")
    assert S.parse(S.encode(scene)) == (scene, [])
    assert surfaces.name_of(scene) == "custom:x^2 - y^2 + 0.1*sin(3*x)"


def test_a_custom_link_without_a_formula_shows_the_default_one():
    scene, warnings = S.parse("landscape=custom")
    assert (scene.expr, warnings) == (surfaces.DEFAULT_EXPRESSION, [])


HOSTILE_LINKS = [
    ("__import__('os').system('touch /tmp/gradscape-link-sentinel')", "attribute access"),
    ("open('/etc/passwd')", "'open' is not an allowed function"),
    ("eval('1')", "'eval' is not an allowed function"),
    ("lambda: 0", "'lambda' is not allowed"),
    ("9**9**9", "exponent 3.8742e+08 is too large"),
    ("x.__class__", "attribute access"),
    ("[c for c in ()]", "'for' is not allowed"),
    ("z", "unknown name 'z'"),
    ("", "empty expression"),
    ("sin(" * 60 + "x" + ")" * 60, "nested too deeply"),
    ("x" * 600, "expression too long (600 > 500 characters)"),
    ("log(-x^2-1)", "not finite anywhere in the view"),
]


@pytest.mark.parametrize("expr, says", HOSTILE_LINKS, ids=[e[:20] for e, _ in HOSTILE_LINKS])
def test_a_hostile_formula_in_a_link_falls_back_and_says_why(expr, says):
    import os
    from urllib.parse import quote

    scene, warnings = S.parse("landscape=custom&opt=adam&expr=" + quote(expr))
    assert scene.landscape == "custom" and scene.expr == surfaces.DEFAULT_EXPRESSION
    assert len(warnings) == 1 and warnings[0].startswith("expr: ") and says in warnings[0]
    assert warnings[0].endswith(f"; showing {surfaces.DEFAULT_EXPRESSION}")
    assert len(warnings[0]) < 400  # cut short, however long the formula
    assert not os.path.exists("/tmp/gradscape-link-sentinel")
    assert S.parse(S.encode(scene)) == (scene, [])


def test_controls_keep_the_last_good_formula():
    raw = dict(S.default_scene().to_dict(), landscape="custom", expr="x^2 + y^")
    scene, warnings = S.normalize(raw, base={"landscape": "custom", "expr": "x^2 + y^2"})
    assert scene.expr == "x^2 + y^2"
    assert warnings == ["expr: not a formula at the end: invalid syntax; showing x^2 + y^2"]


def test_an_emptied_formula_box_is_named_not_silently_replaced():
    scene, warnings = S.normalize(dict(S.default_scene().to_dict(), landscape="custom", expr=""),
                                  base={"landscape": "custom", "expr": "x^2"})
    assert scene.expr == "x^2" and warnings[0].startswith("expr: empty expression")


def test_a_formula_without_custom_is_ignored():
    scene, warnings = S.parse("landscape=bowl&expr=x")
    assert scene.expr is None and warnings == ["expr: a formula is used only with landscape=custom; ignored"]


@pytest.mark.parametrize("query, batch, warning", [
    ("landscape=linear_regression&batch=16", 16, None),
    ("landscape=logistic_regression&batch=1", 1, None),
    ("landscape=linear_regression&batch=256", None, None),  # the whole dataset is the full batch
    ("landscape=linear_regression&batch=257", None,
     "batch: '257' is not a whole number in 1..256; using the full batch"),
    ("landscape=linear_regression&batch=0", None, "batch: '0' is not a whole number in 1..256; using the full batch"),
    ("landscape=linear_regression&batch=half", None,
     "batch: 'half' is not a whole number in 1..256; using the full batch"),
    ("landscape=bowl&batch=16", None, "batch: only dataset surfaces have mini-batches; ignored"),
])
def test_batch_size_only_for_datasets_and_within_the_data(query, batch, warning):
    scene, warnings = S.parse(query)
    assert scene.batch == batch
    assert warnings == ([] if warning is None else [warning])
    assert ("batch=" in S.encode(scene)) == (batch is not None)


@pytest.mark.parametrize("text, repeat, warned", [("4", 4, False), ("10", 10, False), ("11", 1, True),
                                                  ("0", 1, True), ("2.5", 1, True)])
def test_repeat_is_capped(text, repeat, warned):
    scene, warnings = S.parse("repeat=" + text)
    assert scene.repeat == repeat and bool(warnings) == warned
    assert ("repeat=" in S.encode(scene)) == (repeat > 1)


def test_an_unticked_switch_whose_torch_default_is_none_is_the_default():
    """L-BFGS's line_search_fn is None in torch and a box on the page: the box's "off" is no override,
    so a lesson with L-BFGS overrides keeps its link as it was when its panel opens."""
    scene = S.parse("opt=lbfgs,adam&lbfgs.lr=1")[0]
    page = dict(scene.to_dict(), overrides={"lbfgs": {"lr": 1.0, "line_search_fn": False}})  # what the open panel sends
    assert S.normalize(page) == (scene, [])
    on = S.normalize(dict(scene.to_dict(), overrides={"lbfgs": {"lr": 1.0, "line_search_fn": True}}))[0]
    assert on.overrides["lbfgs"]["line_search_fn"] is True
