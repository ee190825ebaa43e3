"""An optimizer's update rule as the page shows it: its maths, one plain sentence, its conventions
and the values in effect. Pure.

The maths is never written here. It is read from the rule module's docstring
(``optimizers.info(name).maths``), the one place it is written, and its reStructuredText
(``.. math::``, ``:math:`x```, ````code````) becomes LaTeX blocks and text parts that the page
shows and MathJax typesets.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from typing import List, Mapping, Optional, Tuple

import numpy as np

import optimizers

@dataclasses.dataclass(frozen=True)
class RuleText:
    """A rule module's docstring taken apart."""

    summary: str             # the first line
    maths: str               # the ``.. math::`` block: aligned LaTeX lines joined by ``\\``
    conventions: List[str]   # the conventions paragraph, one clause each


@functools.lru_cache(maxsize=None)
def rule_text(name: str) -> RuleText:
    """The parts of ``optimizers.info(name).maths`` (raises ValueError for an unknown name)."""
    doc = optimizers.info(name).maths.strip("\n")
    lines = doc.splitlines()
    start = lines.index(".. math::")
    maths, rest = [], []
    for i, line in enumerate(lines[start + 1:], start + 1):
        if line.strip() and not line.startswith(" "):
            rest = lines[i:]
            break
        maths.append(line)
    text = " ".join(line.strip() for line in rest)
    text = text.split(":", 1)[1] if text.startswith("Conventions") else text
    clauses = [c.strip() for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", text) for c in sentence.split(";")]
    return RuleText(summary=lines[0].strip(), maths="\n".join(m.strip() for m in maths if m.strip()),
                    conventions=[_from_rst(c).rstrip(".") for c in clauses if c])


def _from_rst(text: str) -> str:
    """reStructuredText's ``code`` -> `code` and :math:`x` -> $x$, the form ``inline_parts`` reads."""
    text = re.sub(r":math:`([^`]*)`", r"$\1$", text)
    return re.sub(r"``([^`]*)``", r"`\1`", text)


def maths_latex(name: str) -> str:
    """The update rule as one aligned LaTeX block, for MathJax."""
    return "\\begin{aligned}\n" + rule_text(name).maths + "\n\\end{aligned}"


def inline_parts(text: str) -> List[Tuple[str, str]]:
    """Text with `code` and $maths$ cut into ("text" | "code" | "math", content) parts."""
    parts = []
    for piece in re.split(r"(`[^`]*`|\$[^$]*\$)", text):
        if not piece:
            continue
        kind = {"`": "code", "$": "math"}.get(piece[0], "text") if len(piece) > 1 and piece[0] == piece[-1] else "text"
        parts.append((kind, piece[1:-1] if kind != "text" else piece))
    return parts


def _latex_number(value: float) -> str:
    """0.001, 0.9, 10^{-8}: short, and exact to 4 significant digits."""
    value = float(value)
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    if math.isnan(value):          # a default torch computes itself (Adafactor's eps₁ = None)
        return r"\text{auto}"
    if value != 0 and not 1e-3 <= abs(value) < 1e4:
        mantissa, exponent = f"{value:.3e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        power = f"10^{{{int(exponent)}}}"
        return power if mantissa == "1" else f"{mantissa} \\times {power}"
    return f"{value:.4g}"


def _value(value) -> str:
    """A hyperparameter's value in LaTeX: one number, or x and y apart (parameter groups)."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0 or np.all(arr == arr.ravel()[0]):
        return _latex_number(arr.ravel()[0])
    x, y = np.broadcast_to(arr, (1, 2))[0]
    return f"{_latex_number(x)}\\ (x),\\ {_latex_number(y)}\\ (y)"


def values_in_effect(name: str, settings: Mapping) -> List[tuple]:
    """(symbol, torch name, value) rows for an optimizer's resolved hyperparameters, from what its
    registry entry says of each (``optimizers.info(name).controls``)."""
    controls = {c.key: c for c in optimizers.info(name).controls}
    rows = []
    for key, value in settings.items():
        control = controls.get(key)
        if control is not None and control.symbol:
            rows.append((control.symbol, control.torch_name, _value(value)))
    return rows


def flags_in_effect(name: str, settings: Mapping) -> List[str]:
    """The switches that are on, e.g. ["Nesterov"] (per coordinate: "AMSGrad (x only)")."""
    out = []
    for key, label in optimizers.info(name).flags.items():
        arr = np.asarray(settings.get(key, False), dtype=bool)
        if arr.all():
            out.append(label)
        elif arr.any():
            x, y = np.broadcast_to(arr, (1, 2))[0]
            out.append(f"{label} ({'x' if x else 'y'} only)")
    return out


def schedule_sentence(schedule: Optional[str], title: str, param: Optional[str]) -> str:
    """What the schedule does to γ (and β₁ or μ for one-cycle), or '' for a constant rate."""
    if not schedule or schedule == "constant":
        return ""
    sentence = f"$\\gamma$ follows the {title} schedule{f' ({param})' if param else ''}, starting from the value below"
    if schedule == "onecycle":
        sentence += "; one-cycle also cycles the momentum $\\mu$ or $\\beta_1$ against it"
    return sentence + "."


def rule_panel(name: str, settings: Mapping, schedule_note: str = "") -> dict:
    """Everything one optimizer's update-rule card shows: a plain sentence, the maths, the values
    in effect (symbol, torch name, value), the switches that are on, what the schedule does, and the
    conventions. Inline text comes as ``inline_parts``."""
    return {"sentence": optimizers.info(name).description, "maths": maths_latex(name),
            "values": values_in_effect(name, settings), "flags": flags_in_effect(name, settings),
            "schedule": inline_parts(schedule_note),
            "conventions": [inline_parts(c) for c in rule_text(name).conventions]}
