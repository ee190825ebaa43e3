"""Control factories and the pure maps between control values and scene fields.

Every option list comes from a registry (``landscapes.names()``, ``optimizers.names()``,
``optimizers.schedule_names()``), so a new surface, optimizer or schedule needs no change here.
"""

from __future__ import annotations

import math
from typing import Optional

import landscapes
import optimizers
from dash import ALL, Output, dcc, html

from ui.model import network_fields as N
from ui.model import surfaces
from ui.model import scene as S
from ui.model import scene_fields as F
from ui.views.palette import run_colours
from ui.web import guard, ids
from ui.model.scene_type import Scene

SPEEDS = [5, 10, 20, 40, 80, 160, 320]  # playback, in optimizer steps per second
DEFAULT_SPEED_INDEX = 3


def labelled(label, control, hint=None) -> html.Div:
    """A control under its label, with an optional one-line hint."""
    parts = [html.Label(label, className="control-label"), control]
    if hint is not None:
        parts.append(html.Div(hint, className="control-hint"))
    return html.Div(parts, className="control")


# --- option lists from the registries ------------------------------------------------------------

def landscape_options() -> list:
    """Each surface by its title, with its one-line lesson under it in the open list."""
    options = []
    for n in landscapes.names():
        L = landscapes.get(n)
        label = html.Div([html.Div(L.title, className="option-title"),
                          html.Div(L.description, className="option-description")], className="landscape-option")
        options.append({"label": label, "value": n, "title": L.description})
    custom = html.Div([html.Div("Custom…", className="option-title"),
                       html.Div("Type your own f(x, y): exact gradient, never run as code.",
                                className="option-description")], className="landscape-option")
    for n in N.NAMES:
        what = (f"An MLP classifying {N.TITLES[N.dataset_of(n)]}: its weights' landscape on the plane of the "
                "runs, per-layer learning rates.")
        label = html.Div([html.Div(N.title(n), className="option-title"),
                          html.Div(what, className="option-description")], className="landscape-option")
        options.append({"label": label, "value": n, "title": what})
    return options + [{"label": custom, "value": surfaces.CUSTOM, "title": "Type your own formula in x and y"}]


# --- the optimizer picker ----------------------------------------------------------------------
#
# One checklist (id ``optimizers``, its value the scene's list), its options grouped under the
# registry's kinds: each group opens with a heading row, an option that can never be ticked.
# A search box hides the rows that do not match. The value keeps the order of ticking, so once 8
# are ticked a 9th is the one left out: the scene's codec says so in ``message``, and the rest wait.

HEADING = "kind:"  # a heading row's value; no registry name has a colon


def search_words(search) -> list:
    return str(search or "").lower().split()[:8]


def matches(name: str, words) -> bool:
    """Whether every search word is in the optimizer's name, title, family or kind."""
    info = optimizers.info(name)
    text = " ".join((info.name, info.title, info.family, info.kind)).lower()
    return all(w in text for w in words)


def optimizer_options(chosen=(), search="") -> list:
    """Checklist options: a heading per kind, then its optimizers that match the search. A chosen
    optimizer's swatch shows its colour in every view; one ticked past the 8 a scene holds is
    marked left out, and while it is ticked the unticked ones are disabled."""
    chosen = list(chosen)
    in_scene = chosen[:F.MAX_OPTIMIZERS]
    colours = dict(zip(in_scene, run_colours(in_scene)))
    over = len(chosen) > F.MAX_OPTIMIZERS
    words = search_words(search)
    options = []
    for kind, about in optimizers.KINDS.items():
        members = [n for n in optimizers.names() if optimizers.info(n).kind == kind and matches(n, words)]
        if not members:
            continue
        options.append({"label": html.Span(kind, className="opt-heading", title=about),
                        "value": HEADING + kind, "disabled": True})
        for n in members:
            info = optimizers.info(n)
            swatch = html.Span(className="swatch" if n in colours else "swatch swatch-off",
                               style={"background": colours[n]} if n in colours else {})  # off: hidden (CSS)
            left_out = " opt-left-out" if n in chosen and n not in colours else ""
            options.append({"label": html.Span([swatch, info.title], className="opt-label" + left_out),
                            "value": n, "title": f"{info.description} ({info.family}; link name {n})",
                            "disabled": over and n not in chosen})
    return options


