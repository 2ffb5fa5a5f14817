"""SyncPaginator: items and pages across requests, pages handed over through a bounded queue,
pulls that end when their loop is left."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import types
from collections.abc import AsyncGenerator, Callable
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal

from alice_async import Contact, Page, ServerError
from alice_async.emulator import Emulator, Faults
from alice_sync import AliceClient, SyncPaginator
from alice_sync._pagination import Pump, read_ahead

from .conftest import wait_until

CONTACTS = 23


@pytest.fixture
def phonebook(client: AliceClient) -> int:
    """A phonebook holding CONTACTS contacts, numbered in order."""
    book = client.phonebooks.create(name="paged")
    for n in range(CONTACTS):
        client.contacts.create(phonebook=book.id, contact=f"09348900{n:02d}")
    return book.id


def test_iterating_yields_every_item_across_pages(client: AliceClient, phonebook: int) -> None:
    paginator = client.contacts.list(phonebook=phonebook, page_size=5)

    contacts = list(paginator)

    assert isinstance(paginator, SyncPaginator)
    assert [c.contact for c in contacts] == [f"09348900{n:02d}" for n in range(CONTACTS)]
    assert all(type(c) is Contact for c in contacts)
    assert list(paginator) == contacts  # each iteration is a fresh pull


def test_pages_carry_numbers_and_the_total_count(client: AliceClient, phonebook: int) -> None:
    pages = list(client.contacts.list(phonebook=phonebook, page_size=10).pages())

    assert all(isinstance(page, Page) for page in pages)
    assert [page.number for page in pages] == [1, 2, 3]
    assert [len(page) for page in pages] == [10, 10, 3]
    assert {page.count for page in pages} == {CONTACTS}


def test_first_page_and_to_list(client: AliceClient, emulator: Emulator, phonebook: int) -> None:
    paginator = client.contacts.list(phonebook=phonebook, page_size=4)
    emulator.stats.reset()

    first = paginator.first_page()

    assert emulator.stats.requests[("GET", "contact/")] == 1
    assert (len(first), first.count) == (4, CONTACTS)
    assert len(paginator.to_list()) == CONTACTS
    assert [c.contact for c in paginator.to_list(limit=6)] == [f"09348900{n:02d}" for n in range(6)]


def test_list_does_not_wait_for_the_loop_and_first_page_waits_once(
    client: AliceClient, emulator: Emulator, phonebook: int
) -> None:
    waits = count_waits(client)

    paginator = client.contacts.list(phonebook=phonebook, page_size=4)
    assert waits == []
    first = paginator.first_page()

    assert len(waits) == 1
    assert (len(first), first.count) == (4, CONTACTS)


def test_rows_are_handed_over_a_page_at_a_time(client: AliceClient, phonebook: int) -> None:
    waits = count_waits(client)

    rows = list(client.contacts.list(phonebook=phonebook, page_size=5))

    pages = 5
    assert len(rows) == CONTACTS
    # at most one wait per page, and one for the end of the pull: never one per row
    assert len(waits) <= pages + 1


def test_breaking_out_of_a_loop_closes_the_pull_at_once(
    client: AliceClient, emulator: Emulator, phonebook: int
) -> None:
    pulls = record_async_generators(client)
    tasks_before = run_in_loop(client, other_tasks)
    emulator.stats.reset()

    for contact in client.contacts.list(phonebook=phonebook, page_size=5):
        if contact.contact.endswith("07"):
            break

    assert emulator.stats.requests[("GET", "contact/")] == 2
    assert pulls
    assert all(pull.ag_frame is None for pull in pulls)  # finished or closed
    assert run_in_loop(client, other_tasks) == tasks_before


def test_closing_a_pages_generator_closes_the_pull(client: AliceClient, phonebook: int) -> None:
    pulls = record_async_generators(client)
    pages = client.contacts.list(phonebook=phonebook, page_size=5).pages()

    assert next(pages).number == 1
    assert pulls
    assert pulls[0].ag_frame is not None  # suspended after the first page
    pages.close()

    assert pulls[0].ag_frame is None


def test_a_pull_left_open_is_closed_with_the_client(emulator: Emulator, phonebook: int) -> None:
    from .conftest import make_sync_client

    client = make_sync_client(emulator)
    pulls = record_async_generators(client)
    pages = client.contacts.list(phonebook=phonebook, page_size=5).pages()
    next(pages)
    assert pulls
    assert pulls[0].ag_frame is not None  # suspended in the client's loop

    client.close()

    assert all(pull.ag_frame is None for pull in pulls)  # the loop's shutdown closed them
    pages.close()  # nothing left to close: no error, no warning (warnings are errors here)
    assert list(pages) == []


# -- pulls that fetch ahead (call records) -------------------------------------------------

CALL_RECORDS = 200


@pytest.fixture
def call_records(emulator: Emulator, emulator_portal: BlockingPortal) -> int:
    """CALL_RECORDS call records in the emulator (20 pages of 10)."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    emulator_portal.call(lambda: emulator.seed_cdrs(CALL_RECORDS, start=start))
    return CALL_RECORDS


