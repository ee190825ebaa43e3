"""ui/ is generic over optimizers: it reads the registry's metadata and never an optimizer's module."""

import pathlib

import optimizers

from source_imports import imports as _imports

UI = pathlib.Path(__file__).resolve().parent.parent / "ui"


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


def _panel_keys(name):
    from layout_tree import walk
    from ui.web import controls as C
    from ui.web import ids

    panel = C.override_panel(name, "#000000", {})
    return [c.id["key"] for c in walk(panel) if isinstance(getattr(c, "id", None), dict)
            and c.id.get("type") == ids.OPT_HYPER and c.id.get("index") == name]


def test_every_hyperparameter_an_entry_offers_has_a_box_on_the_page():
    for name in optimizers.names():
        keys = _panel_keys(name)
        assert [c.key for c in optimizers.info(name).controls] == keys[:len(optimizers.info(name).controls)], name
    # the ones the page could not reach before the registry described its controls
    assert {"dampening", "nesterov"} <= set(_panel_keys("sgd"))
    assert "lr_decay" in _panel_keys("adagrad") and "momentum_decay" in _panel_keys("nadam")


def test_a_box_sets_the_hyperparameter_it_names():
    from ui.model import compute
    from ui.model import scene as S

    scene, warnings = S.parse("opt=sgd,nadam&sgd.dampening=0.3&nadam.momentum_decay=0.01&nadam.beta2=0.99")
    assert warnings == []
    sgd = scene.hyperparameters("sgd")
    nadam = scene.hyperparameters("nadam")
    assert sgd["dampening"] == 0.3 and nadam["momentum_decay"] == 0.01
    assert nadam["betas"] == (scene.momentum, 0.99)   # the slider's β₁ joins the box's β₂ in torch's pair
    assert optimizers.get("nadam", **nadam).hyper["beta2"] == 0.99
