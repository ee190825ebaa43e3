/*
 * The modebar's PNG export of the 2-D views, with the paths in it.
 *
 * The moving paths and markers of the contour map and the loss curve are drawn on an SVG overlay
 * (overlay.js), which Plotly's image export cannot see: its traces for them are empty. Just before
 * the camera button's own click handler runs (this listener captures the click first), the paths
 * at the current step are copied into those traces; Plotly clones the figure for the image at
 * once, and the traces are emptied again on the next tick. The image itself is set up by the
 * graph's config (ui/views/exports.py: 2x scale, white paper).
 */
(function () {
    "use strict";

    var VIEWS = ["contour", "loss-curve"];

    function fillForExport(view) {
        var holder = document.getElementById(view), gd = holder && holder.querySelector(".js-plotly-plot");
        var g = window.gradscape;
        if (!gd || !g || typeof g.exportTraces !== "function" || !window.Plotly) { return; }
        var items = g.exportTraces(view, gd);
        if (!items.length) { return; }
        var traces = items.map(function (it) { return it.trace; });
        window.Plotly.restyle(gd, {x: items.map(function (it) { return it.x; }),
                                   y: items.map(function (it) { return it.y; })}, traces);
        window.setTimeout(function () {
            var empty = traces.map(function () { return []; });
            window.Plotly.restyle(gd, {x: empty, y: empty}, traces);
        }, 0);
    }

    document.addEventListener("click", function (event) {
        var button = event.target && event.target.closest ? event.target.closest(".modebar-btn") : null;
        if (!button) { return; }
        VIEWS.forEach(function (view) {
            var holder = document.getElementById(view);
            if (holder && holder.contains(button)) { fillForExport(view); }
        });
    }, true);
}());
