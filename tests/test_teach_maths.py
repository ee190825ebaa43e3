"""The update-rule panel's text: maths read from the one source (the rule docstrings), the
conventions, and the values in effect."""

import re

import pytest

import optimizers
from ui import maths, teaching
from ui import scene as S

NAMES = optimizers.names()


@pytest.mark.parametrize("name", NAMES)
def test_the_maths_is_the_docstring_maths_as_a_display_block(name):
    doc = optimizers.info(name).maths
    block = maths.maths_block(name)
    assert block.startswith("$$\n\\begin{aligned}\n") and block.endswith("\n\\end{aligned}\n$$")
    inner = block.split("\\begin{aligned}\n")[1].split("\n\\end{aligned}")[0]
    assert [line.strip() for line in inner.splitlines()] == \
        [line.strip() for line in doc.split(".. math::")[1].split("\n\n")[0].splitlines() if line.strip()]
    assert inner.count("&") >= 3 and "\\theta_t" in inner  # aligned, and it ends in the update of θ


@pytest.mark.parametrize("name", NAMES)
def test_every_hyperparameter_symbol_appears_in_the_maths(name):
    info = optimizers.info(name)
    keys = {"beta1", "beta2"} if "betas" in info.defaults else set()
    keys |= set(info.defaults) & set(maths.SYMBOLS)
    text = maths.rule_text(name).maths
    for key in keys:
        assert maths.SYMBOLS[key] in text, f"{name}: {key} ({maths.SYMBOLS[key]}) is not in the maths"


@pytest.mark.parametrize("name", NAMES)
def test_the_conventions_state_eps_bias_correction_and_weight_decay(name):
    text = " ".join(maths.rule_text(name).conventions)
    module = optimizers.info(name).module.__name__.rsplit(".", 1)[1]
    assert "weight decay is L2" in text
    if module != "sgd":  # the only rule without an eps
        assert "eps is added" in text
    if module in ("adam", "nadam", "radam", "rmsprop", "adadelta"):
        assert "bias" in text
    if module == "adam":
        assert "decoupled" in text and "AMSGrad" in text
    if module == "sgd":
        assert "Nesterov is torch's form" in text


@pytest.mark.parametrize("name", NAMES)
def test_no_restructured_text_reaches_the_page(name):
    markdown = maths.rule_markdown(name, optimizers.get(name).hyper)
    assert ".. math::" not in markdown and ":math:" not in markdown and "``" not in markdown
    assert optimizers.info(name).description in markdown  # the plain-English sentence


def test_values_in_effect_show_the_numbers_and_torch_names():
    text = maths.rule_markdown("adam", optimizers.get("adam", lr=0.05, betas=(0.8, 0.99), eps=1e-6).hyper)
    assert "| $\\gamma$ | `lr` | $0.05$ |" in text
    assert "| $\\beta_1$ | `betas[0]` | $0.8$ |" in text and "| $\\beta_2$ | `betas[1]` | $0.99$ |" in text
    assert "| $\\epsilon$ | `eps` | $10^{-6}$ |" in text
    assert "On:" not in text


def test_parameter_groups_show_both_rates_and_flags_show_what_is_on():
    hyper = optimizers.get("nesterov", lr=0.1, groups=[{"lr": 0.5}, {"lr": 0.01}]).hyper
    text = maths.rule_markdown("nesterov", hyper)
    assert "$0.5\\ (x),\\ 0.01\\ (y)$" in text and "On: Nesterov." in text
    assert maths.flags_in_effect(optimizers.get("adam", groups=[{"amsgrad": True}, {}]).hyper) == ["AMSGrad (x only)"]


@pytest.mark.parametrize("value, latex", [(0.001, "0.001"), (0.9, "0.9"), (1e-8, "10^{-8}"), (2.5e-5, "2.5 \\times 10^{-5}"),
                                          (0, "0"), (12345.0, "1.234 \\times 10^{4}"), (300, "300")])
def test_numbers_in_latex(value, latex):
    assert maths._latex_number(value) == latex


def test_the_schedule_sentence():
    assert maths.schedule_sentence("constant", "Constant", None) == ""
    cosine = maths.schedule_sentence("cosine", "Cosine annealing", "T_max = 200")
    assert cosine.startswith("$\\gamma$ follows the Cosine annealing schedule (T_max = 200)")
    assert "$\\beta_1$" in maths.schedule_sentence("onecycle", "One-cycle", "pct_start = 0.3")


def test_rule_cards_follow_the_scene():
    s = S.parse("lesson=cosine-constant")[0]
    gd, sgd = teaching.rule_cards(s)
    assert (gd["title"], sgd["title"]) == ("Gradient descent", "SGD (constant lr)")
    assert "follows the Cosine annealing schedule (T_max = 200)" in gd["markdown"]
    assert "keeps a constant learning rate" in sgd["markdown"]
    assert re.search(r"\| \$\\gamma\$ \| `lr` \| \$0\.2\$ \|", gd["markdown"])
    bad = teaching.rule_cards(dict(s, optimizers=["nesterov"], momentum=0.0, overrides={}))
    assert bad[0]["markdown"] == "*Nesterov momentum requires a momentum and zero dampening*"
