/*
 * Live drag: the scene sliders (lr, momentum, start x/y, steps) follow the pointer outside Dash.
 *
 * On this page every Dash prop change costs the renderer 50-200 ms of main thread (its store
 * notifies every component), so a drag reported through Dash manages about one redraw a second.
 * Instead, a pointer pressed on one of these sliders is handled here, before the slider sees it:
 * the thumb, the range and the value label are moved by hand, and the new value goes to
 * /_gradscape/paths (ui/web/drag.py) with the scene in the address bar. The answer is the scene's
 * trajectory store, drawn on the map's SVG overlay at once (window.gradscape.early). At most one
 * request is in flight; values that arrive meanwhile replace the waiting one, so a stale value is
 * dropped, never queued. On release the value goes to Dash once (set_props), and the scene callback
 * brings the loss curve, the table, the link and the 3-D view up to date as for a click.
 *
 * From press to the scene callback's answer the page has the class "gs-working" ("updating…"):
 * the loss curve, the table and the 3-D view wait for the release, and the 3-D view, whose every
 * redraw costs 100-600 ms in software GL, is held back meanwhile (assets/animation.js), so it never
 * blocks the map.
 */
(function () {
    "use strict";

    var ROUTE = "/_gradscape/paths";
    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var SLIDERS = window.gradscapeShared.dragSliders; // ui/web/drag.py DRAG_SLIDERS
    var drag = {
        active: null,       // {id, root, min, max, step, value, pointerId}
        inFlight: false, pending: null, // pending: {id, value}
        lastAsked: null, seq: 0, drawnSeq: 0,
        stats: {sent: 0, drawn: 0, dropped: 0, failed: 0, committed: 0, previews: 0}
    };

    function working(on) {
        document.documentElement.classList.toggle("gs-working", on);
    }

    function sliderOf(target) {
        var root = target && target.closest && target.closest(".dash-slider-root");
        var holder = root && root.closest(".dash-slider-container");
        if (!holder || SLIDERS.indexOf(holder.id) < 0 || root.getAttribute("aria-disabled") === "true") { return null; }
        var thumb = root.querySelector("[role=slider]");
        if (!thumb) { return null; }
        var min = parseFloat(thumb.getAttribute("aria-valuemin")), max = parseFloat(thumb.getAttribute("aria-valuemax"));
        if (!(max > min)) { return null; }
        return {id: holder.id, root: root, thumb: thumb, min: min, max: max, step: stepOf(holder.id, min, max),
                stops: stopsOf(holder.id)};
    }

    // A slider with step None moves only between its marks: the lr slider's 1-2-5 notches, as
    // ui/web/controls.py gives them (gradscapeShared.lrSlider), or another's marks from Dash's layout.
    function stopsOf(id) {
        if (id === ID.LR) { return window.gradscapeShared.lrSlider.stops.slice(); }
        try {
            var c = window.dash_component_api.getLayout(id), props = c && (c.props || c);
            if (props && props.step === null && props.marks) {
                return Object.keys(props.marks).map(Number).filter(isFinite).sort(function (a, b) { return a - b; });
            }
        } catch (e) { /* an older renderer: fall through */ }
        return null;
    }

    // The slider's step, from Dash's layout (the DOM does not carry it; the start sliders' step
    // depends on the surface).
    function stepOf(id, min, max) {
        try {
            var c = window.dash_component_api.getLayout(id), props = c && (c.props || c);
            if (props && props.step > 0) { return props.step; }
        } catch (e) { /* an older renderer: fall through */ }
        return (max - min) / 100;
    }

    // Radix's own mapping: the pointer across the root's width, snapped to the step.
    function valueAt(s, clientX) {
        var rect = s.root.getBoundingClientRect();
        var f = rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
        var raw = s.min + Math.max(0, Math.min(1, f)) * (s.max - s.min);
        if (s.stops && s.stops.length) {
            return s.stops.reduce(function (best, v) { return Math.abs(v - raw) < Math.abs(best - raw) ? v : best; });
        }
        var snapped = s.min + Math.round((raw - s.min) / s.step) * s.step;
        var digits = Math.max(0, Math.ceil(-Math.log10(s.step) + 1e-9));
        return Number(Math.max(s.min, Math.min(s.max, snapped)).toFixed(digits));
    }

    // Thumb, range and value label where the slider itself would put them (Radix keeps the thumb
    // inside the track: an offset of half its width, shrinking to 0 at the middle).
    function show(s, value) {
        var p = (value - s.min) / (s.max - s.min) * 100;
        var half = s.thumb.offsetWidth / 2, offset = half * (1 - p / 50);
        var wrap = s.thumb.parentElement;
        if (wrap) { wrap.style.left = "calc(" + p + "% + " + offset + "px)"; }
        var range = s.root.querySelector(".dash-slider-range");
        if (range) { range.style.right = (100 - p) + "%"; }
        s.thumb.setAttribute("aria-valuenow", String(value));
        var label = document.getElementById(s.id === ID.LR ? ID.LR_VALUE : window.gradscapeShared.sliderValues[s.id]);
        var share = window.dash_clientside.share;
        if (label && share) { label.textContent = s.id === ID.LR ? share.lrValue(value) : share.sliderValue(value); }
    }

    // Asks for the paths of the scene in the address bar with slider ``id`` at ``value``. At most
    // one request is in flight: a value that comes meanwhile waits, replacing (dropping) any value
    // already waiting.
    function ask(id, value) {
        if (drag.inFlight) {
            if (drag.pending !== null) { drag.stats.dropped += 1; } // made stale by this newer value
            drag.pending = {id: id, value: value};
        } else {
            send(id, value);
        }
    }

    function send(id, value) {
        drag.seq += 1;
        drag.inFlight = true;
        drag.stats.sent += 1;
        drag.lastAsked = id + "=" + value;
        var seq = drag.seq;
        var url = ROUTE + "?control=" + encodeURIComponent(id) + "&value=" + encodeURIComponent(String(value)) +
            "&scene=" + encodeURIComponent(window.location.search.replace(/^\?/, ""));
        fetch(url, {cache: "no-store"}).then(function (r) {
            return r.ok ? r.json() : null;
        }).then(function (body) {
            // seq > drawnSeq: nothing newer is drawn (Dash's own answer for a later change bumps drawnSeq)
            if (body && body.store && seq > drag.drawnSeq && window.gradscape && window.gradscape.early) {
                drag.drawnSeq = seq;
                window.gradscape.early({trajectories: {data: body.store}});
                drag.stats.drawn += 1;
            } else if (!body) {
                drag.stats.failed += 1;
            }
        }, function () {
            drag.stats.failed += 1;
        }).then(function () {
            drag.inFlight = false;
            if (drag.active) { working(true); } // an earlier answer of Dash's may have cleared it
            var next = drag.pending;
            drag.pending = null;
            if (next !== null) { send(next.id, next.value); return; }
            var after = drag.after;
            drag.after = null;
            // after the frame with the new paths is painted
            if (after) { window.requestAnimationFrame(function () { window.setTimeout(after, 0); }); }
        });
    }

    // A slider's value changed through Dash (a key press, the typed lr box, a link): the paths come
    // by the same short request while the scene callback brings the rest (assets/gate.js calls it).
    // then(): called once that value's answer is drawn, dropped or failed.
    drag.preview = function (id, value, then) {
        if (drag.active || SLIDERS.indexOf(id) < 0 || typeof value !== "number" || !window.fetch) { return false; }
        if (drag.lastAsked === id + "=" + value) { return false; } // a release: its paths are drawn
        drag.stats.previews += 1;
        drag.after = then || null;
        ask(id, value);
        return true;
    };

    // Dash drew a store of its own: an answer to an older request must not be drawn over it.
    drag.dashDrew = function () {
        if (!drag.active) { drag.drawnSeq = drag.seq; }
    };

    function moveTo(value) {
        var s = drag.active;
        if (value === s.value) { return; }
        s.value = value;
        show(s, value);
        ask(s.id, value);
    }

    function onDown(event) {
        if (drag.active || (event.button !== undefined && event.button !== 0)) { return; }
        var s = sliderOf(event.target);
        if (!s || !window.fetch || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
        // The slider (and Dash) never see this press: everything until release is handled here.
        event.stopPropagation();
        event.preventDefault();
        s.pointerId = event.pointerId;
        s.start = parseFloat(s.thumb.getAttribute("aria-valuenow"));
        s.value = s.start;
        drag.active = s;
        drag.pending = null;
        working(true);
        moveTo(valueAt(s, event.clientX));
    }

    function onMove(event) {
        if (!drag.active || event.pointerId !== drag.active.pointerId) { return; }
        event.preventDefault();
        moveTo(valueAt(drag.active, event.clientX));
    }

    function onUp(event) {
        var s = drag.active;
        if (!s || event.pointerId !== s.pointerId) { return; }
        event.stopPropagation();
        drag.active = null;
        drag.pending = null;
        // A drag with the mouse leaves no keyboard focus on the slider (assets/keys.js): the keys
        // go on driving playback.
        var el = document.activeElement;
        if (el && s.root.contains(el)) { el.blur(); }
        if (s.value !== s.start) {
            drag.stats.committed += 1;
            // One Dash change: the scene callback sends the loss curve, table, link and 3-D view.
            window.dash_clientside.set_props(s.id, {value: s.value});
        } else {
            working(false);
        }
    }

    window.addEventListener("pointerdown", onDown, true);
    window.addEventListener("pointermove", onMove, true);
    window.addEventListener("pointerup", onUp, true);
    window.addEventListener("pointercancel", onUp, true);
    // A pressed slider would also see the compatibility mouse events (and the click that ends
    // them): keep them from it.
    var lastUp = 0;
    window.addEventListener("pointerup", function (event) {
        if (sliderOf(event.target) || drag.active) { lastUp = event.timeStamp; }
    }, true);
    ["mousedown", "touchstart", "mouseup", "click"].forEach(function (type) {
        window.addEventListener(type, function (event) {
            var ours = drag.active || sliderOf(event.target);
            if (ours && (type === "mousedown" || type === "touchstart" || event.timeStamp - lastUp < 1000)) {
                event.stopPropagation();
            }
        }, true);
    });

    window.gradscapeDrag = drag; // read by the browser tests and the benchmark
}());
