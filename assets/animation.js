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
        // The 3-D view is redrawn this long after the last change (a drag, a scrub), never while
        // playing and never while hidden or scrolled away: any gl3d update rebuilds the whole
        // scene (100-600 ms in software GL), which would stall the 2-D views.
        surfaceDelayMs: 250,
        // The scrubber and step label follow the loop about 8 times a second: a Dash prop update
        // with its callbacks costs more than drawing a frame.
        publishEveryMs: 125
    };
    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py
    var MAX_POINTS = window.gradscapeShared.pathPoints; // a path drawn here keeps about this many points
    var FLAT_VIEWS = [ID.CONTOUR, ID.LOSS_CURVE];

    var state = {
        key: null, steps: 0, runs: [],
        frame: 0, pos: 0, playing: false, speed: 40, t0: 0, pos0: 0, lastPublish: 0,
        figureKey: null, start: null, surfaceFor: null,
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
        state.figureKey = store.figures;
        state.figureBase = store.base || null;
        state.start = store.start || null;
        state.steps = store.steps;
        state.index = null;
        state.runs = (store.runs || []).map(function (r) {
            return {x: decode(r.x), y: decode(r.y), loss: decode(r.loss), z: decode(r.z), colour: r.colour, dashed: !!r.same_as,
                    batchLoss: r.batch_loss ? decode(r.batch_loss) : null,
                    evals: r.evals ? decode(r.evals) : null, // evaluations to reach each point (L-BFGS)
                    inside: r.inside, lossY: null, lossMapFor: null};
        });
    }

    // --- the graphs -----------------------------------------------------------------------------
    function graphDiv(id) {
        return document.querySelector("#" + id + " .js-plotly-plot");
    }

    // A figure is ready when it was made for the runs in the store (its surface, runs and
    // colours): a new lr or start changes only the store, never the contour map or the surface.
    // A figure that differs only in a diverged run's steep line (store.base, ui/views/render.py) is
    // ready too: the paths are drawn over it at once, and the new map follows.
    function ready(gd) {
        var meta = gd && gd.data && gd._fullLayout && gd.layout && gd.layout.meta;
        return !!meta && (meta.key === state.figureKey || (!!state.figureBase && meta.base === state.figureBase));
    }

    function roles(gd) {
        if (gd.__gsRolesFor !== gd.data) {
            var out = {ghost: [], path: [], markers: undefined, start: undefined};
            gd.data.forEach(function (t, i) {
                var m = t.meta;
                if (!m) { return; }
                if (m.role === "ghost" || m.role === "path") { out[m.role][m.run] = i; }
                else if (m.role === "markers") { out.markers = i; }
                else if (m.role === "start") { out.start = i; }
            });
            gd.__gsRoles = out;
            gd.__gsRolesFor = gd.data;
        }
        return gd.__gsRoles;
    }

    // The loss curve plots loss, or loss - f* floored for a log axis: figures.loss_values in Python.
    // With map.source "batch" it plots the mini-batch loss each step's gradient came from.
    function lossValues(src, map) {
        var y = new Float64Array(src.length);
        for (var i = 0; i < y.length; i++) {
            y[i] = map.log ? Math.max(src[i] - map.offset, map.floor) : src[i];
        }
        return y;
    }

    function lossY(run, map) {
        if (run.lossMapFor !== map) {
            run.lossY = lossValues(map.source === "batch" && run.batchLoss ? run.batchLoss : run.loss, map);
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
        if (view === ID.CONTOUR) { return {x: run.x, y: run.y, last: run.x.length - 1}; }
        if (view === ID.SURFACE) {
            return {x: run.x.subarray(0, run.inside), y: run.y.subarray(0, run.inside), z: run.z,
                    last: run.inside - 1};
        }
        var map = gd.layout.meta.lossMap, y = lossY(run, map);
        // figures.loss_x: against evaluations, a run with several per step (L-BFGS) sits further right
        var x = map.x === "evals" && run.evals && run.evals.length === y.length ? run.evals : stepIndex();
        return {x: x, y: y, last: y.length - 1};
    }

    // The first n points of arr, thinned as ui/model/payload.thin_index thins: every stride-th point
    // and the last, stride = ceil((n - 1) / MAX_POINTS), so about MAX_POINTS in all.
    function thinIndex(n, limit) {
        var stride = Math.max(1, Math.ceil((n - 1) / limit)), idx = [];
        for (var i = 0; i < n; i += stride) { idx.push(i); }
        if (n > 0 && idx[idx.length - 1] !== n - 1) { idx.push(n - 1); }
        return idx;
    }

    function head(arr, n) {
        if (n - 1 <= MAX_POINTS) { return arr.subarray(0, n); }
        var idx = thinIndex(n, MAX_POINTS), out = new arr.constructor(idx.length);
        for (var i = 0; i < idx.length; i++) { out[i] = arr[idx[i]]; }
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

    function drawFlat(view, gd, k) {
        var runs = state.runs.map(function (run) {
            var s = series(view, run, gd), kk = Math.min(k, s.last), n = kk + 1;
            return {colour: run.colour, dashed: run.dashed, xs: head(s.x, n), ys: head(s.y, n), mx: s.x[kk], my: s.y[kk],
                    gx: head(s.x, s.last + 1), gy: head(s.y, s.last + 1)};
        });
        var ghostKey = state.key + (view === ID.LOSS_CURVE ? JSON.stringify(gd.layout.meta.lossMap) : "");
        var cursor = view === ID.LOSS_CURVE && gd.layout.meta.lossMap.x !== "evals" ? k : null;
        return window.gradscapeOverlay.draw(view, gd, runs, cursor, ghostKey,
                                            view === ID.CONTOUR ? state.start : null);
    }

    // The 3-D view: ghosts, paths so far and markers in one Plotly.restyle (one gl3d redraw).
    function drawSurface(gd, k) {
        var idx = roles(gd), items = [], mx = [], my = [], mz = [];
        state.runs.forEach(function (run, i) {
            var s = series(ID.SURFACE, run, gd), kk = Math.min(k, s.last), n = kk + 1;
            if (idx.ghost[i] !== undefined) { items.push({trace: idx.ghost[i], data: {x: s.x, y: s.y, z: s.z}}); }
            if (idx.path[i] !== undefined) {
                items.push({trace: idx.path[i], data: {x: head(s.x, n), y: head(s.y, n), z: head(s.z, n)}});
            }
            mx.push(s.x[kk]);
            my.push(s.y[kk]);
            mz.push(s.z[kk]);
        });
        if (idx.markers !== undefined && mx.length) { items.push({trace: idx.markers, data: {x: mx, y: my, z: mz}}); }
        state.surfaceFor = gd.data;
        if (items.length) { restyle(gd, items); }
    }

    function onScreen(gd) {
        if (gd.offsetParent === null) { return false; }
        var r = gd.getBoundingClientRect();
        return r.width > 0 && r.bottom > 0 && r.top < window.innerHeight;
    }

    // The 3-D view follows lazily: after the 2-D views, once changes pause, while it is on screen.
    var surfaceTimer = null, surfaceWanted = null;
    function scheduleSurface(delay) {
        window.clearTimeout(surfaceTimer);
        surfaceTimer = window.setTimeout(function () {
            surfaceTimer = null;
            var gd = graphDiv(ID.SURFACE);
            if (!gd || state.playing) { return; }          // playback ends with a redraw
            if (!ready(gd)) { return; }                    // its figure is on the way: afterplot calls again
            if (document.documentElement.classList.contains("gs-working")) { scheduleSurface(options.surfaceDelayMs); return; }
            if (!onScreen(gd)) { surfaceWanted = state.frame; return; } // drawn when scrolled into view
            var want = state.key + ":" + state.frame;
            if (gd.__gsSurfaceDrawn === want && state.surfaceFor === gd.data) { return; }
            gd.__gsSurfaceDrawn = want;
            surfaceWanted = null;
            drawSurface(gd, state.frame);
        }, delay);
    }
    ["scroll", "resize"].forEach(function (ev) {
        window.addEventListener(ev, function () { if (surfaceWanted !== null) { scheduleSurface(50); } },
                                {passive: true});
    });

    // Draws one 2-D view at step k; false if it is not ready for the current scene yet.
    function drawView(view, k) {
        var gd = graphDiv(view);
        if (!gd) { return false; }
        hook(view, gd);
        if (gd.offsetParent === null) { return true; } // hidden (the "why" panel stands in): redrawn when shown
        if (!ready(gd)) { return false; }
        var drawn = drawFlat(view, gd, k);
        state.hooks.forEach(function (hook) { hook(view, gd, k); });
        return drawn;
    }

    // Redraw when Plotly redraws: a new figure from the server, a zoom, a resize.
    function hook(view, gd) {
        if (gd.__gsHooked || typeof gd.on !== "function") { return; }
        gd.__gsHooked = true;
        var again = function () {
            window.requestAnimationFrame(function () { draw(state.frame, true); });
        };
        if (view === ID.SURFACE) {
            gd.on("plotly_afterplot", function () { if (state.surfaceFor !== gd.data) { scheduleSurface(0); } });
            return;
        }
        gd.on("plotly_afterplot", again);
        gd.on("plotly_relayout", again); // zoom and pan move the axes under the overlay
    }

    // A page opened with its scene drawn holds its 3-D figure back (ui/web/opening.py): it goes into
    // the graph once the map shows the paths, after the browser has painted them.
    function surfaceAfterOpening() {
        var api = window.dash_component_api, pending;
        try { pending = api && api.getLayout(ID.SURFACE_PENDING).props.data; } catch (e) { return; }
        if (!pending || !pending.layout) { return; }
        window.dash_clientside.set_props(ID.SURFACE_PENDING, {data: null});
        var gd = graphDiv(ID.SURFACE), meta = pending.layout.meta || {};
        if (meta.key !== state.figureKey || (gd && gd.layout && gd.layout.meta && gd.layout.meta.key)) { return; } // a newer scene's figure came
        window.requestAnimationFrame(function () {
            window.setTimeout(function () { window.dash_clientside.set_props(ID.SURFACE, {figure: pending}); }, 0);
        });
    }

    // Views that are not ready (graph not mounted, or its figure still on the way) are retried
    // for a while: the store and the figures reach the browser in either order.
    var retry = {timer: null, left: 0};

    function draw(k, withSurface) {
        var allDrawn = true;
        FLAT_VIEWS.forEach(function (view) { allDrawn = drawView(view, k) && allDrawn; });
        var surface = graphDiv(ID.SURFACE);
        if (surface) { hook(ID.SURFACE, surface); }
        if (withSurface && !state.playing) { scheduleSurface(options.surfaceDelayMs); }
        if (allDrawn || !state.key) {
            retry.left = 0;
            window.gradscapeOpening.drawn(); // the opening's held callbacks may go now
            if (allDrawn) { surfaceAfterOpening(); }
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
        window.dash_clientside.set_props(ID.FRAME, {value: k});
    }

    // One step back or forward, from the step on show. The scrubber's value follows by set_props;
    // a value of ours still on its way when the next press comes is not read back (renderFrame
    // skips it), so quick presses all count (assets/keys.js, the step buttons).
    var published = [];
    state.step = function (delta) {
        if (state.playing) { stop(); }
        var k = Math.max(0, Math.min(state.steps, state.frame + delta));
        state.frame = k;
        state.pos = k;
        draw(k, true);
        var el = document.getElementById(ID.FRAME_LABEL);
        if (el) { el.textContent = label(k); }
        published.push(k);
        publishFrame(k);
        return k;
    };

    // False for a scrubber value that state.step sent before its newest one.
    function current(k) {
        var i = published.lastIndexOf(k);
        if (i < 0) { published = []; return true; }  // the user's scrub, or a new scene
        published.splice(0, i + 1);
        return published.length === 0;
    }

    function stop() {
        state.playing = false;
        window.dash_clientside.set_props(ID.PLAY, {children: "▶ Play"});
    }

    function tick() {
        if (!state.playing) { return; }
        // The step follows the wall clock from where playing started: a late frame catches up
        // rather than losing time, so the chosen speed holds.
        var now = performance.now(); // rAF's own timestamp can precede the one start() took
        state.pos = Math.min(state.steps, state.pos0 + Math.max(0, now - state.t0) / 1000 * state.speed);
        var k = Math.floor(state.pos);
        if (k !== state.frame) {
            state.frame = k;
            draw(k, false);
            state.stats.frames += 1;
            // While playing, the step label is written here and the scrubber (a Dash prop, whose
            // update costs the renderer 50-200 ms on this page) waits for the pause or the end.
            if (now - state.lastPublish >= options.publishEveryMs || k >= state.steps) {
                state.lastPublish = now;
                if (k >= state.steps) {
                    publishFrame(k);
                } else {
                    var el = document.getElementById(ID.FRAME_LABEL);
                    if (el) { el.textContent = label(k); }
                }
            }
        }
        if (k >= state.steps) { stop(); draw(k, true); return; }
        window.requestAnimationFrame(tick);
    }

    function start() {
        if (state.frame >= state.steps) {
            state.frame = 0;
            draw(0, true);
            publishFrame(0);
        }
        state.pos = state.frame;
        state.pos0 = state.frame;
        state.playing = true;
        state.t0 = performance.now();
        window.requestAnimationFrame(tick);
    }

    // A 2-D view's moving parts at the current step as Plotly trace data ({trace, x, y} per
    // path-so-far, then the markers): assets/export.js puts them into the figure for the image
    // export, since Plotly cannot see the overlay.
    state.exportTraces = function (view, gd) {
        if (!ready(gd) || FLAT_VIEWS.indexOf(view) < 0) { return []; }
        var idx = roles(gd), items = [], mx = [], my = [];
        if (idx.start !== undefined && state.start && view === ID.CONTOUR) {
            items.push({trace: idx.start, x: [state.start[0]], y: [state.start[1]]});
        }
        state.runs.forEach(function (run, i) {
            var s = series(view, run, gd), kk = Math.min(state.frame, s.last), n = kk + 1;
            if (idx.ghost[i] !== undefined) { items.push({trace: idx.ghost[i], x: head(s.x, s.last + 1), y: head(s.y, s.last + 1)}); }
            if (idx.path[i] !== undefined) { items.push({trace: idx.path[i], x: head(s.x, n), y: head(s.y, n)}); }
            mx.push(s.x[kk]);
            my.push(s.y[kk]);
        });
        if (idx.markers !== undefined && mx.length) { items.push({trace: idx.markers, x: mx, y: my}); }
        return items;
    };

    // An answer just arrived (the renderer's request_post hook, ui/web/app.py): if it holds
    // new paths for the figures the map already shows, draw them on the map now; the rest of the
    // page (loss curve, table) follows when Dash has applied the answer.
    state.early = function (response) {
        var store = response && response[ID.TRAJECTORIES] && response[ID.TRAJECTORIES].data;
        if (store && window.gradscapeDrag && window.gradscapeDrag.dashDrew) { window.gradscapeDrag.dashDrew(); }
        if (!store || store.key === state.key || (response[ID.CONTOUR] && response[ID.CONTOUR].figure)) { return; }
        load(store);
        if (!state.playing) {
            state.frame = state.steps;
            state.pos = state.steps;
            drawView(ID.CONTOUR, state.frame);
        }
    };

    state.decode = decode;
    // The shared rules, for tests/browser/test_browser_shared.py (their Python twins: payload.thin_index,
    // figures.loss_values).
    state.rules = {thinIndex: thinIndex, lossValues: lossValues};
    window.gradscape = state; // read by the benchmark and the browser tests

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        gradscape: {
            // frame.value or a new store -> every view shows that step.
            renderFrame: function (frame, store) {
                var fresh = !!store && store.key !== state.key;
                load(store);
                var k = Math.max(0, Math.min(state.steps, Math.round(frame || 0)));
                if (!fresh && !current(k)) { return label(state.frame); }
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
            stepBy: function () {
                var trig = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; });
                state.step(trig.indexOf(ID.STEP_BACK + ".n_clicks") >= 0 ? -1 : 1);
                return window.dash_clientside.no_update;
            },
            // Back to step 0; playing goes on from there.
            restart: function (n) {
                if (!n) { return window.dash_clientside.no_update; }
                state.pos = 0;
                state.pos0 = 0;
                state.t0 = performance.now();
                state.frame = 0;
                draw(0, true);
                if (state.playing) { publishFrame(0); }
                return 0;
            },
            setSpeed: function (index, marks) {
                var mark = (marks || {})[index];
                var value = parseFloat(mark && (mark.label || mark));
                if (value > 0) {
                    state.pos0 = state.pos;        // playing goes on from here at the new speed
                    state.t0 = performance.now();
                    state.speed = value;
                }
                return state.speed;
            }
        }
    });
}());
