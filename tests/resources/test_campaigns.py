"""``client.campaigns`` against the emulator: CRUD, filters, state changes, validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from alice_async import (
    AliceClient,
    BadRequestError,
    Campaign,
    CampaignAction,
    CampaignStatus,
    InvalidInputError,
    NotFoundError,
)
from alice_async.emulator import Emulator

from ._helpers import UTC, Setup, requests_sent


async def test_creates_a_waiting_campaign_and_reads_it_back(
    client: AliceClient, setup: Setup
) -> None:
    created = await client.campaigns.create(**setup.campaign_fields(callerid="0281234567"))
    assert isinstance(created, Campaign)
    assert created.status is CampaignStatus.WAITING
    assert created.phonebook == [setup.phonebook]
    assert created.aleg_gateway == setup.gateway
    assert created.object_id == setup.template
    assert created.daily_stop_time == dt.time(23, 59, 59)
    assert created.startingdate is not None
    assert created.startingdate.tzinfo is not None
    assert await client.campaigns.get(created.id) == created


async def test_lists_campaigns_by_name_phonebook_and_status(
    client: AliceClient, setup: Setup
) -> None:
    other_book = await client.phonebooks.create(name="Khác")
    first = await client.campaigns.create(**setup.campaign_fields(name="Tháng ba"))
    second = await client.campaigns.create(
        **setup.campaign_fields(name="Tháng tư", phonebook=[other_book.id])
    )
    await client.campaigns.pause(second.id)

    by_name = await client.campaigns.list(name="BA").to_list()
    by_book = await client.campaigns.list(phonebook=other_book.id).to_list()
    paused = await client.campaigns.list(status=CampaignStatus.PAUSED).to_list()
    waiting = await client.campaigns.list(status=2).to_list()
    assert [c.id for c in by_name] == [first.id]
    assert [c.id for c in by_book] == [second.id]
    assert [c.id for c in paused] == [second.id]
    assert [c.id for c in waiting] == [first.id]


async def test_update_keeps_gateway_and_template_when_left_out(
    client: AliceClient, setup: Setup
) -> None:
    created = await client.campaigns.create(**setup.campaign_fields())
    fields = setup.campaign_fields(name="Đổi tên", frequency=3, description="mô tả")
    del fields["aleg_gateway"], fields["object_id"]
    updated = await client.campaigns.update(created.id, **fields)
    assert (updated.name, updated.frequency, updated.description) == ("Đổi tên", 3, "mô tả")
    assert (updated.aleg_gateway, updated.object_id) == (setup.gateway, setup.template)


async def test_deletes_a_campaign(client: AliceClient, setup: Setup) -> None:
    created = await client.campaigns.create(**setup.campaign_fields())
    await client.campaigns.delete(created.id)
    with pytest.raises(NotFoundError):
        await client.campaigns.get(created.id)


async def test_actions_move_the_campaign_between_states(client: AliceClient, setup: Setup) -> None:
    campaign = await client.campaigns.create(**setup.campaign_fields())
    assert (await client.campaigns.start(campaign.id)).status is CampaignStatus.STARTED
    assert (await client.campaigns.pause(campaign.id)).status is CampaignStatus.PAUSED
    resumed = await client.campaigns.set_status(campaign.id, CampaignAction.START)
    assert resumed.status is CampaignStatus.STARTED
    assert (await client.campaigns.abort(campaign.id)).status is CampaignStatus.ENDED
    other = await client.campaigns.create(**setup.campaign_fields(name="Thứ hai"))
    assert (await client.campaigns.set_status(other.id, 4)).status is CampaignStatus.ENDED
    assert (await client.campaigns.end(campaign.id)).status is CampaignStatus.ENDED


async def test_starting_an_ended_campaign_is_a_bad_request_on_status(
    client: AliceClient, setup: Setup
) -> None:
    campaign = await client.campaigns.create(**setup.campaign_fields())
    await client.campaigns.end(campaign.id)
    with pytest.raises(BadRequestError) as info:
        await client.campaigns.start(campaign.id)
    assert "status" in info.value.errors


async def test_refuses_a_campaign_status_passed_as_an_action(
    client: AliceClient, emulator: Emulator, setup: Setup
) -> None:
    campaign = await client.campaigns.create(**setup.campaign_fields())
    before = requests_sent(emulator)
    with pytest.raises(InvalidInputError, match="CampaignAction") as info:
        await client.campaigns.set_status(campaign.id, CampaignStatus.PAUSED)
    assert info.value.field == "action"
    assert requests_sent(emulator) == before
    assert (await client.campaigns.get(campaign.id)).status is CampaignStatus.WAITING


@pytest.mark.parametrize("action", [0, 5, "start", True, None])
async def test_refuses_an_action_that_is_not_a_campaign_action(
    client: AliceClient, action: Any
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.campaigns.set_status(1, action)
    assert info.value.field == "action"


def test_list_refuses_a_campaign_action_as_a_status_filter(offline_client: AliceClient) -> None:
    with pytest.raises(InvalidInputError, match="CampaignStatus") as info:
        offline_client.campaigns.list(status=CampaignAction.PAUSE)
    assert info.value.field == "status"


def test_list_refuses_an_unknown_status_value(offline_client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as info:
        offline_client.campaigns.list(status=9)
    assert info.value.field == "status"


async def test_a_duplicated_name_is_a_bad_request_with_non_field_errors(
    client: AliceClient, setup: Setup
) -> None:
    await client.campaigns.create(**setup.campaign_fields(name="Trùng"))
    with pytest.raises(BadRequestError) as info:
        await client.campaigns.create(**setup.campaign_fields(name="Trùng"))
    assert info.value.errors["non_field_errors"] == ["The Campaign name duplicated!"]


async def test_a_phonebook_of_another_account_is_a_bad_request_on_phonebook(
    client: AliceClient, other_client: AliceClient, setup: Setup
) -> None:
    foreign = await other_client.phonebooks.create(name="Của Bob")
    with pytest.raises(BadRequestError) as info:
        await client.campaigns.create(**setup.campaign_fields(phonebook=[foreign.id]))
    assert "phonebook" in info.value.errors


async def test_another_accounts_campaign_is_not_found(
    client: AliceClient, other_client: AliceClient, setup: Setup
) -> None:
    campaign = await client.campaigns.create(**setup.campaign_fields())
    with pytest.raises(NotFoundError):
        await other_client.campaigns.get(campaign.id)
    with pytest.raises(NotFoundError):
        await other_client.campaigns.start(campaign.id)


NOW = dt.datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"callerid": "x" * 81}, "callerid"),
        ({"phonebook": []}, "phonebook"),
        ({"phonebook": ["293"]}, "phonebook"),
        ({"phonebook": None}, "phonebook"),
        ({"aleg_gateway": None}, "aleg_gateway"),
        ({"aleg_gateway": "23"}, "aleg_gateway"),
        ({"object_id": None}, "object_id"),
        ({"object_id": 0}, "object_id"),
        ({"frequency": 0}, "frequency"),
        ({"frequency": 101}, "frequency"),
        ({"frequency": None}, "frequency"),
        ({"startingdate": NOW.replace(tzinfo=None)}, "startingdate"),
        ({"expirationdate": "2026-03-02T01:00:00"}, "expirationdate"),
        ({"startingdate": NOW, "expirationdate": NOW}, "expirationdate"),
        (
            {"startingdate": NOW, "expirationdate": NOW - dt.timedelta(days=1)},
            "expirationdate",
        ),
        ({"daily_start_time": "09:00", "daily_stop_time": "08:00"}, "daily_stop_time"),
        ({"daily_start_time": "09:00", "daily_stop_time": "09:00:00"}, "daily_stop_time"),
        ({"daily_start_time": "9 o'clock"}, "daily_start_time"),
    ],
)
async def test_create_refuses_invalid_fields_before_sending(
    client: AliceClient,
    emulator: Emulator,
    setup: Setup,
    overrides: dict[str, Any],
    field: str,
) -> None:
    before = requests_sent(emulator)
    with pytest.raises(InvalidInputError) as info:
        await client.campaigns.create(**setup.campaign_fields(**overrides))
    assert info.value.field == field
    assert requests_sent(emulator) == before


async def test_update_refuses_an_expiration_before_the_start(client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.campaigns.update(
            1,
            name="x",
            phonebook=[1],
            frequency=1,
            startingdate=NOW,
            expirationdate=NOW - dt.timedelta(seconds=1),
            daily_start_time="08:00",
            daily_stop_time="21:00",
        )
    assert info.value.field == "expirationdate"


async def test_ids_must_be_positive_integers(client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.campaigns.get(0)
    assert info.value.field == "id"
    with pytest.raises(InvalidInputError):
        await client.campaigns.delete("7")  # type: ignore[arg-type]


async def test_datetimes_in_other_zones_are_sent_as_utc(client: AliceClient, setup: Setup) -> None:
    ict = dt.timezone(dt.timedelta(hours=7))
    start = dt.datetime(2026, 3, 1, 8, 0, tzinfo=ict)
    campaign = await client.campaigns.create(
        **setup.campaign_fields(startingdate=start, expirationdate=start + dt.timedelta(days=2))
    )
    assert campaign.startingdate == dt.datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
