"""Enrol subscribers on the emulator: a phonebook of new contacts, a campaign started on it."""

from __future__ import annotations

import datetime as dt
import itertools

from alice_async import AliceClient

_numbers = itertools.count(1)


async def enrol(client: AliceClient, n: int) -> int:
    """Start a new campaign over ``n`` new contacts; return its id."""
    serial = next(_numbers)
    book = await client.phonebooks.create(name=f"Sổ {serial}")
    for index in range(n):
        await client.contacts.create(phonebook=book.id, contact=f"09{serial:03d}{index:05d}")
    gateway = (await client.gateways.list().to_list())[0]
    template = await client.survey_templates.create(name=f"Kịch bản {serial}", tts_language="vi")
    now = dt.datetime.now(dt.timezone.utc)
    campaign = await client.campaigns.create(
        name=f"Chiến dịch {serial}",
        phonebook=[book.id],
        aleg_gateway=gateway.id,
        object_id=template.id,
        frequency=10,
        startingdate=now - dt.timedelta(hours=1),
        expirationdate=now + dt.timedelta(days=1),
        daily_start_time=dt.time(0, 0),
        daily_stop_time=dt.time(23, 59, 59),
    )
    await client.campaigns.start(campaign.id)
    return campaign.id
