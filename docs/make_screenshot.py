"""Make docs/screenshot.png: the app's first-open scene in headless Chromium at 1280×720.

Usage: python docs/make_screenshot.py [--out docs/screenshot.png] [--link "?landscape=..."]
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

# Every graph shows the store's scene and its moving parts are drawn.
DRAWN_JS = """
const g = window.gradscape;
if (!g || !g.key || !g.runs.length) { return false; }
return ['contour', 'surface', 'loss-curve'].every(v => {
    const gd = document.querySelector('#' + v + ' .js-plotly-plot');
    return gd && gd.layout && gd.layout.meta && gd.layout.meta.key === g.key && gd.__gsFilledFor === gd.data;
}) && document.querySelectorAll('#contour-overlay .overlay-svg circle').length === g.runs.length;
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshot.png"))
    parser.add_argument("--link", default="", help="a scene's query string (default: the first-open scene)")
    parser.add_argument("--frame", type=int, default=None, help="show this step instead of the last")
    args = parser.parse_args(argv)
    from selenium.webdriver.support.ui import WebDriverWait

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with serve(create_app()) as url, chrome(1280, 720) as driver:
        # The page's viewport, not the window, is what a projector shows.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False})
        driver.get(url + "/" + args.link)
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(DRAWN_JS))
        if args.frame is not None:
            driver.execute_script("window.dash_clientside.set_props('frame', {value: arguments[0]});", args.frame)
            WebDriverWait(driver, 10).until(lambda d: d.execute_script(
                "return document.getElementById('frame-label').innerText.startsWith('step ' + arguments[0] + ' ')",
                args.frame))
        # Let the 3-D view (WebGL) finish its frame before the capture.
        driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));")
        driver.save_screenshot(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
