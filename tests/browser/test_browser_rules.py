"""Every registry entry's update-rule card typesets in MathJax without an error: no unknown macro,
no missing symbol, whatever optimizer it is. The cards are the server's (three scenes of at most 8
hold all of them), drawn and typeset by the page's script in a small app (tests/browser/rules_app.py);
the page shows a card per chosen optimizer in test_browser_teach.py's teach001."""

import pytest
from dash.testing.wait import until

import optimizers

from rules_app import NAMES, create_app

pytestmark = pytest.mark.browser

# MathJax marks what it could not read: a TeX error is an merror node, and an unknown macro (its
# noundefined extension) is red text, e.g. <mtext mathcolor="red">\foo</mtext>.
_ERRORS = """
const rules = document.getElementById('rules');
const bad = rules.querySelectorAll('[data-mml-node="merror"], mjx-merror, [data-mjx-error], '
                                   + '[data-mml-node="mtext"][fill="red"], mtext[mathcolor="red"]');
return [...bad].map(e => (e.closest('.rule-card') || {getAttribute: () => '?'}).getAttribute('data-run')
                         + ': ' + (e.getAttribute('data-mjx-error') || e.textContent));
"""


def test_rules001_every_optimizers_card_typesets_without_an_error(dash_duo, free_port):
    duo = dash_duo
    duo.start_server(create_app(), port=free_port)
    until(lambda: [c.get_attribute("data-run") for c in duo.find_elements("#rules .rule-card")] == NAMES,
          timeout=20, msg="a card per optimizer")
    until(lambda: duo.find_element("#rules").get_attribute("data-typeset") == "1", timeout=30,
          msg="MathJax did not typeset the rules")
    assert duo.driver.execute_script(_ERRORS) == []
    assert len(duo.find_elements("#rules .rule-maths mjx-container")) == len(NAMES)
    for card, name in zip(duo.find_elements("#rules .rule-card"), NAMES):
        assert optimizers.info(name).description in card.text  # its plain sentence
    assert duo.get_logs() == []
