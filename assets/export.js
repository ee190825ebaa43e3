/*
 * The modebar's PNG export of the three views, with the paths, the legend and the colour key in it
 * (and, over the map, the basin map's key).
 *
 * On the page the moving paths and markers are drawn on an SVG overlay (overlay.js), and the run
 * legend and the map's colour key are HTML laid over the graph: Plotly's image export sees none of
 * them. So the camera's click is taken here first (a capturing listener) and the image is made from
 * a copy of the figure: the paths at the current step in its path traces, and the settings of its
 * layout.meta.export (ui/views/figures.py export_settings): a Plotly legend of the runs and, on the map
 * and the 3-D view, a colour bar where the HTML key sits; a basin map's key comes from its heatmap's
 * meta.legend (ui/web/surface_callbacks.py basin_view). The 3-D view's paths are its own traces. The graph on the page is not touched.
 * The image options (2x scale, file name) are the graph's config (ui/views/exports.py).
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var VIEWS = [ID.CONTOUR, ID.SURFACE, ID.LOSS_CURVE];
    var FLAT = [ID.CONTOUR, ID.LOSS_CURVE];  // their paths are drawn on the overlay; the 3-D view's are traces

    // A copy deep enough that Plotly's defaults never write into the page's figure: objects are copied,
    // arrays (data, never changed by a plot) are shared.
    function copy(v) {
        if (!v || typeof v !== "object" || Array.isArray(v) || ArrayBuffer.isView(v)) { return v; }
        var out = {};
        Object.keys(v).forEach(function (k) { out[k] = copy(v[k]); });
        return out;
    }

    function exportFigure(gd, view) {
        var g = window.gradscape, fl = gd._fullLayout, ext = (gd.layout.meta || {}).export || {};
        var data = gd.data.map(copy), layout = copy(gd.layout);
        if (FLAT.indexOf(view) >= 0) {
            g.exportTraces(view, gd).forEach(function (it) {
                data[it.trace].x = it.x;
                data[it.trace].y = it.y;
            });
        }
        var basin = null;
        data.forEach(function (t) {
            var m = t.meta || {};
            t.showlegend = m.role === "path";
            if ((t.type === "contour" && (t.contours || {}).coloring !== "none" || t.type === "surface")
                && ext.colorbar) {
                t.showscale = true;
                t.colorbar = ext.colorbar;
            }
            if (m.layer === "basin" && t.visible !== false && m.legend) { basin = t; }
        });
        if (basin) { data = data.concat(basinKey(basin, ext)); }
        layout.showlegend = true;
        layout.legend = ext.legend || {};
        if (basin) {
            layout.legend2 = Object.assign({}, ext.legend, {orientation: "v", x: 0.01, y: 0.01, xanchor: "left",
                                           yanchor: "bottom", title: {text: basin.meta.legend.title}});
        }
        layout.width = fl.width;
        layout.height = fl.height;
        return {data: data, layout: layout};
    }

    // The basin map's key (on the page: HTML over the map, #basin-legend): a second legend, one square
    // per outcome with its share, or, coloured by steps, the heatmap's own colour bar.
    function basinKey(heatmap, ext) {
        var legend = heatmap.meta.legend;
        if (legend.gradient) {
            heatmap.showscale = true;
            heatmap.colorbar = Object.assign({}, ext.colorbar || {}, {title: {text: legend.title, side: "right"},
                                             tickvals: null, ticktext: null});
            delete heatmap.colorbar.tickvals;
            delete heatmap.colorbar.ticktext;
        }
        return legend.rows.map(function (row) {  // a row with no colour is a line of text
            var colour = row.colour === "transparent" ? "#ffffff" : row.colour || "rgba(0,0,0,0)";
            return {type: "scatter", mode: "markers", x: [null], y: [null], name: row.text, legend: "legend2",
                    showlegend: true, hoverinfo: "skip",
                    marker: {symbol: "square", size: 14, color: colour,
                             line: {color: row.colour ? "rgba(0,0,0,0.35)" : "rgba(0,0,0,0)", width: 1}}};
        });
    }

    function download(gd, view) {
        var options = (gd._context && gd._context.toImageButtonOptions) || {};
        var fl = gd._fullLayout;
        return window.Plotly.downloadImage(exportFigure(gd, view), {
            format: options.format || "png", scale: options.scale || 1,
            filename: options.filename || "gradscape-" + view, width: fl.width, height: fl.height});
    }

    document.addEventListener("click", function (event) {
        var button = event.target && event.target.closest ? event.target.closest(".modebar-btn") : null;
        if (!button) { return; }
        VIEWS.forEach(function (view) {
            var holder = document.getElementById(view), gd = holder && holder.querySelector(".js-plotly-plot");
            var g = window.gradscape;
            if (!gd || !holder.contains(button) || !gd._fullLayout || !gd.layout || !window.Plotly
                || !g || typeof g.exportTraces !== "function") { return; }
            event.preventDefault();
            event.stopPropagation();
            download(gd, view);
        });
    }, true);
}());
