"""A network scene's panel: the data with each run's decision boundary, and what one weight sees.

The component owns its layout (``panel()``), its ids (the ``NET_*`` block of ``ui/web/ids.py``) and
its callbacks (``register(app, runs_for)``):

- **On the server, only when the scene or the weight changes.** Inputs: ``scene_input`` (default
  ``Input(ids.SCENE, "data")``) and ``Input(ids.NET_WEIGHT, "value")``. It calls
  ``runs_for(scene)``, the page's adapter, which returns a ``ui.model.network_views.NetworkRuns``
  (the ``landscapes.network``, each run's path (steps+1, d), titles, colours) or None for a scene
  that is not a network (the panel hides); ``network_views.network_runs(compute.run_scene(...))``
  makes one from a computed scene. It writes the payload of
  ``ui.model.network_views.views_payload`` to the ``ids.NET_VIEWS`` store, the two figures of
  ``ui/views/network_views.py`` at the last step, and the picker's options. A new weight alone
  sends only the payload's ``weight`` part (a ``Patch``) and the weight figure. A name that is not
  a weight of the network falls back to the first one and ``message`` says why.
- **In the browser, every frame.** ``assets/network_views.js`` (``networkViews.follow``) reads
  ``frame_input`` (default ``Input(ids.FRAME, "value")``, the page's step) and the ``ids.NET_VIEWS``
  store, and restyles both figures to the key step at or before the frame: each run's boundary
  (contour z), the curve along the weight, the tangent and the held value, and the titles' step.
  On the page it also joins ``window.gradscape.hooks``, so it follows every frame the playback
  loop draws, not only the ~8 a second it publishes to the scrubber. No frame asks the server.
"""

from __future__ import annotations

from typing import Callable, Optional

from dash import ClientsideFunction, Input, Output, Patch, ctx, dcc, html, no_update

from ui.model import network_views as M
from ui.views import network_views as V
from ui.views.exports import graph_config
from ui.model import compute, payload
from ui.web import controls as C
from ui.web import guard, ids
from ui.model.limits import BadInput
from ui.web.guard import show_message

EMPTY = {"data": [], "layout": {}}

# The server callback's outputs by name (``panel_outputs`` keys its answer so).
OUTPUTS = {"payload": (ids.NET_VIEWS, "data"), "boundary": (ids.NET_BOUNDARY, "figure"),
           "weight_plot": (ids.NET_WEIGHT_PLOT, "figure"), "options": (ids.NET_WEIGHT, "options"),
           "weight": (ids.NET_WEIGHT, "value"), "hidden": (ids.NET_VIEWS_PANEL, "hidden")}


def panel() -> html.Div:
    """The panel, hidden until a network scene arrives: the weight picker over the two graphs."""
    picker = html.Div([
        html.Label("Weight", htmlFor=ids.NET_WEIGHT, className="net-weight-label"),
        dcc.Dropdown(id=ids.NET_WEIGHT, options=[], value=None, clearable=False, searchable=True,
                     placeholder="a weight, e.g. 0.weight[3]", className="net-weight"),
        html.Span("the loss along it with every other parameter held at the current step; dashed: its "
                  "slope, the gradient's component", className="net-weight-note"),
    ], className="net-weight-row")
    graphs = html.Div([
        dcc.Graph(id=ids.NET_BOUNDARY, figure=EMPTY, config=graph_config(ids.NET_BOUNDARY),
                  className="graph graph-net-boundary"),
        dcc.Graph(id=ids.NET_WEIGHT_PLOT, figure=EMPTY, config=graph_config(ids.NET_WEIGHT_PLOT),
                  className="graph graph-net-weight"),
    ], className="net-views-graphs")
    title = html.Div("The network: its decision boundary, and what one weight sees", className="panel-title")
    return html.Div([title, picker, graphs, dcc.Store(id=ids.NET_VIEWS), dcc.Store(id=ids.NET_VIEWS_DRAWN), dcc.Store(id=ids.NET_WEIGHT_WRITTEN)],
                    id=ids.NET_VIEWS_PANEL, className="panel-stability panel-net-views", hidden=True)


