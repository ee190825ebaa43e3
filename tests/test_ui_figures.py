"""Figure builders, without a browser: trace counts, data, colours, axis ranges, no NaN."""

import numpy as np
import plotly.graph_objects as go
import pytest

import landscapes
import optimizers
from ui.model import grid
from ui.model import scene as S
from ui.model.compute import run_scene
from ui.views import figures, palette
from ui.views import layers as XF

ROLES = ("ghost", "path")


def scene(**changes):
    """The default scene without its first-open overrides, changed."""
    return S.default_scene().replace(**{"overrides": {}, **changes})


@pytest.fixture(scope="module")
def default_runs():
    result = run_scene(S.default_scene())
    return result.landscape, result.ok_runs


def all_figures(L, runs, start, **kw):
    return {"contour": figures.contour_figure(L, runs, start, **kw),
            "surface": figures.surface_figure(L, runs, **kw),
            "loss": figures.loss_figure(L, runs, **kw)}


def by_role(fig, role):
    return [t for t in fig["data"] if (t.get("meta") or {}).get("role") == role]


def numbers(obj):
    """Every number in a figure dict, arrays flattened."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from numbers(v)
    elif isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fiu":
            yield from obj.ravel().tolist()
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from numbers(v)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield obj


# --- the grid ---------------------------------------------------------------------------------------

def test_grid_is_computed_once_per_landscape_and_resolution():
    a = grid.surface_grid("rosenbrock", 40)
    assert grid.surface_grid("rosenbrock", 40) is a
    assert grid.surface_grid("rosenbrock", 41) is not a
    assert a.loss.shape == (40, 40) and not a.height.flags.writeable
    X, Y = np.meshgrid(a.xs, a.ys)
    L = landscapes.get("rosenbrock")
    np.testing.assert_allclose(a.loss, L.loss(np.stack((X, Y), -1)))


@pytest.mark.parametrize("name", landscapes.names())
def test_log_colouring_exactly_when_the_landscape_asks(name):
    L, g = landscapes.get(name), grid.surface_grid(name, 30)
    assert g.height_map.log == L.log_scale
    if L.log_scale:
        np.testing.assert_allclose(g.height, np.log10(g.loss - g.f_min + g.height_map.delta))
    else:
        np.testing.assert_array_equal(g.height, g.loss)
    assert np.isfinite(g.height).all()


# --- contour -------------------------------------------------------------------------------------

def test_contour_traces_minima_start_and_one_path_per_run(default_runs):
    L, runs = default_runs
    fig = figures.contour_figure(L, runs, (-1.5, 2.0))
    data = fig["data"]
    assert [t["type"] for t in data[:4]] == ["contour", "heatmap", "scatter", "scatter"]
    assert data[1]["visible"] is False and data[1]["meta"] == {"layer": "basin"}  # the basin map's slot
    assert len(data) == 4 + 2 * len(runs) + 1
    assert data[0]["z"].shape == (grid.CONTOUR_RESOLUTION, grid.CONTOUR_RESOLUTION)
    np.testing.assert_array_equal(np.c_[data[2]["x"], data[2]["y"]], L.minima)
    assert (data[3]["x"], data[3]["y"]) == ([-1.5], [2.0])
    for i, run in enumerate(runs):
        ghost, path = by_role(fig, "ghost")[i], by_role(fig, "path")[i]
        np.testing.assert_array_equal(ghost["x"], run.params[:, 0])
        np.testing.assert_array_equal(path["y"], run.params[:, 1])
    markers = by_role(fig, "markers")[0]
    np.testing.assert_array_equal(markers["x"], [r.params[-1, 0] for r in runs])


def test_contour_axes_frame_the_landscape_with_equal_scales(default_runs):
    L, runs = default_runs
    layout = figures.contour_figure(L, runs, L.start)["layout"]
    assert layout["xaxis"]["range"] == list(L.bounds[0]) and layout["yaxis"]["range"] == list(L.bounds[1])
    assert layout["yaxis"]["scaleanchor"] == "x"  # gradient descent crosses level sets at right angles
    assert layout["uirevision"] == L.name          # zoom survives a scene change, not a new surface


def test_a_frame_cuts_every_path_and_moves_every_marker(default_runs):
    L, runs = default_runs
    for fig in all_figures(L, runs, L.start, frame=40).values():
        for path in by_role(fig, "path"):
            assert len(path["y"]) == 41
        assert len(by_role(fig, "markers")[0]["y"]) == len(runs)
    contour = figures.contour_figure(L, runs, L.start, frame=40)
    np.testing.assert_array_equal(by_role(contour, "markers")[0]["y"], [r.params[40, 1] for r in runs])


def test_each_run_keeps_one_colour_in_every_view(default_runs):
    L, runs = default_runs
    colours = palette.run_colours([r.name for r in runs])
    assert [r.colour for r in runs] == colours and len(set(colours)) == len(colours)
    for fig in all_figures(L, runs, L.start).values():
        for role in ROLES:
            assert [t["line"]["color"] for t in by_role(fig, role)] == colours
        assert by_role(fig, "markers")[0]["marker"]["color"] == colours


def test_the_default_scene_keeps_okabe_itos_first_colours():
    assert palette.run_colours(["sgd", "momentum", "adam"]) == ["#0072B2", "#E69F00", "#009E73"]


# --- 3-D surface -------------------------------------------------------------------------------------

def test_surface_paths_sit_on_or_above_the_drawn_surface(default_runs):
    L, runs = default_runs
    fig = figures.surface_figure(L, runs)
    g = grid.surface_grid(L.name, grid.SURFACE_RESOLUTION)
    assert fig["data"][0]["type"] == "surface" and fig["data"][0]["z"].shape == g.height.shape
    for ghost, run in zip(by_role(fig, "ghost"), runs):
        own = g.height_map(run.loss[: len(ghost["z"])])
        assert (ghost["z"] >= own).all()
    assert fig["layout"]["scene"]["xaxis"]["range"] == list(L.bounds[0])


def test_a_path_leaving_the_view_is_cut_on_the_surface():
    result = run_scene(scene(optimizers=["sgd"], lr=0.5, steps=50))
    run = result.ok_runs[0]
    assert run.diverged_at >= 0
    fig = figures.surface_figure(result.landscape, result.ok_runs)
    ghost = by_role(fig, "ghost")[0]
    (xmin, xmax), (ymin, ymax) = result.landscape.bounds
    assert len(ghost["x"]) < len(run.params)
    assert ((xmin <= ghost["x"]) & (ghost["x"] <= xmax) & (ymin <= ghost["y"]) & (ghost["y"] <= ymax)).all()


# --- loss curve ----------------------------------------------------------------------------------

def test_loss_curve_log_y_plots_loss_above_the_minimum(default_runs):
    L, runs = default_runs
    fig = figures.loss_figure(L, runs, log_y=True)
    assert fig["layout"]["yaxis"]["type"] == "log"
    for ghost, run in zip(by_role(fig, "ghost"), runs):
        np.testing.assert_allclose(ghost["y"], np.maximum(run.loss - 0.0, figures.LOSS_FLOOR))
        assert ghost["x0"] == 0 and ghost["dx"] == 1
    assert fig["layout"]["meta"]["lossMap"] == {"log": True, "offset": 0.0, "floor": figures.LOSS_FLOOR, "x": "steps"}
    assert fig["layout"]["xaxis"]["range"] == [0, 300]


def test_loss_curve_linear_plots_the_loss_itself(default_runs):
    L, runs = default_runs
    fig = figures.loss_figure(L, runs, log_y=False)
    assert fig["layout"]["yaxis"]["type"] == "linear"
    np.testing.assert_array_equal(by_role(fig, "ghost")[0]["y"], runs[0].loss)


def test_loss_curve_marks_the_current_step(default_runs):
    L, runs = default_runs
    fig = figures.loss_figure(L, runs, frame=120)
    cursor = by_role(fig, "cursor")[0]
    assert cursor["x"] == [120, 120]
    assert list(by_role(fig, "markers")[0]["x"]) == [120] * len(runs)


def test_log_y_uses_loss_minus_the_known_minimum_when_it_is_not_zero():
    result = run_scene(scene(landscape="styblinski_tang", x0=4.5, y0=4.5, optimizers=["adam"], lr=0.05))
    fig = figures.loss_figure(result.landscape, result.ok_runs, log_y=True)
    offset = fig["layout"]["meta"]["lossMap"]["offset"]
    assert offset < -78  # the global minimum of Styblinski–Tang is about -78.33
    assert (by_role(fig, "ghost")[0]["y"] > 0).all()
    assert "f*" in fig["layout"]["yaxis"]["title"]["text"]


def test_without_a_known_minimum_f_star_is_the_lowest_loss_seen_over_the_view_and_no_curve_fakes_convergence():
    """exp(exp(x)) has no minimum: f is 1.051 at the view's left edge, and the runs stop at 1.13...1.23.
    f* was the best run's own final loss (1.133), so that run's curve dived to the 1e-14 floor."""
    result = run_scene(scene(landscape="custom", expr="exp(exp(x))"))
    L, runs = result.landscape, result.ok_runs
    fig = figures.loss_figure(L, runs, log_y=True)
    loss_map = fig["layout"]["meta"]["lossMap"]
    assert loss_map["offset"] == pytest.approx(np.exp(np.exp(-3.0)))  # the lowest on the view's grid
    assert optimizers.reference_loss(L, [1.2]) == loss_map["offset"]
    for ghost, run in zip(by_role(fig, "ghost"), runs):
        assert ghost["y"].min() == pytest.approx(run.loss.min() - loss_map["offset"]) and ghost["y"].min() > 0.05
    assert loss_map["floor"] > 1e-3
    note = fig["layout"]["annotations"][0]["text"]
    assert note == f"f* = {loss_map['offset']:.4g} (lowest seen)"  # not a known minimum: the plot says so
    # A run that goes below everything the grid saw sets f* itself: it sits a decade under the smallest
    # other gap, never at 1e-14.
    far = run_scene(scene(landscape="custom", expr="exp(exp(x))", x0=-2.9, y0=0.0, lr=0.5, steps=50,
                          optimizers=["gd"]))
    y = by_role(figures.loss_figure(far.landscape, far.ok_runs, log_y=True), "ghost")[0]["y"]
    assert far.ok_runs[0].loss[-1] < np.exp(np.exp(-3.0)) and y.min() > 1e-6


def test_the_minibatch_loss_uses_the_full_loss_f_star_and_never_spikes_to_the_floor():
    result = run_scene(scene(landscape="linear_regression", x0=-1.5, y0=2.0, optimizers=["sgd", "adam"],
                             lr=0.05, steps=200, batch=8))
    L, runs = result.landscape, result.ok_runs
    full = XF.loss_view(L, runs, kind="full")["layout"]["meta"]["lossMap"]
    batch_fig = XF.loss_view(L, runs, kind="batch")
    batch = batch_fig["layout"]["meta"]["lossMap"]
    assert batch["offset"] == full["offset"] == pytest.approx(float(L.loss(L.minima).min()))
    assert batch["floor"] > 1e-5  # was 1e-14: batches below f* made spikes down to 1e-12
    for ghost in by_role(batch_fig, "ghost"):
        assert ghost["y"].min() >= batch["floor"]
    assert batch_fig["layout"]["annotations"][0]["text"].endswith("(known minimum); batches below it: at the floor")


def test_the_loss_axis_title_is_short_and_clear_of_its_tick_labels(default_runs):
    result = run_scene(scene(landscape="styblinski_tang", x0=4.5, y0=4.5, optimizers=["adam"], lr=0.05))
    yaxis = figures.loss_figure(result.landscape, result.ok_runs, log_y=True)["layout"]["yaxis"]
    # "loss − f*  (f* = -78.33)" ran over the tick labels and off the top; f* is now said above the plot
    assert yaxis["title"]["text"] == "loss − f*" and yaxis["automargin"] is True and yaxis["title"]["standoff"] >= 4


def test_the_png_export_gets_a_legend_and_on_the_map_the_colour_key_as_a_colour_bar(default_runs):
    """The page's legend and colour key are HTML, so a PNG had neither, and a blank band on the map's right."""
    L, runs = default_runs
    contour = figures.contour_figure(L, runs, L.start)
    export = contour["layout"]["meta"]["export"]
    key, trace = figures.colour_key(L), contour["data"][0]
    bar = export["colorbar"]
    assert bar["ticktext"] == [label for _, label in key["ticks"]] and bar["title"]["text"] == "loss (log)"
    np.testing.assert_allclose(bar["tickvals"], [trace["zmin"] + f * (trace["zmax"] - trace["zmin"])
                                                 for f, _ in key["ticks"]])
    assert bar["x"] == 1 and bar["xanchor"] == "left"  # in the right margin, where the HTML key sits
    assert export["legend"]["orientation"] == "h" and export["legend"]["yanchor"] == "bottom"
    assert [t["name"] for t in by_role(contour, "path")] == [r.title for r in runs]  # the legend's entries
    loss = figures.loss_figure(L, runs)["layout"]["meta"]["export"]
    assert "colorbar" not in loss and loss["legend"]["xanchor"] == "right"
    fig = go.Figure(contour)  # Plotly takes the settings as the export applies them
    fig.update_traces(showscale=True, colorbar=bar, selector=dict(type="contour"))
    fig.update_layout(showlegend=True, legend=export["legend"])


# --- every landscape, with settings that diverge: valid figures and no NaN ----------------------------

@pytest.mark.parametrize("name", landscapes.names())
def test_every_landscape_gives_valid_finite_figures_even_when_runs_diverge(name):
    L = landscapes.get(name)
    result = run_scene(scene(landscape=name, x0=L.start[0], y0=L.start[1], steps=60, lr=3.0,
                             optimizers=["gd", "momentum", "adam", "adagrad"]))
    for kind, fig in all_figures(L, result.ok_runs, L.start).items():
        assert all(np.isfinite(v) for v in numbers(fig)), kind
        go.Figure(fig)  # Plotly's own validation of every attribute
    key = figures.colour_key(L)
    assert all(0 <= f <= 1 for f, _ in key["ticks"]) and key["ticks"]


def test_no_runs_still_draws_the_landscape():
    L = landscapes.get("rosenbrock")
    figs = all_figures(L, [], L.start)
    assert len(figs["contour"]["data"]) == 5 and len(figs["surface"]["data"]) == 3
    go.Figure(figs["loss"])
