"""Exports: the CSV re-creates a notebook run, the GIF's frames and size, the scene file, PNG settings."""

import base64
import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from PIL import Image

import landscapes
import optimizers
from benchmarks.dash_requests import DISPATCH, body, body_for
from tests.test_ui_scene import scenes
from ui import create_app
from ui.model import grid, limits, scene_file
from ui.model import scene as S
from ui.model.limits import BadInput
from ui.views import exports, gif
from ui.views.render import render_scene
from ui.web import guard, ids
from layout_tree import walk


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), comment="#")


def notebook_frames(text: str) -> pd.DataFrame:
    """Run the notebook lines the CSV's comments give, as a reader would paste them."""
    lines = [line[4:] for line in text.splitlines() if line.startswith("#   ")]
    namespace = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - our own export's text, in a test
    names = [t.optimizer for t in namespace["trajs"]]
    return pd.concat([f.assign(optimizer=n) for f, n in zip(namespace["frames"], names)], ignore_index=True)


# --- CSV -------------------------------------------------------------------------------------------

def test_the_csv_holds_the_same_numbers_as_a_notebook_run():
    scene, _ = S.parse("landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.002&steps=120&schedule=cosine&T_max=100"
                       "&noise=0.3&seed=7&adam.lr=0.05&adam.beta2=0.99")
    text = exports.trajectories_csv(scene)
    table = read_csv(text)
    # A notebook user's own call, written out by hand (noise draws follow the list, so one call):
    trajs = optimizers.run(landscapes.get("rosenbrock"),
                           [optimizers.get("sgd", lr=0.002), optimizers.get("momentum", lr=0.002, momentum=0.9),
                            optimizers.get("adam", lr=0.05, betas=(0.9, 0.99))],
                           start=(-1.5, 2.0), steps=120, schedule=optimizers.schedule("cosine", T_max=100),
                           noise=0.3, seed=7, tol=1e-4)
    for name, traj in zip(["sgd", "momentum", "adam"], trajs):
        mine = table[table.optimizer == name].drop(columns="optimizer").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, traj.to_frame(), check_exact=True, check_dtype=False)
    assert list(table.columns) == ["optimizer", "run", "step", "x", "y", "loss", "grad_x", "grad_y", "lr_x", "lr_y"]
    assert len(table) == 3 * 121


def test_the_csv_comments_carry_the_scene_and_a_call_that_re_creates_it():
    scene, _ = S.parse("landscape=beale&opt=nesterov,adagrad,rmsprop&momentum=0&steps=40&schedule=onecycle"
                       "&rmsprop.centered=1")
    text = exports.trajectories_csv(scene)
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[1] == "# scene: ?" + S.encode(scene)
    assert S.parse(comments[1].split("?", 1)[1]) == (scene, [])
    # Nesterov refuses momentum 0 (torch's rule): said, and left out; one-cycle fell back for Adagrad.
    assert any("run nesterov (Nesterov)" in c and "not run: Nesterov momentum requires" in c for c in comments)
    assert any(c.startswith("# note: One-cycle") for c in comments)
    pd.testing.assert_frame_equal(read_csv(text), notebook_frames(text)[read_csv(text).columns], check_exact=True,
                                  check_dtype=False)
    assert set(read_csv(text).optimizer) == {"adagrad", "rmsprop"}


def test_the_csv_of_a_scene_without_runs_is_just_its_header():
    scene, _ = S.parse("opt=")
    table = read_csv(exports.trajectories_csv(scene))
    assert len(table) == 0 and "optimizer" in table.columns


def test_the_filename_names_the_surface():
    assert exports.filename(S.default_scene(), "csv") == "gradscape-rosenbrock.csv"


# --- PNG (the modebar's image export) --------------------------------------------------------------

def test_every_graph_exports_a_2x_png_from_its_modebar():
    graphs = [c for c in walk(create_app().layout) if type(c).__name__ == "Graph"]
    assert {g.id for g in graphs} >= {ids.CONTOUR, ids.SURFACE, ids.LOSS_CURVE}
    for g in graphs:
        options = g.config["toImageButtonOptions"]
        assert options["format"] == "png" and options["scale"] == 2 and options["filename"] == f"gradscape-{g.id}"
        assert g.config["modeBarButtons"] == [["toImage"]] and g.config["displayModeBar"] == "hover"


def test_every_figure_has_a_white_paper_for_a_clean_image():
    r = render_scene(S.default_scene())
    for fig in (r.contour, r.surface, r.loss):
        assert fig["layout"]["paper_bgcolor"] == "#ffffff" and fig["layout"]["plot_bgcolor"] == "#ffffff"


# --- GIF -------------------------------------------------------------------------------------------

def frames_of(data: bytes):
    image = Image.open(io.BytesIO(data))
    out = []
    for i in range(image.n_frames):
        image.seek(i)
        out.append(np.asarray(image.convert("RGB")))
    return image, out


def colour_pixels(frame: np.ndarray, colour: str) -> int:
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return int(np.all(frame == rgb, axis=-1).sum())


