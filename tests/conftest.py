"""Shared fixtures: an emulator on a free loopback port and a client opened on it."""

from __future__ import annotations

import inspect
import random
import signal
import threading
from collections.abc import AsyncIterator, Iterator

import pytest

from alice_async import AliceClient, RetryPolicy
from alice_async.emulator import Emulator, EmulatorConfig

FAST_RETRIES = RetryPolicy(initial_delay=0.001, max_delay=0.01, max_retry_after=0.01)
"""Back-off short enough that retry tests take milliseconds."""


@pytest.hookimpl(wrapper=True)
def pytest_pycollect_makeitem(
    collector: pytest.Module | pytest.Class, name: str, obj: object
) -> object:
    """Run every ``async def`` test on anyio (asyncio backend), marked or not."""
    inner = getattr(getattr(obj, "hypothesis", None), "inner_test", obj)
    if collector.istestfunction(obj, name) and inspect.iscoroutinefunction(inner):
        pytest.mark.anyio(obj)
    return (yield)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_thread_leaks() -> Iterator[None]:
    """Every test must stop the threads it started (portals, executors...)."""
    before = set(threading.enumerate())
    yield
    leaked = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.daemon and t.name != "asyncio_0"
    ]
    for thread in leaked:
        thread.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture(autouse=True)
def _python_handles_ctrl_c() -> Iterator[None]:
    """Polars installs a native SIGINT handler when imported, under Python's: re-install
    Python's after each test, so that Ctrl-C tests still see ``KeyboardInterrupt``."""
    yield
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.getsignal(signal.SIGINT))


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(EmulatorConfig()) as emu:
        yield emu


def make_client(emu: Emulator, **options: object) -> AliceClient:
    """A client for ``emu``'s first account with fast retries (override any option)."""
    settings: dict[str, object] = {
        "username": emu.username,
        "password": emu.password,
        "retry_policy": FAST_RETRIES,
    }
    settings.update(options)
    return AliceClient(emu.url, **settings)  # type: ignore[arg-type]


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AliceClient]:
    async with make_client(emulator) as api:
        yield api


def fault_seed(rate: float, kinds: tuple[str, ...], pattern: str) -> int:
    """A seed whose dice fault (``F``) or spare (``.``) the first eligible requests as given."""
    for seed in range(10_000):
        dice = random.Random(seed)
        drawn = ""
        for _ in pattern:
            if dice.random() < rate:
                dice.choice(kinds)
                drawn += "F"
            else:
                drawn += "."
        if drawn == pattern:
            return seed
    raise AssertionError(f"no seed gives {pattern}")
