/*
 * The opening: the map shows its paths before the page's other callbacks run.
 *
 * The layout comes with the link's scene drawn (ui/web/opening.py), and Dash then fires every
 * callback once. Their answers (the lesson bar, the start sliders' ranges, the advanced panels...)
 * change next to nothing, but each makes React re-render part of a large page, and together they
 * held back the map's first plot by about a second: paths drawn at 2.4 s, against 1.3 s with the
 * answers held (benchmarks/bench_browser.py, page ready). So their requests wait until the map
 * shows its paths (assets/animation.js calls gradscapeOpening.drawn()), or for HOLD_MS at most.
 * Only the opening is held: every request after it goes at once.
 */
(function () {
    "use strict";

    var HOLD_MS = 5000; // a safety net: the map that never draws
    var open = false, held = [], timer = null;
    var plain = window.fetch;

    function release() {
        if (open) { return; }
        open = true;
        window.clearTimeout(timer);
        held.splice(0).forEach(function (go) { go(); });
    }

    window.fetch = function (url) {
        var self = this, args = arguments;
        if (open || String(url).indexOf("_dash-update-component") < 0) { return plain.apply(self, args); }
        if (timer === null) { timer = window.setTimeout(release, HOLD_MS); }
        return new Promise(function (go) { held.push(go); }).then(function () { return plain.apply(self, args); });
    };

    window.gradscapeOpening = {
        // The map shows its paths: the held requests go once the browser has painted them.
        drawn: function () {
            if (open) { return; }
            window.requestAnimationFrame(function () { window.setTimeout(release, 0); });
        },
        holding: function () { return !open; } // for the browser tests
    };
}());
