"""``client.surveys``: the read-only ``survey-list/`` endpoint (docs/API.md §5.7)."""

from __future__ import annotations

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import enum_value, object_id, text
from ..models.survey_templates import TtsLanguage
from ..models.surveys import Survey
from ._base import Resource, bounded, per_call

__all__ = ["Surveys"]


class Surveys(Resource):
    """Sealed surveys (read-only): the copies campaigns and calendar settings play.

    Example::

        async for survey in client.surveys.list(tts_language=TtsLanguage.VI):
            print(survey.id, survey.name, survey.campaign)
    """

    _path = "survey-list/"

    @per_call
    def list(
        self,
        *,
        search: str | None = None,
        tts_language: TtsLanguage | str | None = None,
        description: str | None = None,
        campaign: int | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Survey]:
        """Surveys, optionally by name (``search``), language, ``description``, ``campaign`` id."""
        filters = {
            "search": None if search is None else text("search", search),
            "tts_language": None
            if tts_language is None
            else enum_value("tts_language", tts_language, TtsLanguage),
            "description": None if description is None else text("description", description),
            "campaign": None if campaign is None else object_id("campaign", campaign),
        }
        return self._paginate(
            Survey, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Survey:
        """One survey by id."""
        return await self._retrieve(id, Survey, timeout=timeout, max_retries=max_retries)
