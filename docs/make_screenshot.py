"""Make docs/screenshot.png: the app's first-open scene in headless Chromium at 1280×720.

Usage: python docs/make_screenshot.py [--out docs/screenshot.png] [--link "?landscape=..."] [--frame k]
       python docs/make_screenshot.py --lesson ravine-momentum --frame 12 --out docs/lesson.png
       python docs/make_screenshot.py --maps     # docs/basin-map.png and docs/stability-map.png instead
       python docs/make_screenshot.py --screens  # docs/phone.png, docs/laptop-1024.png, docs/present-1920.png,
                                                 # docs/present-1280-stability.png
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks.headless import chrome, serve  # noqa: E402
from ui import create_app  # noqa: E402

# Every graph on show has the store's scene and its moving parts are drawn; with "Why?" on, the
# inspector shows the scene too.
DRAWN_JS = """
const g = window.gradscape, t = window.gradscapeTeaching;
if (!g || !g.key || !g.runs.length) { return false; }
const teach = document.getElementById('app').classList.contains('teach');
const flat = ['contour', 'loss-curve'].every(v => {
    const gd = document.querySelector('#' + v + ' .js-plotly-plot');
    return gd && (gd.offsetParent === null || gd.layout && gd.layout.meta && gd.layout.meta.key === g.figureKey
        && document.querySelectorAll('#' + v + '-overlay g.markers circle').length === g.runs.length);
});
const s = document.querySelector('#surface .js-plotly-plot');
const surface = !s || s.offsetParent === null || s.getBoundingClientRect().top >= innerHeight  // below the fold
    || String(s.__gsSurfaceDrawn || '').startsWith(g.key + ':');
return flat && surface
  && (!teach || (t.data && t.data.key === g.key && document.getElementById('rules').getAttribute('data-typeset')));
"""

# The step label, and with "Why?" on the inspector, show step k.
AT_FRAME_JS = """
const k = String(arguments[0]), teach = document.getElementById('app').classList.contains('teach');
return document.getElementById('frame-label').innerText.startsWith('step ' + k + ' ')
    && (!teach || document.getElementById('inspector').getAttribute('data-step') === k);
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshot.png"))
    parser.add_argument("--link", default="", help="a scene's query string (default: the first-open scene)")
    parser.add_argument("--frame", type=int, default=None, help="show this step instead of the last")
    parser.add_argument("--lesson", default=None, help="a lesson's id (ui/model/lessons.py): its link")
    parser.add_argument("--maps", action="store_true",
                        help="the map screenshots instead: docs/basin-map.png, docs/stability-map.png")
    parser.add_argument("--screens", action="store_true",
                        help="the screen sizes instead: docs/phone.png (390×844), docs/laptop-1024.png, "
                             "docs/present-1920.png (Present mode at 1920×1080), docs/present-1280-stability.png "
                             "(Present at 1280×720 with a stability map)")
    args = parser.parse_args(argv)
    if args.lesson:
        from ui.model import lessons

        args.link = lessons.get(args.lesson).link()
    if args.screens:
        for name, link, (width, height), mobile in SCREENS:
            shoot(link, os.path.join(ROOT, "docs", name), 150, size=(width, height), mobile=mobile)
        shoot(STABILITY_LINK + "&present=1", os.path.join(ROOT, "docs", "present-1280-stability.png"), None,
              map_button="stability-button")
    elif not args.maps:
        shoot(args.link, args.out, args.frame)
    else:
        shoot(BASIN_LINK, os.path.join(ROOT, "docs", "basin-map.png"), None, map_button="basin-button")
        shoot(STABILITY_LINK, os.path.join(ROOT, "docs", "stability-map.png"), None, map_button="stability-button")
    return 0


# The maps' lessons: Adam's four basins on Himmelblau; momentum widens the stable lr range of a ravine.
BASIN_LINK = "?landscape=himmelblau&opt=adam,rmsprop&lr=0.05&x0=-0.3&y0=-0.9&steps=300"
STABILITY_LINK = "?landscape=ill_conditioned&opt=momentum&lr=0.01&momentum=0.9&steps=200"
# Issue 13's screens: a phone (its viewport tag honoured), a small laptop, a projector in Present mode.
SCREENS = [("phone.png", "", (390, 844), True), ("laptop-1024.png", "", (1024, 768), False),
           ("present-1920.png", "?present=1", (1920, 1080), False)]
MAP_DONE_JS = """
const status = document.getElementById('map-status');
return status && /^(Basin|Stability) map:/.test(status.innerText) && !document.getElementById(arguments[0]).disabled;
"""


def shoot(link, out, frame, map_button=None, size=(1280, 720), mobile=False) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with serve(create_app()) as url, chrome(*size) as driver:
        # The page's viewport, not the window, is what a projector shows.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": mobile})
        driver.get(url + "/" + link)
        WebDriverWait(driver, 90).until(lambda d: d.execute_script(DRAWN_JS))
        if frame is not None:
            driver.execute_script("window.dash_clientside.set_props('frame', {value: arguments[0]});", frame)
            WebDriverWait(driver, 10).until(lambda d: d.execute_script(AT_FRAME_JS, frame))
        if map_button is not None:
            # Open the maps section (so the buttons show), make the map, and bring it into view.
            driver.execute_script("const b = document.getElementById(arguments[0]); b.closest('details').open = true;"
                                  "b.scrollIntoView(); b.click();", map_button)
            WebDriverWait(driver, 60).until(lambda d: d.execute_script(MAP_DONE_JS, map_button))
            if map_button == "stability-button":
                driver.execute_script("document.getElementById('stability-panel').scrollIntoView();")
            driver.execute_async_script("const done = arguments[0]; setTimeout(done, 500);")
        # Let the 3-D view (WebGL) finish its frame before the capture.
        driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));")
        driver.save_screenshot(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
