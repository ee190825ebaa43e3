/*
 * The teaching layer in the browser: the step inspector, the arrows and gradient field on the
 * contour map, the 1-D slice and the schedule's current step, all at the step every view shows.
 *
 * The server sends the followed run's numbers for every step once (the teach-data store); this
 * file draws them from assets/animation.js's draw loop (window.gradscape.hooks), so playing,
 * stepping and scrubbing move them without a request. The map's layers are SVGs laid over the
 * graph like assets/overlay.js's: the field under the paths, the arrows over them.
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var PANELS_EVERY_MS = 100; // while playing, the inspector and the slice follow 10 times a second
    var ARROWS = ["step", "velocity", "neg_grad"]; // drawn in this order: the step underneath
    var T = {data: null, on: false, show: {arrows: true, field: false}, last: 0, timer: null, pending: null};

    function gs() { return window.gradscape; }
    function ov() { return window.gradscapeOverlay; }

    // --- the store ------------------------------------------------------------------------------
    function load(store) {
        if (!store) { T.data = null; return; }
        if (T.data && T.data.store === store) { return; }
        var decode = gs().decode, s = store.slice;
        var arrows = {};
        Object.keys(store.arrows).forEach(function (k) { arrows[k] = decode(store.arrows[k]); });
        T.data = {
            store: store, key: store.key, steps: store.steps, divergedAt: store.diverged_at,
            title: store.title, colour: store.colour, run: store.run,
            points: decode(store.points), loss: decode(store.loss), arrows: arrows,
            rows: store.rows.map(function (r) {
                return {key: r.key, label: r.label, pair: r.pair, values: decode(r.values)};
            }),
            slice: {t: s.t, n: s.t.length, direction: s.direction, label: s.label, loss: decode(s.loss),
                    slope: decode(s.slope), origin: decode(s.origin)},
            field: {tails: decode(store.field.tails), tips: decode(store.field.tips)},
            table: null
        };
    }

    function current() {
        var d = T.data;
        return T.on && d && gs() && d.key === gs().key ? d : null;
    }

    // The page's one number format (assets/share.js: the link's, ui/model/scene_fields.format_number).
    function fmt(v) {
        return v === undefined || !Number.isFinite(v) ? "—" : window.gradscapeNumber(v);
    }

    // --- the map: arrows over the paths, the gradient field under them -------------------------
    function make(tag, attrs, parent) { return ov().make(tag, attrs, parent); }

    function marker(defs, id, cls) {
        var m = make("marker", {id: id, viewBox: "0 0 10 10", refX: 8, refY: 5, markerWidth: 4, markerHeight: 4,
                                orient: "auto-start-reverse", "class": cls}, defs);
        make("path", {d: "M0,0 L10,5 L0,10 z"}, m);
    }

    function layers() {
        var holder = document.getElementById(ID.CONTOUR_OVERLAY);
        if (!holder) { return null; }
        if (!holder.__teach) {
            var under = make("svg", {"class": "teach-svg teach-under", "aria-hidden": "true"});
            var over = make("svg", {"class": "teach-svg teach-over", "aria-hidden": "true"});
            holder.insertBefore(under, holder.firstChild);
            holder.appendChild(over);
            var defs = make("defs", {}, over);
            ARROWS.forEach(function (k) { marker(defs, "teach-head-" + k, "head head-" + k); });
            marker(make("defs", {}, under), "teach-head-field", "head head-field");
            var field = make("g", {"class": "teach-field", "clip-path": "url(#contour-overlay-clip)"}, under);
            var arrows = make("g", {"class": "teach-arrows", "clip-path": "url(#contour-overlay-clip-wide)"}, over);
            var look = make("line", {"class": "arrow arrow-lookahead-line"}, arrows);
            var lines = {};
            ARROWS.forEach(function (k) {
                lines[k] = make("line", {"class": "arrow arrow-" + k, "marker-end": "url(#teach-head-" + k + ")",
                                         "data-arrow": k}, arrows);
            });
            var dot = make("circle", {"class": "arrow-lookahead", r: 7, "data-arrow": "lookahead"}, arrows);
            holder.__teach = {under: under, over: over, field: field, arrows: arrows, lines: lines, look: look,
                              dot: dot, fieldFor: null};
        }
        return holder.__teach;
    }

    function fit(svg, fl) {
        svg.setAttribute("width", fl.width);
        svg.setAttribute("height", fl.height);
        svg.setAttribute("viewBox", "0 0 " + fl.width + " " + fl.height);
    }

    function setLine(el, x1, y1, x2, y2) {
        var f = ov().fixed;
        el.setAttribute("x1", f(x1)); el.setAttribute("y1", f(y1));
        el.setAttribute("x2", f(x2)); el.setAttribute("y2", f(y2));
    }

    // An arrow shown inside the group says visibility="inherit", never "visible": a child's own "visible"
    // would beat the group's "hidden", and the arrows would stay drawn with "arrows" or "Why?" unticked.
    function drawArrows(lay, gd, d, k) {
        var live = d && T.show.arrows && k < d.steps && !(d.divergedAt >= 0 && k >= d.divergedAt);
        lay.arrows.setAttribute("visibility", live ? "visible" : "hidden");
        lay.arrows.setAttribute("display", live ? "inline" : "none");
        if (!live) { return; }
        var px = ov().pixels(gd), x = d.points[2 * k], y = d.points[2 * k + 1];
        var X0 = px.X(x), Y0 = px.Y(y);
        ARROWS.forEach(function (name) {
            var tips = d.arrows[name], el = lay.lines[name];
            var tx = tips && tips[2 * k], ty = tips && tips[2 * k + 1];
            var shown = tips && Number.isFinite(tx) && Number.isFinite(ty) && (tx !== x || ty !== y);
            el.setAttribute("visibility", shown ? "inherit" : "hidden");
            if (shown) {
                setLine(el, X0, Y0, px.X(tx), px.Y(ty));
                el.setAttribute("data-tip", tx + "," + ty);
            }
        });
        var la = d.arrows.lookahead, lx = la && la[2 * k], ly = la && la[2 * k + 1];
        var ahead = la && Number.isFinite(lx) && Number.isFinite(ly);
        lay.look.setAttribute("visibility", ahead ? "inherit" : "hidden");
        lay.dot.setAttribute("visibility", ahead ? "inherit" : "hidden");
        if (ahead) {
            setLine(lay.look, X0, Y0, px.X(lx), px.Y(ly));
            lay.dot.setAttribute("cx", ov().fixed(px.X(lx)));
            lay.dot.setAttribute("cy", ov().fixed(px.Y(ly)));
            lay.dot.setAttribute("data-point", lx + "," + ly);
        }
    }

    function drawField(lay, gd, d) {
        var live = d && T.show.field;
        lay.field.setAttribute("visibility", live ? "visible" : "hidden");
        if (!live) { return; }
        var fl = gd._fullLayout, sig = [d.key, fl.width, fl.height, fl.xaxis.range, fl.yaxis.range].join("|");
        if (lay.fieldFor === sig) { return; }
        lay.fieldFor = sig;
        var px = ov().pixels(gd), tails = d.field.tails, tips = d.field.tips, n = tails.length / 2;
        while (lay.field.childNodes.length < n) {
            make("line", {"class": "field-arrow", "marker-end": "url(#teach-head-field)"}, lay.field);
        }
        while (lay.field.childNodes.length > n) { lay.field.removeChild(lay.field.lastChild); }
        for (var i = 0; i < n; i++) {
            setLine(lay.field.childNodes[i], px.X(tails[2 * i]), px.Y(tails[2 * i + 1]),
                    px.X(tips[2 * i]), px.Y(tips[2 * i + 1]));
        }
    }

    function drawMap(gd, k) {
        var lay = layers(), fl = gd && gd._fullLayout;
        if (!lay || !fl || !fl.xaxis || !fl._size) { return; }
        fit(lay.under, fl);
        fit(lay.over, fl);
        var d = current();
        drawArrows(lay, gd, d, k);
        drawField(lay, gd, d);
    }

    // --- the inspector --------------------------------------------------------------------------
    function cell(tr, text, cls, span) {
        var td = document.createElement(tr.parentNode && tr.parentNode.tagName === "THEAD" ? "th" : "td");
        td.textContent = text;
        if (cls) { td.className = cls; }
        if (span) { td.colSpan = span; }
        tr.appendChild(td);
        return td;
    }

    function buildTable(holder, d) {
        holder.textContent = "";
        var head = document.createElement("div");
        head.className = "inspector-head";
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = d.colour;
        var title = document.createElement("b");
        title.textContent = d.title;
        var step = document.createElement("span");
        step.className = "inspector-step";
        head.appendChild(swatch); head.appendChild(title); head.appendChild(step);
        holder.appendChild(head);
        var table = document.createElement("table");
        table.className = "inspector-table";
        var thead = table.appendChild(document.createElement("thead")), hr = thead.appendChild(document.createElement("tr"));
        ["", "x", "y"].forEach(function (t) { cell(hr, t); });
        var body = table.appendChild(document.createElement("tbody")), cells = [];
        var add = function (key, label, pair) {
            var tr = body.appendChild(document.createElement("tr"));
            tr.setAttribute("data-row", key);
            cell(tr, label, "inspector-label");
            cells.push({tr: tr, pair: pair, a: cell(tr, "", "num", pair ? 0 : 2), b: pair ? cell(tr, "", "num") : null});
        };
        add("point", "point θ", true);
        add("loss", "loss f(θ)", false);
        d.rows.forEach(function (r) { add(r.key, r.label, r.pair); });
        holder.appendChild(table);
        d.table = {holder: holder, step: step, cells: cells};
    }

    function fillTable(d, k) {
        var holder = document.getElementById(ID.INSPECTOR);
        if (!holder) { return; }
        if (!d) {
            if (holder.__for !== null) { holder.textContent = ""; holder.__for = null; }
            return;
        }
        if (!d.table || d.table.holder !== holder || holder.__for !== d) { buildTable(holder, d); holder.__for = d; }
        var moving = k < d.steps, dead = d.divergedAt >= 0 && k >= d.divergedAt;
        d.table.step.textContent = dead ? "step " + k + ": diverged at step " + d.divergedAt
            : moving ? "step " + k + " → " + (k + 1) : "step " + k + " (the last point)";
        holder.setAttribute("data-step", k);
        var c = d.table.cells;
        c[0].a.textContent = fmt(d.points[2 * k]);
        c[0].b.textContent = fmt(d.points[2 * k + 1]);
        c[1].a.textContent = fmt(d.loss[k]);
        d.rows.forEach(function (r, i) {
            var t = c[i + 2], v = r.values;
            if (r.pair) {
                t.a.textContent = moving ? fmt(v[2 * k]) : "—";
                t.b.textContent = moving ? fmt(v[2 * k + 1]) : "—";
            } else {
                t.a.textContent = moving ? fmt(v[k]) : "—";
            }
        });
    }

    // --- the slice and the schedule -------------------------------------------------------------
    // "Nice" tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten.
    function ticks(lo, hi, count) {
        var span = hi - lo, raw = span / Math.max(count, 1), power = Math.pow(10, Math.floor(Math.log10(raw)));
        var step = [1, 2, 5, 10].map(function (m) { return m * power; }).find(function (v) { return v >= raw; });
        var out = [];
        for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) { out.push(Math.abs(v) < 1e-12 * span ? 0 : v); }
        return out;
    }

    // The slice is redrawn at every shown step, so it is a plain SVG (well under a millisecond),
    // not a Plotly figure (tens of milliseconds a redraw, as its axes change with each step).
    function sliceSvg(div) {
        if (!div.__svg) {
            var svg = make("svg", {"class": "slice-svg", role: "img"}, div), g = {};
            g.grid = make("g", {"class": "slice-grid"}, svg);
            g.labels = make("g", {"class": "slice-labels"}, svg);
            g.frame = make("rect", {"class": "slice-frame"}, svg);
            g.curve = make("polyline", {"class": "slice-curve"}, svg);
            g.tangent = make("line", {"class": "slice-tangent"}, svg);
            g.point = make("circle", {"class": "slice-point", r: 6}, svg);
            g.xtitle = make("text", {"class": "slice-title", "text-anchor": "middle"}, svg);
            g.ytitle = make("text", {"class": "slice-title", "text-anchor": "middle"}, svg);
            div.__svg = {svg: svg, g: g};
        }
        return div.__svg;
    }

    function drawSlice(d, k) {
        var div = document.getElementById(ID.SLICE_PLOT);
        if (!div) { return; }
        var box = sliceSvg(div), g = box.g, f = ov().fixed;
        box.svg.setAttribute("visibility", d ? "visible" : "hidden");
        if (!d) { return; }
        var W = Math.max(div.clientWidth, 200), H = Math.max(div.clientHeight, 120);
        var M = {l: 58, r: 10, t: 8, b: 40}, w = W - M.l - M.r, h = H - M.t - M.b;
        box.svg.setAttribute("width", W);
        box.svg.setAttribute("height", H);
        var s = d.slice, n = s.n, kk = Math.min(k, s.origin.length - 1);
        var o = s.origin[kk], fk = d.loss[kk], slope = s.slope[kk], lo = Infinity, hi = -Infinity, ys = [];
        for (var i = 0; i < n; i++) {
            var v = s.loss[kk * n + i];
            ys.push(v);
            if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        if (!(hi > lo)) { lo = fk - 1; hi = fk + 1; }
        var pad = 0.08 * (hi - lo);
        lo -= pad; hi += pad;
        var x0 = o + s.t[0], x1 = o + s.t[n - 1];
        var X = function (x) { return M.l + (x - x0) / (x1 - x0) * w; };
        var Y = function (y) { return M.t + (hi - Math.min(Math.max(y, lo - 10 * (hi - lo)), hi + 10 * (hi - lo))) / (hi - lo) * h; };
        g.frame.setAttribute("x", M.l); g.frame.setAttribute("y", M.t);
        g.frame.setAttribute("width", w); g.frame.setAttribute("height", h);
        g.curve.setAttribute("points", ys.map(function (y, j) { return f(X(o + s.t[j])) + "," + f(Y(y)); }).join(" "));
        g.curve.setAttribute("stroke", d.colour);
        var half = 0.6 * s.t[n - 1];
        g.tangent.setAttribute("x1", f(X(o - half))); g.tangent.setAttribute("y1", f(Y(fk - slope * half)));
        g.tangent.setAttribute("x2", f(X(o + half))); g.tangent.setAttribute("y2", f(Y(fk + slope * half)));
        g.point.setAttribute("cx", f(X(o))); g.point.setAttribute("cy", f(Y(fk)));
        g.point.setAttribute("fill", d.colour);
        g.grid.textContent = "";
        g.labels.textContent = "";
        ticks(x0, x1, 4).forEach(function (v) {
            make("line", {x1: f(X(v)), x2: f(X(v)), y1: M.t, y2: M.t + h}, g.grid);
            make("text", {x: f(X(v)), y: M.t + h + 16, "text-anchor": "middle"}, g.labels).textContent = fmt(v);
        });
        ticks(lo, hi, 4).forEach(function (v) {
            make("line", {x1: M.l, x2: M.l + w, y1: f(Y(v)), y2: f(Y(v))}, g.grid);
            make("text", {x: M.l - 6, y: f(Y(v)) + 4, "text-anchor": "end"}, g.labels).textContent = fmt(v);
        });
        g.xtitle.setAttribute("x", M.l + w / 2); g.xtitle.setAttribute("y", H - 4);
        g.xtitle.textContent = s.direction === "grad" ? "distance moved down −∇f" : s.direction;
        g.ytitle.setAttribute("transform", "translate(14," + (M.t + h / 2) + ") rotate(-90)");
        g.ytitle.textContent = "loss";
        div.setAttribute("data-step", kk);
        div.setAttribute("data-slope", slope);
    }

    function drawScheduleCursor(d, k) {
        var gd = document.querySelector("#" + ID.SCHEDULE_PLOT + " .js-plotly-plot");
        if (!gd || !gd._fullLayout || !gd.layout || !gd.layout.meta) { return; }
        if (!gd.__teachHooked && typeof gd.on === "function") {
            gd.__teachHooked = true;
            gd.on("plotly_afterplot", function () { drawScheduleCursor(current(), gs().frame); });
        }
        var live = d && gd.layout.meta.key === d.key;
        ov().draw(ID.SCHEDULE_PLOT, gd, [], live ? Math.min(k, Math.max(d.steps - 1, 0)) : null);
    }

    function drawPanels(k) {
        var d = current();
        fillTable(d, k);
        drawSlice(d, k);
        drawScheduleCursor(d, k);
    }

    // While playing, panels follow at most every PANELS_EVERY_MS, and always catch up with the last step.
    function panels(k) {
        var now = performance.now();
        if (gs().playing && now - T.last < PANELS_EVERY_MS) {
            T.pending = k;
            if (!T.timer) {
                T.timer = window.setTimeout(function () {
                    T.timer = null;
                    if (T.pending !== null) { var p = T.pending; T.pending = null; T.last = performance.now(); drawPanels(p); }
                }, PANELS_EVERY_MS);
            }
            return;
        }
        T.last = now;
        T.pending = null;
        drawPanels(k);
    }

    function redraw() {
        var k = gs().frame, gd = document.querySelector("#" + ID.CONTOUR + " .js-plotly-plot");
        if (gd) { drawMap(gd, k); }
        drawPanels(k);
    }

    // --- the update rules: built here (MathJax rewrites the DOM it typesets, so React must not own it) ---
    function el(tag, cls, parent, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined) { e.textContent = text; }
        if (parent) { parent.appendChild(e); }
        return e;
    }

    // ui/model/maths.py inline_parts: [kind, text] with kind "text", "code" or "math".
    function inline(parent, parts) {
        parts.forEach(function (p) {
            if (p[0] === "code") { el("code", "", parent, p[1]); }
            else { parent.appendChild(document.createTextNode(p[0] === "math" ? "\\(" + p[1] + "\\)" : p[1])); }
        });
        return parent;
    }

    function ruleCard(card) {
        var div = el("div", "rule-card");
        div.setAttribute("data-run", card.name);
        var title = el("div", "rule-title", div);
        el("span", "swatch", title).style.background = card.colour;
        title.appendChild(document.createTextNode(card.title));
        if (card.error) { el("p", "rule-error", div, card.error); return div; }
        var p = card.panel, body = el("div", "rule-body", div);
        el("p", "", body, p.sentence);
        el("div", "rule-maths", body, "\\[" + p.maths + "\\]");
        var table = el("table", "rule-values", body), head = el("tr", "", el("thead", "", table));
        ["", "torch", "value"].forEach(function (t) { el("th", "", head, t); });
        var tbody = el("tbody", "", table);
        p.values.forEach(function (v) {
            var tr = el("tr", "", tbody);
            el("td", "", tr, "\\(" + v[0] + "\\)");
            el("code", "", el("td", "", tr), v[1]);
            el("td", "", tr, "\\(" + v[2] + "\\)");
        });
        if (p.flags.length) { el("p", "", body, "On: " + p.flags.join(", ") + "."); }
        if (p.schedule.length) { inline(el("p", "", body), p.schedule); }
        el("div", "rule-heading", body, "Conventions (torch's):");
        var ul = el("ul", "", body);
        p.conventions.forEach(function (c) { inline(el("li", "", ul), c); });
        return div;
    }

    // MathJax arrives with dcc's bundle (the schedule graph asks for it): wait for it, then typeset.
    function typeset(node, tries) {
        var mj = window.MathJax;
        if (mj && mj.typesetPromise) {
            mj.typesetPromise([node]).then(function () { node.setAttribute("data-typeset", "1"); },
                                           function () { node.setAttribute("data-typeset", "failed"); });
        } else if ((tries || 0) < 150) {
            window.setTimeout(function () { typeset(node, (tries || 0) + 1); }, 100);
        }
    }

    function drawRules(cards) {
        var holder = document.getElementById(ID.RULES);
        if (!holder) { return; }
        if (window.MathJax && window.MathJax.typesetClear) { window.MathJax.typesetClear([holder]); }
        holder.textContent = "";
        holder.removeAttribute("data-typeset");
        (cards || []).forEach(function (card) { holder.appendChild(ruleCard(card)); });
        typeset(holder);
    }

    gs().hooks.push(function (view, gd, k) {
        if (view !== ID.CONTOUR) { return; }
        drawMap(gd, k);
        panels(k);
    });

    // A switch or a choice clicked in the header or the panel keeps no focus: space, ← → and L then
    // drive playback and lessons, instead of toggling the switch or moving the radio choice.
    document.addEventListener("change", function (event) {
        var t = event.target;
        if (t && (t.type === "checkbox" || t.type === "radio") && t.closest(".header, .panel-teach")) { t.blur(); }
    });

    window.gradscapeTeaching = T; // read by the browser tests

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        teaching: {
            rules: function (cards) {
                window.requestAnimationFrame(function () { drawRules(cards); });
                return (cards || []).length;
            },
            viewClass: function (teach, present) {
                var on = function (v) { return (v || []).indexOf("on") >= 0; };
                return "app" + (on(present) ? " present" : "") + (on(teach) ? " teach" : "");
            },
            load: function (store, show, teach, diagram) {
                T.on = (teach || []).indexOf("on") >= 0;
                var holder = document.getElementById(ID.DIAGRAM);
                if (holder && diagram && !holder.querySelector("svg")) { holder.innerHTML = diagram; }
                T.show = {arrows: (show || []).indexOf("arrows") >= 0, field: (show || []).indexOf("field") >= 0};
                load(store);
                window.requestAnimationFrame(redraw);
                return T.data ? T.data.key : null;
            }
        }
    });
}());
