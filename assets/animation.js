/*
 * Gradscape playback: one step index drives every run's marker and path-so-far in every view.
 * It runs entirely in the browser: the trajectories arrive once per scene in the `trajectories`
 * store, and no frame asks the server for anything.
 *
 * Figures arrive with their run traces empty (meta = {role: "ghost" | "path", run: i}, and one
 * {role: "markers"} trace); this file fills the faint whole-path "ghosts" once per scene. Each
 * frame then moves the path-so-far and markers: in the 2-D views on an SVG overlay
 * (assets/overlay.js), in the 3-D view by a throttled Plotly.restyle (gl3d redraws its scene).
 */
(function () {
    "use strict";

    // Tuning knobs, on window.gradscape.options so the benchmark can compare settings.
    var options = {
        // While playing, the 3-D view follows every 1.5 s: any gl3d update rebuilds the whole
        // surface mesh (50-150 ms in software GL), which would stall the 2-D views.
        surfaceEveryMs: 1500,
        // The scrubber and step label follow the loop about 8 times a second: a Dash prop update
        // with its callbacks costs more than drawing a frame.
        publishEveryMs: 125
    };
    var MAX_POINTS = 500; // a path-so-far is thinned to this many points (always keeping the last)
    var FLAT_VIEWS = ["contour", "loss-curve"];

    var state = {
        key: null, steps: 0, runs: [],
        frame: 0, pos: 0, playing: false, speed: 40, last: 0, lastSurface: 0, lastPublish: 0,
        stats: {frames: 0},
        options: options,
        // Functions called as hook(view, gd, k) after a 2-D view is drawn at step k (assets/teaching.js).
        hooks: []
    };

    // --- the store ------------------------------------------------------------------------------
    function decode(spec) {
        if (!spec || typeof spec !== "object" || !spec.bdata) {
            return Float64Array.from(spec || []);
        }
        var bin = atob(spec.bdata), bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
        return spec.dtype === "f8" ? new Float64Array(bytes.buffer) : new Float32Array(bytes.buffer);
    }

    function load(store) {
        if (!store || store.key === state.key) { return; }
        state.key = store.key;
        state.steps = store.steps;
        state.index = null;
        state.runs = (store.runs || []).map(function (r) {
            return {x: decode(r.x), y: decode(r.y), loss: decode(r.loss), z: decode(r.z), colour: r.colour,
                    batchLoss: r.batch_loss ? decode(r.batch_loss) : null,
                    inside: r.inside, lossY: null, lossMapFor: null};
        });
    }

    // --- the graphs -----------------------------------------------------------------------------
    function graphDiv(id) {
        return document.querySelector("#" + id + " .js-plotly-plot");
    }

    function ready(gd) {
        return gd && gd.data && gd._fullLayout && gd.layout && gd.layout.meta &&
            gd.layout.meta.key === state.key;
    }

    function roles(gd) {
        if (gd.__gsRolesFor !== gd.data) {
            var out = {ghost: [], path: [], markers: undefined};
            gd.data.forEach(function (t, i) {
                var m = t.meta;
                if (!m) { return; }
                if (m.role === "ghost" || m.role === "path") { out[m.role][m.run] = i; }
                else if (m.role === "markers") { out.markers = i; }
            });
            gd.__gsRoles = out;
            gd.__gsRolesFor = gd.data;
        }
        return gd.__gsRoles;
    }

    // The loss curve plots loss, or loss - f* floored for a log axis: figures.loss_values in Python.
    // With map.source "batch" it plots the mini-batch loss each step's gradient came from.
    function lossY(run, map) {
        if (run.lossMapFor !== map) {
            var src = map.source === "batch" && run.batchLoss ? run.batchLoss : run.loss;
            var y = new Float64Array(src.length);
            for (var i = 0; i < y.length; i++) {
                y[i] = map.log ? Math.max(src[i] - map.offset, map.floor) : src[i];
            }
            run.lossY = y;
            run.lossMapFor = map;
        }
        return run.lossY;
    }

    function stepIndex() {
        if (!state.index) {
            state.index = new Float64Array(state.steps + 1);
            for (var i = 0; i < state.index.length; i++) { state.index[i] = i; }
        }
        return state.index;
    }

    // A run's whole path in a view, and the last step that view can show.
    function series(view, run, gd) {
        if (view === "contour") { return {x: run.x, y: run.y, last: run.x.length - 1}; }
        if (view === "surface") {
            return {x: run.x.subarray(0, run.inside), y: run.y.subarray(0, run.inside), z: run.z,
                    last: run.inside - 1};
        }
        var y = lossY(run, gd.layout.meta.lossMap);
        return {x: stepIndex(), y: y, last: y.length - 1};
    }

    function head(arr, n) {
        var stride = Math.ceil(n / MAX_POINTS);
        if (stride <= 1) { return arr.subarray(0, n); }
        var m = Math.ceil((n - 1) / stride) + 1, out = new arr.constructor(m);
        for (var i = 0; i < m - 1; i++) { out[i] = arr[i * stride]; }
        out[m - 1] = arr[n - 1];
        return out;
    }

    // One Plotly.restyle per set of attributes (a loss-curve ghost sets y only, keeping x0/dx).
    function restyle(gd, items) {
        var groups = {};
        items.forEach(function (item) {
            var attrs = Object.keys(item.data).sort(), sig = attrs.join(",");
            if (!groups[sig]) {
                groups[sig] = {update: {}, traces: []};
                attrs.forEach(function (a) { groups[sig].update[a] = []; });
            }
            attrs.forEach(function (a) { groups[sig].update[a].push(item.data[a]); });
            groups[sig].traces.push(item.trace);
        });
        Object.keys(groups).forEach(function (sig) { Plotly.restyle(gd, groups[sig].update, groups[sig].traces); });
    }

    // A new figure: its ghosts get the whole paths, once.
    function fillGhosts(view, gd) {
        var idx = roles(gd), items = [];
        state.runs.forEach(function (run, i) {
            if (idx.ghost[i] === undefined) { return; }
            var s = series(view, run, gd);
            var data = view === "loss-curve" ? {y: s.y} : view === "surface" ? {x: s.x, y: s.y, z: s.z}
                                                                              : {x: s.x, y: s.y};
            items.push({trace: idx.ghost[i], data: data});
        });
        gd.__gsFilledFor = gd.data;
        if (items.length) { restyle(gd, items); }
    }

    function drawFlat(view, gd, k) {
        var runs = state.runs.map(function (run) {
            var s = series(view, run, gd), kk = Math.min(k, s.last), n = kk + 1;
            return {colour: run.colour, xs: head(s.x, n), ys: head(s.y, n), mx: s.x[kk], my: s.y[kk]};
        });
        return window.gradscapeOverlay.draw(view, gd, runs, view === "loss-curve" ? k : null);
    }

    function drawSurface(gd, k) {
        var idx = roles(gd), items = [], mx = [], my = [], mz = [];
        state.runs.forEach(function (run, i) {
            if (idx.path[i] === undefined) { return; }
            var s = series("surface", run, gd), kk = Math.min(k, s.last), n = kk + 1;
            items.push({trace: idx.path[i], data: {x: head(s.x, n), y: head(s.y, n), z: head(s.z, n)}});
            mx.push(s.x[kk]);
            my.push(s.y[kk]);
            mz.push(s.z[kk]);
        });
        if (idx.markers !== undefined && mx.length) { items.push({trace: idx.markers, data: {x: mx, y: my, z: mz}}); }
        if (items.length) { restyle(gd, items); }
    }

    // Draws one view at step k; false if it is not ready for the current scene yet.
    function drawView(view, k, withSurface) {
        var gd = graphDiv(view);
        if (!gd) { return false; }
        hook(view, gd);
        if (gd.offsetParent === null) { return true; } // hidden (the "why" panel stands in): redrawn when shown
        if (!ready(gd)) { return false; }
        var fresh = gd.__gsFilledFor !== gd.data;
        if (fresh) { fillGhosts(view, gd); }
        if (view !== "surface") {
            var drawn = drawFlat(view, gd, k);
            state.hooks.forEach(function (hook) { hook(view, gd, k); });
            return drawn;
        }
        if (fresh || withSurface) { drawSurface(gd, k); }
        return true;
    }

    // Redraw when Plotly redraws: a new figure from the server, a zoom, a resize.
    function hook(view, gd) {
        if (gd.__gsHooked || typeof gd.on !== "function") { return; }
        gd.__gsHooked = true;
        var again = function () {
            window.requestAnimationFrame(function () { drawView(view, state.frame, true); });
        };
        gd.on("plotly_afterplot", function () {
            if (gd.__gsFilledFor !== gd.data || view !== "surface") { again(); }
        });
        if (view !== "surface") { gd.on("plotly_relayout", again); } // zoom and pan move the axes under the overlay
    }

    // Views that are not ready (graph not mounted, or its figure still on the way) are retried
    // for a while: the store and the figures reach the browser in either order.
    var retry = {timer: null, left: 0};

    function draw(k, withSurface) {
        var now = performance.now();
        var surface = withSurface || now - state.lastSurface >= options.surfaceEveryMs;
        if (surface) { state.lastSurface = now; }
        var allDrawn = drawView("surface", k, surface);
        FLAT_VIEWS.forEach(function (view) { allDrawn = drawView(view, k, surface) && allDrawn; });
        if (allDrawn || !state.key) {
            retry.left = 0;
        } else if (!retry.timer) {
            retry.left = retry.left || 200;
            retry.timer = window.setTimeout(function () {
                retry.timer = null;
                if (--retry.left > 0) { draw(state.frame, true); }
            }, 50);
        }
    }

    // --- playback -------------------------------------------------------------------------------
    function label(k) {
        return "step " + k + " / " + state.steps;
    }

    // The scrubber shows the loop's step; its callback then updates the step label.
    function publishFrame(k) {
        window.dash_clientside.set_props("frame", {value: k});
    }

    function stop() {
        state.playing = false;
        window.dash_clientside.set_props("play", {children: "▶ Play"});
    }

    function tick() {
        if (!state.playing) { return; }
        var now = performance.now(); // rAF's own timestamp can precede the one start() took
        var dt = Math.max(0, Math.min(0.1, (now - state.last) / 1000));
        state.last = now;
        state.pos = Math.min(state.steps, state.pos + dt * state.speed);
        var k = Math.floor(state.pos);
        if (k !== state.frame) {
            state.frame = k;
            draw(k, k >= state.steps);
            state.stats.frames += 1;
            if (now - state.lastPublish >= options.publishEveryMs || k >= state.steps) {
                state.lastPublish = now;
                publishFrame(k);
            }
        }
        if (k >= state.steps) { stop(); return; }
        window.requestAnimationFrame(tick);
    }

    function start() {
        if (state.frame >= state.steps) {
            state.frame = 0;
            draw(0, true);
            publishFrame(0);
        }
        state.pos = state.frame;
        state.playing = true;
        state.last = performance.now();
        window.requestAnimationFrame(tick);
    }

    // A 2-D view's moving parts at the current step as Plotly trace data ({trace, x, y} per
    // path-so-far, then the markers): assets/export.js puts them into the figure for the image
    // export, since Plotly cannot see the overlay.
    state.exportTraces = function (view, gd) {
        if (!ready(gd) || FLAT_VIEWS.indexOf(view) < 0) { return []; }
        var idx = roles(gd), items = [], mx = [], my = [];
        state.runs.forEach(function (run, i) {
            var s = series(view, run, gd), kk = Math.min(state.frame, s.last), n = kk + 1;
            if (idx.path[i] !== undefined) { items.push({trace: idx.path[i], x: head(s.x, n), y: head(s.y, n)}); }
            mx.push(s.x[kk]);
            my.push(s.y[kk]);
        });
        if (idx.markers !== undefined && mx.length) { items.push({trace: idx.markers, x: mx, y: my}); }
        return items;
    };

    state.decode = decode;
    window.gradscape = state; // read by the benchmark and the browser tests

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        gradscape: {
            // frame.value or a new store -> every view shows that step.
            renderFrame: function (frame, store) {
                load(store);
                var k = Math.max(0, Math.min(state.steps, Math.round(frame || 0)));
                if (!state.playing) {
                    state.frame = k;
                    state.pos = k;
                    draw(k, true);
                }
                return label(k);
            },
            togglePlay: function (n) {
                if (!n) { return window.dash_clientside.no_update; }
                if (state.playing) {
                    state.playing = false;
                    publishFrame(state.frame);
                    draw(state.frame, true);
                    return "▶ Play";
                }
                start();
                return "❚❚ Pause";
            },
            stepBy: function (back, forward, frame, max) {
                var trig = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; });
                var delta = trig.indexOf("step-back.n_clicks") >= 0 ? -1 : 1;
                var current = state.playing ? state.frame : Math.round(frame || 0); // the scrubber lags while playing
                if (state.playing) { stop(); }
                return Math.max(0, Math.min(max || 0, current + delta));
            },
            // Back to step 0; playing goes on from there.
            restart: function (n) {
                if (!n) { return window.dash_clientside.no_update; }
                state.pos = 0;
                state.frame = 0;
                draw(0, true);
                if (state.playing) { publishFrame(0); }
                return 0;
            },
            setSpeed: function (index, marks) {
                var mark = (marks || {})[index];
                var value = parseFloat(mark && (mark.label || mark));
                if (value > 0) { state.speed = value; }
                return state.speed;
            }
        }
    });
}());
