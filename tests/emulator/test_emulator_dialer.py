"""The dialer (campaign calls, alarms), CDR listing and seeding."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from alice_async.emulator import EmulatorConfig

from ._helpers import Api, phonebook
from .conftest import Factory
from .test_emulator_endpoints import _appointment_chain

pytestmark = pytest.mark.anyio


async def _started_campaign(api: Api, contacts: int, frequency: int = 60) -> int:
    pid = await phonebook(api)
    numbers = [{"contact": f"09{i:08d}"} for i in range(contacts)]
    await api.post("bulkcontact/", {"phonebook": pid, "contacts": numbers})
    template = await api.create("survey-template/", {"name": "S"})
    campaign = await api.create(
        "campaigns/",
        {
            "name": "C",
            "callerid": "0281234567",
            "phonebook": [pid],
            "aleg_gateway": 23,
            "object_id": template["id"],
            "frequency": frequency,
            "startingdate": "2020-02-11T02:36:39Z",
            "expirationdate": "2030-02-11T02:36:39Z",
            "daily_start_time": "00:00:00",
            "daily_stop_time": "23:59:59",
        },
    )
    await api.post(f"campaigns/{campaign['id']}/status/", {"status": 1})
    return int(campaign["id"])


async def test_advance_dials_and_completes(api: Api) -> None:
    cid = await _started_campaign(api, contacts=30, frequency=60)  # 60 calls per second
    api.emu.advance(0.25)
    cdrs = api.emu.store.objects("cdr")
    assert 10 <= len(cdrs) <= 20
    assert {row["campaign"] for row in cdrs} == {cid}
    statuses = {row["status"] for row in api.emu.store.objects("subscriber-list")}
    assert 6 in statuses
    assert 1 in statuses
    api.emu.advance(10)
    assert (await api.get(f"campaigns/{cid}/")).body["status"] == 5
    cdrs = (await api.get("cdr/", campaign=cid, page_size=100)).body["results"]
    assert len(cdrs) == 30
    for row in cdrs:
        assert row["callerid"] == "0281234567"
        assert row["alarm"] is False
        assert row["otp"] is False
        assert 0 <= row["billsec"] <= row["duration"]
        assert (row["billsec"] > 0) == (row["disposition"] == "ANSWER")
        assert len(row["callid"]) == 36
    keys = [(row["starting_date"], row["id"]) for row in cdrs]
    assert keys == sorted(keys)
    subscribers = (await api.get("subscriber-list/", page_size=100)).body["results"]
    assert {s["status"] for s in subscribers} <= {4, 5, 8}
    assert all(s["count_attempt"] == 1 for s in subscribers)
    answered = (await api.get("cdr/", disposition="ANSWER", page_size=100)).body["count"]
    failed = (await api.get("subscriber-list/", status=4)).body["count"]
    assert answered + failed == 30


async def test_paused_campaign_stops_dialing(api: Api) -> None:
    cid = await _started_campaign(api, contacts=20, frequency=60)
    api.emu.advance(0.1)
    await api.post(f"campaigns/{cid}/status/", {"status": 2})
    placed = api.emu.store.count("cdr")
    api.emu.advance(5)
    assert api.emu.store.count("cdr") == placed
    assert (await api.get(f"campaigns/{cid}/")).body["status"] == 3


async def test_background_dialer(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(time_factor=600))
    cid = await _started_campaign(api, contacts=5, frequency=100)
    for _ in range(100):
        if (await api.get(f"campaigns/{cid}/")).body["status"] == 5:
            break
        await asyncio.sleep(0.05)
    assert (await api.get("cdr/")).body["count"] == 5


async def test_alarm_is_called_when_due(api: Api) -> None:
    chain = await _appointment_chain(api)
    notice = datetime.now(timezone.utc) + timedelta(minutes=5)
    alarm = await api.create(
        "alarm/",
        {
            "alarm_phonenumber": "0934890883",
            "event": chain["event"]["id"],
            "date_start_notice": notice.isoformat(),
        },
    )
    api.emu.advance(60)
    assert (await api.get(f"alarm/{alarm['id']}/")).body["status"] == 1
    api.emu.advance(300)
    done = (await api.get(f"alarm/{alarm['id']}/")).body
    assert done["status"] in (3, 5)
    calls = (await api.get("cdr/", alarm="true")).body
    assert calls["count"] == 1
    assert calls["results"][0]["phone_number"] == "0934890883"
    assert calls["results"][0]["callerid"] == "mantest"
    assert (await api.get("cdr/", alarm="false")).body["count"] == 0


async def test_seed_cdrs_and_inclusive_date_bounds(api: Api) -> None:
    start = datetime(2023, 3, 1, tzinfo=timezone.utc)
    api.emu.seed_cdrs(200_000, start=start, interval=timedelta(seconds=1), seed=3)
    first = await api.get("cdr/", page_size=1000)
    assert first.body["count"] == 200_000
    assert first.body["results"][0]["starting_date"] == "2023-03-01T00:00:00Z"
    low, high = "2023-03-01T00:00:10Z", "2023-03-01T00:00:19Z"
    window = await api.get("cdr/", from_date=low, to_date=high)
    assert window.body["count"] == 10
    dates = [row["starting_date"] for row in window.body["results"]]
    assert (dates[0], dates[-1]) == (low, high)
    offset = await api.get("cdr/", from_date="2023-03-01T07:00:10+07:00", to_date=high)
    assert offset.body["count"] == 10
    last = await api.get("cdr/", page_size=1000, page=200)
    assert last.body["next"] is None
    assert last.body["results"][-1]["starting_date"] == "2023-03-03T07:33:19Z"
    answered = await api.get("cdr/", disposition="ANSWER", to_date=high)
    assert 0 < answered.body["count"] < 20
    assert (await api.get("cdr/", from_date="not a date")).status == 400


async def test_seeded_rows_are_deterministic_and_merge_in_order(make_api: Factory) -> None:
    first, second = await make_api(), await make_api()
    for api in (first, second):
        api.emu.seed_cdrs(100, seed=5, start=datetime(2024, 1, 1, tzinfo=timezone.utc))
    strip = [{k: v for k, v in row.items() if k != "id"} for row in first.emu.store.objects("cdr")]
    assert strip == [
        {k: v for k, v in row.items() if k != "id"} for row in second.emu.store.objects("cdr")
    ]
    first.emu.seed_cdrs(10, start=datetime(2023, 1, 1, tzinfo=timezone.utc))
    rows = (await first.get("cdr/", page_size=200)).body["results"]
    assert rows[0]["starting_date"].startswith("2023-01-01")
    assert [r["starting_date"] for r in rows] == sorted(r["starting_date"] for r in rows)
    new = await first.get("cdr/", callid=rows[3]["callid"])
    assert new.body["results"] == [rows[3]]
