"""``client.survey_templates`` against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import (
    AliceClient,
    BadRequestError,
    InvalidInputError,
    NotFoundError,
    SurveyTemplate,
    TtsLanguage,
)
from alice_async.emulator import Emulator

from ._helpers import requests_sent


async def test_creates_a_template_in_english_by_default(client: AliceClient) -> None:
    template = await client.survey_templates.create(name="Reminder", description="for tests")
    assert isinstance(template, SurveyTemplate)
    assert template.tts_language is TtsLanguage.EN
    assert template.user == "alice"
    assert template.is_onboarding is False
    assert await client.survey_templates.get(template.id) == template


async def test_vietnamese_text_round_trips(client: AliceClient) -> None:
    template = await client.survey_templates.create(
        name="Xác nhận lịch hẹn", tts_language=TtsLanguage.VI, description="Tiếng Việt có dấu"
    )
    again = await client.survey_templates.get(template.id)
    assert (again.name, again.tts_language, again.description) == (
        "Xác nhận lịch hẹn",
        TtsLanguage.VI,
        "Tiếng Việt có dấu",
    )


async def test_lists_templates_by_search_description_onboarding_and_user(
    client: AliceClient,
) -> None:
    first = await client.survey_templates.create(name="Chăm sóc", description="khách VIP")
    second = await client.survey_templates.create(name="Nhắc nợ", description="thu hồi")
    assert [t.id for t in await client.survey_templates.list(search="chăm").to_list()] == [first.id]
    assert [t.id for t in await client.survey_templates.list(description="thu").to_list()] == [
        second.id
    ]
    not_onboarding = await client.survey_templates.list(is_onboarding=False).to_list()
    assert {t.id for t in not_onboarding} == {first.id, second.id}
    assert await client.survey_templates.list(is_onboarding=True).to_list() == []
    assert await client.survey_templates.list(user=999).to_list() == []


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": "x" * 91}, "name"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": "ok", "tts_language": "fr"}, "tts_language"),
        ({"name": "ok", "tts_language": None}, "tts_language"),
        ({"name": "ok", "description": 5}, "description"),
    ],
)
async def test_create_refuses_invalid_fields_before_sending(
    client: AliceClient, emulator: Emulator, arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.survey_templates.create(**arguments)
    assert info.value.field == field
    assert requests_sent(emulator) == 0


def test_list_refuses_a_non_boolean_onboarding_filter(offline_client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as info:
        offline_client.survey_templates.list(is_onboarding="true")  # type: ignore[arg-type]
    assert info.value.field == "is_onboarding"


async def test_a_server_refusal_surfaces_as_bad_request_with_field_errors(
    client: AliceClient,
) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.request("POST", "survey-template/", json={"tts_language": "fr"})
    assert set(info.value.errors) >= {"name", "tts_language"}


async def test_another_accounts_template_is_not_found(
    client: AliceClient, other_client: AliceClient
) -> None:
    template = await client.survey_templates.create(name="Riêng")
    with pytest.raises(NotFoundError):
        await other_client.survey_templates.get(template.id)
