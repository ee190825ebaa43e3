"""Security headers on every response, with a frame policy that lets course pages embed the app.

``GRADSCAPE_FRAME_ANCESTORS`` lists the sites allowed to show Gradscape in a frame, e.g.
``https://moodle.example.edu https://*.instructure.com``. Unset, only Gradscape's own pages may
(``frame-ancestors 'self'`` plus ``X-Frame-Options: SAMEORIGIN`` for old browsers); set, the
CSP lists those sites and ``X-Frame-Options`` is left out, because it cannot name other sites
and browsers that read it would refuse the embedding.

The Content-Security-Policy allows scripts only from the app itself and the inline scripts Dash
writes into the page, by hash (``app.csp_hashes()``; they are taken at the first request, once
every callback is registered). Styles may be inline: Plotly and React set them at run time.
"""

from __future__ import annotations

import os
import re
from typing import List

FRAME_ANCESTORS_ENV = "GRADSCAPE_FRAME_ANCESTORS"

# A CSP source expression we accept in the frame list: 'self', 'none', a scheme, or
# [scheme://]host[:port] with an optional leading *. subdomain wildcard (no paths, no quotes).
_SOURCE = re.compile(r"^(?:'self'|'none'|https?:|(?:https?://)?(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                     r"(?::(?:\d{1,5}|\*))?)$")

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def frame_ancestors(value=None) -> List[str]:
    """The CSP frame-ancestors sources from the environment's value (default: only our own pages).

    Raises ValueError for a source that is not a plain origin, so a typo stops the server at start
    instead of silently blocking (or allowing) every course page.
    """
    value = os.environ.get(FRAME_ANCESTORS_ENV, "") if value is None else value
    sources = value.replace(",", " ").split()
    if not sources:
        return ["'self'"]
    bad = [s for s in sources if not _SOURCE.match(s)]
    if bad:
        raise ValueError(f"{FRAME_ANCESTORS_ENV}: {bad[0]!r} is not an origin such as https://lms.example.edu "
                         "or https://*.example.edu")
    if "'none'" in sources and len(sources) > 1:
        raise ValueError(f"{FRAME_ANCESTORS_ENV}: 'none' cannot be combined with other sources")
    return sources if "'none'" in sources or "'self'" in sources else ["'self'"] + sources


def content_security_policy(script_hashes, ancestors) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": list(ancestors),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(app, ancestors) -> dict:
    headers = dict(STATIC_HEADERS)
    headers["Content-Security-Policy"] = content_security_policy(app.csp_hashes(), ancestors)
    if ancestors == ["'self'"]:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


def install(app, ancestors=None) -> None:
    """Add the headers to every response of ``app.server``."""
    ancestors = frame_ancestors() if ancestors is None else list(ancestors)
    cache = {}

    def add_headers(response):
        if "headers" not in cache:  # at the first request: every inline script is registered by then
            cache["headers"] = security_headers(app, ancestors)
        for name, value in cache["headers"].items():
            response.headers.setdefault(name, value)
        return response

    app.server.after_request(add_headers)