def picker_status(chosen=(), search="") -> str:
    """The line under the picker: how many are in the scene, what is left out, what the search found."""
    chosen, words = list(chosen), search_words(search)
    parts = [f"{min(len(chosen), F.MAX_OPTIMIZERS)} of {F.MAX_OPTIMIZERS} chosen."]
    left_out = [optimizers.info(n).title for n in chosen[F.MAX_OPTIMIZERS:]]
    if left_out:
        parts.append(f"{', '.join(left_out)} left out: a scene holds at most {F.MAX_OPTIMIZERS}; "
                     "untick one to make room.")
    if words:
        found = sum(matches(n, words) for n in optimizers.names())
        parts.append(f"{found} of {len(optimizers.names())} match." if found else
                     f"No optimizer matches “{' '.join(words)}”: try a name, a family or a kind.")
    return " ".join(parts)


def optimizer_picker(chosen) -> html.Div:
    """The search box, the grouped checklist and its status line."""
    search = html.Div([
        html.Label("Search optimizers", htmlFor=ids.OPTIMIZER_SEARCH, className="visually-hidden"),
        dcc.Input(id=ids.OPTIMIZER_SEARCH, type="search", value="", debounce=0.2, autoComplete="off",
                  placeholder="Search name or family…", spellCheck=False,
                  className="picker-search"),
    ], className="picker-search-row")
    checklist = dcc.Checklist(id=ids.OPTIMIZERS, options=optimizer_options(chosen), value=list(chosen),
                              className="optimizer-list")
    status = html.Div(picker_status(chosen), id=ids.OPTIMIZER_STATUS, className="control-hint picker-status",
                      role="status", **{"aria-live": "polite"})
    return html.Div([search, checklist, status], className="picker")


def schedule_options() -> list:
    return [{"label": F.SCHEDULE_TITLES.get(n, n), "value": n}
            for n in optimizers.schedule_names() if n in F.SCHEDULE_PARAMS]


# --- a whole scene onto the controls ----------------------------------------------------------

# What opening a scene sets: a link as the page opens (ui/web/callbacks.py), or a scene file
# (ui/web/export_panel.py). The other controls follow from these through their own callbacks.
OPEN_SCENE_OUTPUTS = {
    "stored": (ids.SCENE, "data"), "landscape": (ids.LANDSCAPE, "value"), "optimizers": (ids.OPTIMIZERS, "value"),
    "lr": (ids.LR, "value"), "momentum": (ids.MOMENTUM, "value"), "steps": (ids.STEPS, "value"),
    "schedule": (ids.SCHEDULE, "value"), "noise": (ids.NOISE, "value"), "seed": (ids.SEED, "value"),
    "expr": (ids.EXPR, "value"), "repeat": (ids.REPEAT, "value"), "batch": (ids.BATCH, "value"),
    "hidden": (ids.NET_HIDDEN, "value"), "activation": (ids.NET_ACTIVATION, "value"),
    "net_seed": (ids.NET_SEED, "value"), "layer_lr": (ids.NET_LAYER_LR, "value"),
}


def open_scene(scene: Scene, warnings) -> dict:
    """The values of OPEN_SCENE_OUTPUTS (by name) for a scene; its warnings ride along in the store."""
    return {"stored": guard.scene_store(scene, warnings, "link"),
            "landscape": scene.landscape, "optimizers": list(scene.optimizers), "lr": lr_to_slider(scene.lr),
            "momentum": scene.momentum, "steps": scene.steps, "schedule": scene.schedule, "noise": scene.noise,
            "seed": scene.seed, "expr": scene.expr or surfaces.DEFAULT_EXPRESSION, "repeat": scene.repeat,
            "batch": scene.batch or 0, **network_values(scene)}


