/*
 * The scene-request gate: at most one scene request is in flight. A control that changes while
 * one is on its way only marks the scene dirty; when the answer comes back, one new request
 * carries the controls as they are then. So a drag sends a request, draws its answer and sends
 * the next with the newest values: the ones in between are dropped, never queued on the server.
 *
 * While the paths drawn are older than the controls (a request dirty or in flight, or none drawn
 * yet as the page opens) the root element has the class "gs-working": the map shows "updating…".
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var GIVE_UP_MS = 4000;
    var WAIT_MS = 300;
    var gate = {ticket: 0, inFlight: false, dirty: false, waiting: false, since: 0, sent: 0, served: 0};

    function working(on) {
        document.documentElement.classList.toggle("gs-working", on);
    }

    function send() {
        gate.dirty = false;
        gate.inFlight = true;
        gate.since = performance.now();
        gate.ticket += 1;
        gate.sent += 1;
        watch(gate.ticket);
        return gate.ticket;
    }

    function request() {
        window.dash_clientside.set_props(ID.REQUEST, {data: send()});
    }

    // An answer that never comes (a callback that failed, a dropped connection) must not hold the
    // gate shut: after GIVE_UP_MS the newest controls go in a fresh request, or the gate opens.
    function watch(ticket) {
        window.clearTimeout(gate.watchdog);
        gate.watchdog = window.setTimeout(function () {
            if (!gate.inFlight || gate.ticket !== ticket) { return; }
            gate.inFlight = false;
            gate.lost = (gate.lost || 0) + 1;
            if (gate.dirty) {
                request();
            } else {
                working(false);
            }
        }, GIVE_UP_MS);
    }

    // The paths of a previewed change are drawn: the scene request may go.
    function release() {
        window.clearTimeout(gate.waitTimer);
        if (!gate.waiting) { return; }
        gate.waiting = false;
        if (gate.inFlight) { gate.dirty = true; } else { request(); }
    }

    working(true); // nothing drawn yet

    window.gradscapeGate = gate; // read by the browser tests and the benchmark
    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        gate: {
            // Any scene control changed.
            // The request goes by set_props, not as this callback's output: Dash would otherwise
            // see every drag event as a pending change of the request and throw away the answer
            // already on its way.
            changed: function () {
                working(true);
                // One slider moved (a key press, the lr box): its paths come by the drag's short
                // request (assets/drag.js), ahead of the scene callback's whole answer.
                // The scene request waits for those paths to be drawn (at most WAIT_MS): its own
                // preparation would otherwise hold the main thread while their answer waits.
                var trig = (window.dash_clientside.callback_context || {}).triggered || [];
                var previewed = trig.length === 1 && !!window.gradscapeDrag && /\.value$/.test(trig[0].prop_id || "") &&
                    window.gradscapeDrag.preview(trig[0].prop_id.replace(/\.value$/, ""), trig[0].value, release);
                if (gate.waiting) { return window.dash_clientside.no_update; } // the request, when it goes, reads the controls then
                if (previewed && !gate.inFlight) {
                    gate.waiting = true;
                    window.clearTimeout(gate.waitTimer);
                    gate.waitTimer = window.setTimeout(release, WAIT_MS);
                    return window.dash_clientside.no_update;
                }
                if (gate.inFlight) {
                    gate.dirty = true;
                } else {
                    request();
                }
                return window.dash_clientside.no_update;
            },
            // The server answered a request (its ticket): let the next one go if the controls moved.
            served: function (ticket) {
                gate.served += 1;
                if (ticket !== gate.ticket) { return window.dash_clientside.no_update; } // an old answer
                gate.inFlight = false;
                if (gate.dirty) {
                    request();
                } else {
                    working(false);
                }
                return window.dash_clientside.no_update;
            }
        }
    });
}());
