"""``client.subscribers`` (``subscriber-list/``) against the emulator (read-only)."""

from __future__ import annotations

import pytest

from alice_async import (
    AliceClient,
    CampaignStatus,
    InvalidInputError,
    NotFoundError,
    Subscriber,
    SubscriberStatus,
)
from alice_async.emulator import Emulator

from ._helpers import Setup

NUMBERS = ("0901000001", "0901000002", "0901000003", "0901000004")


@pytest.fixture
async def campaign_id(client: AliceClient, emulator: Emulator, setup: Setup) -> int:
    """A started campaign over four contacts (one inactive), every call finished."""
    for number in NUMBERS:
        await client.contacts.create(
            phonebook=setup.phonebook, contact=number, status=0 if number.endswith("4") else 1
        )
    campaign = await client.campaigns.create(**setup.campaign_fields())
    await client.campaigns.start(campaign.id)
    emulator.advance(600)
    return campaign.id


async def test_a_started_campaign_enrols_its_active_contacts(
    client: AliceClient, campaign_id: int
) -> None:
    subscribers = await client.subscribers.list(campaign=campaign_id).to_list()
    assert all(isinstance(s, Subscriber) for s in subscribers)
    assert [s.phone_number for s in subscribers] == list(NUMBERS[:3])
    assert all(s.count_attempt >= 1 for s in subscribers)
    assert all(s.status in set(SubscriberStatus) for s in subscribers)
    assert await client.subscribers.get(subscribers[0].id) == subscribers[0]
    assert (await client.campaigns.get(campaign_id)).status is CampaignStatus.COMPLETED


async def test_filters_by_contact_number_status_duration_and_billsec(
    client: AliceClient, campaign_id: int
) -> None:
    everyone = await client.subscribers.list(campaign=campaign_id).to_list()
    sample = everyone[1]
    by_number = await client.subscribers.list(contact="0901 000 002").to_list()
    assert [s.id for s in by_number] == [sample.id]
    by_status = await client.subscribers.list(status=sample.status).to_list()
    assert sample.id in [s.id for s in by_status]
    assert all(s.status == sample.status for s in by_status)
    by_int_status = await client.subscribers.list(status=int(sample.status)).to_list()
    assert by_int_status == by_status
    assert sample.duration is not None
    assert sample.billsec is not None
    by_duration = await client.subscribers.list(duration=sample.duration).to_list()
    assert all(s.duration == sample.duration for s in by_duration)
    by_billsec = await client.subscribers.list(billsec=sample.billsec).to_list()
    assert sample.id in [s.id for s in by_billsec]
    assert await client.subscribers.list(status=SubscriberStatus.NOT_AUTHORIZED).to_list() == []


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"contact": 901000002}, "contact"),
        ({"status": 0}, "status"),
        ({"status": CampaignStatus.STARTED}, "status"),
        ({"campaign": -3}, "campaign"),
        ({"duration": 1.5}, "duration"),
        ({"billsec": -1}, "billsec"),
        ({"page_size": 0}, "page_size"),
    ],
)
def test_refuses_invalid_filters(
    offline_client: AliceClient, filters: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        offline_client.subscribers.list(**filters)  # type: ignore[call-overload]
    assert info.value.field == field


async def test_another_accounts_subscriber_is_not_found(
    client: AliceClient, other_client: AliceClient, campaign_id: int
) -> None:
    mine = (await client.subscribers.list(campaign=campaign_id).first_page()).items[0]
    with pytest.raises(NotFoundError):
        await other_client.subscribers.get(mine.id)
    assert await other_client.subscribers.list(campaign=campaign_id).to_list() == []