def named_outputs(spec, **options):
    """A table of ``(id, prop)`` targets, nested in dicts by name, as a callback's named Outputs."""
    if isinstance(spec, tuple):
        return Output(*spec, **options)
    return {name: named_outputs(part, **options) for name, part in spec.items()}


def by_target(spec, values) -> dict:
    """``{(id, prop): value}`` for values named as in ``spec``: what a first layout sets directly."""
    if isinstance(spec, tuple):
        return {spec: values}
    return {target: value for name, part in spec.items() if name in values
            for target, value in by_target(part, values[name]).items()}


SLIDER_PROPS = ("min", "max", "step", "marks", "value")  # what a slider's range change sets
START_CONTROLS = {"x": {p: (ids.START_X, p) for p in SLIDER_PROPS}, "y": {p: (ids.START_Y, p) for p in SLIDER_PROPS},
                  "info": (ids.LANDSCAPE_INFO, "children")}
SCHEDULE_CONTROLS = {"slider": {p: (ids.SCHEDULE_PARAM, p) for p in SLIDER_PROPS},
                     "label": (ids.SCHEDULE_PARAM_LABEL, "children"), "hidden": (ids.SCHEDULE_PARAM_ROW, "hidden")}


def start_controls(name: str, scene: Optional[Scene]) -> Optional[dict]:
    """START_CONTROLS' values for landscape ``name`` (None for a network's, which has no start): its
    view's bounds, and the scene's start if the scene is on it, else the surface's own."""
    if name not in landscapes.names() and name != surfaces.CUSTOM:
        return None
    surface = surfaces.surface_name(name, scene.expr if scene is not None else None)
    start = scene.start if scene is not None and scene.landscape == name else S.default_start(surface)
    props = start_slider_props(surface)
    return {"x": dict(props["x"], value=start[0]), "y": dict(props["y"], value=start[1]),
            "info": surfaces.get(surface).description}


def schedule_controls(name: str, steps: int, scene: Optional[Scene]) -> dict:
    """SCHEDULE_CONTROLS' values: the schedule's own parameter slider, at the scene's value for it."""
    value = scene.schedule_param if scene is not None and scene.schedule == name else None
    p = schedule_param_props(name, steps, value)
    return {"slider": {k: p[k] for k in SLIDER_PROPS}, "label": p["label"], "hidden": p["hidden"]}


def network_values(scene: Scene) -> dict:
    """The network controls' values (hidden, activation, seed, layer_lr) for a scene."""
    hidden, layer_lr = scene.hidden or N.DEFAULT_HIDDEN, scene.layer_lr
    return {"hidden": ",".join(str(h) for h in hidden), "activation": scene.activation or N.DEFAULT_ACTIVATION,
            "net_seed": scene.net_seed or 0, "layer_lr": ",".join(f"{m:g}" for m in layer_lr) if layer_lr else ""}


# --- sliders -------------------------------------------------------------------------------------

# The lr slider moves in log10(lr): value = log10(lr), lr = 10 ** value kept to the link's significant
# digits. assets/share.js has the same two lines and reads the numbers below from ui/web/shared.py
# (lr_slider_scale); tests/browser/test_browser_shared.py checks them at every notch.

def lr_to_slider(lr: float) -> float:
    return math.log10(lr)


def slider_to_lr(value) -> float:
    """The real learning rate of the log-scale slider (None if the slider sent nothing)."""
    return None if value is None else F.canonical(10.0 ** float(value))


