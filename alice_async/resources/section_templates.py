"""``client.section_templates``: the ``section-template/`` endpoint (docs/API.md §5.3)."""

from __future__ import annotations

from typing import Any

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import enum_value, object_id, require, text
from ..models.section_templates import SectionTemplate, SectionType
from ._base import Resource, bounded, per_call

__all__ = ["SectionTemplates"]


def section_body(
    *, type: Any, survey: Any, question: Any, script: Any, partial: bool
) -> dict[str, Any]:
    """Validate a section's fields (``None`` left out; without ``partial`` the required ones
    must be there)."""
    body: dict[str, Any] = {}
    if type is not None:
        body["type"] = enum_value("type", type, SectionType)
    if survey is not None:
        body["survey"] = object_id("survey", survey)
    elif not partial:
        require("survey", survey)
    if question is not None:
        body["question"] = text("question", question, max_length=500, required=True)
    elif not partial:
        require("question", question)
    if script is not None:
        body["script"] = text("script", script, max_length=1000)
    return body


class SectionTemplates(Resource):
    """Section templates: the steps of a survey template (play a message, ask, transfer...).

    Example::

        section = await client.section_templates.create(
            survey=template.id, type=SectionType.PLAY_MESSAGE,
            question="Lời chào", script="Xin chào {first_name}.",
        )
        await client.section_templates.update(section.id, script="Vui lòng đợi trong giây lát.")
    """

    _path = "section-template/"

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[SectionTemplate]:
        """Section templates of the account."""
        return self._paginate(
            SectionTemplate, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
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
    ) -> SectionTemplate:
        """One section template by id."""
        return await self._retrieve(id, SectionTemplate, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        survey: int,
        question: str,
        type: SectionType | int = SectionType.PLAY_MESSAGE,
        script: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> SectionTemplate:
        """Add a section to a survey template.

        Args:
            survey: id of the survey template.
            question: the section's name, up to 500 characters.
            type: a :class:`SectionType` (default ``PLAY_MESSAGE``).
            script: the IVR/TTS text, up to 1000 characters (``{first_name}`` tags allowed).
        """
        body = section_body(
            type=require("type", type),
            survey=survey,
            question=question,
            script=script,
            partial=False,
        )
        return await self._create(body, SectionTemplate, timeout=timeout, max_retries=max_retries)

    @bounded
    async def update(
        self,
        id: int,
        *,
        type: SectionType | int | None = None,
        survey: int | None = None,
        question: str | None = None,
        script: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> SectionTemplate:
        """Change the given fields of a section; only those are sent, the others are kept."""
        body = section_body(
            type=type, survey=survey, question=question, script=script, partial=True
        )
        return await self._update(
            id, body, SectionTemplate, timeout=timeout, max_retries=max_retries
        )
