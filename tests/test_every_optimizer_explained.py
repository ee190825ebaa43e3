"""Every registry entry brings its whole explanation: a plain sentence, a maths card whose every
hyperparameter symbol is in the LaTeX, and inspector rows of its own that reproduce each step.
(The browser test tests/browser/test_browser_rules.py typesets every card in MathJax.)"""

import re

import numpy as np
import pytest

import landscapes
import optimizers
from ui.model import compute, maths
from ui.model.compute import Run
from ui.model.inspector import inspect

from hessians import surface_for

NAMES = optimizers.names()


@pytest.mark.parametrize("name", NAMES)
def test_a_plain_sentence_and_a_card(name):
    info = optimizers.info(name)
    assert re.fullmatch(r"[A-Z].{20,}[.)]", info.description), name  # a sentence, not a stub
    panel = maths.rule_panel(name, optimizers.get(name).hyper)
    assert panel["sentence"] == info.description
    assert "\\theta_t" in panel["maths"] and panel["conventions"]
    for key, symbol in info.symbols.items():
        assert symbol in panel["maths"], (name, key)
    assert all(v[0] and v[2] for v in panel["values"]), name  # every value in effect has a symbol and a number


@pytest.mark.parametrize("name", NAMES)
def test_the_inspector_shows_rows_of_its_own_that_reproduce_every_step(name):
    opt = optimizers.get(name)  # torch's defaults
    L = surface_for(name, landscapes.get("himmelblau"))
    traj = optimizers.run(L, opt, start=(-0.3, -0.9), steps=25, record_state=True)
    run = compute.with_trajectory(Run(name, name, "#000000", {}), opt, traj)
    ins = inspect(run)
    generic = {"grad", "lr", "effective_lr", "shrink", "update"}
    own = [r for r in ins.rows if r.key not in generic]
    assert own and all(r.label for r in own), name  # its buffers or derived values, each labelled
    assert run.diverged_at < 0 and np.any(ins.update != 0), name
    scale = np.abs(run.params[:-1]) * 4e-16 + np.abs(ins.update) * 1e-10 + 1e-300
    np.testing.assert_array_less(np.abs(ins.predicted - ins.update), scale)
