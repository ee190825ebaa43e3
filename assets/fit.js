/*
 * A dataset landscape's fit view (ui/views/fit.py, placed by ui/web/fit_panel.py): as the animation draws step k on the map, each
 * run's line (y = w x + b) or decision boundary (w₁ x₁ + w₂ x₂ = 0) moves to its parameters at
 * step k, read from the trajectory store in the browser (window.gradscape.runs): no server request
 * per frame. fitLine is ui/views/fit.py fit_line, written again here because it runs every frame.
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    function fitLine(model, p0, p1, xr, yr) {
        if (!isFinite(p0) || !isFinite(p1)) { return [[], []]; }
        if (model === "line") { return [xr.slice(), [p0 * xr[0] + p1, p0 * xr[1] + p1]]; }
        if (p0 === 0 && p1 === 0) { return [[], []]; }
        if (Math.abs(p1) >= Math.abs(p0)) { return [xr.slice(), [-p0 * xr[0] / p1, -p0 * xr[1] / p1]]; }
        return [[-p1 * yr[0] / p0, -p1 * yr[1] / p0], yr.slice()];
    }

    function drawFit(k) {
        var gs = window.gradscape, panel = document.getElementById(ID.FIT_PANEL);
        var gd = document.querySelector("#" + ID.FIT + " .js-plotly-plot");
        if (!gs || !panel || panel.hidden || !gd || !gd.data || !gd.layout || !gd.layout.meta) { return; }
        var meta = gd.layout.meta;
        if (meta.key !== gs.figureKey) { return; } // the figure for these runs is still on the way
        var xs = [], ys = [], traces = [];
        gd.data.forEach(function (t, i) {
            var run = t.meta && t.meta.role === "fit" ? gs.runs[t.meta.run] : null;
            if (!run) { return; }
            var kk = Math.min(k, run.x.length - 1), line = fitLine(meta.model, run.x[kk], run.y[kk], meta.xrange, meta.yrange);
            xs.push(line[0]);
            ys.push(line[1]);
            traces.push(i);
        });
        if (gd.__gsFitFor !== gd.data) { gd.__gsFitAt = null; } // a new figure from the server
        if (traces.length && gd.__gsFitAt !== gs.key + ":" + k) {
            gd.__gsFitAt = gs.key + ":" + k;
            Plotly.restyle(gd, {x: xs, y: ys}, traces);
            gd.__gsFitFor = gd.data;
            gd.setAttribute("data-step", String(k));
        }
    }

    function install() {
        var gs = window.gradscape;
        if (!gs || !gs.hooks) { window.setTimeout(install, 50); return; }
        gs.hooks.push(function (view, gd, k) {
            if (view !== ID.CONTOUR) { return; }
            var fit = document.querySelector("#" + ID.FIT + " .js-plotly-plot");
            if (fit && !fit.__gsFitHooked && typeof fit.on === "function") {
                fit.__gsFitHooked = true; // a figure arriving after the map's last draw: catch up
                fit.on("plotly_afterplot", function () { drawFit(window.gradscape.frame); });
            }
            drawFit(k);
        });
    }
    install();
}());
