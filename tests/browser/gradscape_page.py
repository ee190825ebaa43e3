"""What the browser tests read off the page: run traces, the overlay, the step, the scene."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dash.testing.wait import until

VIEWS = ("contour", "surface", "loss-curve")
FLAT_VIEWS = ("contour", "loss-curve")

# A graph's run traces by role (typed arrays as lists), its scene key, and whether any number
# in any of its traces is NaN or infinite.
_READ_GRAPH = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
if (!gd || !gd.data) { return null; }
const list = (a) => (a === undefined || a === null) ? null : Array.from(a);
const out = {key: gd.layout.meta && gd.layout.meta.key, ghost: [], path: [], markers: null, bad: false};
for (const t of gd.data) {
    const gaps = t.meta && t.meta.gaps;  // NaN there is a gap the trace means to draw
    for (const attr of (gaps ? [] : ['x', 'y', 'z'])) {
        const v = t[attr];
        if (v && typeof v.length === 'number' && typeof v !== 'string') {
            for (let i = 0; i < v.length; i++) {
                if (typeof v[i] === 'number' && !Number.isFinite(v[i])) { out.bad = true; }
            }
        }
    }
    const m = t.meta, data = {x: list(t.x), y: list(t.y), z: list(t.z)};
    if (m && (m.role === 'ghost' || m.role === 'path')) { out[m.role][m.run] = data; }
    if (m && m.role === 'markers') { out.markers = data; }
}
// The 2-D views draw their whole paths on the overlay, from the store: read them there.
const g = window.gradscape;
if (arguments[0] !== 'surface' && g && g.runs) {
    out.ghost = g.runs.map(r => arguments[0] === 'contour' ? {x: list(r.x), y: list(r.y), z: null}
                                                         : {x: null, y: list(r.lossY || r.loss), z: null});
}
return out;
"""

# The SVG overlay of a 2-D view: per run its path's point count and its marker's data position.
_READ_OVERLAY = """
const svg = document.querySelector('#' + arguments[0] + '-overlay svg.overlay-svg');
if (!svg) { return null; }
const paths = Array.from(svg.querySelectorAll('g.paths path'))
    .map(p => (p.getAttribute('d') || '').split(/[ML]/).length - 1);
const markers = Array.from(svg.querySelectorAll('g.markers circle'))
    .map(c => [parseFloat(c.getAttribute('data-x')), parseFloat(c.getAttribute('data-y'))]);
const cursor = svg.querySelector('line');
const bad = Array.from(svg.querySelectorAll('path, circle')).some(e => /NaN|Infinity/.test(e.outerHTML));
return {paths, markers, cursor: cursor && parseFloat(cursor.getAttribute('data-step')), bad};
"""


def read_graph(duo, view: str) -> dict:
    return duo.driver.execute_script(_READ_GRAPH, view)


def read_overlay(duo, view: str) -> dict:
    return duo.driver.execute_script(_READ_OVERLAY, view)


def store_key(duo) -> str:
    """The key of the figures the store's runs are drawn in (a new lr keeps it; new runs change it)."""
    return duo.driver.execute_script("return window.gradscape && window.gradscape.figureKey")


def paths_key(duo) -> str:
    """The key of the scene whose paths the page shows."""
    return duo.driver.execute_script("return window.gradscape && window.gradscape.key")


def current_step(duo) -> int:
    text = duo.find_element("#frame-label").text  # "step 37 / 300"
    return int(text.split()[1])


def shown_step(duo):
    """The step the page's views show (assets/animation.js's own state; the label and t= follow it)."""
    return duo.driver.execute_script("return window.gradscape && window.gradscape.key ? window.gradscape.frame : null")


def query(duo) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(duo.driver.current_url).query).items()}


def drawn(duo, n_runs: int, view: str) -> bool:
    """The view shows the store's scene: n_runs whole paths, and their moving parts."""
    g, key = read_graph(duo, view), store_key(duo)
    if not (g and key and g["key"] == key and len(g["ghost"]) == n_runs and all(p and p["y"] for p in g["ghost"])):
        return False
    if view in FLAT_VIEWS:
        o = read_overlay(duo, view)
        return bool(o and len(o["paths"]) == n_runs and len(o["markers"]) == n_runs)
    return bool(g["markers"] and len(g["markers"]["x"] or []) == n_runs)


