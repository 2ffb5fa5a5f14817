"""Hostile server responses: every resource's get, list and create decode them into a
documented error, and the bearer token never reaches another origin.

A rogue server answers every API path with one misbehaviour at a time; a second server on
another port records any request that reaches it (it must see none).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import attrs
import pytest
from aiohttp import web

from alice_async import (
    AliceClient,
    APIConnectionError,
    APIResponseValidationError,
    AsyncPaginator,
)
from tests.conftest import FAST_RETRIES
from tests.hostile._calls import World, valid_calls

CAP = 4096
TOKEN = "rogue-token-1f2e3d"


@attrs.define
class Rogue:
    """The API server under test's control, and the other origin it points at."""

    url: str
    other: str
    behaviour: str = "ok"
    seen_by_other: list[str] = attrs.field(factory=list)


Behaviour = Callable[[web.Request, Rogue, bool], Awaitable[web.StreamResponse]]


async def _json(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


def _envelope(results: Any, next_url: str | None = None) -> dict[str, Any]:
    return {"count": 1, "next": next_url, "previous": None, "results": results}


async def truncated(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    return web.Response(
        body=b'{"count": 1, "results": [{"id": 1, "na', content_type="application/json"
    )


async def wrong_types(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    item = {"id": {"not": "an int"}, "name": ["x"], "created_date": 12}
    return await _json(_envelope([item]) if is_list else item)


async def missing_fields(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    return await _json(_envelope([{}]) if is_list else {"unexpected": True})


async def over_the_cap(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    item = {"id": 1, "name": "x" * (CAP * 2)}
    return await _json(_envelope([item]) if is_list else item)


async def streamed_over_the_cap(
    request: web.Request, rogue: Rogue, is_list: bool
) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    await response.write(b'{"id": 1, "name": "')
    for _ in range(4):
        await response.write(b"x" * CAP)
    await response.write(b'"}')
    await response.write_eof()
    return response


async def cut_mid_body(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.content_length = 1000
    await response.prepare(request)
    await response.write(b'{"id": 1, "name": "')
    assert request.transport is not None
    request.transport.abort()
    return response


async def next_elsewhere(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    return await _json(_envelope([{"id": 1}], next_url=rogue.other + "page2/"))


async def redirect_elsewhere(
    request: web.Request, rogue: Rogue, is_list: bool
) -> web.StreamResponse:
    raise web.HTTPTemporaryRedirect(rogue.other + request.path)


async def html_200(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    return web.Response(text="<html><body><h1>Welcome</h1></body></html>", content_type="text/html")


async def results_not_a_list(
    request: web.Request, rogue: Rogue, is_list: bool
) -> web.StreamResponse:
    return await _json({"count": 1, "next": None, "previous": None, "results": {"id": 1}})


async def null_200(request: web.Request, rogue: Rogue, is_list: bool) -> web.StreamResponse:
    return await _json(None)


BEHAVIOURS: dict[str, tuple[Behaviour, type[Exception]]] = {
    "truncated JSON": (truncated, APIResponseValidationError),
    "wrong field types": (wrong_types, APIResponseValidationError),
    "missing fields": (missing_fields, APIResponseValidationError),
    "body over max_response_bytes": (over_the_cap, APIResponseValidationError),
    "chunked body over max_response_bytes": (streamed_over_the_cap, APIResponseValidationError),
    "connection cut mid-body": (cut_mid_body, APIConnectionError),
    "redirect to another origin": (redirect_elsewhere, APIResponseValidationError),
    "HTML page with status 200": (html_200, APIResponseValidationError),
    "200 with null": (null_200, APIResponseValidationError),
}
LIST_ONLY: dict[str, tuple[Behaviour, type[Exception]]] = {
    "next link to another origin": (next_elsewhere, APIResponseValidationError),
    "results not a list": (results_not_a_list, APIResponseValidationError),
}


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


@pytest.fixture
async def rogue() -> AsyncIterator[Rogue]:
    state = Rogue(url="", other="")

    async def other(request: web.Request) -> web.Response:
        state.seen_by_other.append(request.headers.get("Authorization", "<no header>"))
        return web.json_response(_envelope([{"id": 2}]))

    async def api(request: web.Request) -> web.StreamResponse:
        tail = request.match_info["tail"]
        if tail == "get-token/":
            return web.json_response({"token": TOKEN, "expires_in": 300})
        behaviour, _ = {**BEHAVIOURS, **LIST_ONLY}[state.behaviour]
        is_list = request.method == "GET" and tail.count("/") == 1
        return await behaviour(request, state, is_list)

    other_app = web.Application()
    other_app.router.add_route("*", "/{tail:.*}", other)
    other_runner, other_port = await _serve(other_app)
    app = web.Application()
    app.router.add_route("*", "/rest-api/{tail:.*}", api)
    runner, port = await _serve(app)
    state.url = f"http://127.0.0.1:{port}/rest-api/"
    state.other = f"http://127.0.0.1:{other_port}/rest-api/"
    try:
        yield state
    finally:
        await runner.cleanup()
        await other_runner.cleanup()


CALLS = valid_calls(World(*[7] * len(attrs.fields(World))))
RESOURCES = sorted({resource for resource, _ in CALLS})
DECODING = [
    (resource, method)
    for resource in RESOURCES
    for method in ("get", "list", "create")
    if (resource, method) in CALLS
]
CASES = [
    (key, behaviour)
    for key in DECODING
    for behaviour in (*BEHAVIOURS, *(LIST_ONLY if key[1] == "list" else ()))
]


async def consume(result: Any) -> None:
    """Await a call, or read every page of a list."""
    if isinstance(result, AsyncPaginator):
        async for _ in result:
            pass
    else:
        await result


@pytest.mark.parametrize(("key", "behaviour"), CASES, ids=[f"{r}.{m}-{b}" for (r, m), b in CASES])
async def test_a_hostile_response_is_a_documented_error(
    rogue: Rogue, key: tuple[str, str], behaviour: str
) -> None:
    rogue.behaviour = behaviour
    expected = {**BEHAVIOURS, **LIST_ONLY}[behaviour][1]
    resource, method = key
    arguments = dict(CALLS[key])
    if "settle" in arguments:  # the create's own answer, not the look-up that settling reads first
        arguments["settle"] = False
    async with AliceClient(
        rogue.url,
        username="u",
        password="p",
        max_retries=1,
        retry_policy=FAST_RETRIES,
        max_response_bytes=CAP,
    ) as client:
        with pytest.raises(expected) as info:
            await consume(getattr(getattr(client, resource), method)(**arguments))
    assert rogue.seen_by_other == []  # the token never reached the other origin
    if behaviour in ("wrong field types", "missing fields"):  # the model could not be built
        error = info.value
        assert isinstance(error, APIResponseValidationError)
        assert error.method == ("POST" if method == "create" else "GET")
        assert "not a valid" in str(error)


async def test_the_other_origin_is_really_listening(rogue: Rogue) -> None:
    """The origin checks above prove something only if the other server would answer."""
    async with AliceClient(rogue.other, token="probe", max_retries=0) as client:
        page = await client.phonebooks.list().first_page()
    assert [item.id for item in page.items] == [2]
    assert rogue.seen_by_other == ["Bearer probe"]