def lr_slider_scale() -> dict:
    """The lr slider's numbers, for it and for its twin in the JS: its log10 bounds (whole decades of
    ``LR_RANGE``) and the notches it stops at (``lr_stops``, as slider values)."""
    lo, hi = (round(math.log10(v)) for v in F.LR_RANGE)
    return {"min": lo, "max": hi, "stops": [round(lr_to_slider(v), 6) for v in lr_stops()]}


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_label(k: int) -> str:
    """10⁻⁵ … 0.1, 1, 10: short enough for seven marks on a 270-pixel slider."""
    return f"{10.0 ** k:g}" if k >= -1 else "10" + str(k).translate(SUPERSCRIPT)


def lr_stops() -> list:
    """The rates the lr slider stops at: 1, 2 and 5 in every decade of ``LR_RANGE`` (0.001, 0.002,
    0.005, 0.01, ...). Any other rate is typed into the box beside it (or comes from a link)."""
    lo, hi = (round(math.log10(v)) for v in F.LR_RANGE)
    stops = [F.canonical(m * 10.0 ** k) for k in range(lo, hi + 1) for m in (1, 2, 5)]
    return [v for v in stops if F.LR_RANGE[0] <= v <= F.LR_RANGE[1]]


def lr_slider(lr: float) -> dcc.Slider:
    """A log10 slider that snaps to ``lr_stops`` (step None: only the marks), labelled at each decade."""
    scale = lr_slider_scale()
    lo, hi = scale["min"], scale["max"]
    decades = {F.canonical(10.0 ** k) for k in range(lo, hi + 1)}
    marks = {notch: {"label": decade_label(round(notch)) if slider_to_lr(notch) in decades else "\u2009"}
             for notch in scale["stops"]}
    return dcc.Slider(id=ids.LR, min=lo, max=hi, step=None, value=lr_to_slider(lr), marks=marks,
                      allow_direct_input=False, updatemode="drag", className="slider")


def lr_box(lr: float) -> dcc.Input:
    """The scene's learning rate as text: any rate in ``LR_RANGE`` can be typed (Enter or leaving the
    box applies it); assets/share.js keeps it and the slider in step and names a bad entry."""
    return dcc.Input(id=ids.LR_TEXT, type="text", value=F.format_number(F.canonical(lr)), debounce=True,
                     className="lr-text", size="7", name="lr")


STEPS_STEP = 10  # the steps slider stops at round numbers: 300, 1990, never 1992


def plain_slider(id_, bounds, step, value, marks) -> dcc.Slider:
    return dcc.Slider(id=id_, min=bounds[0], max=bounds[1], step=step, value=value, marks=marks,
                      updatemode="drag", className="slider")


def start_slider_props(landscape_name: str) -> dict:
    """min, max, step and marks of a start slider for each axis of a landscape's view."""
    L = surfaces.get(landscape_name)
    props = []
    for lo, hi in L.bounds:
        step = 10.0 ** math.floor(math.log10((hi - lo) / 200))
        marks = {v: {"label": f"{v:g}"} for v in (lo, (lo + hi) / 2, hi)}
        props.append({"min": lo, "max": hi, "step": step, "marks": marks})
    return {"x": props[0], "y": props[1]}


def schedule_param_props(name: str, steps: int, value=None) -> dict:
    """The schedule-parameter slider for a schedule: hidden for a constant rate."""
    param = F.schedule_param(name)
    if param is None:
        return {"min": 0, "max": 1, "step": 1, "value": None, "marks": {}, "label": "", "hidden": True}
    lo, hi = param.bounds
    marks = {v: {"label": f"{v:g}"} for v in (lo, hi)}
    return {"min": lo, "max": hi, "step": param.step, "value": param.default(steps) if value is None else value,
            "marks": marks, "label": param.label, "hidden": False}


def speed_slider() -> dcc.Slider:
    marks = {i: {"label": str(v)} for i, v in enumerate(SPEEDS)}
    return dcc.Slider(id=ids.SPEED, min=0, max=len(SPEEDS) - 1, step=1, value=DEFAULT_SPEED_INDEX, marks=marks,
                      allow_direct_input=False, className="slider speed-slider")


