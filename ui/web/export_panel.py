"""The export buttons in the header, and their callbacks: CSV, GIF, scene file save and load.

Each download is computed from the scene store, read again by the URL codec (the store is the
browser's), and sent through its own ``dcc.Download``. Loading a scene file sets the same controls
as opening a link; a file that is not a scene gets a message and the scene stays.
"""

from __future__ import annotations

from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from ui.model import limits

from ui.model import scene_file
from ui.views import exports, gif
from ui.web import guard, ids
from ui.web import controls as C


def export_controls() -> list:
    """The header's Export menu (one button, so the header stays uncrowded) and the (invisible)
    downloads."""
    items = [
        html.Button("Trajectories (CSV)", id=ids.EXPORT_CSV, n_clicks=0, className="button menu-item",
                    title="Every run's trajectory as CSV, with the notebook code that re-creates it"),
        html.Button("Animation (GIF)", id=ids.EXPORT_GIF, n_clicks=0, className="button menu-item",
                    title="An animated GIF of the paths growing over the contour map, for slides"),
        html.Button("Save scene (JSON)", id=ids.SAVE_SCENE, n_clicks=0, className="button menu-item",
                    title="This scene as a JSON file, for lecture notes (the same data as the link)"),
        dcc.Upload(html.Span("Load scene…", className="button menu-item", role="button",
                             title="Open a scene file saved with “Save scene”"),
                   id=ids.LOAD_SCENE, accept=".json,application/json", multiple=False,
                   max_size=limits.MAX_REQUEST_BYTES // 2, className="upload"),  # bigger: refused by the browser
        html.Div("PNG: the camera on each view", className="menu-note"),
    ]
    return [
        html.Details([html.Summary("Export", className="button button-export",
                                   title="CSV, GIF and scene files of this scene"),
                      html.Div(items, className="menu-items")], id=ids.EXPORT_MENU, className="export-menu"),
        dcc.Download(id=ids.DOWNLOAD_CSV),
        dcc.Download(id=ids.DOWNLOAD_GIF),
        dcc.Download(id=ids.DOWNLOAD_SCENE),
    ]


def _clicked(n_clicks) -> None:
    if not (isinstance(n_clicks, int) and not isinstance(n_clicks, bool) and n_clicks > 0):
        raise PreventUpdate


def register(app) -> None:
    @app.callback(Output(ids.DOWNLOAD_CSV, "data"), Input(ids.EXPORT_CSV, "n_clicks"), State(ids.SCENE, "data"),
                  running=[(Output(ids.EXPORT_CSV, "disabled"), True, False)], prevent_initial_call=True)
    def export_csv(n_clicks, stored):
        _clicked(n_clicks)
        scene, _ = guard.check_scene_store(stored)
        return dcc.send_string(exports.trajectories_csv(scene), exports.filename(scene, "csv"), type="text/csv")

    @app.callback(Output(ids.DOWNLOAD_GIF, "data"), Input(ids.EXPORT_GIF, "n_clicks"), State(ids.SCENE, "data"),
                  running=[(Output(ids.EXPORT_GIF, "disabled"), True, False)], prevent_initial_call=True)
    def export_gif(n_clicks, stored):
        _clicked(n_clicks)
        scene, _ = guard.check_scene_store(stored)
        return dcc.send_bytes(gif.scene_gif(scene), exports.filename(scene, "gif"), type="image/gif")

    @app.callback(Output(ids.DOWNLOAD_SCENE, "data"), Input(ids.SAVE_SCENE, "n_clicks"), State(ids.SCENE, "data"),
                  prevent_initial_call=True)
    def save_scene(n_clicks, stored):
        _clicked(n_clicks)
        scene, _ = guard.check_scene_store(stored)
        return dcc.send_string(scene_file.dumps(scene), exports.filename(scene, "json"), type="application/json")

    @app.callback(output=dict(C.named_outputs(C.OPEN_SCENE_OUTPUTS, allow_duplicate=True), upload=Output(ids.LOAD_SCENE, "contents")),
                  inputs=dict(contents=Input(ids.LOAD_SCENE, "contents"), name=State(ids.LOAD_SCENE, "filename")),
                  prevent_initial_call=True)
    def load_scene(contents, name):
        """A scene file's scene onto the controls, as a link's would be (the upload is cleared, so
        the same file can be loaded again)."""
        if contents is None:
            raise PreventUpdate
        return dict(C.open_scene(*scene_file.from_upload(contents, name)), upload=None)
