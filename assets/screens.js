/*
 * Present mode scales every text on the page: assets/screens.css grows the root font size (so
 * every rem: labels, run legend, results, colour key), and this file grows what CSS cannot reach,
 * the graphs' own fonts (ticks, axis titles, legends) and the margins that hold them, by the
 * same factor: root font size / 16 px.
 *
 * A figure arriving from the server has its own sizes; the scaled ones carry `gsScale`, the factor
 * they were scaled by, so a figure is never scaled twice (Dash copies the relaid-out layout back
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

    function scale(gd) {
        if (!gd || !gd.layout || !gd._fullLayout || gd.__gsScaling) { return; }
        var f = factor(), update = {};
        var font = rescaled(Object.assign({size: gd._fullLayout.font.size}, gd.layout.font), ["size"], f);
        if (font) { update.font = font; }
        if (gd.layout.margin) {
            var margin = rescaled(gd.layout.margin, MARGINS, f);
            if (margin) { update.margin = margin; }
        }
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