def wait_drawn(duo, n_runs: int, views=VIEWS, timeout: float = 40) -> None:
    # an upper bound only: a first page on a busy machine also waits for the server to draw its scene
    until(lambda: all(drawn(duo, n_runs, v) for v in views), timeout=timeout,
          msg=f"{n_runs} paths were not drawn in {views}")


def markers(duo) -> dict:
    """Where every run's marker is, in every view."""
    out = {view: read_overlay(duo, view)["markers"] for view in FLAT_VIEWS}
    m = read_graph(duo, "surface")["markers"]
    out["surface"] = list(zip(m["x"], m["y"], m["z"]))
    return out


# --- the teaching layer ---------------------------------------------------------------------------

_READ_TEACH = """
const t = window.gradscapeTeaching, g = window.gradscape, ins = document.getElementById('inspector');
const rows = {};
for (const tr of ins.querySelectorAll('tr[data-row]')) {
    rows[tr.getAttribute('data-row')] = Array.from(tr.querySelectorAll('td.num')).map(td => td.textContent);
}
// Drawn as the browser renders it: the computed visibility (a child's own visibility="visible" beats a
// hidden group, so reading the attributes is not enough), no display:none on the way up, a non-empty box.
const shown = el => {
    if (!el || getComputedStyle(el).visibility !== 'visible') { return false; }
    for (let a = el; a && a !== document; a = a.parentNode) {
        if (getComputedStyle(a).display === 'none') { return false; }
    }
    const box = el.getBoundingClientRect();
    return box.width > 0 || box.height > 0;
};
const arrows = {};
for (const el of document.querySelectorAll('#contour-overlay .teach-arrows [data-arrow]')) {
    arrows[el.getAttribute('data-arrow')] = shown(el);
}
const slice = document.getElementById('slice-plot');
const head = ins.querySelector('.inspector-head b');
return {loaded: !!(t.data && t.data.key === g.key), run: t.data && t.data.run, title: head && head.textContent,
        step: ins.getAttribute('data-step'), stepText: (ins.querySelector('.inspector-step') || {}).textContent,
        rows, arrows, sliceStep: slice.getAttribute('data-step'),
        field: document.querySelectorAll('#contour-overlay .teach-field line').length,
        fieldShown: shown(document.querySelector('#contour-overlay .teach-field line')),
        cursor: (document.querySelector('#schedule-plot-overlay line') || {getAttribute: () => null})
            .getAttribute('data-step')};
"""


def read_teach(duo) -> dict:
    return duo.driver.execute_script(_READ_TEACH)


def wait_teach(duo, timeout: float = 15) -> dict:
    """The teach store of the scene on show has arrived and the inspector shows it."""
    until(lambda: (lambda t: t["loaded"] and t["rows"])(read_teach(duo)), timeout=timeout,
          msg="the step inspector did not show the scene")
    return read_teach(duo)


def class_list(duo, selector: str) -> list:
    return duo.find_element(selector).get_attribute("class").split()


# --- issue 5: the formula box, the maps ----------------------------------------------------------

# Each trace of a graph: type, visibility, meta, and for the contour's level lines their colouring.
_READ_TRACES = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
if (!gd || !gd.data) { return null; }
return gd.data.map((t, i) => ({type: t.type, visible: gd._fullData[i] ? gd._fullData[i].visible : t.visible,
                               meta: t.meta || null, coloring: t.contours ? t.contours.coloring : null,
                               source: i === 0 && gd.layout.meta && gd.layout.meta.lossMap
                                   ? gd.layout.meta.lossMap.source : null}));
"""


def read_traces(duo, view: str) -> list:
    return duo.driver.execute_script(_READ_TRACES, view)


def set_value(duo, component_id: str, value) -> None:
    """What picking from a dropdown does: the component's value, through Dash."""
    duo.driver.execute_script("window.dash_clientside.set_props(arguments[0], {value: arguments[1]});",
                              component_id, value)


