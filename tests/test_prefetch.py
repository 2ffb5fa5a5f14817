"""Fetch-ahead pulls (``AsyncPaginator`` with ``prefetch``) against the emulator, over sockets.

The CDR list is the vehicle: it is the endpoint that fetches ahead by default. Rows are
seeded one second apart, so ids and ``starting_date`` order agree.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import types
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import attrs
import pytest

from alice_async import AliceClient, Cdr, InvalidInputError, ServerError
from alice_async._converter import converter
from alice_async._pagination import iterate_in_order
from alice_async._rows import row_builder
from alice_async.emulator import Emulator, EmulatorConfig, Faults, Latency, Variants
from alice_async.emulator._time import micros
from tests.conftest import make_client

UTC = dt.timezone.utc
START = dt.datetime(2026, 3, 1, tzinfo=UTC)


def _seed(emu: Emulator, n: int) -> list[int]:
    emu.seed_cdrs(n, start=START, interval=dt.timedelta(seconds=1), seed=3)
    return [row["id"] for row in emu.store.cdrs(emu.username).rows]


class InFlight:
    """An aiohttp trace that records how many requests to ``cdr/`` ran at once."""

    def __init__(self) -> None:
        self.current = 0
        self.peak = 0
        self.pages: list[str] = []
        self.config = aiohttp.TraceConfig()
        self.config.on_request_start.append(self._start)
        self.config.on_request_end.append(self._end)
        self.config.on_request_exception.append(self._end)

    async def _start(self, _: Any, __: types.SimpleNamespace, params: Any) -> None:
        if "/cdr/" in params.url.path:
            self.current += 1
            self.peak = max(self.peak, self.current)
            self.pages.append(params.url.query.get("page", "1"))

    async def _end(self, _: Any, __: types.SimpleNamespace, params: Any) -> None:
        if "/cdr/" in params.url.path:
            self.current -= 1


async def test_prefetch_yields_every_row_in_order_when_the_server_ignores_page_size() -> None:
    config = EmulatorConfig(variants=Variants(ignore_page_size=True), dialer=False)
    async with Emulator(config) as emu:
        ids = _seed(emu, 2000)
        async with make_client(emu) as client:
            pulled = [row.id async for row in client.cdr.list(page_size=1000, prefetch=8)]
            pages = [len(p) async for p in client.cdr.list(prefetch=8).pages()]
        assert pulled == ids
        assert pages == [10] * 200
        # 200 pages per pull plus the one-row request that pins the snapshot.
        assert emu.stats.requests[("GET", "cdr/")] == 2 * 201


async def test_pages_are_fetched_concurrently_and_still_yielded_in_order() -> None:
    config = EmulatorConfig(
        variants=Variants(ignore_page_size=True),
        dialer=False,
        latency=Latency(per_request=0.002),
        faults=Faults(rate=0.3, kinds=("slow",), slow_seconds=0.03, paths=("cdr/",), seed=5),
    )
    trace = InFlight()
    async with Emulator(config) as emu:
        ids = _seed(emu, 600)
        async with aiohttp.ClientSession(trace_configs=[trace.config]) as session:
            async with make_client(emu, session=session) as client:
                pulled = [row async for row in client.cdr.list(prefetch=6)]
    assert [row.id for row in pulled] == ids
    dates = [row.starting_date for row in pulled if row.starting_date is not None]
    assert dates == sorted(dates)
    assert len(dates) == len(pulled)
    assert 2 <= trace.peak <= 6  # bounded by prefetch
    assert emu.stats.faults["slow"] > 0  # some pages really came back late


async def test_prefetch_zero_follows_next_one_page_at_a_time() -> None:
    trace = InFlight()
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        ids = _seed(emu, 95)
        async with aiohttp.ClientSession(trace_configs=[trace.config]) as session:
            async with make_client(emu, session=session) as client:
                assert [r.id async for r in client.cdr.list(prefetch=0)] == ids
    assert trace.peak == 1


async def test_a_fault_mid_pull_retries_that_page_only() -> None:
    config = EmulatorConfig(
        dialer=False,
        faults=Faults(rate=0.2, kinds=("502", "503"), paths=("cdr/",), seed=11),
    )
    trace = InFlight()
    async with Emulator(config) as emu:
        ids = _seed(emu, 1000)
        async with aiohttp.ClientSession(trace_configs=[trace.config]) as session:
            async with make_client(emu, session=session, max_retries=8) as client:
                pulled = [row.id async for row in client.cdr.list(page_size=20, prefetch=5)]
                retries = client.retries
    assert pulled == ids
    assert retries == emu.stats.faults["502"] + emu.stats.faults["503"] > 0
    # Each retry repeats one page: the pin, 50 pages, and exactly one request per retry.
    assert len(trace.pages) == 1 + 50 + retries


async def test_a_page_that_keeps_failing_ends_the_pull_without_restarting_it() -> None:
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        _seed(emu, 100)
        async with make_client(emu, max_retries=2) as client:
            seen: list[Cdr] = []

            async def pull() -> None:
                async for row in client.cdr.list(prefetch=3):
                    seen.append(row)
                    if len(seen) == 10:  # the first page is read: now every request fails
                        emu.configure(faults=Faults(rate=1.0, kinds=("503",), paths=("cdr/",)))

            with pytest.raises(ServerError):
                await pull()
            assert len(seen) == 10
            before = emu.stats.requests[("GET", "cdr/")]
        emu.configure(faults=Faults())
        # Pages 2-4 were in flight: at most 3 pages x 3 attempts after the first page.
        assert before <= 2 + 3 * 3


async def test_stopping_early_cancels_the_pages_in_flight() -> None:
    emulator_rows = 300
    async with Emulator(EmulatorConfig(dialer=False, latency=Latency(per_request=0.01))) as emu:
        _seed(emu, emulator_rows)
        async with make_client(emu) as api:
            taken = []
            async for row in api.cdr.list(prefetch=16):
                taken.append(row)
                if len(taken) == 15:
                    break
            assert len(taken) == 15
            # The client still works after the abandoned pull.
            assert (await api.cdr.list().first_page()).count == emulator_rows


def _insert(emu: Emulator, when: dt.datetime, ident: int) -> None:
    table = emu.store.cdrs(emu.username)
    row = dict(table.rows[0], id=ident, starting_date=when.isoformat().replace("+00:00", "Z"))
    table.add(micros(when), row)


async def test_rows_inserted_ahead_of_the_reader_cause_no_duplicate_and_no_loss() -> None:
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        ids = _seed(emu, 400)
        async with make_client(emu) as client:
            pulled: list[int] = []
            stop = START + dt.timedelta(hours=1)
            async for page in client.cdr.list(to_date=stop, prefetch=4).pages():
                pulled.extend(row.id for row in page.items)
                if page.number in (3, 7, 20):
                    # Late records inside the window, before the reader's position.
                    for k in range(7):
                        _insert(emu, START + dt.timedelta(seconds=k, microseconds=5), 10_000 + k)
        assert len(pulled) == len(set(pulled))
        assert set(ids) <= set(pulled)
        in_store = [row["id"] for row in emu.store.cdrs(emu.username).rows]
        assert pulled == [i for i in in_store if i in set(pulled)]  # server order


async def test_rows_deleted_behind_the_reader_fall_back_to_following_next() -> None:
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        ids = _seed(emu, 300)
        table = emu.store.cdrs(emu.username)
        deleted: set[int] = set()
        async with make_client(emu) as client:
            pulled: list[int] = []
            async for page in client.cdr.list(to_date=START + dt.timedelta(days=1)).pages():
                pulled.extend(row.id for row in page.items)
                if page.number == 5 and not deleted:
                    for _ in range(13):  # shift every later row back by 13 places
                        deleted.add(table.rows[0]["id"])
                        del table.rows[0], table.keys[0]
        assert len(pulled) == len(set(pulled))
        assert [i for i in ids if i not in deleted] == [i for i in pulled if i not in deleted]


async def test_prefetch_is_validated() -> None:
    async with AliceClient("http://127.0.0.1:9/rest-api/", token="t") as offline:
        with pytest.raises(InvalidInputError) as info:
            offline.cdr.list(prefetch=-1)
        assert info.value.field == "prefetch"
        with pytest.raises(InvalidInputError):
            offline.subscribers.list(prefetch=1000)


async def test_iterate_in_order_runs_streams_concurrently_but_yields_them_in_turn() -> None:
    started: list[int] = []
    second_running = asyncio.Event()

    def stream(index: int) -> Any:
        async def gen() -> AsyncIterator[tuple[int, int]]:
            started.append(index)
            if index == 0:
                # The first stream yields only once the second one runs: a deadlock (the
                # test's timeout) unless the streams really run at the same time.
                await second_running.wait()
            for item in range(3):
                if index == 1:
                    second_running.set()
                yield index, item

        return gen

    streams = [stream(0), stream(1), stream(2), stream(3)]
    out = [x async for x in iterate_in_order(streams, concurrency=3, buffer=1)]
    assert out == [(i, k) for i in range(4) for k in range(3)]
    assert started[:3] == [0, 1, 2]


async def test_iterate_in_order_raises_the_error_of_a_stream_when_reached() -> None:
    def good() -> Any:
        async def gen() -> AsyncIterator[int]:
            yield 1

        return gen()

    def bad() -> Any:
        async def gen() -> AsyncIterator[int]:
            for item in (2,):
                if item == 2:
                    raise RuntimeError("boom")
                yield item

        return gen()

    out: list[int] = []

    async def read() -> None:
        async for x in iterate_in_order([good, bad, good], concurrency=2, buffer=1):
            out.append(x)

    with pytest.raises(RuntimeError, match="boom"):
        await read()
    assert out == [1]


# -- the fast row builder -----------------------------------------------------------------

_HOOK = converter.get_structure_hook(Cdr)


def _slow_cdr(item: Any) -> Cdr:
    return _HOOK(item, Cdr)  # type: ignore[no-any-return]


def _sample_row() -> dict[str, Any]:
    return {
        "id": 7,
        "callid": "7d5c1c1a-0000-4000-8000-000000000001",
        "callerid": "0281234567",
        "phone_number": "0934890883",
        "starting_date": "2026-03-01T00:00:00.250000Z",
        "duration": 30,
        "billsec": 20,
        "progresssec": 2,
        "answersec": 10,
        "waitsec": 10,
        "disposition": "ANSWER",
        "hangup_cause": "NORMAL_CLEARING",
        "hangup_cause_q850": 16,
        "sip_term_status": "200",
        "sip_term_cause": "16",
        "endpoint_disposition": "ANSWER",
        "leg_type": 1,
        "amd_status": None,
        "campaign": None,
        "subscriber": 3,
        "alarm": False,
        "otp": False,
        "an_unknown_field": [1, 2],
    }


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"starting_date": "2026-03-01T00:00:00Z"},
        {"starting_date": "2026-03-01T07:00:00.1+07:00"},
        {"starting_date": None},
        {"campaign": "http://h/rest-api/campaigns/12/"},
        {"disposition": "VOICEMAIL", "amd_status": 9},
        {"hangup_cause_q850": "16", "alarm": "true", "leg_type": "2"},
        {"sip_term_status": 486},
        {"id": None, "url": "http://h/rest-api/cdr/7/"},
    ],
)
def test_the_fast_builder_agrees_with_the_converter(change: dict[str, Any]) -> None:
    build = row_builder(Cdr, _slow_cdr)
    row = {k: v for k, v in {**_sample_row(), **change}.items() if v is not None or k != "id"}
    assert build(row) == _slow_cdr(row)


@pytest.mark.parametrize(
    "row",
    [{"id": "x"}, "not a dict", {**_sample_row(), "starting_date": 5}, {**_sample_row(), "otp": 3}],
)
def test_the_fast_builder_raises_what_the_converter_raises(row: Any) -> None:
    build = row_builder(Cdr, _slow_cdr)
    with pytest.raises(Exception) as fast_error:  # noqa: PT011 - compared below
        build(row)
    with pytest.raises(Exception) as slow_error:  # noqa: PT011
        _slow_cdr(row)
    assert type(fast_error.value) is type(slow_error.value)
    assert str(fast_error.value) == str(slow_error.value)


def test_the_fast_builder_leaves_models_it_cannot_copy_to_the_converter() -> None:
    @attrs.define(slots=False)
    class NotSlotted:
        id: int

    @attrs.frozen
    class Validated:
        id: int = attrs.field(validator=attrs.validators.ge(0))

    @attrs.frozen
    class Mapping_:
        extra: dict[str, int]  # only objects of strings (additional_vars) are copied

    for model in (NotSlotted, Validated, Mapping_):

        def slow(item: Any, model: Any = model) -> Any:
            return converter.structure(item, model)

        assert row_builder(model, slow) is slow
