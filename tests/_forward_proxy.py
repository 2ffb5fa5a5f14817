"""Small proxies on 127.0.0.1 for the proxy tests, recording what they saw: a forward proxy
passing plain-http absolute-form requests (``GET http://127.0.0.1:port/... HTTP/1.1``) on to
loopback servers, and a ``CONNECT`` proxy tunnelling to them (for ``https://``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import attrs
from aiohttp import web

HOP_BY_HOP = frozenset(
    {
        "connection",
        "content-encoding",
        "content-length",
        "host",
        "keep-alive",
        "proxy-authorization",
        "proxy-connection",
        "transfer-encoding",
    }
)


@attrs.define
class ForwardProxy:
    """What the proxy saw: request targets (absolute-form) and ``Proxy-Authorization``s."""

    url: str = ""
    targets: list[str] = attrs.field(factory=list)
    credentials: list[str | None] = attrs.field(factory=list)


@contextlib.asynccontextmanager
async def forward_proxy() -> AsyncIterator[ForwardProxy]:
    """Run the proxy on a free loopback port for the block."""
    proxy = ForwardProxy()
    async with aiohttp.ClientSession() as upstream:

        async def forward(request: web.Request) -> web.Response:
            target = request.raw_path
            proxy.targets.append(target)
            proxy.credentials.append(request.headers.get("Proxy-Authorization"))
            if not target.startswith("http://127.0.0.1:"):
                return web.Response(status=400, text="loopback absolute-form targets only")
            headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
            body = await request.read()
            async with upstream.request(
                request.method, target, data=body or None, headers=headers, allow_redirects=False
            ) as answer:
                data = await answer.read()
                kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
                return web.Response(status=answer.status, body=data, headers=kept)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", forward)
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            proxy.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
            yield proxy
        finally:
            await runner.cleanup()


@attrs.define
class TunnelProxy:
    """What the ``CONNECT`` proxy saw: tunnel targets (``host:port``) and their credentials."""

    url: str = ""
    targets: list[str] = attrs.field(factory=list)
    credentials: list[str | None] = attrs.field(factory=list)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def connect_proxy() -> AsyncIterator[TunnelProxy]:
    """Run a ``CONNECT`` proxy (what ``https://`` goes through) on a free loopback port: it
    opens a tunnel to loopback targets only and pipes bytes both ways."""
    proxy = TunnelProxy()
    tasks: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        proxy.targets.append(target)
        proxy.credentials.append(headers.get("Proxy-Authorization"))
        host, _, port = target.rpartition(":")
        if method != "CONNECT" or host != "127.0.0.1":
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            writer.close()
            return
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

    def start(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.get_running_loop().create_task(handle(reader, writer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(start, "127.0.0.1", 0)
    try:
        proxy.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        yield proxy
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()
