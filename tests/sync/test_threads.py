"""Where sync code runs: many threads at once, a thread with its own running event loop
(Jupyter), and a main thread interrupted by Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal

from alice_async import Phonebook
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
    return len(asyncio.all_tasks()) - 1
