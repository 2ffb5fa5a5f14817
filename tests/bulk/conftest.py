"""Helpers of the bulk-upload tests: emulators with faults, numbers, and the exactly-once checks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import AsyncExitStack
from typing import Any, Protocol

import pytest

from alice_async import AliceClient, BulkResult
from alice_async.emulator import Emulator, EmulatorConfig, Faults, Variants

from ..conftest import make_client

EVERY_FAULT = ("502", "503", "500_after", "reset_after", "429")
"""Every fault kind that strikes a request; the throttle adds 429s of its own."""


def faults(rate: float = 0.1, seed: int = 7) -> Faults:
    """Faults on ``bulkcontact/`` only (lookups and the watermark stay clean)."""
    return Faults(rate=rate, kinds=EVERY_FAULT, paths=("bulkcontact/",), seed=seed)


def chaos(*, atomic: bool = False, seed: int = 7, **options: Any) -> EmulatorConfig:
    """10 % faults of every kind on ``bulkcontact/`` plus a throttle that answers 429s."""
    settings: dict[str, Any] = {"throttle_rate": 100.0, **options}
    return EmulatorConfig(
        dialer=False, variants=Variants(bulk_atomic=atomic), faults=faults(seed=seed), **settings
    )


def number(i: int) -> str:
    return f"09{i:08d}"


def rows(n: int, *, start: int = 0) -> list[dict[str, Any]]:
    return [{"contact": number(i), "first_name": "Nguyễn Thị"} for i in range(start, start + n)]


def assert_accounting(result: BulkResult) -> None:
    assert result.pending == 0
    settled = len(result.duplicates) + len(result.invalid) + len(result.do_not_call)
    assert result.created + settled == result.rows_read
    assert result.is_complete


def assert_exactly_once(emu: Emulator, expected: set[str]) -> None:
    """Every expected number is stored once, and nothing else is stored."""
    stored = emu.store.contact_numbers()
    assert len(stored) == len(set(stored)), "a number was stored twice"
    assert set(stored) == expected


def add_phonebook(emu: Emulator, name: str = "Customers") -> int:
    book: int = emu.store.add("phonebook", name=name)["id"]
    return book


def preload(emu: Emulator, phonebook: int, numbers: list[str]) -> None:
    for value in numbers:
        emu.store.add("contact", contact=value, phonebook=phonebook, status=1)


class Start(Protocol):
    """The type of the ``start`` fixture."""

    def __call__(
        self, config: EmulatorConfig | None = None, **options: Any
    ) -> Awaitable[tuple[Emulator, AliceClient]]: ...


@pytest.fixture
async def start() -> AsyncIterator[Start]:
    """``emu, client = await start(config, **client_options)``, both closed after the test."""
    async with AsyncExitStack() as stack:

        async def started(
            config: EmulatorConfig | None = None, **options: Any
        ) -> tuple[Emulator, AliceClient]:
            emu = await stack.enter_async_context(Emulator(config or EmulatorConfig(dialer=False)))
            client = await stack.enter_async_context(make_client(emu, **options))
            return emu, client

        yield started