def test_the_gif_grows_the_paths_over_the_contour_map():
    scene, _ = S.parse("landscape=rosenbrock&opt=sgd,momentum,adam&steps=300&adam.lr=0.05")
    data = gif.scene_gif(scene)
    image, frames = frames_of(data)
    assert image.format == "GIF" and image.size == gif.DEFAULT_SIZE
    assert len(frames) == gif.DEFAULT_FRAMES and image.info.get("loop") == 0
    blue, orange = "#0072B2", "#E69F00"  # the page's colours of the first two runs
    growth = [colour_pixels(f, orange) for f in frames]
    assert growth[0] < growth[len(growth) // 4] < growth[-1]  # momentum's path grows
    assert colour_pixels(frames[-1], blue) > 50
    assert len(data) < 1_000_000  # frames after the first hold only what changed


def test_the_gif_has_one_frame_per_step_for_a_short_run_and_is_capped():
    scene, _ = S.parse("opt=adam&steps=20")
    image, frames = frames_of(gif.scene_gif(scene))
    assert len(frames) == 21
    scene, _ = S.parse("opt=adam&steps=2000")
    image, frames = frames_of(gif.scene_gif(scene, frames=10_000, size=(10_000, 10_000)))
    assert len(frames) == gif.MAX_FRAMES and image.size == gif.MAX_SIZE


def test_the_gif_of_a_diverging_run_and_of_no_run():
    scene, _ = S.parse("landscape=rosenbrock&opt=sgd,adam&lr=10&steps=50")
    image, frames = frames_of(gif.scene_gif(scene, size=(400, 300)))
    assert image.size == (400, 300) and len(frames) == 51
    image, frames = frames_of(gif.scene_gif(S.parse("opt=&steps=10")[0], size=(300, 200)))
    assert len(frames) == 11


def test_frame_steps_are_even_and_keep_both_ends():
    assert gif.frame_steps(300, 60)[0] == 0 and gif.frame_steps(300, 60)[-1] == 300
    assert gif.frame_steps(5, 60) == [0, 1, 2, 3, 4, 5]
    assert len(gif.frame_steps(5000, 1000)) == gif.MAX_FRAMES


# --- the scene file ---------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(scenes())
def test_a_saved_scene_loads_back_exactly(scene):
    text = scene_file.dumps(scene)
    assert scene_file.loads(text) == (scene, [])
    assert json.loads(text)["link"] == "?" + S.encode(scene)
    contents = "data:application/json;base64," + base64.b64encode(text.encode()).decode()
    assert scene_file.from_upload(contents, "notes.json") == (scene, [])


def test_a_hand_edited_file_gets_a_links_fallbacks_with_named_fields():
    data = json.loads(scene_file.dumps(S.default_scene()))
    data["scene"].update(lr=50, landscape="atlantis", optimizers=["adam", "teleport"])
    scene, warnings = scene_file.loads(json.dumps(data))
    assert scene.lr == S.DEFAULT_LR and scene.landscape == "rosenbrock" and list(scene.optimizers) == ["adam"]
    assert [w.split(":")[1].strip() for w in warnings] == ["landscape", "opt", "lr"]
    assert all(w.startswith("Scene file: ") for w in warnings)


def test_a_file_missing_keys_says_which_and_what_it_used():
    data = json.loads(scene_file.dumps(S.parse("landscape=himmelblau&opt=adam,sgd&lr=0.01&momentum=0.5")[0]))
    for key in ("momentum", "x0", "steps"):
        del data["scene"][key]
    scene, warnings = scene_file.loads(json.dumps(data))
    x0, _ = S.default_start("himmelblau")
    assert warnings == ["Scene file: no 'momentum': using 0.9", f"Scene file: no 'x0': using {x0:g}",
                        "Scene file: no 'steps': using 300"]  # not "momentum: '' is not a finite number"
    assert (scene.momentum, scene.x0, scene.steps, scene.lr) == (S.DEFAULT_MOMENTUM, x0, 300, 0.01)
    scene, warnings = scene_file.loads('{"scene": {"landscape": "bowl"}}')
    assert warnings[0] == "Scene file: no 'optimizers': using sgd, momentum, adam" and len(warnings) == 7


@pytest.mark.parametrize("text, message", [
    ("", "not valid JSON"),
    ("{", "not valid JSON"),
    ("[1, 2]", 'no "scene" object'),
    ('{"scene": "rosenbrock"}', 'no "scene" object'),
    ('{"format": "other-app", "scene": {}}', "format 'other-app' is not"),
    ("[" * 100_000 + "]" * 100_000, "larger than 64 KB"),
    ('{"scene": {}, "padding": "' + "x" * 70_000 + '"}', "larger than 64 KB"),
    ("[" * 5000 + "]" * 5000, "not valid JSON"),  # nesting deeper than the parser takes
], ids=lambda v: str(v)[:20])
def test_a_file_that_is_not_a_scene_file_is_refused_with_a_sentence(text, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        scene_file.loads(text)


@pytest.mark.parametrize("contents", [None, 5, "", "no comma", "data:application/json;base64,!!!!",
                                      "data:application/octet-stream;base64," + base64.b64encode(b"\xff\xfe\x00").decode(),
                                      "data:x;base64," + "A" * 200_000])
def test_a_broken_upload_is_refused_with_a_sentence(contents):
    with pytest.raises(BadInput, match="^Scene file: "):
        scene_file.from_upload(contents, "x.json")


def test_an_other_version_loads_what_it_can_and_says_so():
    data = json.loads(scene_file.dumps(S.default_scene()))
    data["version"] = 2
    scene, warnings = scene_file.loads(json.dumps(data))
    assert scene == S.default_scene() and warnings[0].startswith("Scene file: version '2'")


# --- the callbacks over HTTP ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app():
    return create_app()


def post(app, output_id, values):
    response = app.server.test_client().post(DISPATCH, json=body_for(app.callback_map, output_id, values))
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def stored(query):
    scene, warnings = S.parse(query)
    return {"scene": scene.to_dict(), "warnings": warnings, "source": "link"}


def test_the_download_callbacks_send_the_files(app):
    csv = post(app, ids.DOWNLOAD_CSV, {ids.EXPORT_CSV: 1, ids.SCENE: stored("opt=adam&steps=30")})
    data = csv["response"][ids.DOWNLOAD_CSV]["data"]
    assert data["filename"] == "gradscape-rosenbrock.csv" and len(read_csv(data["content"])) == 31
    made = post(app, ids.DOWNLOAD_GIF, {ids.EXPORT_GIF: 1, ids.SCENE: stored("opt=adam&steps=30")})
    data = made["response"][ids.DOWNLOAD_GIF]["data"]
    assert data["base64"] and Image.open(io.BytesIO(base64.b64decode(data["content"]))).n_frames == 31
    saved = post(app, ids.DOWNLOAD_SCENE, {ids.SAVE_SCENE: 1, ids.SCENE: stored("landscape=beale&opt=adam")})
    data = saved["response"][ids.DOWNLOAD_SCENE]["data"]
    assert data["filename"] == "gradscape-beale.json"
    assert scene_file.loads(data["content"])[0] == S.parse("landscape=beale&opt=adam")[0]


def _load(app, contents):
    key = next(k for k, s in app.callback_map.items() if s["inputs"][0]["id"] == ids.LOAD_SCENE)
    spec = app.callback_map[key]
    response = app.server.test_client().post(DISPATCH, json=body(
        key, spec["inputs"], spec["state"], {ids.LOAD_SCENE: contents, (ids.LOAD_SCENE, "filename"): "notes.json"}))
    assert response.status_code == 200
    return response.get_json()


def test_loading_a_file_sets_the_controls_like_a_link(app):
    text = scene_file.dumps(S.parse("landscape=himmelblau&opt=adam,sgd&lr=0.01")[0])
    opened = post(app, ids.SCENE, {ids.URL: ""})["response"]  # what opening the page sets...
    loaded = _load(app, "data:application/json;base64," + base64.b64encode(text.encode()).decode())["response"]
    assert set(loaded) == set(opened) | {ids.LOAD_SCENE}  # ...a file sets too, and it clears the upload
    assert loaded[ids.LANDSCAPE]["value"] == "himmelblau" and loaded[ids.OPTIMIZERS]["value"] == ["adam", "sgd"]
    assert loaded[ids.SCENE]["data"]["scene"] == S.parse("landscape=himmelblau&opt=adam,sgd&lr=0.01")[0].to_dict()
    assert loaded[ids.LOAD_SCENE]["contents"] is None


def test_a_bad_file_leaves_the_scene_and_says_why(app):
    data = _load(app, "data:application/json;base64," + base64.b64encode(b"{oops").decode())
    assert data.get("response", {}) == {}  # no control changes: the scene stays
    assert "Scene file: not valid JSON" in json.dumps(data["sideUpdate"][ids.MESSAGE])


# --- the hard limits ---------------------------------------------------------------------------------

def test_the_scene_ranges_sit_inside_the_hard_limits():
    assert guard.limits_hold() == []
    assert max(grid.CONTOUR_RESOLUTION, grid.SURFACE_RESOLUTION, gif.GRID_RESOLUTION) <= limits.MAX_GRID
    assert gif.MAX_FRAMES <= 120 and gif.MAX_SIZE[0] * gif.MAX_SIZE[1] <= 1000 * 1000
    assert (limits.MAX_STEPS, limits.MAX_RUNS, limits.MAX_GRID, limits.MAX_EXPRESSION_LENGTH) == (5000, 20, 200, 500)
    assert limits.MAX_URL_LENGTH <= 4096


def test_the_hard_limits_refuse_a_scene_beyond_them():
    scene = S.default_scene().replace(steps=limits.MAX_STEPS + 1)
    with pytest.raises(BadInput, match="steps: at most 5000"):
        guard.check_scene_limits(scene)
    with pytest.raises(BadInput, match="At most 20 runs"):
        guard.check_scene_limits(S.default_scene().replace(optimizers=["adam"] * 21))
    with pytest.raises(BadInput, match="expression: at most 500"):
        guard.check_scene_limits(S.default_scene().replace(expr="x" * 501))
    guard.check_scene_limits(S.default_scene())
