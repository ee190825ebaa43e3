"""Dataset landscapes name their axes (w and b, w₁ and w₂) from their own record, and the page shows
their data with each run's current fit."""

import landscapes
import numpy as np
import pytest

from ui.model import scene as S
from ui.views import render
from ui.views import fit


def test_dataset_landscapes_name_their_parameters_and_formulas_keep_x_and_y():
    assert landscapes.get("linear_regression").axis_names == ("w", "b")
    assert landscapes.get("logistic_regression").axis_names == ("w₁", "w₂")
    assert landscapes.get("rosenbrock").axis_names == ("x", "y") and landscapes.get("rosenbrock").samples is None
    with pytest.raises(ValueError, match="axis_names must be 2"):
        landscapes.Landscape("bad", loss=lambda P: P[..., 0], grad=lambda P: P, axis_names=("w",))


@pytest.mark.parametrize("name, titles", [("linear_regression", ("w", "b")), ("logistic_regression", ("w₁", "w₂")),
                                          ("bowl", ("x", "y"))])
def test_the_map_and_the_surface_title_their_axes_from_the_landscape(name, titles):
    r = render.render_scene(S.parse(f"landscape={name}&opt=sgd&steps=20")[0])
    assert (r.contour["layout"]["xaxis"]["title"]["text"], r.contour["layout"]["yaxis"]["title"]["text"]) == titles
    scene3d = r.surface["layout"]["scene"]
    assert (scene3d["xaxis"]["title"]["text"], scene3d["yaxis"]["title"]["text"]) == titles


def test_the_regression_view_shows_the_samples_and_each_runs_line_at_its_last_step():
    r = render.render_scene(S.parse("landscape=linear_regression&opt=sgd,adam&lr=0.05&steps=40")[0])
    L = landscapes.get("linear_regression")
    fig = r.fit
    samples = fig["data"][0]
    np.testing.assert_array_equal(samples["x"], L.samples["x"])
    lines = [t for t in fig["data"] if t.get("meta", {}).get("role") == "fit"]
    assert [t["line"]["color"] for t in lines] == [row["colour"] for row in r.rows]
    meta = fig["layout"]["meta"]
    assert meta["model"] == "line" and meta["key"] == r.figure_key
    for line, run in zip(lines, r.store["runs"]):
        from ui.model.payload import unpack
        w, b = unpack(run["x"])[-1], unpack(run["y"])[-1]
        np.testing.assert_allclose(line["y"], [w * x + b for x in meta["xrange"]], rtol=1e-5)


def test_the_classifier_view_draws_both_classes_and_a_boundary_through_the_origin():
    r = render.render_scene(S.parse("landscape=logistic_regression&opt=adam&steps=30")[0])
    classes = [t for t in r.fit["data"] if t.get("name", "").startswith("class")]
    assert len(classes) == 2 and sum(len(t["x"]) for t in classes) == 256
    (line,) = [t for t in r.fit["data"] if t.get("meta", {}).get("role") == "fit"]
    (x0, x1), (y0, y1) = line["x"], line["y"]
    assert abs(x0 * y1 - x1 * y0) < 1e-9 * max(1.0, abs(x0 * y1))  # on a line through (0, 0)


def test_fit_lines_for_odd_parameters():
    assert fit.fit_line("line", (2.0, -1.0), (0.0, 1.0), (0, 1)) == ([0.0, 1.0], [-1.0, 1.0])
    assert fit.fit_line("boundary", (0.0, 0.0), (0, 1), (0, 1)) == ([], [])
    assert fit.fit_line("boundary", (1.0, 0.0), (-1, 1), (-2, 2)) == ([0.0, 0.0], [-2, 2])  # vertical
    assert fit.fit_line("line", (np.nan, 1.0), (0, 1), (0, 1)) == ([], [])


def test_no_fit_view_on_a_surface_without_data():
    assert render.render_scene(S.parse("landscape=bowl&opt=sgd&steps=20")[0]).fit is None
