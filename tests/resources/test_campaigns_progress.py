"""``campaigns.progress/watch/wait`` against the emulator's dialer, over real sockets."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from alice_async import (
    AliceClient,
    CampaignProgress,
    CampaignStatus,
    Disposition,
    InvalidInputError,
    SubscriberStatus,
    WaitTimeoutError,
)
from alice_async.emulator import Emulator, EmulatorConfig

from ..conftest import make_client
from ._helpers import Setup, requests_sent

CONTACTS = 120
BLOCKED = 3


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A fast dialer (100 calls a minute become 1,000 a second), failed numbers retried once,
    calls stamped with the campaign's own clock (ahead of the wall clock)."""
    config = EmulatorConfig(time_factor=600, seed=5, call_retries=1, campaign_clock=True)
    async with Emulator(config) as emu:
        yield emu


@pytest.fixture
async def setup(client: AliceClient) -> Setup:
    """A phonebook of ``CONTACTS`` active numbers plus one inactive, ``BLOCKED`` on DNC."""
    book = await client.phonebooks.create(name="Khách hàng")
    rows: list[dict[str, object]] = [
        {"contact": f"09{i:08d}", "first_name": "Lan"} for i in range(CONTACTS)
    ]
    rows.append({"contact": "0999999999", "status": 0})
    result = await client.contacts.bulk_create(book.id, rows)
    assert result.created == CONTACTS + 1
    dnc = await client.dnc_lists.create(name="Từ chối")
    for i in range(BLOCKED):
        await client.dnc_contacts.create(phone_number=f"09{i:08d}", dnc=dnc.id)
    await client.dnc_contacts.create(phone_number="0999999999", dnc=dnc.id)  # inactive anyway
    gateway = (await client.gateways.list().to_list())[0]
    template = await client.survey_templates.create(name="Kịch bản", tts_language="vi")
    return Setup(phonebook=book.id, gateway=gateway.id, template=template.id)


async def _campaign(client: AliceClient, setup: Setup, *, start: bool = True) -> int:
    campaign = await client.campaigns.create(**setup.campaign_fields(frequency=100))
    if start:
        await client.campaigns.start(campaign.id)
    return campaign.id


async def _assert_matches_lists(client: AliceClient, progress: CampaignProgress) -> None:
    """Every number of ``progress`` equals what the full subscriber and CDR lists say."""
    cid = progress.campaign.id
    subscribers = await client.subscribers.list(campaign=cid, page_size=1000).to_list()
    calls = await client.cdr.list(campaign=cid, page_size=1000).to_list()
    by_status = Counter(row.status for row in subscribers)
    assert progress.subscribers == {status: by_status[status] for status in SubscriberStatus}
    assert progress.subscribers_total == len(subscribers)
    assert progress.calls_placed == len(calls)
    answered = [call for call in calls if call.disposition is Disposition.ANSWER]
    assert progress.calls_answered == len(answered)
    assert progress.calls_failed == len(calls) - len(answered)
    assert progress.talk_seconds == sum(call.billsec for call in calls)
    assert progress.answer_rate == pytest.approx(len(answered) / len(calls))
    assert sum(row.count_attempt for row in subscribers) == len(calls)
    assert {call.subscriber for call in calls} == {row.id for row in subscribers}


async def test_watch_follows_a_campaign_to_completion(client: AliceClient, setup: Setup) -> None:
    cid = await _campaign(client, setup)
    snapshots = [p async for p in client.campaigns.watch(cid, every=0.05)]

    final = snapshots[-1]
    assert final.status is CampaignStatus.COMPLETED
    assert final.finished
    assert all(not p.finished for p in snapshots[:-1])
    assert final.subscribers_total == CONTACTS - BLOCKED
    assert final.remaining == 0
    assert final.done == final.subscribers_total
    assert final.fraction_done == 1.0
    assert final.eta == dt.timedelta(0)
    assert final.dnc_left_out == BLOCKED
    keys = [p.change_key() for p in snapshots]
    assert len(set(keys)) == len(keys), "a snapshot was yielded without a change"
    assert [p.calls_placed for p in snapshots] == sorted(p.calls_placed for p in snapshots)
    await _assert_matches_lists(client, final)


