/*
 * The modebar's PNG export of the 2-D views, with the paths, the legend and the colour key in it.
 *
 * On the page the moving paths and markers are drawn on an SVG overlay (overlay.js), and the run
 * legend and the map's colour key are HTML laid over the graph: Plotly's image export sees none of
 * them. So the camera's click is taken here first (a capturing listener) and the image is made from
 * a copy of the figure: the paths at the current step in its path traces, and the settings of its
 * layout.meta.export (ui/views/figures.py export_settings): a Plotly legend of the runs and, on the map,
 * a colour bar in the right margin where the HTML key sits. The graph on the page is not touched.
 * The image options (2x scale, file name) are the graph's config (ui/views/exports.py).
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var VIEWS = [ID.CONTOUR, ID.LOSS_CURVE];

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
        g.exportTraces(view, gd).forEach(function (it) {
            data[it.trace].x = it.x;
            data[it.trace].y = it.y;
        });
        data.forEach(function (t) {
            var m = t.meta || {};
            t.showlegend = m.role === "path";
            if (t.type === "contour" && ext.colorbar && (t.contours || {}).coloring !== "none") {
                t.showscale = true;
                t.colorbar = ext.colorbar;
            }
        });
        layout.showlegend = true;
        layout.legend = ext.legend || {};
        layout.width = fl.width;
        layout.height = fl.height;
        return {data: data, layout: layout};
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
