"""Big CDR and subscriber pulls: snapshot pinning, time-window shards, dict mode.

Rows are seeded at exact instants (``seed_cdrs(start=..., interval=...)``) so that window
boundaries can be made to fall exactly on rows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alice_async import AliceClient, Cdr, InvalidInputError, Subscriber
from alice_async._converter import parse_datetime
from alice_async.emulator import Emulator, EmulatorConfig, Latency, Variants
from alice_async.emulator._time import micros
from alice_async.resources.cdr import time_windows
from tests.conftest import make_client

from ._helpers import UTC, Setup

START = dt.datetime(2026, 3, 1, tzinfo=UTC)
SECOND = dt.timedelta(seconds=1)
MICRO = dt.timedelta(microseconds=1)


def _store_ids(emu: Emulator) -> list[int]:
    return [row["id"] for row in emu.store.cdrs(emu.username).rows]


# -- snapshot -----------------------------------------------------------------------------


async def test_rows_written_by_the_dialer_during_a_pull_do_not_leak_into_it(
    emulator: Emulator, client: AliceClient, setup: Setup
) -> None:
    emulator.seed_cdrs(1500, interval=dt.timedelta(milliseconds=10), seed=1)
    seeded = _store_ids(emulator)
    numbers = [{"contact": f"0912{i:06d}", "status": 1} for i in range(400)]
    await client.request(
        "POST", "bulkcontact/", json={"phonebook": setup.phonebook, "contacts": numbers}
    )
    campaign = await client.campaigns.create(**setup.campaign_fields(frequency=100))
    await client.campaigns.start(campaign.id)
    emulator.configure(latency=Latency(per_request=0.02))  # the pull lasts ~0.5 s

    started = dt.datetime.now(UTC)
    pulled = [row async for row in client.cdr.list(prefetch=2)]
    finished = dt.datetime.now(UTC)

    ids = [row.id for row in pulled]
    assert len(ids) == len(set(ids))
    assert set(seeded) <= set(ids)
    assert [r.starting_date for r in pulled] == sorted(r.starting_date for r in pulled)  # type: ignore[type-var]
    newest = max(r.starting_date for r in pulled if r.starting_date is not None)
    assert newest <= finished
    later = [
        row
        for row in emulator.store.cdrs(emulator.username).rows
        if row["campaign"] == campaign.id and parse_datetime(row["starting_date"]) > newest
    ]
    assert later, "the dialer kept writing during the pull"
    assert all(parse_datetime(row["starting_date"]) > started for row in later)


async def test_rows_arriving_between_page_fetches_are_left_out(
    emulator: Emulator, client: AliceClient
) -> None:
    emulator.seed_cdrs(250, interval=SECOND, seed=2)  # ending just before now
    seeded = _store_ids(emulator)
    table = emulator.store.cdrs(emulator.username)
    pulled: list[int] = []
    counts: set[int] = set()
    async for page in client.cdr.list(prefetch=1).pages():
        pulled.extend(row.id for row in page.items)
        counts.add(page.count)
        when = dt.datetime.now(UTC) + dt.timedelta(milliseconds=1)
        row = dict(table.rows[0], id=100_000 + page.number, starting_date=when.isoformat())
        table.add(micros(when), row)
    assert pulled == seeded
    assert counts == {250}


async def test_a_server_clock_ahead_of_ours_is_still_in_the_snapshot(
    emulator: Emulator, client: AliceClient
) -> None:
    ahead = dt.datetime.now(UTC) + dt.timedelta(minutes=5)
    emulator.seed_cdrs(30, start=ahead, interval=SECOND, seed=4)
    assert len(await client.cdr.list(page_size=7).to_list()) == 30


# -- time windows -------------------------------------------------------------------------


@pytest.fixture
def on_the_second(emulator: Emulator) -> Emulator:
    """120 records exactly one second apart from ``START`` (so on every window boundary)."""
    emulator.seed_cdrs(120, start=START, interval=SECOND, seed=9)
    return emulator


@pytest.mark.parametrize("width", [SECOND, 10 * SECOND, 7 * SECOND, dt.timedelta(hours=1)])
async def test_windows_cover_every_row_exactly_once_with_rows_on_the_boundaries(
    client: AliceClient, on_the_second: Emulator, width: dt.timedelta
) -> None:
    stop = START + 119 * SECOND  # the last row sits exactly on to_date
    windowed = [
        r.id
        async for r in client.cdr.iter_windows(START, stop, window=width, concurrency=3, prefetch=2)
    ]
    assert windowed == _store_ids(on_the_second)


async def test_windows_respect_bounds_and_filters_and_concurrency(
    client: AliceClient, on_the_second: Emulator
) -> None:
    low, high = START + 10 * SECOND, START + 50 * SECOND
    rows = await client.cdr.iter_windows(
        low, high, window=10 * SECOND, concurrency=8, page_size=3, disposition="ANSWER"
    ).to_list()
    expected = await client.cdr.list(from_date=low, to_date=high, disposition="ANSWER").to_list()
    assert rows == expected
    assert all(low <= r.starting_date <= high for r in rows if r.starting_date)
    pages = [p async for p in client.cdr.iter_windows(low, high, window=20 * SECOND).pages()]
    assert [p.count for p in pages] == [20, 20, 1]  # per window: [10,29], [30,49], [50,50]


async def test_windows_without_to_date_pin_it_when_iteration_starts(
    client: AliceClient, emulator: Emulator
) -> None:
    emulator.seed_cdrs(40, interval=SECOND, seed=5)
    since = dt.datetime.now(UTC) - dt.timedelta(minutes=5)
    paginator = client.cdr.iter_windows(since, window=dt.timedelta(minutes=1), as_dicts=True)
    rows = [row async for row in paginator]
    assert [row["id"] for row in rows] == _store_ids(emulator)


def test_time_windows_tile_the_range_with_inclusive_microsecond_bounds() -> None:
    bounds = list(time_windows(START, START + 25 * SECOND, 10 * SECOND))
    assert bounds == [
        (START, START + 10 * SECOND - MICRO),
        (START + 10 * SECOND, START + 20 * SECOND - MICRO),
        (START + 20 * SECOND, START + 25 * SECOND),
    ]
    assert list(time_windows(START, START, SECOND)) == [(START, START)]
    assert list(time_windows(START, START - MICRO, SECOND)) == []


@given(
    windows=st.integers(1, 200),
    width=st.integers(1, 10**9),
    fraction=st.floats(0, 1),
    instant=st.integers(0, 10**12),
)
def test_every_instant_of_the_range_is_in_exactly_one_window(
    windows: int, width: int, fraction: float, instant: int
) -> None:
    span = int(windows * width * fraction)
    stop = START + dt.timedelta(microseconds=span)
    bounds = list(time_windows(START, stop, dt.timedelta(microseconds=width)))
    assert len(bounds) <= windows + 1
    when = START + dt.timedelta(microseconds=min(instant, span))
    assert sum(low <= when <= high for low, high in bounds) == 1


async def test_iter_windows_validates_before_any_request(offline_client: AliceClient) -> None:
    with pytest.raises(InvalidInputError) as info:
        offline_client.cdr.iter_windows(START, window=dt.timedelta(0))
    assert info.value.field == "window"
    with pytest.raises(InvalidInputError):
        offline_client.cdr.iter_windows(START, window=SECOND, concurrency=0)
    with pytest.raises(InvalidInputError):
        offline_client.cdr.iter_windows(START, START - SECOND, window=SECOND)
    with pytest.raises(InvalidInputError, match="prefetch"):
        offline_client.cdr.iter_windows(START, window=SECOND, prefetch=None)  # type: ignore[call-overload]


# -- dict mode ----------------------------------------------------------------------------


async def test_dict_mode_yields_the_decoded_json_rows(
    client: AliceClient, on_the_second: Emulator
) -> None:
    dicts = await client.cdr.list(as_dicts=True, page_size=50).to_list()
    typed = await client.cdr.list(page_size=50).to_list()
    assert all(type(row) is dict for row in dicts)
    assert [row["id"] for row in dicts] == [row.id for row in typed]
    assert dicts[0]["starting_date"] == "2026-03-01T00:00:00Z"  # as the server sent it
    assert isinstance(typed[0], Cdr)


# -- subscribers --------------------------------------------------------------------------


async def test_subscribers_are_pulled_ahead_in_id_order_when_page_size_is_ignored() -> None:
    config = EmulatorConfig(variants=Variants(ignore_page_size=True), dialer=False)
    async with Emulator(config) as emu, make_client(emu) as client:
        book = await client.phonebooks.create(name="book")
        gateway = (await client.gateways.list().to_list())[0]
        template = await client.survey_templates.create(name="t")
        contacts = [{"contact": f"0913{i:06d}", "status": 1} for i in range(230)]
        await client.request(
            "POST", "bulkcontact/", json={"phonebook": book.id, "contacts": contacts}
        )
        fields: dict[str, Any] = Setup(book.id, gateway.id, template.id).campaign_fields()
        campaign = await client.campaigns.create(**fields)
        await client.campaigns.start(campaign.id)
        subs = [
            s
            async for s in client.subscribers.list(campaign=campaign.id, page_size=1000, prefetch=6)
        ]
        raw = await client.subscribers.list(campaign=campaign.id, as_dicts=True).to_list()
    assert all(isinstance(s, Subscriber) for s in subs)
    assert [s.phone_number for s in subs] == [c["contact"] for c in contacts]
    assert [s.id for s in subs] == sorted(s.id for s in subs)
    assert [r["id"] for r in raw] == [s.id for s in subs]


async def test_a_pull_can_run_beside_others(client: AliceClient, on_the_second: Emulator) -> None:
    results = await asyncio.gather(*(client.cdr.list(page_size=9).to_list() for _ in range(4)))
    assert all(r == results[0] for r in results)
    assert len(results[0]) == 120


def test_iter_windows_keeps_the_prefetch_it_was_given(offline_client: AliceClient) -> None:
    start = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    windows = offline_client.cdr.iter_windows(start, window=dt.timedelta(hours=1), prefetch=8)
    assert windows.prefetch == 8
    assert windows.as_dicts().prefetch == 8
    assert offline_client.cdr.list(prefetch=3).as_dicts().prefetch == 3


async def test_windows_first_page_is_the_first_windows_in_either_mode(
    client: AliceClient, emulator: Emulator
) -> None:
    emulator.seed_cdrs(30, start=START, interval=dt.timedelta(minutes=1), seed=7)
    windows = client.cdr.iter_windows(
        START, START + dt.timedelta(minutes=40), window=dt.timedelta(minutes=7), prefetch=2
    )
    first = await windows.first_page()
    assert [r.id for r in first.items] == _store_ids(emulator)[:7]
    assert first.count == 7  # the window's own count
    rows = await windows.as_dicts().first_page()
    assert [row["id"] for row in rows.items] == _store_ids(emulator)[:7]
    assert [row["id"] for row in await windows.as_dicts().to_list()] == _store_ids(emulator)
    empty = client.cdr.iter_windows(START - SECOND * 10, START - SECOND, window=SECOND * 5)
    assert (await empty.first_page()).items == []
