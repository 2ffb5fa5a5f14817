"""An aiohttp session that records every request the client sends (method, URL, headers)."""

from __future__ import annotations

from types import SimpleNamespace

import aiohttp
import attrs


@attrs.frozen
class Sent:
    """One request as it left the client."""

    method: str
    url: str
    headers: dict[str, str]


def recording_session(sent: list[Sent], **options: object) -> aiohttp.ClientSession:
    """A session whose trace hook appends each request it starts to ``sent``."""

    async def on_start(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        sent.append(Sent(params.method, str(params.url), dict(params.headers)))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    return aiohttp.ClientSession(trace_configs=[trace], **options)  # type: ignore[arg-type]
