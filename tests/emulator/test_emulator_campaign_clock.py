"""The dialer's realism switches: retries of failed numbers, and each campaign's own clock."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from alice_async.emulator import EmulatorConfig

from ._helpers import Api, phonebook
from .conftest import Factory

pytestmark = pytest.mark.anyio

HANOI = timezone(timedelta(hours=7))


async def _campaign(api: Api, contacts: int, **fields: object) -> int:
    pid = await phonebook(api)
    numbers = [{"contact": f"09{i:08d}"} for i in range(contacts)]
    await api.post("bulkcontact/", {"phonebook": pid, "contacts": numbers})
    template = await api.create("survey-template/", {"name": "S"})
    now = datetime.now(timezone.utc)
    body = {
        "name": "C",
        "callerid": "0281234567",
        "phonebook": [pid],
        "aleg_gateway": 23,
        "object_id": template["id"],
        "frequency": 100,
        "startingdate": (now - timedelta(days=1)).isoformat(),
        "expirationdate": (now + timedelta(days=30)).isoformat(),
        "daily_start_time": "08:00:00",
        "daily_stop_time": "20:00:00",
        **fields,
    }
    campaign = await api.create("campaigns/", body)
    await api.post(f"campaigns/{campaign['id']}/status/", {"status": 1})
    return int(campaign["id"])


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_failed_numbers_are_called_again_up_to_maxretry(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(dialer=False, time_factor=600, seed=4))
    cid = await _campaign(api, 200, maxretry=2, intervalretry=600)
    api.emu.advance(120)
    assert (await api.get(f"campaigns/{cid}/")).body["status"] == 5
    subscribers = api.emu.store.objects("subscriber-list")
    calls = [row for row in api.emu.store.objects("cdr") if row["campaign"] == cid]
    assert sum(row["count_attempt"] for row in subscribers) == len(calls) > 200
    attempts = Counter(row["count_attempt"] for row in subscribers)
    assert set(attempts) <= {1, 2, 3}
    assert attempts[2] > 0
    by_subscriber: dict[int, list[dict[str, object]]] = {}
    for call in sorted(calls, key=lambda row: (row["starting_date"], row["id"])):
        by_subscriber.setdefault(int(call["subscriber"]), []).append(call)
    for row in subscribers:
        tries = by_subscriber[row["id"]]
        assert len(tries) == row["count_attempt"]
        # Every call but the last failed; a subscriber still failing used all its retries.
        assert all(call["disposition"] != "ANSWER" for call in tries[:-1])
        if row["status"] == 4:
            assert len(tries) == 3
            assert tries[-1]["disposition"] != "ANSWER"


async def test_the_config_gives_retries_to_campaigns_without_maxretry(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(dialer=False, time_factor=600, seed=4, call_retries=1))
    cid = await _campaign(api, 100)
    api.emu.advance(60)
    assert (await api.get(f"campaigns/{cid}/")).body["status"] == 5
    attempts = {row["count_attempt"] for row in api.emu.store.objects("subscriber-list")}
    assert attempts == {1, 2}


async def test_a_campaign_clock_keeps_calls_in_the_daily_window(make_api: Factory) -> None:
    config = EmulatorConfig(dialer=False, time_factor=6000, seed=2, campaign_clock=True)
    api = await make_api(config)
    cid = await _campaign(api, 1000, frequency=1)  # 1000 minutes: two 12-hour windows
    api.emu.advance(120)
    assert (await api.get(f"campaigns/{cid}/")).body["status"] == 5
    calls = [row for row in api.emu.store.objects("cdr") if row["campaign"] == cid]
    assert len(calls) == 1000
    local = sorted(_when(row["starting_date"]).astimezone(HANOI) for row in calls)
    assert all(8 <= moment.hour < 20 for moment in local)
    assert len({moment.date() for moment in local}) >= 2
    assert len({moment.hour for moment in local}) == 12
    gaps = sorted(b - a for a, b in itertools.pairwise(local))
    median = gaps[len(gaps) // 2]
    assert abs(median - timedelta(minutes=1)) < timedelta(milliseconds=1)  # one a minute
    assert gaps[-1] >= timedelta(hours=12)  # the night between two windows


async def test_a_campaign_clock_ends_the_campaign_at_its_expiration(make_api: Factory) -> None:
    config = EmulatorConfig(dialer=False, time_factor=6000, seed=2, campaign_clock=True)
    api = await make_api(config)
    expiration = datetime.now(timezone.utc) + timedelta(days=1)
    cid = await _campaign(api, 2000, frequency=1, expirationdate=expiration.isoformat())
    api.emu.advance(120)
    assert (await api.get(f"campaigns/{cid}/")).body["status"] == 4
    calls = [row for row in api.emu.store.objects("cdr") if row["campaign"] == cid]
    assert 0 < len(calls) < 2000
    assert max(_when(row["starting_date"]) for row in calls) <= expiration
    pending = [row for row in api.emu.store.objects("subscriber-list") if row["status"] == 1]
    assert len(pending) == 2000 - len(calls)
