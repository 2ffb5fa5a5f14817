"""The leak checks themselves: each must catch what it exists to catch.

``tests/conftest.py`` fails any test that leaves a non-daemon thread running, and the chaos
suite's ``no_task_leaks`` fails any test that leaves a task running on the loop. A check
that never fires proves nothing, so here each one is shown a leak (without pytester: the
fixture's generator is driven by hand) and a clean run.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import cast

import pytest

from tests import conftest as root
from tests.chaos.conftest import running_tasks, tasks_left_running

ThreadCheck = Callable[[], Iterator[None]]
# pytest keeps the plain generator function as ``__wrapped__``; its type does not declare it.
thread_check = cast(ThreadCheck, getattr(root._no_thread_leaks, "__wrapped__"))  # noqa: B009


class StubbornThread(threading.Thread):
    """A thread whose ``join`` gives up at once, so the check's 5 s grace is not waited out."""

    def join(self, timeout: float | None = None) -> None:
        return None

    def really_join(self) -> None:
        super().join(timeout=5)


def test_the_thread_check_fails_a_test_that_leaves_a_thread_running() -> None:
    release = threading.Event()
    check = thread_check()
    next(check)
    leaked = StubbornThread(target=release.wait, name="leaked-by-test")
    leaked.start()
    try:
        with pytest.raises(AssertionError, match="leaked-by-test"):
            next(check)
    finally:
        release.set()
        leaked.really_join()


def test_the_thread_check_passes_a_test_that_stops_its_threads() -> None:
    check = thread_check()
    next(check)
    worker = threading.Thread(target=lambda: None, name="finished-in-time")
    worker.start()
    with pytest.raises(StopIteration):
        next(check)  # joins the worker, finds nothing left, ends


async def test_the_task_check_reports_a_task_left_running() -> None:
    before = running_tasks()
    forgotten = asyncio.ensure_future(asyncio.sleep(60))
    try:
        left = await tasks_left_running(before, grace=0.05)
        assert left == [forgotten]
    finally:
        forgotten.cancel()
        await asyncio.gather(forgotten, return_exceptions=True)


async def test_the_task_check_waits_for_tasks_that_are_finishing() -> None:
    before = running_tasks()
    finishing = asyncio.ensure_future(asyncio.sleep(0.02))
    assert await tasks_left_running(before, grace=1.0) == []
    assert finishing.done()
