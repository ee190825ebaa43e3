/*
 * The moving parts of the 2-D views: each run's path-so-far and current marker (and the loss
 * curve's current-step line) drawn in an SVG laid over the Plotly graph.
 *
 * Why not Plotly traces: any Plotly update re-runs its defaults pipeline over every trace
 * (about 15 ms a frame here), while setting a few SVG attributes costs well under 1 ms. Plotly
 * still draws everything static (surface, minima, start, the faint whole paths), and its axes
 * convert data to pixels, so zooming and resizing keep the overlay in register.
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py
    // The graph a view is drawn over -> the (empty) div holding its overlay.
    var OVERLAY = {};
    OVERLAY[ID.CONTOUR] = ID.CONTOUR_OVERLAY;
    OVERLAY[ID.LOSS_CURVE] = ID.LOSS_CURVE_OVERLAY;
    OVERLAY[ID.SCHEDULE_PLOT] = ID.SCHEDULE_PLOT_OVERLAY;

    var NS = "http://www.w3.org/2000/svg";

    function make(tag, attrs, parent) {
        var el = document.createElementNS(NS, tag);
        Object.keys(attrs).forEach(function (a) { el.setAttribute(a, attrs[a]); });
        if (parent) { parent.appendChild(el); }
        return el;
    }

    // The overlay of a view: an <svg> in the (empty) div "<view>-overlay" over the graph.
    function svgFor(view) {
        var holder = document.getElementById(OVERLAY[view]);
        if (!holder) { return null; }
        if (!holder.__gsSvg) {
            var svg = make("svg", {"class": "overlay-svg", "aria-hidden": "true"}, holder);
            // Paths are clipped to the plot area; markers get room to sit on its edge.
            var defs = make("defs", {}, svg);
            svg.__clipRect = make("rect", {}, make("clipPath", {id: view + "-overlay-clip"}, defs));
            svg.__clipWide = make("rect", {}, make("clipPath", {id: view + "-overlay-clip-wide"}, defs));
            svg.__ghosts = make("g", {"class": "ghosts", "clip-path": "url(#" + view + "-overlay-clip)"}, svg);
            svg.__cursor = make("line", {"class": "overlay-cursor"}, svg);
            svg.__start = make("circle", {"class": "overlay-start", "visibility": "hidden"}, svg);
            svg.__paths = make("g", {"class": "paths", "clip-path": "url(#" + view + "-overlay-clip)"}, svg);
            svg.__markers = make("g", {"class": "markers", "clip-path": "url(#" + view + "-overlay-clip-wide)"}, svg);
            holder.__gsSvg = svg;
        }
        return holder.__gsSvg;
    }

    function ensureChildren(group, tag, n) {
        while (group.childNodes.length < n) { make(tag, {"data-run": group.childNodes.length}, group); }
        while (group.childNodes.length > n) { group.removeChild(group.lastChild); }
        return group.childNodes;
    }

    function fixed(v) {
        return Number.isFinite(v) ? v.toFixed(1) : "-9999";
    }

    // Data -> pixel coordinates of a graph's SVG (Plotly's own axes, so zoom and resize follow).
    function pixels(gd) {
        var xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        return {X: function (v) { return xa._offset + xa.c2p(v); }, Y: function (v) { return ya._offset + ya.c2p(v); }};
    }

    // The part of the segment a-b inside box [x0, y0, x1, y1] (Liang–Barsky), or null.
    function clipSegment(ax, ay, bx, by, box) {
        var t0 = 0, t1 = 1, dx = bx - ax, dy = by - ay;
        var edges = [[-dx, ax - box[0]], [dx, box[2] - ax], [-dy, ay - box[1]], [dy, box[3] - ay]];
        for (var k = 0; k < 4; k++) {
            var p = edges[k][0], q = edges[k][1];
            if (p === 0) { if (q < 0) { return null; } continue; }
            var r = q / p;
            if (p < 0) { if (r > t1) { return null; } if (r > t0) { t0 = r; } }
            else { if (r < t0) { return null; } if (r < t1) { t1 = r; } }
        }
        return [ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy];
    }

    // A path's SVG data: one point a step, except that a diverged run's steps far past the plot area
    // (millions of pixels away) are cut at a box around it. Chromium draws such coordinates wrongly,
    // lines through the margins at the wrong angle; inside the box the clip-path does the rest.
    function pathData(xs, ys, X, Y, box) {
        var d = [], px = null, py = null, pen = false;
        var inside = function (x, y) { return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]; };
        for (var j = 0; j < xs.length; j++) {
            var x = X(xs[j]), y = Y(ys[j]);
            if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; px = null; continue; }
            if (px === null) {
                if (inside(x, y)) { d.push("M" + fixed(x) + "," + fixed(y)); pen = true; } else { pen = false; }
            } else {
                var seg = clipSegment(px, py, x, y, box);
                if (!seg) { pen = false; } else {
                    if (!pen) { d.push("M" + fixed(seg[0]) + "," + fixed(seg[1])); }
                    d.push("L" + fixed(seg[2]) + "," + fixed(seg[3]));
                    pen = seg[2] === x && seg[3] === y;
                }
            }
            px = x; py = y;
        }
        return d.join("");
    }

    /*
     * Draws the runs on a view. runs: [{colour, xs, ys, mx, my, gx, gy}] in data coordinates (xs,
     * ys the path so far, mx, my the marker, gx, gy the faint whole path); ghostKey names what the
     * whole paths and the axes are, so they are redrawn only when one of them changes, not every
     * frame; cursorX: data x of a vertical line, or null; start: [x, y] of the start ring, or null.
     */
    function draw(view, gd, runs, cursorX, ghostKey, start) {
        var svg = svgFor(view), fl = gd && gd._fullLayout;
        if (!svg || !fl || !fl.xaxis || !fl.yaxis || !fl._size) { return false; }
        var size = fl._size, px = pixels(gd), X = px.X, Y = px.Y;
        var far = 4 * Math.max(fl.width, fl.height);  // the box paths are cut at, well outside the clip
        var box = [size.l - far, size.t - far, size.l + size.w + far, size.t + size.h + far];
        svg.setAttribute("width", fl.width);
        svg.setAttribute("height", fl.height);
        svg.setAttribute("viewBox", "0 0 " + fl.width + " " + fl.height);
        [[svg.__clipRect, 0], [svg.__clipWide, 10]].forEach(function (c) {
            c[0].setAttribute("x", size.l - c[1]);
            c[0].setAttribute("y", size.t - c[1]);
            c[0].setAttribute("width", size.w + 2 * c[1]);
            c[0].setAttribute("height", size.h + 2 * c[1]);
        });
        // the plot area moves with the margins too (Present mode scales them: assets/screens.js)
        var axesKey = [ghostKey, fl.width, fl.height, fl.xaxis.range, fl.yaxis.range, fl.xaxis._offset,
                       fl.yaxis._offset, fl.xaxis._length, fl.yaxis._length].join("|");
        if (svg.__ghostKey !== axesKey) {
            svg.__ghostKey = axesKey;
            var ghosts = ensureChildren(svg.__ghosts, "path", runs.length);
            runs.forEach(function (run, i) {
                ghosts[i].setAttribute("d", run.gx ? pathData(run.gx, run.gy, X, Y, box) : "");
                ghosts[i].setAttribute("stroke", run.colour);
            });
            if (start) {
                svg.__start.setAttribute("cx", fixed(X(start[0])));
                svg.__start.setAttribute("cy", fixed(Y(start[1])));
            }
            svg.__start.setAttribute("visibility", start ? "visible" : "hidden");
        }
        var paths = ensureChildren(svg.__paths, "path", runs.length);
        var markers = ensureChildren(svg.__markers, "circle", runs.length);
        runs.forEach(function (run, i) {
            paths[i].setAttribute("d", pathData(run.xs, run.ys, X, Y, box));
            paths[i].setAttribute("stroke", run.colour);
            // a run on exactly an earlier run's path is dashed (palette.SAME_PATH_DASHARRAY): both show
            paths[i].setAttribute("stroke-dasharray", run.dashed ? "7 5" : "none");
            markers[i].setAttribute("cx", fixed(X(run.mx)));
            markers[i].setAttribute("cy", fixed(Y(run.my)));
            markers[i].setAttribute("fill", run.colour);
            markers[i].setAttribute("data-x", run.mx);
            markers[i].setAttribute("data-y", run.my);
        });
        if (cursorX === null || cursorX === undefined) {
            svg.__cursor.setAttribute("visibility", "hidden");
        } else {
            var cx = fixed(X(cursorX));
            svg.__cursor.setAttribute("visibility", "visible");
            svg.__cursor.setAttribute("x1", cx);
            svg.__cursor.setAttribute("x2", cx);
            svg.__cursor.setAttribute("y1", size.t);
            svg.__cursor.setAttribute("y2", size.t + size.h);
            svg.__cursor.setAttribute("data-step", cursorX);
        }
        return true;
    }

    window.gradscapeOverlay = {draw: draw, pixels: pixels, make: make, fixed: fixed};
}());
