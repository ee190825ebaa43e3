"""The scene as a JSON file, for lecture notes: the same data as the link, read by the same codec.

A saved file looks like::

    {"format": "gradscape-scene", "version": 1,
     "link": "?landscape=rosenbrock&opt=sgd,momentum,adam&...",
     "scene": {"landscape": "rosenbrock", "optimizers": ["sgd", "momentum", "adam"], ...}}

``scene`` is what is loaded; ``link`` is there for people (paste it after the app's address). A
loaded scene goes through ``ui.model.scene.normalize``, so a hand-edited file gets exactly a link's
fallbacks and warnings. A file that is not a scene file raises ``BadInput`` with a sentence.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import List, Tuple

from ui.model import scene as S
from ui.model.limits import BadInput, KEEP, MAX_SCENE_FILE_BYTES
from ui.model.scene_type import Scene

FORMAT = "gradscape-scene"
VERSION = 1


def dumps(scene: Scene) -> str:
    """A scene file's text (the scene should be valid: a normalized one round-trips exactly)."""
    return json.dumps({"format": FORMAT, "version": VERSION, "link": "?" + S.encode(scene), "scene": scene.to_dict()},
                      indent=2, ensure_ascii=False) + "\n"


def loads(text: str) -> Tuple[Scene, List[str]]:
    """(scene, warnings) from a scene file's text; BadInput if it is not a scene file at all."""
    if not isinstance(text, str) or len(text.encode("utf-8", "surrogatepass")) > MAX_SCENE_FILE_BYTES:
        raise BadInput(f"Scene file: larger than {MAX_SCENE_FILE_BYTES // 1024} KB, so not a Gradscape scene. {KEEP}")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadInput(f"Scene file: not valid JSON. {KEEP}") from None
    if not isinstance(data, dict) or not isinstance(data.get("scene"), dict):
        raise BadInput(f"Scene file: no \"scene\" object in it, so not a Gradscape scene. {KEEP}")
    if data.get("format", FORMAT) != FORMAT:
        raise BadInput(f"Scene file: format {str(data.get('format'))[:40]!r} is not {FORMAT!r}. {KEEP}")
    warnings = []
    version = data.get("version", VERSION)
    if version != VERSION:
        warnings.append(f"Scene file: version {str(version)[:20]!r}, this app reads version {VERSION}; "
                        "whatever it could not read fell back to defaults")
    scene, problems = _normalize(data["scene"])
    return scene, warnings + [f"Scene file: {p}" for p in problems]


# The keys every saved file holds (a link always writes them); the others are optional in a file as in a link.
REQUIRED = {"landscape": "landscape", "optimizers": "opt", "lr": "lr", "momentum": "momentum", "x0": "x0",
            "y0": "y0", "steps": "steps", "schedule": "schedule"}


def _normalize(raw: dict) -> Tuple[Scene, List[str]]:
    """``S.normalize``, except that a key the file lacks is said to be missing (with the value used in
    its place), not read as an empty value ("momentum: '' is not a finite number")."""
    missing = [key for key in REQUIRED if key not in raw]
    dropped = {REQUIRED[key] for key in missing}
    query = "&".join(pair for pair in S.encode(raw).split("&") if pair.split("=", 1)[0] not in dropped)
    scene, problems = S.parse(query)
    said = [f"no {key!r}: using {S._text(getattr(scene, key)).replace(',', ', ')}" for key in missing]
    return scene, said + problems


def from_upload(contents, name=None) -> Tuple[Scene, List[str]]:
    """(scene, warnings) from ``dcc.Upload``'s ``contents`` (a base64 ``data:`` URL)."""
    if not isinstance(contents, str) or "," not in contents:
        raise BadInput(f"Scene file: the upload arrived empty. {KEEP}")
    if len(contents) > MAX_SCENE_FILE_BYTES * 4 // 3 + 200:
        raise BadInput(f"Scene file: larger than {MAX_SCENE_FILE_BYTES // 1024} KB, so not a Gradscape scene. {KEEP}")
    head, _, encoded = contents.partition(",")
    try:
        raw = base64.b64decode(encoded, validate=True) if head.endswith(";base64") else encoded.encode()
        text = raw.decode("utf-8-sig")
    except (binascii.Error, ValueError):
        raise BadInput(f"Scene file: {_named(name)}is not a text file. {KEEP}") from None
    return loads(text)


def _named(name) -> str:
    return f"{name[:60]!r} " if isinstance(name, str) and name else ""
