"""Fixtures for the sync facade: an emulator served from a background thread, a sync client.

The sync client blocks its caller, so the emulator cannot share the test's thread: it runs in
an event loop of its own (an anyio blocking portal). ``emulator`` and ``client`` override the
async fixtures of ``tests/conftest.py`` with these.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from alice_async.emulator import Emulator, EmulatorConfig
from alice_sync import AliceClient
from alice_sync._bridge import THREAD_NAME

from ..conftest import FAST_RETRIES

PORTAL_THREAD = THREAD_NAME
"""The name of the thread a sync client starts to run its loop while a pull is open."""


@pytest.fixture
def emulator_portal() -> Iterator[BlockingPortal]:
    """The event loop the emulator runs in (to call its methods there)."""
    with start_blocking_portal("asyncio", name="emulator-event-loop") as portal:
        yield portal


@pytest.fixture
def emulator(emulator_portal: BlockingPortal) -> Iterator[Emulator]:
    """An emulator on a free loopback port, served from a background thread."""
    with emulator_portal.wrap_async_context_manager(Emulator(EmulatorConfig())) as emu:
        yield emu


def make_sync_client(emu: Emulator, **options: object) -> AliceClient:
    """A sync client for ``emu``'s first account with fast retries (override any option)."""
    settings: dict[str, object] = {
        "username": emu.username,
        "password": emu.password,
        "retry_policy": FAST_RETRIES,
    }
    settings.update(options)
    return AliceClient(emu.url, **settings)  # type: ignore[arg-type]


@pytest.fixture
def client(emulator: Emulator) -> Iterator[AliceClient]:
    with make_sync_client(emulator) as api:
        yield api


def portal_threads() -> list[threading.Thread]:
    """The loop threads of sync clients still alive."""
    return [t for t in threading.enumerate() if t.name == PORTAL_THREAD and t.is_alive()]


@pytest.fixture(autouse=True)
def _no_portal_left_running() -> Iterator[None]:
    """Every sync client a test opens has stopped its (daemon) thread by the end of it."""
    before = set(portal_threads())
    yield
    left = [t for t in portal_threads() if t not in before]
    assert not left, f"{len(left)} sync client thread(s) left running"


def wait_until(ready: Callable[[], bool], *, within: float = 30.0) -> None:
    """Return once ``ready()`` holds (checked every few ms): an event another thread or the
    emulator's loop makes true, waited for instead of a fixed sleep."""
    deadline = time.monotonic() + within
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not ready after {within} s")
        threading.Event().wait(0.005)
