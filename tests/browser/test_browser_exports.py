"""Exports from the page, under the security headers: CSV, GIF, scene file save and load, the PNG."""

import base64
import io
import json

import numpy as np
import pytest
from dash import dcc
from dash.testing.wait import until
from PIL import Image

from gradscape_page import query, paths_key, wait_drawn, wait_settled

pytestmark = [pytest.mark.browser, pytest.mark.minified]  # the page users get (conftest.py)

# Every Blob the page makes is kept, so a download can be read back instead of saved to disk
# (Plotly's PNG, and dcc.Download's files, go through URL.createObjectURL).
CAPTURE_BLOBS = """
window.__blobs = [];
const original = URL.createObjectURL.bind(URL);
URL.createObjectURL = function (blob) { window.__blobs.push(blob); return original(blob); };
HTMLAnchorElement.prototype.click = function () { window.__clicked = this.download; };
"""
READ_BLOB = """
const type = arguments[0], done = arguments[arguments.length - 1];
const blob = window.__blobs.filter(b => b.type.startsWith(type)).pop();
if (!blob) { done(null); return; }
const reader = new FileReader();
reader.onload = () => done(reader.result.split(',')[1]);
reader.readAsDataURL(blob);
"""
HEADERS = """
const done = arguments[arguments.length - 1];
fetch('/').then(r => done(Object.fromEntries(r.headers.entries())));
"""


def download(duo, button: str, mime: str) -> bytes:
    duo.driver.execute_script("window.__blobs = window.__blobs.filter(b => !b.type.startsWith(arguments[0]));", mime)
    duo.find_element(button).click()
    until(lambda: duo.driver.execute_async_script(READ_BLOB, mime) is not None, timeout=20,
          msg=f"no {mime} download from {button}")
    return base64.b64decode(duo.driver.execute_async_script(READ_BLOB, mime))