def test_a_pull_fetches_ahead_while_its_reader_is_busy_and_holds_few_pages(
    client: AliceClient, emulator: Emulator, call_records: int
) -> None:
    prefetch = 2
    emulator.stats.reset()
    pages = client.cdr.list(page_size=10, prefetch=prefetch).pages()

    first = next(pages)  # then the reader is busy: it asks for nothing more

    # The pull goes on in the loop (the snapshot's pin, then pages) without the reader...
    pulled = 1 + read_ahead(pages_of(client.cdr.list(prefetch=prefetch)))  # taken unasked
    wait_until(lambda: emulator.stats.requests[("GET", "cdr/")] >= 1 + pulled)
    client.phonebooks.list().first_page()  # a turn of the loop more
    # ...and stops: a bounded number of pages ahead of the reader, not the 20 of the list.
    assert emulator.stats.requests[("GET", "cdr/")] <= 1 + pulled + prefetch
    assert first.number == 1
    assert [page.number for page in pages] == list(range(2, call_records // 10 + 1))


def test_breaking_out_of_a_fetching_ahead_pull_cancels_it_and_leaks_no_task(
    client: AliceClient, emulator: Emulator, call_records: int
) -> None:
    pulls = record_async_generators(client)
    tasks_before = run_in_loop(client, other_tasks)

    for n, _call in enumerate(client.cdr.list(page_size=10, prefetch=4)):
        if n == 14:
            break

    assert pulls
    assert all(pull.ag_frame is None for pull in pulls)  # finished or closed
    assert run_in_loop(client, other_tasks) == tasks_before
    assert client._bridge._background == 0  # its loop thread has nothing left to run


def test_an_error_during_a_pull_reaches_the_reader_with_its_type_and_message(
    emulator: Emulator, call_records: int
) -> None:
    from .conftest import make_sync_client

    emulator.configure(faults=Faults(rate=1.0, kinds=("502",), paths=("cdr/",)))
    with make_sync_client(emulator, max_retries=0) as client:
        with pytest.raises(ServerError, match="502") as caught:
            list(client.cdr.list(page_size=10))

        assert caught.value.status_code == 502
        assert client._bridge._background == 0


# -- looking into the client's event loop ---------------------------------------------------


def run_in_loop(client: AliceClient, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in the client's event-loop thread (white-box: the bridge is private)."""
    return client._bridge.run_sync(fn)


def other_tasks() -> set[asyncio.Task[Any]]:
    """The loop's tasks other than the one asking."""
    return asyncio.all_tasks() - {asyncio.current_task()}


def record_async_generators(client: AliceClient) -> list[types.AsyncGeneratorType[Any, Any]]:
    """Every async generator the client's loop starts from now on (via its asyncgen hook,
    which the loop installs each time a thread starts running it)."""
    started: list[types.AsyncGeneratorType[Any, Any]] = []
    loop = client._bridge._loop
    firstiter = loop._asyncgen_firstiter_hook  # type: ignore[attr-defined]

    def record(agen: AsyncGenerator[Any, Any]) -> None:
        assert isinstance(agen, types.AsyncGeneratorType)
        started.append(agen)
        firstiter(agen)

    loop._asyncgen_firstiter_hook = record  # type: ignore[attr-defined]
    return started


def pages_of(paginator: SyncPaginator[Any]) -> Any:
    """The async paginator a sync one adapts."""
    return paginator._paginator


def count_waits(client: AliceClient) -> list[object]:
    """Record each time a calling thread waits for the client's loop (a spy; it still waits)."""
    bridge = client._bridge
    waits: list[object] = []
    original = bridge._wait

    def spy(call: Any, *args: Any, **kwargs: Any) -> None:
        if not call.finished:
            waits.append(call)
        original(call, *args, **kwargs)

    bridge._wait = spy  # type: ignore[method-assign]
    return waits


def test_pulls_closed_at_once_leave_nothing_behind(
    client: AliceClient, emulator: Emulator, call_records: int
) -> None:
    tasks_before = run_in_loop(client, other_tasks)
    paginator = client.cdr.list(page_size=10, prefetch=4)

    for _ in range(10):  # bounded: each pull is started, then closed at once
        pages = paginator.pages()
        assert next(pages).number == 1
        pages.close()
        # closed before its task took a step: its coroutine is closed, never "not awaited"
        Pump(client._bridge, paginator._paginator.pages, 4).close()
    gc.collect()

    assert run_in_loop(client, other_tasks) == tasks_before
    assert client._bridge._background == 0
