"""Fixtures for the emulator's tests: an emulator on a real socket and a raw HTTP helper.

No SDK here: the tests speak HTTP with a plain ``aiohttp.ClientSession``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import aiohttp
import pytest

from alice_async.emulator import Emulator, EmulatorConfig

from ._helpers import Api


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


Factory = Callable[..., Awaitable[Api]]


@pytest.fixture
async def make_api() -> AsyncIterator[Factory]:
    """``await make_api(config, login=True)``: a started emulator and a logged-in Api."""
    async with AsyncExitStack() as stack:

        async def make(config: EmulatorConfig | None = None, *, login: bool = True) -> Api:
            emu = await stack.enter_async_context(Emulator(config or EmulatorConfig(dialer=False)))
            session = await stack.enter_async_context(aiohttp.ClientSession())
            api = Api(session, emu)
            if login:
                reply = await api.login()
                assert reply.status == 200, reply.text
            return api

        yield make


@pytest.fixture
async def api(make_api: Factory) -> Api:
    return await make_api()
