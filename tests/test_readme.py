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
