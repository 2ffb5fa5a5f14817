"""One customer journey end to end, over real sockets against the emulator.

Phonebook -> contacts -> do-not-call number -> survey template and sections -> campaign ->
start -> subscribers (minus the do-not-call number) -> call records -> pause -> end.
The emulator's dialer is driven with ``advance()`` so the test is deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from alice_async import (
    AliceClient,
    CampaignStatus,
    Disposition,
    RetryPolicy,
    SectionType,
    SubscriberStatus,
    TtsLanguage,
)
from alice_async.emulator import Emulator, EmulatorConfig

UTC = dt.timezone.utc
NUMBERS = [f"09340000{n:02d}" for n in range(20)]
BLOCKED = NUMBERS[3]


@pytest.fixture
async def paced() -> AsyncIterator[Emulator]:
    """An emulator whose dialer only moves when the test calls ``advance()``."""
    async with Emulator(EmulatorConfig(dialer=False, time_factor=1.0)) as emu:
        yield emu


async def test_a_campaign_dials_its_phonebook_except_do_not_call_numbers(paced: Emulator) -> None:
    async with AliceClient(
        paced.url,
        username=paced.username,
        password=paced.password,
        retry_policy=RetryPolicy(initial_delay=0.001, max_delay=0.01),
    ) as client:
        book = await client.phonebooks.create(name="Khách hàng tháng 3")
        for number in NUMBERS:
            await client.contacts.create(phonebook=book.id, contact=number, first_name="Linh")

        dnc = await client.dnc_lists.create(name="Đã từ chối")
        await client.dnc_contacts.create(phone_number=BLOCKED, dnc=str(dnc.id))

        template = await client.survey_templates.create(
            name="Nhắc lịch hẹn", tts_language=TtsLanguage.VI
        )
        await client.section_templates.create(
            survey=template.id, question="Lời chào", script="Xin chào {first_name}."
        )
        await client.section_templates.create(
            survey=template.id, question="Kết thúc", type=SectionType.HANGUP
        )
        gateway = (await client.gateways.list().to_list())[0]

        now = dt.datetime.now(UTC)
        campaign = await client.campaigns.create(
            name="Nhắc lịch tháng 3",
            phonebook=[book.id],
            aleg_gateway=gateway.id,
            object_id=template.id,
            frequency=6,
            startingdate=now - dt.timedelta(hours=1),
            expirationdate=now + dt.timedelta(days=7),
            daily_start_time=dt.time(0, 0),
            daily_stop_time=dt.time(23, 59, 59),
        )
        assert campaign.status is CampaignStatus.WAITING

        started = await client.campaigns.start(campaign.id)
        assert started.status is CampaignStatus.STARTED
        subscribers = await client.subscribers.list(campaign=campaign.id).to_list()
        assert sorted(s.phone_number for s in subscribers) == sorted(
            n for n in NUMBERS if n != BLOCKED
        )

        paced.advance(60)  # six calls a minute
        calls = await client.cdr.list(campaign=campaign.id).to_list()
        assert 1 <= len(calls) < len(subscribers)
        assert BLOCKED not in {c.phone_number for c in calls}
        assert all(isinstance(c.disposition, Disposition) for c in calls)
        subscriber_ids = {s.id for s in subscribers}
        assert {c.subscriber for c in calls} <= subscriber_ids
        dialled = await client.subscribers.list(campaign=campaign.id).to_list()
        assert any(s.status is not SubscriberStatus.PENDING for s in dialled)

        paused = await client.campaigns.pause(campaign.id)
        assert paused.status is CampaignStatus.PAUSED
        paced.advance(600)
        assert len(await client.cdr.list(campaign=campaign.id).to_list()) == len(calls)

        ended = await client.campaigns.end(campaign.id)
        assert ended.status is CampaignStatus.ENDED
        assert (await client.campaigns.list(status=CampaignStatus.ENDED).to_list()) == [
            await client.campaigns.get(campaign.id)
        ]