def frame_slider(steps: int) -> dcc.Slider:
    return dcc.Slider(id=ids.FRAME, min=0, max=steps, step=1, value=steps, marks=frame_marks(steps),
                      updatemode="drag", allow_direct_input=False, className="slider frame-slider")


def frame_marks(steps: int) -> dict:
    return {k: {"label": str(k)} for k in sorted({0, steps // 4, steps // 2, (3 * steps) // 4, steps})}


# --- per-optimizer overrides ---------------------------------------------------------------------

OVERRIDE_PATTERN = {"type": ids.OPT_HYPER, "index": ALL, "key": ALL}  # every box of every panel
RUN_SECTIONS = [("Separate learning rates for x and y (parameter groups)", ("lr_x", "lr_y")),
                ("This run only", ("fixed_lr", "x0", "y0"))]


def _placeholder(key: str, info) -> str:
    """What an empty box means: the scene's slider, or torch's default."""
    if key == "lr":
        return "scene lr"
    if key in F.GROUP_KEYS:
        return "= lr"
    if key in ("x0", "y0"):
        return "scene start"
    if key == info.momentum_param:
        return "slider"
    default = F.torch_default(key, info.defaults)
    return "auto" if default is None else F.format_number(default)


def override_control(name: str, key: str, value) -> html.Div:
    """One hyperparameter box of an optimizer's panel; empty means "use the default"."""
    spec, info = F.OVERRIDES[key], optimizers.info(name)
    id_ = {"type": ids.OPT_HYPER, "index": name, "key": key}
    if spec.kind == "bool":
        on = bool(F.torch_default(key, info.defaults) if value is None else value)
        control = dcc.Checklist(id=id_, options=[{"label": spec.label, "value": "on"}],
                                value=["on"] if on else [], className="override-check")
        return html.Div(control, className="override override-bool")
    # Text, not type="number": "1e-6" types naturally, and the codec checks the value anyway.
    control = dcc.Input(id=id_, type="text", value=None if value is None else f"{value:g}",
                        debounce=True, placeholder=_placeholder(key, info), className="override-input",
                        spellCheck=False)
    return html.Div([html.Label(spec.label, className="override-label"), control], className="override")


def override_panel(name: str, colour: str, overrides: dict) -> html.Details:
    """The advanced panel of one selected optimizer: one box per hyperparameter torch gives it."""
    info = optimizers.info(name)
    keys = [k for k in F.override_keys(name) if not F.OVERRIDES[k].run]
    summary = html.Summary([html.Span(className="swatch", style={"background": colour}), info.title])
    body = [html.Div([override_control(name, key, overrides.get(key)) for key in keys], className="override-grid")]
    for heading, run_keys in RUN_SECTIONS:
        body += [html.Div(heading, className="override-heading"),
                 html.Div([override_control(name, k, overrides.get(k)) for k in run_keys], className="override-grid")]
    return html.Details([summary, *body], className="override-panel",
                        title=info.description, open=bool(overrides))  # a link's overrides are in view


def overrides_from_inputs(entries) -> dict:
    """{optimizer: {key: value}} from the pattern-matching inputs' ``[{"id", "value"}, ...]``.

    Empty boxes are left out (they mean "default"); a checkbox counts as set either way, and the
    codec drops it when it equals torch's default.
    """
    out = {}
    for entry in entries:
        id_, value = entry.get("id") or {}, entry.get("value")
        key, name = id_.get("key"), id_.get("index")
        if id_.get("type") != ids.OPT_HYPER or key not in F.OVERRIDES or name is None:
            continue
        if F.OVERRIDES[key].kind == "bool":
            value = bool(value)
        elif value is None or str(value).strip() == "":
            continue
        out.setdefault(name, {})[key] = value
    return out


def panel_names(entries) -> set:
    """Optimizers whose panel is on the page (every panel has an lr box)."""
    return {(e.get("id") or {}).get("index") for e in entries
            if (e.get("id") or {}).get("type") == ids.OPT_HYPER and (e.get("id") or {}).get("key") == "lr"}
