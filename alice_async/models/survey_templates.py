"""Survey template model and its TTS language (docs/API.md §5.2)."""

from __future__ import annotations

import datetime as dt

import attrs

from .._enums import OpenStrEnum
from ._common import PlainData, StrOrInt

__all__ = ["SurveyTemplate", "TtsLanguage"]


class TtsLanguage(OpenStrEnum):
    """The text-to-speech language of a survey."""

    VI = "vi"
    EN = "en"


@attrs.frozen
class SurveyTemplate(PlainData):
    """An editable call script (its steps are section templates); campaigns use a sealed copy.

    Attributes:
        id: the survey template id (a campaign's ``object_id``).
        name: up to 90 characters.
        tts_language: ``TtsLanguage.VI`` or ``TtsLanguage.EN``.
        user: the owner (a username or a user id, as the server renders it).
        is_onboarding: whether the template came with the account's onboarding.
    """

    id: int
    name: str = ""
    tts_language: TtsLanguage = TtsLanguage.EN
    description: str | None = None
    user: StrOrInt = None
    is_onboarding: bool = False
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
