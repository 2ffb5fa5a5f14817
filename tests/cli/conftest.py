"""Fixtures of the command-line tests (helpers to import are in ``_helpers``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from alice_async import AliceClient
from alice_async.emulator import Emulator, EmulatorConfig
from tests.conftest import make_client


@pytest.fixture
async def still_emulator() -> AsyncIterator[Emulator]:
    """An emulator whose dialer does not run: campaign states change only when told to."""
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        yield emu


@pytest.fixture
async def still_client(still_emulator: Emulator) -> AsyncIterator[AliceClient]:
    async with make_client(still_emulator) as api:
        yield api
