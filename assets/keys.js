/*
 * The page's keys: Space plays and pauses, ← → step, Home goes back to step 0, L opens the next
 * lesson. They drive the page whatever the mouse did before:
 *
 * - A click or a drag leaves no keyboard focus on a control: the control is blurred once the
 *   pointer is done with it, and a control that still got focus from the pointer (a dropdown's
 *   trigger, given focus back when its menu closes) gives the key up to the page.
 * - Someone who Tabs into a control gets that control's own keys (a slider's arrows, a
 *   checkbox's Space); Escape leaves the control and gives the keys back to the page.
 * - A field you type into keeps every key while it has focus.
 * - A shortcut never changes a control's value: the key's own action is prevented.
 * - No press is dropped: ← → go to window.gradscape.step (assets/animation.js), which counts from
 *   the step on show rather than from a scrubber value still on its way.
 */
(function () {
    "use strict";

    var ID = window.gradscapeShared.ids; // ui/web/ids.py, given to the page by ui/web/shared.py

    var SHORTCUTS = {" ": ID.PLAY, "ArrowLeft": ID.STEP_BACK, "ArrowRight": ID.STEP_FORWARD, "Home": ID.RESTART,
                     "l": ID.NEXT_LESSON, "L": ID.NEXT_LESSON};
    var STEPS = {"ArrowLeft": -1, "ArrowRight": 1};
    var POINTER_FOCUS_MS = 800; // focus taken this soon after a pointer press counts as the pointer's
    var lastPointer = -Infinity;

    // Fields whose keys are the user's text (and number boxes, whose arrows step their value).
    function typing(el) {
        if (!el || el === document.body) { return false; }
        if (el.isContentEditable || el.tagName === "TEXTAREA") { return true; }
        return el.tagName === "INPUT" &&
            !/^(checkbox|radio|button|submit|reset|range|color|file|image)$/i.test(el.type || "text");
    }

    function control(el) {
        return !!el && el !== document.body && el !== document.documentElement &&
            (/^(INPUT|TEXTAREA|SELECT|BUTTON|A|SUMMARY)$/.test(el.tagName) || el.isContentEditable ||
             el.hasAttribute("tabindex") || !!el.getAttribute("role"));
    }

    // An open menu or list (a dropdown's options, the lessons menu) keeps its keys.
    function inOpenMenu(el) {
        return !!(el && el.closest && el.closest("[data-state=open], [aria-expanded=true], [role=menu], " +
                                                 "[role=dialog]"));
    }

    function blurPointerFocus() {
        var el = document.activeElement;
        if (control(el) && !typing(el) && !inOpenMenu(el)) { el.blur(); }
    }

    // Once the pointer is done (the click, the end of a drag), after the control has acted on it.
    document.addEventListener("pointerdown", function () { lastPointer = performance.now(); }, true);
    document.addEventListener("pointerup", function () {
        lastPointer = performance.now();
        window.setTimeout(blurPointerFocus, 0);
    }, true);
    document.addEventListener("pointercancel", function () { window.setTimeout(blurPointerFocus, 0); }, true);
    // Focus moved by Tab is the keyboard's, however soon after a click it comes.
    document.addEventListener("keydown", function (event) {
        if (event.key === "Tab") { lastPointer = -Infinity; }
    }, true);
    document.addEventListener("focusin", function (event) {
        var el = event.target;
        if (el && el.setAttribute) { el.__gsByPointer = performance.now() - lastPointer < POINTER_FOCUS_MS; }
    }, true);

    function act(key) {
        var g = window.gradscape;
        if (STEPS[key] && g && typeof g.step === "function" && g.steps) {
            g.step(STEPS[key]);
            return true;
        }
        var target = document.getElementById(SHORTCUTS[key]);
        if (!target) { return false; }
        target.click();
        return true;
    }

    // Capture phase: a control focused by the pointer never sees the shortcut (a slider's Home,
    // a checkbox's Space), so its value cannot change.
    document.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
        var el = document.activeElement, focused = control(el);
        if (event.key === "Escape") {
            if (focused && !inOpenMenu(el)) { el.blur(); }
            return;
        }
        if (!SHORTCUTS[event.key]) { return; }
        if (focused) {
            if (typing(el) || inOpenMenu(el) || !el.__gsByPointer) { return; } // the control's own key
            el.blur();
        }
        event.preventDefault();
        event.stopPropagation();
        act(event.key);
    }, true);

    window.gradscapeKeys = {shortcuts: SHORTCUTS}; // read by the browser tests
}());
