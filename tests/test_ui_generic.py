"""ui/ is generic over optimizers: it reads the registry's metadata and never an optimizer's module."""

import ast
import pathlib

import optimizers

UI = pathlib.Path(__file__).resolve().parent.parent / "ui"


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)


def test_no_ui_module_imports_the_rules():
    offenders = {str(p.relative_to(UI.parent)): name for p in UI.rglob("*.py") for name in _imports(p)
                 if name.startswith("optimizers.rules") or name.startswith("optimizers._")}
    assert offenders == {}


def test_every_registry_entry_describes_its_controls_and_state():
    for name in optimizers.names():
        info = optimizers.info(name)
        keys = [c.key for c in info.controls]
        assert keys[0] == "lr", name
        for control in info.controls:  # a torch keyword, or one half of a torch pair (betas[0], etas[1], ...)
            assert control.torch_name.split("[")[0] in info.defaults, (name, control.key)
        assert info.state_fields, name
        for key, symbol in info.symbols.items():
            assert symbol and key in keys or key in info.fixed, (name, key)
