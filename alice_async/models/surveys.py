"""Survey model (docs/API.md §5.7): the sealed copies of survey templates."""

from __future__ import annotations

import datetime as dt

import attrs

from ._common import PlainData
from .survey_templates import TtsLanguage

__all__ = ["Survey"]


@attrs.frozen
class Survey(PlainData):
    """A sealed survey that a campaign or a calendar setting plays.

    Attributes:
        id: the survey id (a calendar setting's ``survey``).
        name: the name copied from its template.
        tts_language: ``TtsLanguage.VI`` or ``TtsLanguage.EN``.
        campaign: id of the campaign it was sealed for, or ``None``.
    """

    id: int
    name: str = ""
    tts_language: TtsLanguage = TtsLanguage.EN
    description: str | None = None
    campaign: int | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
