"""Lessons: one-click scenes, each a link with a two-sentence caption that says what to watch.

A lesson is written as the link it opens (``query``), so it is read by the same codec as any
shared link and cannot hold a value a link could not. ``teach`` opens the "why" panels with it
(the step inspector and the arrows on the map). ``tests/test_lessons.py`` runs every lesson's
scene through the engine and checks that it shows its point.
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional

from ui.model import scene as S
from ui.model.lesson_catalog import CATALOG, LessonText


@dataclasses.dataclass(frozen=True)
class Lesson(LessonText):
    """A lesson with its scene read through the codec, like any shared link."""

    @property
    def scene(self) -> dict:
        return S.parse(self.query)[0]

    def link(self, present: bool = False) -> str:
        """The lesson's whole link: its scene, its name, and the view it opens with."""
        return "?" + S.link(self.scene, {"lesson": self.id, "teach": self.teach, "present": present,
                                         "weight": self.weight})


LESSONS: List[Lesson] = [Lesson(**dataclasses.asdict(text)) for text in CATALOG]
_BY_ID = {lesson.id: lesson for lesson in LESSONS}


def ids() -> List[str]:
    return list(_BY_ID)


def get(lesson_id: str) -> Lesson:
    try:
        return _BY_ID[lesson_id]
    except (KeyError, TypeError):
        raise ValueError(f"unknown lesson {lesson_id!r}; known: {', '.join(_BY_ID)}") from None


def next_lesson(lesson_id: Optional[str]) -> Lesson:
    """The lesson after this one (the first after the last, or when none is open)."""
    if lesson_id not in _BY_ID:
        return LESSONS[0]
    return LESSONS[(ids().index(lesson_id) + 1) % len(LESSONS)]


def number(lesson_id: str) -> int:
    """1-based position of a lesson in the list."""
    return ids().index(lesson_id) + 1
