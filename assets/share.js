/*
 * Small browser-side helpers: the URL kept in step with the scene (no reload, no new history
 * entry per slider move), the "Copy link" button, the learning rate's real value, and keyboard
 * shortcuts for playback and lessons.
 */
(function () {
    "use strict";

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
            window.dash_clientside.set_props("copy-status", {children: ""});
        }, 3000);
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        share: {
            // The scene's query string -> the address bar, replacing (not pushing) the entry.
            // The view flags (lesson, teach, present) follow the scene's part, both written by ui/model/scene.py.
            writeUrl: function (query, viewQuery) {
                if (typeof query !== "string") { return window.dash_clientside.no_update; }
                var parts = [query, typeof viewQuery === "string" ? viewQuery : ""].filter(Boolean);
                var search = parts.length ? "?" + parts.join("&") : "";
                if (window.location.search !== search) {
                    window.history.replaceState(window.history.state, "",
                        window.location.pathname + search + window.location.hash);
                }
                return search;
            },
            copyLink: function (n) {
                if (!n) { return window.dash_clientside.no_update; }
                var url = window.location.href;
                copyText(url).then(function () {
                    window.dash_clientside.set_props("copy-status", {children: "Link copied ✓"});
                    clearStatusLater();
                }, function () {
                    window.dash_clientside.set_props("copy-status",
                        {children: "Copy blocked: use the address bar"});
                    clearStatusLater();
                });
                return "Copying…";
            },
            sliderValue: function (value) {
                if (typeof value !== "number") { return ""; }
                return "= " + String(Number(value.toPrecision(4)));
            },
            // The slider moves in log10(lr); show the rate itself, to 3 significant digits.
            lrValue: function (log10lr) {
                if (typeof log10lr !== "number") { return ""; }
                return "= " + String(Number(Math.pow(10, log10lr).toPrecision(3)));
            }
        }
    });

    // Space plays/pauses, arrows step, Home goes back to step 0, L opens the next lesson; never
    // while typing or while a slider has focus.
    document.addEventListener("keydown", function (event) {
        var t = event.target, tag = (t && t.tagName) || "";
        if (/^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(tag) || (t && t.isContentEditable) ||
            (t && t.getAttribute && t.getAttribute("role") === "slider") || event.altKey ||
            event.ctrlKey || event.metaKey) {
            return;
        }
        var target = {" ": "play", "ArrowLeft": "step-back", "ArrowRight": "step-forward", "Home": "restart",
                      "l": "next-lesson", "L": "next-lesson"}[event.key];
        var button = target && document.getElementById(target);
        if (button) {
            event.preventDefault();
            button.click();
        }
    });
}());