async def test_wait_returns_the_final_progress(client: AliceClient, setup: Setup) -> None:
    cid = await _campaign(client, setup)
    final = await client.campaigns.wait(cid, timeout=60, every=0.05)
    assert final.status is CampaignStatus.COMPLETED
    await _assert_matches_lists(client, final)
    again = await client.campaigns.progress(cid)
    assert again.change_key() == final.change_key()  # nothing moves once completed
    assert again.dnc_left_out == final.dnc_left_out == BLOCKED


async def test_wait_times_out_with_the_last_snapshot(client: AliceClient, setup: Setup) -> None:
    cid = await _campaign(client, setup, start=False)
    with pytest.raises(WaitTimeoutError) as caught:
        await client.campaigns.wait(cid, timeout=0.3, every=0.05)
    assert isinstance(caught.value, TimeoutError)
    seen = caught.value.progress
    assert isinstance(seen, CampaignProgress)
    assert seen.status is CampaignStatus.WAITING
    assert seen.subscribers_total == 0
    assert seen.estimated_end is None
    assert f"campaign {cid}" in str(caught.value)


async def test_an_ended_campaign_ends_the_watch(client: AliceClient, setup: Setup) -> None:
    cid = await _campaign(client, setup, start=False)
    await client.campaigns.end(cid)
    snapshots = [p async for p in client.campaigns.watch(cid, every=0.05)]
    assert [p.status for p in snapshots] == [CampaignStatus.ENDED]


async def test_watch_yields_only_when_something_changed() -> None:
    async with Emulator(EmulatorConfig(dialer=False, time_factor=600)) as emu:
        async with make_client(emu) as client:
            cid = await _still_campaign(client, contacts=1)
            stream = client.campaigns.watch(cid, every=0.01)
            first = await anext(stream)
            assert first.remaining == 1
            polled = _polls(emu)
            waiting = asyncio.ensure_future(anext(stream))
            # Wait for five polls that saw no change (the emulator's count is the event).
            while _polls(emu) < polled + 5:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            assert not waiting.done()
            emu.advance(60)  # the dialer calls the only subscriber and completes
            changed = await waiting
            assert changed.change_key() != first.change_key()
            # A poll running while the dialer jumped may see half of it: then one more.
            snapshots = [changed, *[p async for p in stream]]
            assert snapshots[-1].finished
            assert snapshots[-1].calls_placed == 1


async def test_a_call_record_written_late_is_still_summed() -> None:
    async with Emulator(EmulatorConfig(dialer=False, time_factor=600, seed=8)) as emu:
        async with make_client(emu) as client:
            cid = await _still_campaign(client, contacts=60)
            stream = client.campaigns.watch(cid, every=0.01, dnc=False)
            assert (await anext(stream)).calls_placed == 0
            emu.advance(0.02)  # about 20 calls, written as they are placed
            second = await anext(stream)
            assert 0 < second.calls_placed < 60
            rows = emu.store.cdrs(emu.username).rows
            answered = next(row for row in rows if row["disposition"] == "ANSWER")
            late = dict(answered, id=emu.store.new_id("cdr"), billsec=77, subscriber=None)
            # It started before every call summed so far, within the overlap (an hour).
            started = dt.datetime.fromisoformat(answered["starting_date"].replace("Z", "+00:00"))
            late["starting_date"] = (started - dt.timedelta(minutes=20)).isoformat()
            emu.store.insert("cdr", emu.username, late)
            emu.advance(0.01)  # a few more calls: the next snapshot is taken mid-campaign
            third = await anext(stream)
            assert not third.finished
            assert third.requests == 13 + 1  # one more read, from ``newest - overlap``
            calls = await client.cdr.list(campaign=cid, page_size=1000).to_list()
            assert third.calls_placed == len(calls)
            assert third.talk_seconds == sum(call.billsec for call in calls)
            assert third.calls_answered == sum(c.disposition is Disposition.ANSWER for c in calls)
            await stream.aclose()


async def _still_campaign(client: AliceClient, contacts: int) -> int:
    book = await client.phonebooks.create(name="Nhỏ")
    rows = [{"contact": f"09{i:08d}"} for i in range(contacts)]
    await client.contacts.bulk_create(book.id, rows)
    template = await client.survey_templates.create(name="Một câu")
    gateway = (await client.gateways.list().to_list())[0]
    ingredients = Setup(phonebook=book.id, gateway=gateway.id, template=template.id)
    campaign = await client.campaigns.create(**ingredients.campaign_fields(frequency=100))
    await client.campaigns.start(campaign.id)
    return campaign.id


