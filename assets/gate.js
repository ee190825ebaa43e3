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

    var GIVE_UP_MS = 5000; // an answer that never comes (a dropped connection) frees the gate
    var gate = {ticket: 0, inFlight: false, dirty: false, since: 0, sent: 0, served: 0};

    function working(on) {
        document.documentElement.classList.toggle("gs-working", on);
    }

    function send() {
        gate.dirty = false;
        gate.inFlight = true;
        gate.since = performance.now();
        gate.ticket += 1;
        gate.sent += 1;
        return gate.ticket;
    }

    working(true); // nothing drawn yet

    window.gradscapeGate = gate; // read by the browser tests and the benchmark
    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        gate: {
            // Any scene control changed.
            changed: function () {
                working(true);
                if (gate.inFlight && performance.now() - gate.since < GIVE_UP_MS) {
                    gate.dirty = true;
                    return window.dash_clientside.no_update;
                }
                return send();
            },
            // The server answered a request (its ticket): let the next one go if the controls moved.
            served: function (ticket) {
                gate.served += 1;
                if (ticket !== gate.ticket) { return window.dash_clientside.no_update; } // an old answer
                gate.inFlight = false;
                if (gate.dirty) { return send(); }
                working(false);
                return window.dash_clientside.no_update;
            }
        }
    });
}());
