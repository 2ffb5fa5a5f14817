"""``client.surveys`` (``survey-list/``) against the emulator (read-only)."""

from __future__ import annotations

import pytest

from alice_async import AliceClient, InvalidInputError, NotFoundError, Survey, TtsLanguage

from ._helpers import Setup


async def test_lists_the_sealed_survey_of_a_new_account(client: AliceClient) -> None:
    surveys = await client.surveys.list().to_list()
    assert len(surveys) == 1
    assert isinstance(surveys[0], Survey)
    assert surveys[0].campaign is None
    assert await client.surveys.get(surveys[0].id) == surveys[0]


async def test_a_campaign_seals_a_copy_of_its_template(client: AliceClient, setup: Setup) -> None:
    campaign = await client.campaigns.create(**setup.campaign_fields())
    sealed = await client.surveys.list(campaign=campaign.id).to_list()
    assert [s.name for s in sealed] == ["Kịch bản"]
    assert sealed[0].tts_language is TtsLanguage.VI


async def test_filters_by_search_language_and_description(client: AliceClient) -> None:
    assert len(await client.surveys.list(search="reminder").to_list()) == 1
    assert len(await client.surveys.list(tts_language=TtsLanguage.VI).to_list()) == 1
    assert await client.surveys.list(tts_language="en").to_list() == []
    assert len(await client.surveys.list(description="sealed").to_list()) == 1
    assert await client.surveys.list(search="không có").to_list() == []


def test_refuses_an_unknown_language_filter(offline_client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as info:
        offline_client.surveys.list(tts_language="fr")
    assert info.value.field == "tts_language"


async def test_another_accounts_survey_is_not_found(
    client: AliceClient, other_client: AliceClient
) -> None:
    mine = (await client.surveys.list().to_list())[0]
    with pytest.raises(NotFoundError):
        await other_client.surveys.get(mine.id)
