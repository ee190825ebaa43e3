"""Security headers on every response, and a frame policy that course pages can be allowed through."""

import base64
import hashlib
import re

import pytest

from ui import create_app
from ui.web import security


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def csp(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


@pytest.mark.parametrize("path", ["/", "/healthz", "/_dash-layout", "/_dash-dependencies", "/no-such-page"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert csp(response)["frame-ancestors"] == ["'self'"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert csp(response)["object-src"] == ["'none'"] and csp(response)["default-src"] == ["'self'"]


def test_callback_answers_and_errors_carry_them_too(client):
    for response in (client.post("/_dash-update-component", data="junk", content_type="application/json"),
                     client.post("/_dash-update-component", json={"output": "nope.x"})):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors" in response.headers["Content-Security-Policy"]


def test_the_csp_allows_exactly_the_pages_inline_scripts(client):
    """Dash writes its renderer's start-up inline; the CSP names it by hash (no 'unsafe-inline'),
    so the page works and nothing else inline can run."""
    page = client.get("/")
    html = re.sub(r"<!--.*?-->", "", page.get_data(as_text=True), flags=re.S)  # e.g. the IE-only notice
    inline = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
              if "src=" not in attrs and "application/json" not in attrs]
    assert inline, "expected Dash's inline start-up script"
    allowed = csp(page)["script-src"]
    assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert all(src.startswith("/") for src in re.findall(r'<script[^>]*src="([^"]+)"', html))  # nothing remote


def test_course_pages_can_be_allowed_to_embed_the_app(monkeypatch):
    monkeypatch.setenv(security.FRAME_ANCESTORS_ENV, "https://moodle.example.edu, https://*.instructure.com")
    response = create_app().server.test_client().get("/")
    assert csp(response)["frame-ancestors"] == ["'self'", "https://moodle.example.edu", "https://*.instructure.com"]
    assert "X-Frame-Options" not in response.headers  # it cannot name other sites: browsers would block them
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("value, expected", [
    ("", ["'self'"]),
    ("   ", ["'self'"]),
    ("'none'", ["'none'"]),
    ("https://lms.example.edu:8443", ["'self'", "https://lms.example.edu:8443"]),
    ("'self' lms.example.edu", ["'self'", "lms.example.edu"]),
    ("https:", ["'self'", "https:"]),
])
def test_frame_ancestors_values(value, expected):
    assert security.frame_ancestors(value) == expected


@pytest.mark.parametrize("value", [
    "https://lms.example.edu/path", "'unsafe-inline'", "https://a.edu; script-src *", "javascript:alert(1)",
    "'none' https://a.edu", "https://exa mple.edu'", "*",
])
def test_a_bad_frame_policy_stops_the_server_with_a_message(monkeypatch, value):
    monkeypatch.setenv(security.FRAME_ANCESTORS_ENV, value)
    with pytest.raises(ValueError, match=security.FRAME_ANCESTORS_ENV):
        create_app()
