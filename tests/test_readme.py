"""The README's notebook examples run as written, and its set-up commands stay true."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_has_notebook_examples():
    assert len(python_blocks()) >= 1


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_python_block_runs(index):
    namespace = {"__name__": "readme"}
    exec(compile(python_blocks()[index], f"README.md block {index}", "exec"), namespace)


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in README
    assert re.search(r"^bash scripts/test\.sh\s*$", ci, flags=re.M)


def test_readme_run_command_starts_the_app():
    assert "pip install -r requirements.txt && python app.py" in README


def test_every_optimizer_has_a_row_with_its_family_reference_version_and_parity_test():
    import optimizers
    from optim_db import BY_NAME

    pins = dict(re.findall(r"^([\w-]+)==([\d.]+)", (ROOT / "requirements-dev.txt").read_text(), flags=re.M))
    package = {"torch.optim": "torch", "lion_pytorch": "lion-pytorch", "schedulefree": "schedulefree",
               "prodigyopt": "prodigyopt"}
    for name in optimizers.names():
        rows = re.findall(rf"^\| `{name}`[^|]*\|([^|]+)\|(.+)\|(.+)\|$", README, flags=re.M)
        assert len(rows) == 1, name
        family, reference, test = rows[0]
        info = optimizers.info(name)
        assert family.strip() == f"{info.family} ({info.kind})", name
        module = BY_NAME[name].reference.split(":")[0]
        if module:
            shown = "torch.optim" if module == "torch.optim" else package[module]
            assert f"{shown} {pins[package[module]]} `{BY_NAME[name].reference.split(':')[1]}`" in reference, name
            assert "test_optimizer_matches_torch" in test
            assert all(f"`{case[0]}`" in test for case in BY_NAME[name].inputs), name
        else:
            assert reference.strip().startswith("closed form") and "test_newton.py" in test, name


def test_every_lesson_is_listed_with_its_link():
    from ui.model import lessons

    assert f"lists {len(lessons.LESSONS)} one-click scenes" in README
    for k, lesson in enumerate(lessons.LESSONS, start=1):
        assert f"{k}. [**{lesson.title}**]({lesson.link()}) (`lesson={lesson.id}`): {lesson.caption}" in README