def _chosen(net, weight) -> tuple:
    """(the weight to show, a message or None): an unknown name falls back to the default."""
    if weight is None:
        return M.default_weight(net), None
    try:
        M.weight_index(net, weight)
        return str(weight).strip(), None
    except ValueError as err:
        fallback = M.default_weight(net)
        return fallback, f"Weight: {err}; showing {fallback}."


def panel_outputs(runs: Optional[M.NetworkRuns], weight, weight_only: bool = False) -> dict:
    """The server's answer, keyed like the callback's outputs (see the module's doc), and under
    ``message`` a sentence for the page's ``message`` element, or None."""
    if runs is None:
        return dict(payload=None, boundary=EMPTY, weight_plot=EMPTY, options=[], weight=None, hidden=True,
                    message=None)
    net, paths = runs.net, list(runs.paths)
    name, message = _chosen(net, weight)
    if weight_only and message is None:
        steps = M.key_steps(max(len(p) for p in paths) - 1)
        part = M.weight_only(net, paths, steps, name)
        patch = Patch()
        patch["weight"] = part
        figure = V.weight_figure({"steps": steps.tolist(), "weight": part}, runs.colours, runs.titles)
        return dict(payload=patch, boundary=no_update, weight_plot=figure, options=no_update, weight=no_update,
                    hidden=False, message=None)
    payload = M.views_payload(net, paths, weight=name)
    return dict(payload=payload, boundary=V.boundary_figure(payload, net.data, runs.colours, runs.titles),
                weight_plot=V.weight_figure(payload, runs.colours, runs.titles),
                options=M.weight_options(net), weight=name, hidden=False,
                message=message)


def register(app, runs_for: Callable[[object], Optional[M.NetworkRuns]], scene_input: Optional[Input] = None,
             frame_input: Optional[Input] = None) -> None:
    """The panel's two callbacks; ``runs_for(scene)`` is the page's adapter (see the module's doc)."""

    @app.callback(
        output=C.named_outputs(OUTPUTS),
        inputs=dict(scene=scene_input or Input(ids.SCENE, "data"), weight=Input(ids.NET_WEIGHT, "value")))
    def network_views(scene, weight):
        """Recompute the views' payload for a new scene, or only its weight part for a new weight."""
        # only a new weight patches the payload: with a new scene too (a lesson sets both) the
        # store may hold none yet, and a Patch of an empty store fails in the browser
        triggered = {t["prop_id"].rsplit(".", 1)[0] for t in ctx.triggered if t.get("prop_id") != "."}
        out = panel_outputs(runs_for(scene), weight, weight_only=triggered == {ids.NET_WEIGHT})
        message = out.pop("message")
        if message:
            show_message(message)
        return out

    app.clientside_callback(
        ClientsideFunction("networkViews", "follow"), Output(ids.NET_VIEWS_DRAWN, "data"),
        frame_input or Input(ids.FRAME, "value"), Input(ids.NET_VIEWS, "data"))
    app.clientside_callback(  # the weight shown -> the link's weight=
        ClientsideFunction("networkViews", "writeWeight"), Output(ids.NET_WEIGHT_WRITTEN, "data"),
        Input(ids.NET_WEIGHT, "value"))


def first_values(stored, weight) -> dict:
    """``{(id, prop): value}``: the panel as the callback would answer for the scene store's value,
    for a page's first layout (ui/web/opening.py). A weight picked later then patches a payload
    that is there (a ``Patch`` of an empty store fails in the browser)."""
    return C.by_target(OUTPUTS, panel_outputs(page_runs(stored), weight))


def page_runs(stored) -> Optional[M.NetworkRuns]:
    """The page's adapter: the scene store's scene, run (``compute.run_scene`` keeps the last few
    network scenes, so this is the run the map shows), as the views' input; None for a scene that
    is not a network, without running it."""
    try:
        scene, _ = guard.check_scene_store(stored)
    except BadInput:  # a store the page cannot read: the scene callback already says why
        return None
    if not scene.is_network:
        return None
    return M.network_runs(compute.run_scene(scene), key=payload.scene_key(scene))
