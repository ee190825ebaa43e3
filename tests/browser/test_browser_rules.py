"""Every registry entry's update-rule card typesets in MathJax without an error: no unknown macro,
no missing symbol, whatever optimizer it is (three scenes of at most 8 hold all of them)."""

import pytest
from dash.testing.wait import until

import optimizers
from ui.model import scene_fields as F

from gradscape_page import wait_drawn

pytestmark = pytest.mark.browser

NAMES = optimizers.names()
SCENES = [NAMES[i:i + F.MAX_OPTIMIZERS] for i in range(0, len(NAMES), F.MAX_OPTIMIZERS)]

# MathJax marks what it could not read: a TeX error is an merror node, and an unknown macro (its
# noundefined extension) is red text, e.g. <mtext mathcolor="red">\foo</mtext>.
_ERRORS = """
const rules = document.getElementById('rules');
const bad = rules.querySelectorAll('[data-mml-node="merror"], mjx-merror, [data-mjx-error], '
                                   + '[data-mml-node="mtext"][fill="red"], mtext[mathcolor="red"]');
return [...bad].map(e => (e.closest('.rule-card') || {getAttribute: () => '?'}).getAttribute('data-run')
                         + ': ' + (e.getAttribute('data-mjx-error') || e.textContent));
"""


def test_rules001_every_optimizers_card_typesets_without_an_error(gradscape):
    duo = gradscape
    for names in SCENES:
        duo.wait_for_page(url=duo.server_url + "/?landscape=bowl&steps=20&teach=1&opt=" + ",".join(names))
        wait_drawn(duo, len(names), views=("contour",), timeout=30)
        until(lambda: [c.get_attribute("data-run") for c in duo.find_elements("#rules .rule-card")] == names,
              timeout=20, msg="a card per chosen optimizer")
        until(lambda: duo.find_element("#rules").get_attribute("data-typeset") == "1", timeout=30,
              msg="MathJax did not typeset the rules")
        assert duo.driver.execute_script(_ERRORS) == []
        assert len(duo.find_elements("#rules .rule-maths mjx-container")) == len(names)
        for card, name in zip(duo.find_elements("#rules .rule-card"), names):
            assert optimizers.info(name).description in card.text  # its plain sentence
    assert duo.get_logs() == []