def open_section_of(duo, selector: str) -> None:
    """Open the <details> section that holds an element (the sidebar's folded sections)."""
    duo.driver.execute_script("document.querySelector(arguments[0]).closest('details').open = true;", selector)


def type_into(duo, selector: str, text: str) -> None:
    """Replace a text box's contents and press Enter (the boxes are debounced)."""
    from selenium.webdriver.common.keys import Keys

    box = duo.find_element(selector)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


# --- the graphs' own layout: settled size, axis title clear of its ticks -----------------------------

# [width, height] of a graph once its layout has settled: the holder's box and Plotly's layout agree and
# stay the same over two consecutive animation frames (null while a resize is still going on).
_SETTLED = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot'), done = arguments[arguments.length - 1];
const size = () => {
    const fl = gd && gd._fullLayout, box = gd && gd.getBoundingClientRect();
    return fl && box ? [fl.width, fl.height, Math.round(box.width), Math.round(box.height)] : null;
};
const first = size();
requestAnimationFrame(() => requestAnimationFrame(() => {
    const second = size();
    const same = first && second && first.every((v, i) => v === second[i]);
    done(same && Math.abs(second[0] - second[2]) <= 1 && Math.abs(second[1] - second[3]) <= 1 ? second.slice(0, 2) : null);
}));
"""


def wait_settled(duo, view: str, timeout: float = 15) -> list:
    """A graph's [width, height] once it has stopped resizing (a busy machine can resize it late)."""
    until(lambda: duo.driver.execute_async_script(_SETTLED, view) is not None, timeout=timeout,
          msg=f"{view} kept resizing")
    return duo.driver.execute_async_script(_SETTLED, view)


# The y-axis title's box, its tick labels' boxes and the graph's own box, in page pixels.
_AXIS_BOXES = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const title = gd.querySelector('.g-ytitle text');
return {title: title && box(title), text: title && title.textContent, svg: box(gd.querySelector('svg.main-svg')),
        ticks: Array.from(gd.querySelectorAll('.yaxislayer-above .ytick text')).map(box)};
"""


def axis_boxes(duo, view: str) -> dict:
    return duo.driver.execute_script(_AXIS_BOXES, view)


def slider_geometry(duo, slider: str) -> dict:
    """Where a slider's track is on screen and its range, for real mouse events along it."""
    return duo.driver.execute_script("""
        var root = document.querySelector('#' + arguments[0] + ' .dash-slider-root');
        root.scrollIntoView({block: 'center'});
        var thumb = root.querySelector('[role=slider]'), r = root.getBoundingClientRect();
        return {left: r.left, width: r.width, y: r.top + r.height / 2,
                min: parseFloat(thumb.getAttribute('aria-valuemin')), max: parseFloat(thumb.getAttribute('aria-valuemax'))};
    """, slider)


def mouse_on_slider(duo, geo: dict, kind: str, value: float) -> None:
    """A real (trusted) mouse event at ``value``'s place on the slider, as a mouse sends it."""
    x = geo["left"] + (value - geo["min"]) / (geo["max"] - geo["min"]) * geo["width"]
    duo.driver.execute_cdp_cmd("Input.dispatchMouseEvent", {
        "type": kind, "x": x, "y": geo["y"], "button": "left", "buttons": 0 if kind == "mouseReleased" else 1,
        "clickCount": 0 if kind == "mouseMoved" else 1})


def page_idle(duo) -> bool:
    """No scene request in flight or waiting (assets/gate.js), and nothing drawn older than the controls."""
    return duo.driver.execute_script(
        "var g = window.gradscapeGate; return !g.inFlight && !g.dirty &&"
        " !document.documentElement.classList.contains('gs-working')")


def drag_stats(duo) -> dict:
    """assets/drag.js's state and counters: active, inFlight, pending and its stats."""
    return duo.driver.execute_script(
        "var d = window.gradscapeDrag; return Object.assign({active: !!d.active, inFlight: d.inFlight,"
        " pending: d.pending && d.pending.value}, d.stats)")

