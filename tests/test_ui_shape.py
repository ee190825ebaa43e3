"""ui/'s shape beyond its layers: callbacks keyed by name, and a scene read through its attributes."""

import ast
import pathlib

import pytest

UI = pathlib.Path(__file__).resolve().parent.parent / "ui"
SCENE_FIELDS = ("landscape", "optimizers", "lr", "momentum", "x0", "y0", "steps", "schedule", "schedule_param",
                "noise", "seed", "overrides", "expr", "repeat", "batch", "hidden", "activation", "net_seed", "layer_lr")
# The codec reads and writes the scene's JSON form: it alone may name the fields as strings.
CODEC = {"ui/model/scene.py", "ui/model/scene_type.py", "ui/model/scene_file.py"}
MAX_POSITIONAL_OUTPUTS = 2   # more outputs than this: a dict of named Outputs
MAX_POSITIONAL_ARGUMENTS = 3  # more inputs and states than this: a dict of named Inputs and States


def _server_callbacks(app):
    for key, spec in app.callback_map.items():
        if spec.get("callback") is not None:  # clientside callbacks are the JS's (named by their own arguments)
            yield key, spec


def test_callbacks_with_many_outputs_or_arguments_name_them(dash_app):
    """No ``rest[-4]``, no 12-tuple: a callback with more than a couple of outputs returns a dict, and one
    with more than three inputs takes them by name."""
    positional = []
    for key, spec in _server_callbacks(dash_app):
        outputs, arguments = spec["outputs_indices"], spec["inputs_state_indices"]
        n_outputs = len(outputs) if isinstance(outputs, (list, dict)) else 1
        n_arguments = len(spec["inputs"]) + len(spec["state"])
        if n_outputs > MAX_POSITIONAL_OUTPUTS and not isinstance(outputs, dict) \
                or n_arguments > MAX_POSITIONAL_ARGUMENTS and not isinstance(arguments, dict):
            positional.append(f"{spec['callback'].__name__} ({n_outputs} outputs, {n_arguments} arguments)")
    assert positional == []


def test_the_check_finds_a_positional_callback():
    from dash import Dash, Input, Output, html

    app = Dash(__name__)
    app.layout = html.Div([html.Div(id=f"d{i}") for i in range(5)])

    @app.callback(*[Output(f"d{i}", "title") for i in range(3)], Input("d4", "title"))
    def three(_):
        return 1, 2, 3

    found = [spec for _, spec in _server_callbacks(app)]
    assert len(found) == 1 and not isinstance(found[0]["outputs_indices"], dict)


def _string_key_reads(path: pathlib.Path):
    """Lines that read a scene field by its name: ``scene["lr"]`` or ``scene.get("lr")``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        key = None
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            key = node.slice.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and node.args and isinstance(node.args[0], ast.Constant):
            key = node.args[0].value
        if key in SCENE_FIELDS and _names_a_scene(node):
            found.append(f"{path.name}:{node.lineno}")
    return found


def _names_a_scene(node) -> bool:
    """Whether the object read is called a scene (``scene``, ``stored["scene"]``, ``result.scene``...)."""
    target = node.value if isinstance(node, ast.Subscript) else node.func.value
    text = ast.unparse(target)
    return "scene" in text.lower()


def test_a_scene_is_read_by_attribute_outside_the_codec():
    """The codec makes a typed, frozen Scene once per request; everything after it reads ``scene.lr``."""
    reads = [hit for path in sorted(UI.rglob("*.py")) if str(path.relative_to(UI.parent)) not in CODEC
             for hit in _string_key_reads(path)]
    assert reads == []


def test_the_read_check_finds_a_string_key(tmp_path):
    bad = tmp_path / "probe.py"
    bad.write_text('def f(scene, stored):\n    return scene["lr"] + stored["scene"].get("steps") + run.hyper["lr"]\n')
    assert _string_key_reads(bad) == ["probe.py:2", "probe.py:2"]


@pytest.fixture(scope="module")
def dash_app():
    from ui.web.app import create_app

    return create_app()
