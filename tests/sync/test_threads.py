"""Where sync code runs: many threads at once, a thread with its own running event loop
(Jupyter), and a main thread interrupted by Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal

from alice_async import ClientStateError, NotFoundError, Phonebook
from alice_async.emulator import Emulator, Faults
from alice_sync import AliceClient

from .conftest import wait_until

THREADS = 8
CALLS = 20


def test_threads_share_one_client(client: AliceClient) -> None:
    books = [client.phonebooks.create(name=f"book {n}") for n in range(THREADS)]

    def worker(book: Phonebook) -> list[str]:
        return [client.phonebooks.get(book.id).name for _ in range(CALLS)]

    with ThreadPoolExecutor(THREADS) as pool:
        names = list(pool.map(worker, books))

    assert names == [[book.name] * CALLS for book in books]


def test_works_inside_a_running_event_loop(client: AliceClient) -> None:
    """As in a Jupyter cell: the caller's thread runs a loop; the client's loop is another."""
    book = client.phonebooks.create(name="notebook")
    results: list[Any] = []

    async def cell() -> None:
        results.append(client.phonebooks.get(book.id))
        results.append(len(client.phonebooks.list().to_list()))

    thread = threading.Thread(target=asyncio.run, args=(cell(),))
    thread.start()
    thread.join(timeout=10)

    assert results == [book, 1]


def test_ctrl_c_cancels_the_call_and_leaves_nothing_running(
    client: AliceClient, emulator: Emulator, emulator_portal: BlockingPortal
) -> None:
    book = client.phonebooks.create(name="slow")
    tasks_before = client._bridge.run_sync(other_task_count)
    emulator_portal.call(
        lambda: emulator.configure(
            faults=Faults(rate=1.0, kinds=("slow",), slow_seconds=10.0, paths=("phonebook/",))
        )
    )
    ctrl_c = press_ctrl_c_when(lambda: emulator.stats.faults["slow"] == 1)

    with pytest.raises(KeyboardInterrupt):  # not the phonebook the 10 s fault would return
        client.phonebooks.get(book.id)

    ctrl_c.join()
    assert client._bridge.run_sync(other_task_count) == tasks_before
    emulator_portal.call(lambda: emulator.configure(faults=Faults()))
    assert client.phonebooks.get(book.id) == book  # the client is still usable


def test_ctrl_c_while_waiting_for_a_page_cancels_the_pull(
    client: AliceClient, emulator: Emulator, emulator_portal: BlockingPortal
) -> None:
    book = client.phonebooks.create(name="slow pages")
    tasks_before = client._bridge.run_sync(other_task_count)
    emulator_portal.call(
        lambda: emulator.configure(
            faults=Faults(rate=1.0, kinds=("slow",), slow_seconds=10.0, paths=("contact/",))
        )
    )
    ctrl_c = press_ctrl_c_when(lambda: emulator.stats.faults["slow"] == 1)

    with pytest.raises(KeyboardInterrupt):
        for _contact in client.contacts.list(phonebook=book.id):
            pass

    ctrl_c.join()
    assert client._bridge.run_sync(other_task_count) == tasks_before
    assert client._bridge._background == 0
    emulator_portal.call(lambda: emulator.configure(faults=Faults()))
    assert client.contacts.list(phonebook=book.id).to_list() == []  # still usable


def test_an_exception_keeps_its_type_message_and_the_frames_where_it_was_raised(
    client: AliceClient,
) -> None:
    with pytest.raises(NotFoundError, match="phonebook/424242/") as caught:
        client.phonebooks.get(424242)

    assert caught.value.status_code == 404
    files = [frame.filename for frame in traceback.extract_tb(caught.value.__traceback__)]
    assert any(name.endswith(os.path.join("alice_async", "_transport.py")) for name in files)
    assert files[0] == __file__  # raised to the caller, through the facade


def test_eight_threads_share_one_client_for_calls_and_pulls(client: AliceClient) -> None:
    book = client.phonebooks.create(name="shared")
    numbers = [f"09348908{n:02d}" for n in range(12)]
    for number in numbers:
        client.contacts.create(phonebook=book.id, contact=number)

    def worker(n: int) -> list[list[str]]:
        seen = []
        for _ in range(5):
            assert client.phonebooks.get(book.id) == book
            pull = client.contacts.list(phonebook=book.id, page_size=5)
            seen.append([contact.contact for contact in pull])
        return seen

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))

    assert results == [[numbers] * 5] * THREADS
    assert client._bridge.run_sync(other_task_count) == 0
    assert client._bridge._background == 0


def test_closing_the_client_ends_a_pull_waiting_in_another_thread(
    client: AliceClient, emulator: Emulator, emulator_portal: BlockingPortal
) -> None:
    book = client.phonebooks.create(name="slow pages")
    emulator_portal.call(
        lambda: emulator.configure(
            faults=Faults(rate=1.0, kinds=("slow",), slow_seconds=10.0, paths=("contact/",))
        )
    )
    errors: list[BaseException] = []

    def read() -> None:
        try:
            list(client.contacts.list(phonebook=book.id))
        except BaseException as exc:
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    wait_until(lambda: emulator.stats.faults["slow"] == 1)  # the page is at the server
    client.close()
    reader.join()

    # Not cancelled, the pull would have returned its page after the 10 s fault.
    assert [type(error) for error in errors] == [ClientStateError]


def press_ctrl_c_when(ready: Callable[[], bool]) -> threading.Thread:
    """Deliver SIGINT to the main thread (pytest's) once ``ready()``, as a terminal does."""
    assert threading.current_thread() is threading.main_thread()
    main = threading.main_thread().ident
    assert main is not None

    def press() -> None:
        wait_until(ready)
        signal.pthread_kill(main, signal.SIGINT)

    presser = threading.Thread(target=press)
    presser.start()
    return presser


def other_task_count() -> int:
    return len(asyncio.all_tasks())
