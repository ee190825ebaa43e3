"""Every screen (issue 13), without a browser: the viewport tag a phone needs, the README's
pictures of the three screens, and its key list matching the page's."""

import pathlib
import re

from ui import create_app

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
PICTURES = ("docs/phone.png", "docs/laptop-1024.png", "docs/present-1920.png")


def test_the_page_has_a_viewport_tag():
    html = create_app().server.test_client().get("/").get_data(as_text=True)
    tag = re.search(r'<meta name="viewport" content="([^"]+)"', html)
    assert tag and "width=device-width" in tag.group(1)


def test_the_readme_shows_each_screen():
    for path in PICTURES:
        assert f"]({path})" in README, path
        assert (ROOT / path).stat().st_size > 10_000, path


def test_the_readme_and_the_keys_script_name_the_same_keys():
    keys_js = (ROOT / "assets" / "keys.js").read_text()
    # keys.js names the buttons by their ids.py constants (window.gradscapeShared.ids, ui/web/shared.py)
    for key, target in (("Space", '" ": ID.PLAY'), ("←", '"ArrowLeft": ID.STEP_BACK'), ("→", '"ArrowRight": ID.STEP_FORWARD'),
                        ("Home", '"Home": ID.RESTART'), ("L", '"l": ID.NEXT_LESSON'), ("Escape", '"Escape"')):
        assert target in keys_js, target
        assert f"**{key}**" in README, key
