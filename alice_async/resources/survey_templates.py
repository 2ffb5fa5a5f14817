"""``client.survey_templates``: the ``survey-template/`` endpoint (docs/API.md §5.2)."""

from __future__ import annotations

from typing import Any

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import boolean, enum_value, object_id, require, text
from ..models.survey_templates import SurveyTemplate, TtsLanguage
from ._base import Resource, bounded, per_call
from ._settle import named

__all__ = ["SurveyTemplates"]


class SurveyTemplates(Resource):
    """Survey templates: the call scripts campaigns play (their steps are section templates).

    Example::

        template = await client.survey_templates.create(
            name="Xác nhận lịch hẹn", tts_language=TtsLanguage.VI
        )
        await client.section_templates.create(
            survey=template.id, question="Chào", script="Xin chào {first_name}!"
        )
    """

    _path = "survey-template/"

    @per_call
    def list(
        self,
        *,
        search: str | None = None,
        description: str | None = None,
        is_onboarding: bool | None = None,
        user: int | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[SurveyTemplate]:
        """Survey templates, optionally by name (``search``), ``description`` (both contains),
        ``is_onboarding`` and owner ``user`` id."""
        filters = {
            "search": None if search is None else text("search", search),
            "description": None if description is None else text("description", description),
            "is_onboarding": None
            if is_onboarding is None
            else boolean("is_onboarding", is_onboarding),
            "user": None if user is None else object_id("user", user),
        }
        return self._paginate(
            SurveyTemplate, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
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
    ) -> SurveyTemplate:
        """One survey template by id."""
        return await self._retrieve(id, SurveyTemplate, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        name: str,
        tts_language: TtsLanguage | str = TtsLanguage.EN,
        description: str | None = None,
        settle: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> SurveyTemplate:
        """Create a survey template (``name`` up to 90 characters, ``tts_language`` vi or en).

        ``settle=True`` (default): after an ambiguous failure the template is looked up by
        name before the request is sent again; ``False`` raises instead.
        """
        body: dict[str, Any] = {
            "name": text("name", require("name", name), max_length=90, required=True),
            "tts_language": enum_value(
                "tts_language", require("tts_language", tts_language), TtsLanguage
            ),
        }
        if description is not None:
            body["description"] = text("description", description)
        identity = named("survey template", body["name"]) if boolean("settle", settle) else None
        return await self._create(
            body, SurveyTemplate, timeout=timeout, max_retries=max_retries, identity=identity
        )
