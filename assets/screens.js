/*
 * Present mode scales every text on the page: assets/screens.css grows the root font size (so
 * every rem: labels, run legend, results, colour key), and this file grows what CSS cannot reach,
 * the graphs' own fonts (ticks, axis titles, legends, hover labels, annotations, the 3-D view's axis
 * titles: every font a figure sets and all that inherit layout.font) and the margins that hold them,
 * by the same factor: root font size / 16 px.
 *
 * A figure arriving from the server has its own sizes; each scaled font and margin object carries
 * `gsScale`, the factor it was scaled by (so a Patch that brings a new annotation scales it alone), so a figure is never scaled twice (Dash copies the relaid-out layout back
 * into the figure it keeps).
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var BASE_PX = 16;
    var MARGINS = ["l", "r", "t", "b", "pad"];

    function factor() {
        var app = document.getElementById(ID.APP);
        if (!app || !app.classList.contains("present")) { return 1; }
        return parseFloat(window.getComputedStyle(document.documentElement).fontSize) / BASE_PX || 1;
    }

    function rescaled(obj, keys, f) {
        var old = (obj && obj.gsScale) || 1, out = Object.assign({}, obj || {}), changed = false;
        if (Math.abs(old - f) < 1e-3) { return null; }
        keys.forEach(function (k) {
            if (typeof out[k] === "number") { out[k] = Math.round(out[k] / old * f * 10) / 10; changed = true; }
        });
        out.gsScale = f;
        return changed ? out : null;
    }

    // Every font the figure sets itself, wherever it sits (layout.font, the hover labels, a 3-D axis
    // title, an annotation, a title): [attribute path for Plotly.relayout, the font object].
    function fonts(layout) {
        var out = [];
        (function walk(obj, path, depth) {
            if (!obj || typeof obj !== "object" || depth > 5) { return; }
            Object.keys(obj).forEach(function (k) {
                var v = obj[k], at = Array.isArray(obj) ? path + "[" + k + "]" : (path ? path + "." : "") + k;
                if (!v || typeof v !== "object" || ArrayBuffer.isView(v)) { return; }
                if (/font$/.test(k) && !Array.isArray(obj) && typeof v.size === "number") { out.push([at, v]); return; }
                if (k !== "meta" && k !== "template") { walk(v, at, depth + 1); }
            });
        }(layout, "", 0));
        return out;
    }

    // A log axis labelled every dtick decades (the loss curve: whole decades, about six labels) runs its
    // labels together when the plot is short or its font large (Present at 1280×720): fewer, then.
    function thinLogTicks(gd, update) {
        Object.keys(gd.layout).filter(function (k) { return /^yaxis\d*$/.test(k); }).forEach(function (k) {
            var ax = gd.layout[k], full = gd._fullLayout[k];
            if (!ax || !full || full.type !== "log" || typeof ax.dtick !== "number" || !full._length
                || !full.range || !full.tickfont) { return; }
            var base = ax.gsDtick || ax.dtick;
            var fits = Math.max(1, Math.floor(full._length / (1.7 * full.tickfont.size)));
            var want = Math.max(base, Math.ceil(Math.abs(full.range[1] - full.range[0]) / fits));
            if (want !== ax.dtick) { update[k + ".dtick"] = want; update[k + ".gsDtick"] = base; }
        });
    }

    function scale(gd) {
        if (!gd || !gd.layout || !gd._fullLayout || gd.__gsScaling) { return; }
        var f = factor(), update = {};
        var font = rescaled(Object.assign({size: gd._fullLayout.font.size}, gd.layout.font), ["size"], f);
        if (font) { update.font = font; }
        fonts(gd.layout).forEach(function (it) {
            if (it[0] === "font") { return; }
            var one = rescaled(it[1], ["size"], f);
            if (one) { update[it[0]] = one; }
        });
        if (gd.layout.margin) {
            var margin = rescaled(gd.layout.margin, MARGINS, f);
            if (margin) { update.margin = margin; }
        }
        thinLogTicks(gd, update);
        if (!Object.keys(update).length) { return; }
        gd.__gsScaling = true;
        Promise.resolve(window.Plotly.relayout(gd, update)).catch(function () {}).then(function () {
            gd.__gsScaling = false;
        });
    }

    function hook(gd) {
        if (gd.__gsScreensHooked || typeof gd.on !== "function") { return; }
        gd.__gsScreensHooked = true;
        gd.on("plotly_afterplot", function () { if (!gd.__gsScaling) { window.setTimeout(function () { scale(gd); }, 0); } });
        scale(gd);
    }

    function scan() {
        Array.prototype.forEach.call(document.querySelectorAll(".js-plotly-plot"), function (gd) {
            hook(gd);
            scale(gd);
        });
    }

    var present = null;
    function watch() {
        var app = document.getElementById(ID.APP);
        if (!app) { window.setTimeout(watch, 200); return; }
        // Present mode switched: every graph at its new size; graphs that appear later hook themselves in.
        new MutationObserver(function () {
            var now = app.classList.contains("present");
            if (now !== present) { present = now; window.requestAnimationFrame(scan); }
        }).observe(app, {attributes: true, attributeFilter: ["class"]});
        window.setInterval(function () {
            Array.prototype.forEach.call(document.querySelectorAll(".js-plotly-plot"), hook);
        }, 1000);
        scan();
    }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }

    window.gradscapeScreens = {factor: factor, scan: scan}; // read by the browser tests
}());
