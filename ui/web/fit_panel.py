"""The panel beside the map that shows a dataset landscape's data and each run's fit (``ui/views/fit.py``)."""

from __future__ import annotations

from dash import dcc, html

from ui.views.exports import graph_config
from ui.web import ids


def fit_panel() -> html.Div:
    """The panel beside the map; shown only on a landscape with data."""
    graph = dcc.Graph(id=ids.FIT, figure={"data": [], "layout": {}}, config=graph_config("fit"), className="graph graph-fit")
    return html.Div(graph, id=ids.FIT_PANEL, className="panel panel-fit", hidden=True)
