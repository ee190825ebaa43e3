"""The curvature on the page's figures: the steep direction a diverged run left along, drawn on the
contour map, and the quadratic stability boundary over the stability map. Pure: arrays -> dicts.

The numbers come from ``optimizers.curvature`` (through ``results.steep_lines`` and
``curvature.boundary``); nothing here names an optimizer.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np

from ui.views import palette as P


def steep_traces(lines: Sequence[dict]) -> List[dict]:
    """One short line per diverged run, in the run's colour, along the steep direction through the
    point where it left the stable region (``results.steep_lines``): dashed over a dark casing, so it
    stands out from the run's own path, which zig-zags along that same direction."""
    traces = []
    for line in lines:
        xy = np.asarray(line["xy"], dtype=np.float64)
        x, y = xy[:, 0].tolist(), xy[:, 1].tolist()
        traces.append({"type": "scatter", "mode": "lines", "x": x, "y": y, "showlegend": False, "hoverinfo": "skip",
                       "name": f"{line['title']}: steep direction (casing)", "line": {"color": P.INK, "width": 8},
                       "meta": {"steep_casing": line["run"]}})
        traces.append({"type": "scatter", "mode": "lines+markers", "x": x, "y": y,
                       "showlegend": False, "name": f"{line['title']}: steep direction",
                       "line": {"color": line["colour"], "width": 4, "dash": "dash"},
                       "marker": {"symbol": "diamond", "size": 11, "color": line["colour"],
                                  "line": {"color": P.INK, "width": 1.5}},
                       "hovertemplate": f"<b>{line['title']}</b>: the steep direction where it left the "
                                        "stable region<extra></extra>",
                       "meta": {"steep": line["run"]}})
    return traces


def lines_key(lines: Sequence[dict]) -> list:
    """What of the lines the contour figure holds, for its figure key."""
    return [(line["run"], np.round(np.asarray(line["xy"], dtype=np.float64), 9).tolist()) for line in lines]


def boundary_trace(momenta, lrs: Optional[np.ndarray], formula: str, symbol: str = "μ") -> Optional[dict]:
    """The stability map's quadratic boundary, lr = bound(μ)/λmax over the momenta (log10 lr on x,
    as the heatmap); None when there is none, or it lies off the map's lr range."""
    if lrs is None:
        return None
    lrs = np.asarray(lrs, dtype=np.float64)
    ok = np.isfinite(lrs) & (lrs > 0)
    if not ok.any():
        return None
    x = np.where(ok, np.log10(np.where(ok, lrs, 1.0)), np.nan)
    return {"type": "scatter", "mode": "lines", "x": x, "y": np.asarray(momenta, dtype=np.float64),
            "customdata": lrs, "name": f"γ·λmax = {formula}", "showlegend": False,
            "line": {"color": P.INK, "width": 2.5, "dash": "dash"},
            "hovertemplate": f"quadratic limit: γ·λmax = {formula}<br>lr %{{customdata:.4g}}, {symbol} %{{y:.2f}}"
                             "<extra></extra>",
            "meta": {"role_map": "boundary", "gaps": True}}
