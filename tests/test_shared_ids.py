"""One source for what Python and the JavaScript share (issue 12): the ids of ui/web/ids.py reach
the page as window.gradscapeShared (ui/web/shared.py), and no file of assets/ spells one itself."""

import json
import re
from pathlib import Path

import pytest

from ui import create_app
from ui.model import payload
from ui.model import scene_fields as F
from ui.web import ids, shared

ASSETS = Path(__file__).resolve().parent.parent / "assets"

# Literals that equal an id but are something else, each with where and why.
NOT_IDS = {
    ("export.js", 't.type === "contour"'): "a Plotly trace type",
    ("screens.js", 'classList.contains("present")'): "the root's CSS class for presentation mode",
    ("teaching.js", 'return "app" +'): "the root's CSS class list",
    ("fit.js", 't.meta.role === "fit"'): "a trace's role in the fit figure (ui/views/fit.py)",
    ("export.js", 'm.layer === "basin"'): "a trace's layer in the contour figure (ui/views/layers.py)",
    ("export.js", 't.type === "surface"'): "a Plotly trace type",
}

PROPS = ("value", "n_clicks", "children", "data", "figure", "hidden", "className", "search", "max", "marks")


def _code(text: str) -> str:
    """JS source without its comments (a regex's slashes aside, good enough for our files)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$|(?<=[;{},)])\s*//.*$", "", text)


def _id_literals(path: Path, values: set) -> list:
    found = []
    code = _code(path.read_text(encoding="utf-8"))
    for m in re.finditer(r"([\"'])((?:\\.|(?!\1).)*)\1", code):
        s = m.group(2)
        named = (s in values
                 or any(tok in values for tok in re.findall(r"#([A-Za-z][\w-]*)", s))
                 or any(s == f"{v}.{p}" for v in values for p in PROPS))
        if not named:
            continue
        line = code[code.rfind("\n", 0, m.start()) + 1:code.find("\n", m.end())]
        if any(f == path.name and snippet in line for (f, snippet) in NOT_IDS):
            continue
        found.append(f"{path.name}: {line.strip()}")
    return found


def test_shared001_no_js_file_spells_an_id_that_ids_py_defines():
    values = set(shared.element_ids().values()) | set(ids.SLIDER_VALUES.values())
    files = sorted(ASSETS.glob("*.js"))
    assert len(files) >= 10
    offenders = [hit for f in files for hit in _id_literals(f, values)]
    assert offenders == [], "read these from window.gradscapeShared.ids:\n" + "\n".join(offenders)


@pytest.mark.parametrize("line, named", [
    ('var gd = document.querySelector("#contour .js-plotly-plot");', True),
    ('window.dash_clientside.set_props("scene-request", {data: 1});', True),
    ('trig.indexOf("reveal.n_clicks")', True),
    ('var FLAT_VIEWS = ["contour", "loss-curve"];', True),
    ('var gd = document.querySelector("#" + ID.CONTOUR + " .js-plotly-plot");', False),
    ('classList.toggle("gs-working", on);', False),
])
def test_shared002_the_check_catches_an_id_spelled_in_js(tmp_path, line, named):
    f = tmp_path / "probe.js"
    f.write_text(f"(function () {{\n    {line}\n}}());\n")
    values = set(shared.element_ids().values())
    assert bool(_id_literals(f, values)) is named


def test_shared003_the_page_loads_the_shared_script_before_every_asset():
    app = create_app()
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    src = re.search(r'<script src="([^"]*_gradscape/shared\.js[^"]*)"', html).group(1)
    first_asset = min(html.find(f"/assets/{f.name}") for f in ASSETS.glob("*.js") if f"/assets/{f.name}" in html)
    assert 0 < html.find(src) < first_asset
    body = client.get(src).get_data(as_text=True)
    assert body.startswith("window.gradscapeShared = Object.freeze(")
    given = json.loads(body[body.index("(") + 1:body.rindex(")")])
    assert given["ids"]["CONTOUR"] == ids.CONTOUR == "contour"
    assert given["ids"] == shared.element_ids() and len(given["ids"]) > 100
    assert given["sliderValues"] == ids.SLIDER_VALUES
    assert given["significant"] == F.SIGNIFICANT and given["pathPoints"] == payload.PATH_POINTS
    assert given["dragSliders"] == [ids.LR, ids.MOMENTUM, ids.START_X, ids.START_Y, ids.STEPS]
    # the lr slider's scale, as the slider itself is built, and the view flags in encode_view's order
    from ui.model import scene as S
    from ui.web import controls as C

    slider = C.lr_slider(0.001)
    assert given["lrSlider"] == {"min": slider.min, "max": slider.max, "stops": sorted(slider.marks)}
    assert given["viewOrder"] == ["lesson", "weight", *S.VIEW_FLAGS, "t"]
