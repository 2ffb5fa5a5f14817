"""A campaign lifecycle under every fault mix: the right states, and never a second campaign.

Creating a campaign is a POST the server has no idempotency key for. The SDK replays it only
when the server provably did not process it (429, 503, connection never opened); after a 500,
a cut or a timeout it raises and the caller looks before writing again
(:mod:`tests.chaos._careful`). Campaign names are unique per account, so a blind replay of a
processed create would surface as a ``BadRequestError`` ("The Campaign name duplicated!") and
fail the test; the store must hold each campaign exactly once.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import anyio
import pytest

from alice_async import AliceClient, CampaignAction, CampaignStatus
from tests.chaos._careful import CampaignLinks, create_campaign_once, drive_campaign
from tests.chaos.conftest import SLOW_SECONDS, Mix, RowRecorder, chaos_size, open_bench

pytestmark = [pytest.mark.chaos, pytest.mark.usefixtures("no_task_leaks")]

CONCURRENCY = 8
LIFECYCLE = (CampaignAction.START, CampaignAction.PAUSE, CampaignAction.START, CampaignAction.END)


async def campaign_links(client: AliceClient) -> CampaignLinks:
    book = await client.phonebooks.create(name="chaos book")
    await client.contacts.create(phonebook=book.id, contact="0934890883")
    template = await client.survey_templates.create(name="chaos survey")
    gateway = (await client.gateways.list().first_page()).items[0]
    return CampaignLinks(phonebook=book.id, gateway=gateway.id, template=template.id)


async def run_lifecycle(client: AliceClient, name: str, links: CampaignLinks) -> list[str]:
    """Create, start, pause, start again and end one campaign; return the states seen."""
    campaign = await create_campaign_once(client, name, links, slow_seconds=SLOW_SECONDS)
    states = [campaign.status.name]
    for action in LIFECYCLE:
        campaign = await drive_campaign(client, campaign, action, slow_seconds=SLOW_SECONDS)
        states.append(campaign.status.name)
    return states


async def run_lifecycles(
    client: AliceClient, names: list[str], links: CampaignLinks
) -> list[list[str]]:
    """Run every lifecycle, at most ``CONCURRENCY`` at once; a failure cancels the others."""
    histories: dict[str, list[str]] = {}
    limit = anyio.Semaphore(CONCURRENCY)

    async def one(name: str) -> None:
        async with limit:
            histories[name] = await run_lifecycle(client, name, links)

    async with anyio.create_task_group() as group:
        for name in names:
            group.start_soon(one, name)
    return [histories[name] for name in names]


async def test_campaign_lifecycle_under_faults(mix: Mix, record: RowRecorder) -> None:
    size = chaos_size()
    names = [f"chaos campaign {i}" for i in range(size.campaigns)]
    async with open_bench(mix) as bench:
        client = bench.client
        links = await campaign_links(client)
        bench.unleash()
        histories = await run_lifecycles(client, names, links)
        deadline = time.monotonic() + mix.min_seconds
        for _ in range(1000):  # keep reading while tokens expire (token mixes only)
            if time.monotonic() >= deadline:
                break
            ended = [await client.campaigns.get(c.id) async for c in client.campaigns.list()]
            assert {c.status for c in ended} == {CampaignStatus.ENDED}
            await asyncio.sleep(0.05)
        stored = Counter(row["name"] for row in bench.emulator.store.objects("campaigns"))
        row = record(
            bench,
            "campaign lifecycle",
            expected=len(names),
            lost=sum(1 for name in names if stored[name] == 0),
            duplicated=sum(count - 1 for count in stored.values() if count > 1),
        )
        bench.calm()
        final = await client.campaigns.list().to_list()

    assert histories == [["WAITING", "STARTED", "PAUSED", "STARTED", "ENDED"]] * len(names)
    assert (row.lost, row.duplicated) == (0, 0)
    assert sorted(c.name for c in final) == sorted(names)
    assert {c.status for c in final} == {CampaignStatus.ENDED}
    if mix.token_ttl <= 2:
        assert row.tokens >= 1, "the run must outlive a token"
    if mix.faults.rate or mix.cut_rate:
        assert sum(row.faults.values()) + row.cuts > 0, "the mix must have injected faults"
