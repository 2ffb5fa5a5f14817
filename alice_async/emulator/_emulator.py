"""The :class:`Emulator`: lifecycle (start/stop, the dialer task) and introspection."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from aiohttp import web

from ._app import PREFIX, build_app
from ._cdr import seed_cdrs
from ._config import Account, EmulatorConfig
from ._dialer import Dialer
from ._state import EmulatorState, Stats
from ._store import Store

__all__ = ["Emulator"]


class Emulator:
    """A local Alice server over real sockets, for tests, demos and benchmarks.

    Example::

        async with Emulator(EmulatorConfig(token_ttl=5)) as emu:
            async with aiohttp.ClientSession() as session:
                await session.post(emu.url + "get-token/",
                                   json={"username": emu.username, "password": emu.password})
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._state = EmulatorState(config or EmulatorConfig())
        self._dialer = Dialer(self._state)
        self._host = host
        self._port = port
        self._ssl_context = ssl_context
        """Serve HTTPS with this context (a test's own certificate authority), else HTTP."""
        self._runner: web.AppRunner | None = None
        self._task: asyncio.Task[None] | None = None
        self._url: str | None = None

    # -- introspection ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://host:port/rest-api/`` (``https://`` with an ``ssl_context``) once started."""
        if self._url is None:
            raise RuntimeError("the emulator is not started")
        return self._url

    @property
    def config(self) -> EmulatorConfig:
        return self._state.config

    @property
    def accounts(self) -> tuple[Account, ...]:
        return self._state.accounts

    @property
    def username(self) -> str:
        return self._state.accounts[0].username

    @property
    def password(self) -> str:
        return self._state.accounts[0].password

    @property
    def stats(self) -> Stats:
        return self._state.stats

    @property
    def store(self) -> Store:
        return self._state.store

    def configure(self, **changes: Any) -> None:
        """Replace config fields with ``attrs.evolve``: ``emu.configure(throttle_rate=5)``."""
        self._state.configure(**changes)

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock forward and run the dialer up to the new time."""
        self._state.clock.advance(seconds)
        self._dialer.run_until(self._state.clock.time())

    def seed_cdrs(
        self,
        n: int,
        *,
        account: str | None = None,
        start: datetime | None = None,
        interval: timedelta = timedelta(seconds=1),
        seed: int = 0,
        campaign: int | None = None,
    ) -> None:
        """Write ``n`` deterministic CDR rows ``interval`` apart from ``start``.

        ``start`` defaults to ``now - n * interval``, so the last row is just before now.
        """
        seed_cdrs(
            self._state.store,
            self._state.store.account(account),
            n,
            start=start,
            interval=interval,
            seed=seed,
            campaign=campaign,
            now=self._state.clock.now(),
        )

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("the emulator is already started")
        runner = web.AppRunner(build_app(self._state), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET6 if ":" in self._host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._port))
            site = web.SockSite(runner, sock, ssl_context=self._ssl_context)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner = runner
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        scheme = "http" if self._ssl_context is None else "https"
        self._url = f"{scheme}://{shown}:{port}{PREFIX}"
        if self._state.config.dialer:
            self._task = asyncio.get_running_loop().create_task(self._dialer.run_forever())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
