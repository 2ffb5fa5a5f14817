"""``client.section_templates`` against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import (
    AliceClient,
    BadRequestError,
    InvalidInputError,
    NotFoundError,
    SectionTemplate,
    SectionType,
)
from alice_async.emulator import Emulator

from ._helpers import requests_sent


@pytest.fixture
async def template_id(client: AliceClient) -> int:
    return (await client.survey_templates.create(name="Kịch bản")).id


async def test_creates_play_message_sections_in_order(
    client: AliceClient, template_id: int
) -> None:
    first = await client.section_templates.create(
        survey=template_id, question="Lời chào", script="Xin chào {first_name}."
    )
    second = await client.section_templates.create(
        survey=template_id, question="Chuyển máy", type=SectionType.CALL_TRANSFER
    )
    assert isinstance(first, SectionTemplate)
    assert first.type is SectionType.PLAY_MESSAGE
    assert first.script == "Xin chào {first_name}."
    assert second.type is SectionType.CALL_TRANSFER
    assert (first.order, second.order) == (1, 2)
    assert [s.id for s in await client.section_templates.list().to_list()] == [
        first.id,
        second.id,
    ]
    assert await client.section_templates.get(second.id) == second


async def test_update_sends_only_the_given_fields(
    client: AliceClient, emulator: Emulator, template_id: int
) -> None:
    section = await client.section_templates.create(
        survey=template_id, question="Chờ", type=SectionType.RATING, script="cũ"
    )
    updated = await client.section_templates.update(
        section.id, script="Vui lòng đợi trong giây lát."
    )
    assert updated.script == "Vui lòng đợi trong giây lát."
    assert (updated.question, updated.type, updated.survey) == (
        "Chờ",
        SectionType.RATING,
        template_id,
    )
    assert ("PUT", "section-template/{id}/") in emulator.stats.requests


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"survey": None, "question": "q"}, "survey"),
        ({"survey": 1, "question": None}, "question"),
        ({"survey": 1, "question": "x" * 501}, "question"),
        ({"survey": 1, "question": "q", "script": "x" * 1001}, "script"),
        ({"survey": 1, "question": "q", "type": 11}, "type"),
        ({"survey": 1, "question": "q", "type": None}, "type"),
        ({"survey": "one", "question": "q"}, "survey"),
    ],
)
async def test_create_refuses_invalid_fields_before_sending(
    client: AliceClient, emulator: Emulator, arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.section_templates.create(**arguments)
    assert info.value.field == field
    assert requests_sent(emulator) == 0


async def test_update_validates_the_fields_it_sends(client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.section_templates.update(1, script="x" * 1001)
    assert info.value.field == "script"


async def test_an_unknown_survey_is_a_bad_request_on_survey(client: AliceClient) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.section_templates.create(survey=999, question="q")
    assert "survey" in info.value.errors


async def test_another_accounts_section_is_not_found(
    client: AliceClient, other_client: AliceClient, template_id: int
) -> None:
    section = await client.section_templates.create(survey=template_id, question="q")
    with pytest.raises(NotFoundError):
        await other_client.section_templates.get(section.id)
    with pytest.raises(NotFoundError):
        await other_client.section_templates.update(section.id, script="đổi")
