"""Section template model and the section types (docs/API.md §5.3)."""

from __future__ import annotations

import attrs

from .._enums import OpenIntEnum
from ._common import PlainData

__all__ = ["SectionTemplate", "SectionType"]


class SectionType(OpenIntEnum):
    """What one step of a survey does."""

    PLAY_MESSAGE = 1
    MULTI_CHOICE = 2
    RATING = 3
    CAPTURE_DIGITS = 4
    RECORD_MESSAGE = 5
    CALL_TRANSFER = 6
    HANGUP = 7
    CONFERENCE = 8
    DNC = 9
    SMS = 10


@attrs.frozen
class SectionTemplate(PlainData):
    """One step of a survey template.

    Attributes:
        id: the section id.
        type: the :class:`SectionType`.
        survey: id of the survey template it belongs to.
        question: the section's name (up to 500 characters).
        script: the IVR/TTS text (up to 1000 characters; may hold ``{first_name}`` tags).
        order: position in the survey.
    """

    id: int
    type: SectionType = SectionType.PLAY_MESSAGE
    survey: int | None = None
    question: str = ""
    script: str | None = None
    order: int | None = None
