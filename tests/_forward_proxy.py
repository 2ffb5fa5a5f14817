"""A small forward proxy on 127.0.0.1 for the proxy tests: it passes plain-http
absolute-form requests (``GET http://127.0.0.1:port/... HTTP/1.1``) on to loopback servers
and records what it saw."""

from __future__ import annotations

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
