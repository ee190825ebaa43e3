/*
 * A network scene's decision boundary and "what one weight sees" (ui/views/network_views.py, placed
 * by ui/web/network_views_panel.py) follow the frame in the browser: the payload in the net-views
 * store (ui/model/network_views.py) holds every run's logits on the input grid and the loss along the
 * chosen weight at each key step; each frame shows the key step at or before it. No server request
 * per frame. weightCurve and tangent are ui/views/network_views.py's, written again here because
 * they run every frame.
 *
 * networkViews.follow(frame, payload) is the clientside callback (the page's frame value, ~8 a
 * second while playing); on the page the playback loop's hooks (window.gradscape.hooks) call it
 * for every frame it draws, as assets/fit.js does.
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py
    var IDS = {boundary: ID.NET_BOUNDARY, weight: ID.NET_WEIGHT_PLOT, panel: ID.NET_VIEWS_PANEL};
    var state = {payload: null, decoded: null, decodedFor: null, frame: null};

    function bytes(b64) {
        var bin = atob(b64), out = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
        return out.buffer;
    }

    function decode(spec) {
        if (!spec || typeof spec !== "object" || !spec.bdata) { return Float64Array.from(spec || []); }
        var buf = bytes(spec.bdata);
        if (spec.dtype === "i1") { return new Int8Array(buf); }
        return spec.dtype === "f8" ? new Float64Array(buf) : new Float32Array(buf);
    }

    function decoded(p) {
        if (state.decodedFor !== p) {
            var b = p.boundary, w = p.weight;
            state.decodedFor = p;
            state.decoded = {
                z: decode(b.z), nx: b.x.length, ny: b.y.length, scale: b.clip / b.levels,
                values: decode(w.values), loss: decode(w.loss), at: decode(w.at), loss_at: decode(w.loss_at),
                slope_at: decode(w.slope_at), K: p.steps.length
            };
        }
        return state.decoded;
    }

    // The key step at or before the frame (ui/model/network_views.py key_index).
    function keyIndex(steps, frame) {
        var k = Number(frame);
        if (!isFinite(k)) { return steps.length - 1; }
        var lo = 0, hi = steps.length - 1;
        if (k < steps[0]) { return 0; }
        while (lo < hi) {
            var mid = (lo + hi + 1) >> 1;
            if (steps[mid] <= k) { lo = mid; } else { hi = mid - 1; }
        }
        return lo;
    }

    function boundaryZ(d, run, ki) {
        var rows = [], at = (run * d.K + ki) * d.nx * d.ny;
        for (var j = 0; j < d.ny; j++) {
            var row = new Array(d.nx);
            for (var i = 0; i < d.nx; i++) { row[i] = d.z[at + j * d.nx + i] * d.scale; }
            rows.push(row);
        }
        return rows;
    }

    function weightCurve(d, run, ki) {
        var W = d.values.length, at = d.at[run * d.K + ki], base = (run * d.K + ki) * W;
        var xs = [], ys = [], put = false;
        for (var i = 0; i < W; i++) {
            if (!put && d.values[i] >= at) { xs.push(at); ys.push(d.loss_at[run * d.K + ki]); put = true; }
            xs.push(d.values[i]);
            ys.push(d.loss[base + i]);
        }
        if (!put) { xs.push(at); ys.push(d.loss_at[run * d.K + ki]); }
        return [xs, ys];
    }

    function tangent(d, run, ki, half) {
        var i = run * d.K + ki, at = d.at[i], f = d.loss_at[i], s = d.slope_at[i];
        return [[at - half, at + half], [f - s * half, f + s * half]];
    }

    function graph(id) {
        return document.querySelector("#" + id + " .js-plotly-plot");
    }

    // A figure is drawn for this payload part when its layout's meta carries the part's key.
    function ready(gd, key) {
        return gd && gd.data && gd.layout && gd.layout.meta && gd.layout.meta.key === key;
    }

    function catchUp(gd) {
        if (gd.__nvHooked || typeof gd.on !== "function") { return; }
        gd.__nvHooked = true; // a figure arriving after the last frame: draw it at that frame
        gd.on("plotly_afterplot", function () { if (state.payload) { draw(state.frame); } });
    }

    function drawOne(id, key, ki, steps, build) {
        var gd = graph(id);
        if (!gd) { return; }
        catchUp(gd);
        if (!ready(gd, key)) { return; }
        var tag = key + ":" + ki;
        if (gd.__nvAt === tag && gd.__nvFor === gd.data) { return; }
        var update = {}, traces = [];
        gd.data.forEach(function (t, i) {
            if (t.meta && t.meta.role) { build(update, t.meta, i, traces); }
        });
        gd.__nvAt = tag;
        Plotly.update(gd, update, {"title.text": gd.layout.meta.what + " · step " + steps[ki]}, traces);
        gd.__nvFor = gd.data;
        gd.setAttribute("data-step", String(steps[ki]));
    }

    function push(update, prop, value) {
        (update[prop] = update[prop] || []).push(value);
    }

    function draw(frame) {
        var p = state.payload;
        if (!p || !p.steps || !p.boundary || !p.weight) { return; }
        var panel = document.getElementById(IDS.panel);
        if (panel && panel.hidden) { return; }
        var d = decoded(p), ki = keyIndex(p.steps, frame);
        drawOne(IDS.boundary, p.boundary.key, ki, p.steps, function (update, meta, i, traces) {
            if (meta.role !== "boundary") { return; }
            push(update, "z", boundaryZ(d, meta.run, ki));
            traces.push(i);
        });
        drawOne(IDS.weight, p.weight.key, ki, p.steps, function (update, meta, i, traces) {
            var xy;
            if (meta.role === "curve") { xy = weightCurve(d, meta.run, ki); }
            else if (meta.role === "tangent") { xy = tangent(d, meta.run, ki, p.weight.half); }
            else if (meta.role === "held") {
                xy = [[d.at[meta.run * d.K + ki]], [d.loss_at[meta.run * d.K + ki]]];
            } else { return; }
            push(update, "x", xy[0]);
            push(update, "y", xy[1]);
            traces.push(i);
        });
    }

    function follow(frame, payload) {
        if (payload !== undefined) { state.payload = payload || null; }
        state.frame = frame;
        draw(frame);
        return window.dash_clientside.no_update;
    }

    // The weight shown goes in the link as weight= (ui/model/scene.py's view flag), in its place among
    // the flags, by the address bar's one writer (assets/share.js, which loads after this file: read
    // at call time); none for a scene that is not a network.
    function writeWeight(weight) {
        var url = window.gradscapeUrl;
        return url.replaceSearch(url.setParam(window.location.search, "weight",
                                              typeof weight === "string" ? weight : null));
    }

    // On the page: every frame the playback loop draws, not only those it publishes to the scrubber.
    function install(tries) {
        var gs = window.gradscape;
        if (!gs || !gs.hooks) {
            if (tries > 0) { window.setTimeout(function () { install(tries - 1); }, 100); }
            return;
        }
        gs.hooks.push(function (view, gd, k) {
            if (view === ID.CONTOUR && state.payload && k !== state.frame) { state.frame = k; draw(k); }
        });
    }
    install(100);

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        networkViews: {follow: follow, keyIndex: keyIndex, writeWeight: writeWeight}
    });
}());