async def test_cancelling_a_wait_leaves_nothing_running() -> None:
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        async with make_client(emu) as client:
            cid = await _still_campaign(client, contacts=3)  # never dialled: never finishes
            before = _client_side_tasks()
            waiting = asyncio.ensure_future(client.campaigns.wait(cid, every=0.01))
            while _polls(emu) < 3:  # noqa: ASYNC110 - the emulator's count is the event
                await asyncio.sleep(0.01)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert _client_side_tasks() == before
            polls = _polls(emu)
            await client.campaigns.get(cid)  # a round trip: a leftover poll would show up
            assert _polls(emu) == polls + 1


def _client_side_tasks() -> set[asyncio.Task[object]]:
    """Tasks of this loop but the emulator's connection handlers (it shares the loop)."""
    return {
        task
        for task in asyncio.all_tasks()
        if not getattr(task.get_coro(), "__qualname__", "").startswith("RequestHandler.")
    }


def _polls(emu: Emulator) -> int:
    return sum(n for (_, route), n in emu.stats.requests.items() if route == "campaigns/{id}/")


async def test_progress_costs_the_documented_requests(
    emulator: Emulator, client: AliceClient, setup: Setup
) -> None:
    cid = await _campaign(client, setup)
    await client.campaigns.wait(cid, every=0.05, dnc=False)
    before = requests_sent(emulator)
    progress = await client.campaigns.progress(cid, dnc=False)
    sent = requests_sent(emulator) - before
    answered_pages = -(-progress.calls_answered // 1000)
    assert sent == progress.requests == 1 + 9 + 2 + answered_pages
    assert progress.dnc_left_out is None

    before = requests_sent(emulator)
    with_dnc = await client.campaigns.progress(cid)
    # one DNC page, then one search per DNC number (4) and phonebook (1)
    assert requests_sent(emulator) - before == with_dnc.requests == sent + 1 + 4
    assert with_dnc.dnc_left_out == BLOCKED


async def test_dnc_count_is_skipped_beyond_the_lookup_limit(
    client: AliceClient, setup: Setup
) -> None:
    cid = await _campaign(client, setup, start=False)
    progress = await client.campaigns.progress(cid, dnc_lookup_limit=3)
    assert progress.dnc_left_out is None


async def test_progress_of_a_started_campaign_has_an_eta(client: AliceClient, setup: Setup) -> None:
    cid = await _campaign(client, setup)
    await client.campaigns.pause(cid)
    paused = await client.campaigns.progress(cid, dnc=False)
    assert paused.estimated_end is None
    assert paused.eta is None
    await client.campaigns.start(cid)
    running = await client.campaigns.progress(cid, dnc=False, tz="Asia/Ho_Chi_Minh")
    assert running.time_zone == "Asia/Ho_Chi_Minh"
    if running.remaining:  # 100 calls a minute, a window of the whole day
        assert running.eta is not None
        expected = dt.timedelta(minutes=running.remaining / 100)
        assert running.eta == pytest.approx(expected, abs=dt.timedelta(seconds=2))
    json_data = json.loads(running.to_json())
    assert json_data["campaign"]["id"] == cid
    pending = str(SubscriberStatus.PENDING.value)  # JSON object keys are strings
    assert json_data["subscribers"][pending] == running.subscribers[SubscriberStatus.PENDING]
    assert CampaignProgress.from_dict(json_data) == running


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"tz": 7}, "tz"),
        ({"dnc": "yes"}, "dnc"),
        ({"dnc_lookup_limit": -1}, "dnc_lookup_limit"),
    ],
)
async def test_progress_refuses_bad_options(
    offline_client: AliceClient, options: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await offline_client.campaigns.progress(1, **options)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize("every", [0, -1, float("nan"), "10", True])
def test_watch_refuses_a_bad_interval(offline_client: AliceClient, every: object) -> None:
    with pytest.raises(InvalidInputError) as caught:
        offline_client.campaigns.watch(1, every=every)  # type: ignore[arg-type]
    assert caught.value.field == "every"


async def test_wait_refuses_a_bad_timeout(offline_client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await offline_client.campaigns.wait(1, timeout=0)
    assert caught.value.field == "timeout"
