"""The update-rule panel's text: maths read from the one source (the rule docstrings), the
conventions, and the values in effect."""

import pytest

import optimizers
from ui.model import maths, teaching
from ui.model import scene as S

NAMES = optimizers.names()


@pytest.mark.parametrize("name", NAMES)
def test_the_maths_is_the_docstring_maths_as_one_aligned_block(name):
    doc = optimizers.info(name).maths
    block = maths.maths_latex(name)
    assert block.startswith("\\begin{aligned}\n") and block.endswith("\n\\end{aligned}")
    inner = block.split("\\begin{aligned}\n")[1].split("\n\\end{aligned}")[0]
    assert [line.strip() for line in inner.splitlines()] == \
        [line.strip() for line in doc.split(".. math::")[1].split("\n\n")[0].splitlines() if line.strip()]
    assert inner.count("&") >= 3 and "\\theta_t" in inner  # aligned, and it ends in the update of θ


@pytest.mark.parametrize("name", NAMES)
def test_every_hyperparameter_symbol_appears_in_the_maths(name):
    info = optimizers.info(name)
    text = maths.rule_text(name).maths
    assert info.symbols, name
    for key, symbol in info.symbols.items():
        assert symbol in text, f"{name}: {key} ({symbol}) is not in the maths"


@pytest.mark.parametrize("name", NAMES)
def test_the_conventions_state_eps_bias_correction_and_weight_decay(name):
    text = " ".join(maths.rule_text(name).conventions)
    module = optimizers.info(name).module.__name__.rsplit(".", 1)[1]
    info = optimizers.info(name)
    if "weight_decay" in info.defaults:
        assert "weight decay is L2" in text or "weight decay is decoupled" in text
    if "eps" in info.defaults:
        assert "eps is added" in text or "eps is a floor" in text
    if module in ("adam", "nadam", "radam", "rmsprop", "adadelta"):
        assert "bias" in text
    if module == "adam":
        assert "decoupled" in text and "AMSGrad" in text
    if module == "sgd":
        assert "Nesterov is torch's form" in text


@pytest.mark.parametrize("name", NAMES)
def test_no_restructured_text_reaches_the_page(name):
    panel = maths.rule_panel(name, optimizers.get(name).hyper)
    texts = [panel["sentence"], panel["maths"]] + [t for c in panel["conventions"] for _, t in c]
    assert not any(".. math::" in t or ":math:" in t or "``" in t or "`" in t for t in texts)
    assert panel["sentence"] == optimizers.info(name).description  # the plain-English sentence
    assert all(kind in ("text", "code", "math") for c in panel["conventions"] for kind, _ in c)


def test_inline_parts_split_code_and_maths():
    assert maths.inline_parts("`lr_decay` ($\\eta$) decays") == [("code", "lr_decay"), ("text", " ("),
                                                                   ("math", "\\eta"), ("text", ") decays")]
    assert maths.inline_parts("plain") == [("text", "plain")] and maths.inline_parts("") == []
    adagrad = maths.rule_panel("adagrad", optimizers.get("adagrad").hyper)["conventions"]
    assert [("code", "lr_decay"), ("text", " ("), ("math", "\\eta"), ("text", ") decays the rate by the step count")] \
        in adagrad


def test_values_in_effect_show_the_numbers_and_torch_names():
    panel = maths.rule_panel("adam", optimizers.get("adam", lr=0.05, betas=(0.8, 0.99), eps=1e-6).hyper)
    assert panel["values"] == [("\\gamma", "lr", "0.05"), ("\\beta_1", "betas[0]", "0.8"),
                               ("\\beta_2", "betas[1]", "0.99"), ("\\epsilon", "eps", "10^{-6}"),
                               ("\\lambda", "weight_decay", "0")]
    assert panel["flags"] == [] and panel["schedule"] == []


def test_parameter_groups_show_both_rates_and_flags_show_what_is_on():
    panel = maths.rule_panel("nesterov", optimizers.get("nesterov", lr=0.1, groups=[{"lr": 0.5}, {"lr": 0.01}]).hyper)
    assert ("\\gamma", "lr", "0.5\\ (x),\\ 0.01\\ (y)") in panel["values"] and panel["flags"] == ["Nesterov"]
    assert maths.flags_in_effect("adam", optimizers.get("adam", groups=[{"amsgrad": True}, {}]).hyper) == \
        ["AMSGrad (x only)"]


@pytest.mark.parametrize("value, latex", [(0.001, "0.001"), (0.9, "0.9"), (1e-8, "10^{-8}"),
                                          (2.5e-5, "2.5 \\times 10^{-5}"),
                                          (0, "0"), (12345.0, "1.234 \\times 10^{4}"), (300, "300")])
def test_numbers_in_latex(value, latex):
    assert maths._latex_number(value) == latex


def test_the_schedule_sentence():
    assert maths.schedule_sentence("constant", "Constant", None) == ""
    cosine = maths.schedule_sentence("cosine", "Cosine annealing", "T_max = 200")
    assert cosine.startswith("$\\gamma$ follows the Cosine annealing schedule (T_max = 200)")
    assert "$\\beta_1$" in maths.schedule_sentence("onecycle", "One-cycle", "pct_start = 0.3")


def text_of(parts):
    return "".join(t for _, t in parts)


def test_rule_cards_follow_the_scene():
    s = S.parse("lesson=cosine-constant")[0]
    gd, sgd = teaching.rule_cards(s)
    assert (gd["title"], sgd["title"]) == ("Gradient descent", "SGD (constant lr)")
    assert "follows the Cosine annealing schedule (T_max = 200)" in text_of(gd["panel"]["schedule"])
    assert "keeps a constant learning rate" in text_of(sgd["panel"]["schedule"])
    assert ("\\gamma", "lr", "0.2") in gd["panel"]["values"]
    bad = teaching.rule_cards(s.replace(optimizers=["nesterov"], momentum=0.0, overrides={}))
    assert bad[0]["error"] == "Nesterov momentum requires a momentum and zero dampening" and "panel" not in bad[0]
