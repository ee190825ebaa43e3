"""The hard limits on what one request may cost, and the refusal every layer raises.

The scene's own ranges (``ui/model/scene_fields.py``) sit inside these; a test holds them there, so
a later feature cannot quietly widen what one request may cost. ``BadInput``'s text is shown to the
user as it is (``ui/web/guard.py`` puts it in the ``message`` element).
"""

MAX_STEPS = 5000
MAX_RUNS = 20
MAX_GRID = 200                  # points per side of any grid the server computes
MAX_EXPRESSION_LENGTH = 500     # characters in a custom surface's expression
MAX_URL_LENGTH = 4096           # bytes in a link's query string
MAX_REQUEST_BYTES = 8 * 2**20   # a callback request body (the largest real one, a full trajectory store, is ~2 MB)
MAX_SCENE_FILE_BYTES = 64 * 2**10
MAX_WARNINGS, MAX_WARNING_LENGTH = 40, 300
MAX_DRAWN_TRACES = 1000         # traces a graph may hold, as the browser reports them back

KEEP = "The last good scene is still shown."


class BadInput(ValueError):
    """An input refused with a sentence for the user (shown in ``message`` as it is)."""
