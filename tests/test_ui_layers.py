"""ui/ is layered: model (pure) <- views (figures) <- web (Dash), with no cycle and no issue-named module."""

import pathlib

import pytest

from source_imports import imports as _imports

UI = pathlib.Path(__file__).resolve().parent.parent / "ui"
LAYERS = ("model", "views", "web")
# what each layer may not import: a lower layer never reaches up, and only web speaks Dash/Flask
FORBIDDEN = {
    "model": ("dash", "flask", "plotly", "ui.views", "ui.web"),
    "views": ("dash", "flask", "ui.web"),
    "web": (),
}
# Run colours are chosen in the model (ui/model/optimizer_colours.py): no exception is left.
ALLOWED: dict = {}


def _module(path):
    return ".".join(path.relative_to(UI.parent).with_suffix("").parts).removesuffix(".__init__")




def _ui_graph():
    modules = {_module(p): p for p in UI.rglob("*.py")}
    return {m: sorted({n for n in _imports(p) if n in modules and n != m}) for m, p in modules.items()}


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_nothing_above_it(layer):
    offenders = {}
    for path in (UI / layer).rglob("*.py"):
        bad = sorted({n for n in _imports(path) for f in FORBIDDEN[layer] if n == f or n.startswith(f + ".")
                      if not any(n == a or n.startswith(a + ".") for a in ALLOWED.get(layer, ()))})
        if bad:
            offenders[_module(path)] = bad
    assert offenders == {}


def test_every_ui_module_lives_in_a_layer():
    loose = sorted(_module(p) for p in UI.glob("*.py") if p.stem not in ("__init__", "paths"))
    assert loose == []


def test_no_module_is_named_after_an_issue():
    named = sorted(p.name for p in UI.rglob("*.py") if p.stem.startswith(("explore", "teach_", "issue")))
    assert named == []


def test_no_import_cycle_within_ui():
    graph = _ui_graph()
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in graph.get(node, ()):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_cycle_check_finds_a_cycle(monkeypatch):
    """The check above can fail: a made-up graph with a -> b -> a is caught."""
    graph = {"a": ["b"], "b": ["a"]}
    monkeypatch.setattr(__import__(__name__), "_ui_graph", lambda: graph)
    with pytest.raises(AssertionError):
        test_no_import_cycle_within_ui()
