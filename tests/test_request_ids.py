"""Request ids in errors (``APIError.request_id``, _transport.py) from the headers servers use."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from alice_async import APIResponseValidationError, AuthenticationError, NotFoundError, ServerError
from alice_async._transport import REQUEST_ID_HEADERS, request_id_of
from alice_async.emulator import Emulator, EmulatorConfig
from tests.conftest import make_client


async def test_a_status_error_carries_the_emulators_request_id(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        with pytest.raises(NotFoundError) as info:
            await client.phonebooks.get(424242)
    error = info.value
    assert error.request_id is not None
    assert str(error).endswith(f"(request id: {error.request_id})")


async def test_a_request_id_sent_by_the_caller_comes_back_in_the_error(
    emulator: Emulator,
) -> None:
    async with make_client(emulator) as client:
        with pytest.raises(NotFoundError) as info:
            await client.phonebooks.get(424242, extra_headers={"X-Request-ID": "order-77"})
    assert info.value.request_id == "order-77"


async def test_bad_credentials_keep_the_request_id(emulator: Emulator) -> None:
    async with make_client(emulator, password="wrong") as client:
        with pytest.raises(AuthenticationError) as info:
            await client.gateways.list().first_page()
    assert info.value.request_id is not None


async def test_without_the_header_there_is_no_id_and_no_suffix() -> None:
    async with (
        Emulator(EmulatorConfig(request_ids=False)) as emu,
        make_client(emu) as client,
    ):
        with pytest.raises(NotFoundError) as info:
            await client.phonebooks.get(424242)
    assert info.value.request_id is None
    assert "request id" not in str(info.value)


@pytest.mark.parametrize("header", REQUEST_ID_HEADERS)
def test_each_documented_header_is_read_in_any_case(header: str) -> None:
    from multidict import CIMultiDict

    assert request_id_of(CIMultiDict({header.lower(): "abc"})) == "abc"
    assert request_id_of(CIMultiDict({"X-Other": "abc"})) is None


@pytest.fixture
async def gateway_server() -> AsyncIterator[str]:
    """A server answering like a proxy in front of the API: a 502 page, a 200 HTML page."""

    async def bad_gateway(request: web.Request) -> web.Response:
        return web.Response(status=502, text="<h1>Bad Gateway</h1>", headers={"Request-Id": "gw-1"})

    async def html_ok(request: web.Request) -> web.Response:
        return web.Response(
            status=200,
            text="<h1>Login</h1>",
            content_type="text/html",
            headers={"X-Amzn-Trace-Id": "Root=1-abc"},
        )

    app = web.Application()
    app.router.add_get("/rest-api/bad/", bad_gateway)
    app.router.add_get("/rest-api/html/", html_ok)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/rest-api/"
    finally:
        await runner.cleanup()


async def test_proxy_style_request_id_headers_are_read(gateway_server: str) -> None:
    from alice_async import AliceClient

    async with AliceClient(gateway_server, token="t", max_retries=0) as client:
        with pytest.raises(ServerError) as server_error:
            await client.request("GET", "bad/")
        with pytest.raises(APIResponseValidationError) as not_json:
            await client.request("GET", "html/")
    assert server_error.value.request_id == "gw-1"
    assert "(request id: gw-1)" in str(server_error.value)
    assert not_json.value.request_id == "Root=1-abc"


async def test_a_deadline_error_carries_the_last_answers_request_id() -> None:
    from alice_async import APITimeoutError
    from alice_async.emulator import Faults

    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("502",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=1000) as client:
        with pytest.raises(APITimeoutError) as info:
            await client.gateways.get(23, deadline=0.3)
    assert info.value.request_id is not None
    assert "502" in str(info.value)


async def test_a_raw_request_response_tells_its_request_id(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        response = await client.request("GET", "gateway/", extra_headers={"X-Request-ID": "r-9"})
    assert response.request_id == "r-9"