def test_exp001_exports_and_scene_files_under_the_security_headers(gradscape, tmp_path):
    duo = gradscape
    wait_drawn(duo, 3)
    headers = duo.driver.execute_async_script(HEADERS)
    assert headers["x-content-type-options"] == "nosniff" and "frame-ancestors 'self'" in \
        headers["content-security-policy"]
    duo.driver.execute_script(CAPTURE_BLOBS)
    duo.find_element("#export-menu summary").click()  # the header's Export menu

    # CSV: every run's trajectory, with the scene's link in its comments.
    text = download(duo, "#export-csv", "text/csv").decode()
    assert f"# scene: ?{'&'.join(f'{k}={v}' for k, v in query(duo).items())}" in text
    assert text.count("\nadam,") == 301

    # GIF: an animation of the scene (frame count and size are checked in tests/test_exports.py).
    image = Image.open(io.BytesIO(download(duo, "#export-gif", "image/gif")))
    assert image.format == "GIF" and image.n_frames == 60

    # Scene file: save, edit, load back; the page follows the file like a link.
    saved = json.loads(download(duo, "#save-scene", "application/json"))
    assert saved["link"] == duo.driver.execute_script("return window.location.search")
    saved["scene"].update(landscape="himmelblau", x0=1.0, y0=-1.0, optimizers=["adam", "sgd"])
    good = tmp_path / "lecture-3.json"
    good.write_text(json.dumps(saved))
    before = paths_key(duo)
    duo.find_element("#load-scene input[type=file]").send_keys(str(good))
    until(lambda: query(duo).get("landscape") == "himmelblau" and paths_key(duo) != before, timeout=15)
    wait_drawn(duo, 2)
    assert (query(duo)["opt"], query(duo)["x0"], query(duo)["y0"]) == ("adam,sgd", "1", "-1")
    assert duo.find_element("#message").text == ""

    # A file that is not a scene: a message, and the scene stays.
    bad = tmp_path / "notes.json"
    bad.write_text("{ this is not json")
    key = paths_key(duo)
    duo.find_element("#load-scene input[type=file]").send_keys(str(bad))
    duo.wait_for_contains_text("#message", "Scene file: not valid JSON")
    assert paths_key(duo) == key and query(duo)["landscape"] == "himmelblau"

    # PNG from the contour's modebar: twice the size, white, with the overlay's paths in it. The graph may
    # still be resizing after the file load on a busy machine (a PNG 910 px high against 2 × 495.8 once):
    # wait until its size holds over two frames, then measure and click in one script, with no gap between.
    wait_settled(duo, "contour")
    size = duo.driver.execute_script("const gd = document.querySelector('#contour .js-plotly-plot');"
                                     "const size = [gd._fullLayout.width, gd._fullLayout.height];"
                                     "gd.querySelector('.modebar-btn').click(); return size;")
    until(lambda: duo.driver.execute_async_script(READ_BLOB, "image/png") is not None, timeout=20, msg="no PNG")
    png = Image.open(io.BytesIO(base64.b64decode(duo.driver.execute_async_script(READ_BLOB, "image/png"))))
    assert abs(png.size[0] - 2 * size[0]) <= 1 and abs(png.size[1] - 2 * size[1]) <= 1  # 2x, as configured
    pixels = np.asarray(png.convert("RGBA"))
    assert tuple(pixels[2, 2]) == (255, 255, 255, 255)  # the margin: white, not transparent
    blue = int(np.all(pixels[..., :3] == (0, 114, 178), axis=-1).sum())  # the first run's colour, solid
    assert blue > 200, "the paths were not in the exported image"
    # The legend and the colour key are in the image (on the page they are HTML over the graph): the
    # legend's line for the first run in the top margin, the colour bar in the right margin, no blank band.
    margin = duo.driver.execute_script("return document.querySelector('#contour .js-plotly-plot')._fullLayout.margin;")
    top = pixels[: 2 * margin["t"], :, :3]
    assert int(np.all(top == (0, 114, 178), axis=-1).sum()) > 40, "no legend in the exported image"
    h = pixels.shape[0]
    band = pixels[h // 4: 3 * h // 4, -2 * margin["r"]:, :3].astype(int)
    coloured = (np.abs(band - 255).sum(axis=-1) > 30).mean()
    assert coloured > 0.1, f"the colour key's band is blank ({coloured:.0%} drawn)"
    assert duo.driver.execute_script("return window.__clicked") == "gradscape-contour.png"
    emptied = duo.driver.execute_script(
        "const gd = document.querySelector('#contour .js-plotly-plot');"
        "return gd.data.filter(t => t.meta && t.meta.role === 'path').map(t => (t.x || []).length);")
    assert emptied == [0, 0]  # the overlay draws the paths again; the figure's own path traces are empty
    assert duo.get_logs() == []


def test_sec001_mathjax_and_plots_work_under_the_csp(dash_duo, free_port):
    """Dash's bundled MathJax (dcc.Markdown(mathjax=True), used by the maths panels) and the 3-D
    view's WebGL run under the CSP: no violation reaches the console."""
    from ui import create_app

    app = create_app()
    app.layout.children.append(dcc.Markdown(r"$$\theta_{t+1} = \theta_t - \eta \nabla f(\theta_t)$$",
                                            mathjax=True, id="maths"))
    dash_duo.start_server(app, port=free_port)
    wait_drawn(dash_duo, 3)
    dash_duo.wait_for_element("#maths mjx-container", timeout=20)
    assert "frame-ancestors" in dash_duo.driver.execute_async_script(HEADERS)["content-security-policy"]
    assert dash_duo.get_logs() == []


# Every figure handed to Plotly for a PNG is kept (the image is still made and downloaded).
CAPTURE_FIGURES = """
window.__exported = [];
const original = Plotly.downloadImage;
Plotly.downloadImage = function (fig, opts) { window.__exported.push(JSON.parse(JSON.stringify(fig))); return original(fig, opts); };
"""


def exported(duo, view) -> dict:
    """Click the view's camera; the figure its PNG was made from, once the PNG is downloaded."""
    duo.driver.execute_script("window.__blobs = []; window.__exported = [];")
    wait_settled(duo, view)
    duo.driver.execute_script(f"document.querySelector('#{view} .js-plotly-plot .modebar-btn').click();")
    until(lambda: duo.driver.execute_async_script(READ_BLOB, "image/png") is not None, timeout=30, msg=f"no PNG of {view}")
    png = Image.open(io.BytesIO(base64.b64decode(duo.driver.execute_async_script(READ_BLOB, "image/png"))))
    assert png.size[0] > 200 and png.size[1] > 100
    return duo.driver.execute_script("return window.__exported[window.__exported.length - 1]")


def test_exp002_the_3d_view_and_the_basin_map_export_with_their_legend_and_colour_key(gradscape_link):
    duo = gradscape_link
    duo.driver.get(duo.server_url + "/?landscape=himmelblau&opt=adam,rmsprop&lr=0.05&x0=-0.3&y0=-0.9&steps=100")
    wait_drawn(duo, 2)
    duo.driver.execute_script(CAPTURE_BLOBS)
    duo.driver.execute_script(CAPTURE_FIGURES)

    # The 3-D view: a legend naming every run by its path, and the surface's colour bar.
    fig = exported(duo, "surface")
    assert fig["layout"]["showlegend"] is True
    legend = [t["name"] for t in fig["data"] if t.get("showlegend")]
    assert legend == ["Adam", "RMSprop"]
    surface = [t for t in fig["data"] if t["type"] == "surface"][0]
    assert surface["showscale"] is True and surface["colorbar"]["ticktext"]
    assert duo.driver.execute_script("return window.__clicked") == "gradscape-surface.png"

    # A basin map over the contour map: its key is a second legend, one square per outcome with its share.
    duo.driver.execute_script("window.dash_clientside.set_props('map-optimizer', {value: 'adam'});"
                              "const b = document.getElementById('basin-button'); b.closest('details').open = true; b.click();")
    until(lambda: duo.driver.execute_script("return /^Basin map:/.test(document.getElementById('map-status').innerText)"),
          timeout=90, msg="no basin map")
    page_rows = [e.text for e in duo.find_elements("#basin-legend .basin-row")]
    fig = exported(duo, "contour")
    key = [t["name"] for t in fig["data"] if t.get("legend") == "legend2"]
    assert key and key == page_rows, (key, page_rows)  # the same rows as the key on the page
    assert fig["layout"]["legend2"]["title"]["text"].startswith("Adam: basin")
    assert [t["name"] for t in fig["data"] if t.get("showlegend") and t.get("legend") != "legend2"] == ["Adam", "RMSprop"]
    assert duo.get_logs() == []
