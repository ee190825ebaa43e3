"""Reference libraries for the parity tests (tests/optim_db.py): torch.optim and the authors'
packages. Without one, its tests skip with a loud reason, except in CI (CI=true), where a
missing reference fails the run: CI must never pass without comparing every optimizer."""

from __future__ import annotations

import importlib.util
import os

import pytest

from optim_db import OPTIM_DB

REFERENCE_MODULES = sorted({info.reference.split(":")[0].split(".")[0] for info in OPTIM_DB if info.reference})


def missing_references():
    """The reference modules that cannot be imported here."""
    return [m for m in REFERENCE_MODULES if importlib.util.find_spec(m) is None]


@pytest.fixture(autouse=True, scope="session")
def _require_references_in_ci():
    missing = missing_references()
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"REFERENCE TESTS NOT RUN: {', '.join(missing)} not installed (pip install -r "
                    "requirements-dev.txt, and torch==2.13.0). CI=true, so this is a failure.", pytrace=False)
