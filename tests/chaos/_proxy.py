"""A TCP proxy that cuts some HTTP responses in the middle of their body.

The emulator can refuse, fail or reset a request, but it always sends a whole response or
none. Real networks also drop a connection halfway through a body (a proxy restarting, a
NAT timing out). This proxy sits between the client and the emulator, forwards bytes both
ways, and for a seeded fraction of responses forwards the headers and half the body, then
aborts the connection. Each cut happens after the server processed the request.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re

__all__ = ["CuttingProxy"]

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_READ = 65536


class _Cut(Exception):
    """The downstream pump cut the connection on purpose."""


class CuttingProxy:
    """Forward ``127.0.0.1:<port>`` to ``target_port``; cut ``rate`` of the responses mid-body.

    Example::

        async with CuttingProxy(emulator_port, rate=0.1, seed=1) as proxy:
            client = AliceClient(f"http://127.0.0.1:{proxy.port}/rest-api/", ...)
    """

    def __init__(self, target_port: int, *, rate: float, seed: int = 0) -> None:
        self.target_port = target_port
        self.rate = rate
        self.cuts = 0
        self._random = random.Random(seed)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the proxy is not started")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def __aenter__(self) -> CuttingProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        # Aborted transports end both pumps of every connection: its task finishes by itself.
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            await self._serve(reader, writer)
        finally:
            self._writers.discard(writer)
            self._tasks.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        pumps = [
            asyncio.ensure_future(_pump(reader, up_writer)),
            asyncio.ensure_future(self._pump_responses(up_reader, writer)),
        ]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            for side in (writer, up_writer):
                side.transport.abort()

    async def _pump_responses(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter
    ) -> None:
        """Forward responses one by one, deciding for each whether to cut it."""
        buffer = b""
        remaining: int | None = None  # body bytes still to forward; None: at a header
        while True:
            chunk = await source.read(_READ)
            if not chunk:
                sink.write(buffer)
                return
            buffer += chunk
            while buffer:
                if remaining is None:
                    end = buffer.find(b"\r\n\r\n")
                    if end < 0:
                        break
                    match = _CONTENT_LENGTH.search(buffer, 0, end + 2)
                    if match is None:  # chunked: no cutting on this connection any more
                        await _forward(sink, buffer)
                        buffer = b""
                        await _pump(source, sink)
                        return
                    head, length = end + 4, int(match.group(1))
                    if length >= 2 and self._random.random() < self.rate:
                        while len(buffer) < head + length // 2:
                            more = await source.read(_READ)
                            if not more:
                                break
                            buffer += more
                        await _forward(sink, buffer[: head + length // 2])
                        self.cuts += 1
                        raise _Cut
                    await _forward(sink, buffer[:head])
                    buffer, remaining = buffer[head:], length
                else:
                    take = min(remaining, len(buffer))
                    await _forward(sink, buffer[:take])
                    buffer, remaining = buffer[take:], remaining - take
                    if remaining == 0:
                        remaining = None
                    if not buffer:
                        break


async def _forward(sink: asyncio.StreamWriter, data: bytes) -> None:
    if data:
        sink.write(data)
        await sink.drain()


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while chunk := await source.read(_READ):
            await _forward(sink, chunk)
