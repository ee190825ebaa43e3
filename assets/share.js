/*
 * Small browser-side helpers: the URL kept in step with the scene (no reload, no new history
 * entry per slider move), the "Copy link" button and the learning rate's real value. The keyboard
 * shortcuts are in assets/keys.js.
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var SIG = window.gradscapeShared.significant; // ui/model/scene_fields.SIGNIFICANT

    // A number as the link writes it (ui/model/scene_fields.format_number: Python's "%.{SIG}g"), so
    // a label, the lr box and the link always agree.
    function formatNumber(v) {
        if (typeof v !== "number" || !isFinite(v)) { return String(v); }
        if (v === 0) { return "0"; }
        var parts = v.toExponential(SIG - 1).split("e"), exp = parseInt(parts[1], 10);
        if (exp < -4 || exp >= SIG) {
            var mantissa = parts[0].indexOf(".") >= 0 ? parts[0].replace(/0+$/, "").replace(/\.$/, "") : parts[0];
            return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        var fixed = v.toFixed(Math.max(0, SIG - 1 - exp));
        return fixed.indexOf(".") >= 0 ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
    }
    window.gradscapeNumber = formatNumber; // the one formatter, for the other files and the tests

    // The lr slider's twins of ui/web/controls.py, on the numbers it gives (controls.lr_slider_scale):
    // the slider moves in log10(lr), and its rate keeps the link's significant digits.
    var LR_SLIDER = window.gradscapeShared.lrSlider;

    function sliderToLr(value) { return Number(formatNumber(Math.pow(10, value))); } // controls.slider_to_lr
    function lrToSlider(lr) { return Math.log10(lr); }                                 // controls.lr_to_slider

    // The view flags' order in a link (ui/model/scene.py encode_view: lesson, weight, teach, ..., t).
    var VIEW_ORDER = window.gradscapeShared.viewOrder;

    function paramName(part) {
        var i = part.indexOf("=");
        return i < 0 ? part : part.slice(0, i);
    }

    // A query string with one parameter set: ``key=value`` replaces that key's entry where it stands
    // (and any repeat of it); a new one goes before the first view flag encode_view writes after it,
    // else last. Every other parameter keeps its place. null, undefined or "" removes the key. The
    // value is written as given (t= and weight= need no escaping).
    function setParam(search, key, value) {
        var kept = [], at = -1;
        String(search || "").replace(/^\?/, "").split("&").forEach(function (part) {
            if (!part) { return; }
            if (paramName(part) === key) {
                if (at < 0) { at = kept.length; }
            } else {
                kept.push(part);
            }
        });
        if (value !== null && value !== undefined && value !== "") {
            var rank = VIEW_ORDER.indexOf(key);
            if (at < 0) {
                at = kept.length;
                for (var i = 0; rank >= 0 && i < kept.length; i++) {
                    if (VIEW_ORDER.indexOf(paramName(kept[i])) > rank) { at = i; break; }
                }
            }
            kept.splice(at, 0, key + "=" + value);
        }
        return kept.length ? "?" + kept.join("&") : "";
    }

    function paramValue(search, key) {
        var found = String(search || "").replace(/^\?/, "").split("&").filter(function (part) {
            return paramName(part) === key && part.indexOf("=") >= 0;
        })[0];
        return found === undefined ? null : found.slice(key.length + 1);
    }

    // The address bar's query replaced (not pushed: no history entry per change), if it differs.
    function replaceSearch(search) {
        if (window.location.search !== search) {
            window.history.replaceState(window.history.state, "",
                window.location.pathname + search + window.location.hash);
        }
        return search;
    }

    // The one writer of the address bar's parameters, for assets/network_views.js (weight=) and the tests.
    window.gradscapeUrl = {setParam: setParam, paramValue: paramValue, replaceSearch: replaceSearch,
                           sliderToLr: sliderToLr, lrToSlider: lrToSlider};

    function copyText(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text);
        }
        // Plain http on a classroom network has no clipboard API: fall back to a hidden textarea.
        return new Promise(function (resolve, reject) {
            var area = document.createElement("textarea");
            area.value = text;
            area.setAttribute("readonly", "");
            area.style.position = "fixed";
            area.style.opacity = "0";
            document.body.appendChild(area);
            area.select();
            var ok = false;
            try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
            document.body.removeChild(area);
            if (ok) { resolve(); } else { reject(new Error("copy refused")); }
        });
    }

    function clearStatusLater() {
        window.clearTimeout(clearStatusLater.timer);
        clearStatusLater.timer = window.setTimeout(function () {
            window.dash_clientside.set_props(ID.COPY_STATUS, {children: ""});
        }, 3000);
    }

    // The step shown, as the link's t= (ui/model/scene.py's view flag): written here as the frame moves,
    // so playing and scrubbing rewrite the address bar without asking the server. The last step
    // (where a scene opens) is left out of the link.
    var shown = {step: null};

    function withStep(search) {
        return setParam(search, "t", shown.step === null ? null : String(shown.step));
    }

    // Predict first: results hidden (the page's class "predicting") until the scene has been played
    // to its last step or "Reveal results" is pressed; each new scene (store key) hides them again.
    var revealed = {key: null};

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        share: {
            // The scene's query string -> the address bar, replacing (not pushing) the entry.
            // The view flags (lesson, teach, present) follow the scene's part, both written by ui/model/scene.py.
            writeUrl: function (query, viewQuery) {
                if (typeof query !== "string") { return window.dash_clientside.no_update; }
                var parts = [query, typeof viewQuery === "string" ? viewQuery : ""].filter(Boolean);
                var search = withStep(parts.length ? "?" + parts.join("&") : "");
                // The network views' weight= (assets/network_views.js) stays until that panel changes it.
                return replaceSearch(setParam(search, "weight", paramValue(window.location.search, "weight")));
            },
            writeStep: function (frame, max) {
                if (typeof frame !== "number" || typeof max !== "number") { return window.dash_clientside.no_update; }
                var k = Math.max(0, Math.round(frame));
                shown.step = k >= max ? null : k;
                return replaceSearch(withStep(window.location.search));
            },
            predictGate: function (frame, max, predict, reveal, store) {
                var on = (predict || []).indexOf("on") >= 0, key = store && store.key;
                var trig = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
                if (!on) { revealed.key = null; }
                if (on && key && (trig.indexOf(ID.REVEAL + ".n_clicks") >= 0 ||
                                  (typeof frame === "number" && typeof max === "number" && frame >= max && max > 0))) {
                    revealed.key = key;
                }
                var hidden = on && !(key && revealed.key === key);
                document.documentElement.classList.toggle("predicting", hidden);
                return hidden;
            },
            copyLink: function (n) {
                if (!n) { return window.dash_clientside.no_update; }
                var url = window.location.href;
                copyText(url).then(function () {
                    window.dash_clientside.set_props(ID.COPY_STATUS, {children: "Link copied ✓"});
                    clearStatusLater();
                }, function () {
                    window.dash_clientside.set_props(ID.COPY_STATUS,
                        {children: "Copy blocked: use the address bar"});
                    clearStatusLater();
                });
                return "Copying…";
            },
            sliderValue: function (value) {
                if (typeof value !== "number") { return ""; }
                return "= " + formatNumber(value);
            },
            // The lr slider (log10, snapping to 1-2-5) and the box where any rate can be typed, kept in
            // step both ways, between the slider's log10 bounds (LR_SLIDER: scene_fields.LR_RANGE). A typed
            // rate keeps the link's significant digits (formatNumber); bad text is named in #message.
            lrSync: function (log10lr, text) {
                var nu = window.dash_clientside.no_update, lo = LR_SLIDER.min, hi = LR_SLIDER.max;
                var trig = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
                var show = function (v) { return formatNumber(sliderToLr(v)); };
                if (trig.indexOf(ID.LR_TEXT + ".value") < 0) {
                    return typeof log10lr === "number" ? [nu, show(log10lr), nu] : [nu, nu, nu];
                }
                var raw = String(text === null || text === undefined ? "" : text).trim();
                var value = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
                var lowest = Math.pow(10, lo), highest = Math.pow(10, hi);
                if (!(isFinite(value) && value >= lowest && value <= highest)) {
                    var kept = typeof log10lr === "number" ? show(log10lr) : "";
                    var shown = raw.length > 24 ? raw.slice(0, 24) + "…" : raw;
                    return [nu, kept, "lr: '" + shown + "' is not a learning rate in " + lowest + ".." + highest +
                            (kept ? "; keeping " + kept : "")];
                }
                var rounded = Number(formatNumber(value));
                // The box only echoes the slider (its own value shown back): no new slider value, so
                // no second scene request for one change.
                if (typeof log10lr === "number" && show(log10lr) === formatNumber(rounded)) {
                    return [nu, raw === formatNumber(rounded) ? nu : formatNumber(rounded), nu];
                }
                return [lrToSlider(rounded), formatNumber(rounded), nu];
            },
            // The slider moves in log10(lr); show the rate itself, as the link holds it.
            lrValue: function (log10lr) {
                if (typeof log10lr !== "number") { return ""; }
                return "= " + formatNumber(sliderToLr(log10lr));
            }
        }
    });
}());
