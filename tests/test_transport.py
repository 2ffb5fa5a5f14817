"""One request end to end against the emulator: retries, error mapping, origin checks."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from alice_async import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from alice_async._client import USER_AGENT
from alice_async._transport import is_auth_failure, same_origin, text_excerpt
from alice_async.emulator import Emulator, EmulatorConfig, Faults
from tests.conftest import make_client

# -- pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, {"detail": "Given token not valid or expired."}, True),
        (401, None, True),
        (403, {"detail": "Authentication credentials were not provided."}, True),
        (403, {"detail": "Invalid token"}, True),
        (403, {"detail": "You do not have permission to perform this action."}, False),
        (403, "<html>", False),
        (400, {"detail": "Invalid token"}, False),
    ],
)
def test_recognises_authentication_failures(status: int, body: object, expected: bool) -> None:
    assert is_auth_failure(status, body) is expected


def test_same_origin_compares_scheme_host_and_port() -> None:
    from yarl import URL

    base = URL("http://127.0.0.1:8080/rest-api/")
    assert same_origin(base, URL("http://127.0.0.1:8080/rest-api/cdr/?page=2"))
    assert not same_origin(base, URL("http://127.0.0.1:8081/rest-api/cdr/"))
    assert not same_origin(base, URL("https://127.0.0.1:8080/rest-api/cdr/"))
    assert not same_origin(base, URL("http://evil.example:8080/rest-api/cdr/"))


def test_text_excerpt_strips_html_and_shortens() -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1>" + b"<p>nginx</p>" * 100 + b"</body></html>"
    excerpt = text_excerpt(page, limit=40)
    assert excerpt.startswith("502 Bad Gateway nginx")
    assert len(excerpt) <= 43


# -- against the emulator ---------------------------------------------------------------------


async def test_sends_json_with_the_sdk_user_agent(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        await client.phonebooks.create(name="Danh bạ khách hàng")
        book = (await client.phonebooks.list().to_list())[0]
    assert book.name == "Danh bạ khách hàng"
    assert emulator.stats.last_headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("alice-sdk/")


async def test_an_html_502_page_becomes_a_server_error() -> None:
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("502",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=0) as client:
        await client._tokens.get()
        with pytest.raises(ServerError) as info:
            await client.phonebooks.list().first_page()
    assert info.value.status_code == 502
    assert "Bad Gateway" in str(info.value.body)
    assert "<" not in str(info.value.body)


async def test_gets_are_retried_through_502_and_503() -> None:
    config = EmulatorConfig(faults=Faults(rate=0.5, kinds=("502", "503"), seed=3))
    async with Emulator(config) as emu, make_client(emu, max_retries=10) as client:
        for _ in range(20):
            assert (await client.phonebooks.list().first_page()).count == 0
        assert client.retries > 0
        assert client.retries == sum(emu.stats.faults.values())


async def test_a_post_is_not_replayed_after_processed_then_500() -> None:
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("500_after",), paths=("phonebook/",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=5) as client:
        with pytest.raises(ServerError):
            await client.request("POST", "phonebook/", json={"name": "only once"})
        assert emu.store.count("phonebook") == 1  # processed exactly once, never replayed
        assert emu.stats.requests[("POST", "phonebook/")] == 1


async def test_a_post_is_not_replayed_after_the_connection_is_cut() -> None:
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("reset_after",), paths=("phonebook/",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=5) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.request("POST", "phonebook/", json={"name": "cut"})
        assert info.value.request_sent is True
        assert emu.store.count("phonebook") == 1


async def test_a_post_is_retried_after_503_before_processing() -> None:
    config = EmulatorConfig(faults=Faults(rate=0.5, kinds=("503",), seed=1, paths=("phonebook/",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=20) as client:
        for i in range(10):
            await client.phonebooks.create(name=f"book {i}")
        assert emu.store.count("phonebook") == 10
        assert emu.stats.faults["503"] > 0


async def test_429_is_retried_after_retry_after_and_surfaces_when_retries_run_out() -> None:
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("429",), paths=("phonebook/",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=2) as client:
        with pytest.raises(RateLimitError) as info:
            await client.phonebooks.list().first_page()
        assert info.value.retry_after == 1.0
        assert client.retries == 2
        assert emu.stats.faults["429"] == 3


async def test_per_call_max_retries_overrides_the_client_default() -> None:
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("503",), paths=("phonebook/",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=5) as client:
        with pytest.raises(ServerError):
            await client.phonebooks.list(max_retries=0).first_page()
        assert emu.stats.faults["503"] == 1


async def test_a_slow_response_times_out_per_call() -> None:
    faults = Faults(rate=1.0, kinds=("slow",), slow_seconds=2.0, paths=("phonebook/",))
    async with Emulator(EmulatorConfig(faults=faults)) as emu, make_client(emu) as client:
        await client._tokens.get()
        with pytest.raises(APITimeoutError) as info:
            await client.phonebooks.list(timeout=0.2, max_retries=0).first_page()
        assert info.value.request_sent is True


async def test_a_refused_connection_is_a_connection_error_marked_not_sent() -> None:
    async with Emulator() as emu:
        url, user, password = emu.url, emu.username, emu.password
    from alice_async import AliceClient
    from tests.conftest import FAST_RETRIES

    async with AliceClient(
        url, username=user, password=password, max_retries=1, retry_policy=FAST_RETRIES
    ) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.phonebooks.list().first_page()
    assert info.value.request_sent is False
    assert "cannot connect" in str(info.value)


async def test_field_errors_arrive_as_bad_request_error(emulator: Emulator) -> None:
    async with make_client(emulator) as api:
        with pytest.raises(BadRequestError) as info:
            await api.request("POST", "phonebook/", json={"description": "no name"})
    assert "name" in info.value.errors
    assert info.value.errors["name"] == ["This field is required."]


async def test_not_found_is_a_not_found_error(emulator: Emulator) -> None:
    async with make_client(emulator) as api:
        with pytest.raises(NotFoundError) as info:
            await api.phonebooks.get(424242)
    assert info.value.status_code == 404
    assert "phonebook/424242/" in str(info.value)


# -- a hostile server -------------------------------------------------------------------------


@pytest.fixture
async def rogue() -> AsyncIterator[tuple[str, str, list[str]]]:
    """Two tiny servers: the 'API' points its next link / redirect at the 'other' one."""
    seen_auth: list[str] = []

    async def other(request: web.Request) -> web.Response:
        seen_auth.append(request.headers.get("Authorization", ""))
        return web.json_response({"count": 0, "next": None, "previous": None, "results": []})

    other_app = web.Application()
    other_app.router.add_route("*", "/{tail:.*}", other)
    other_runner = web.AppRunner(other_app)
    await other_runner.setup()
    other_site = web.TCPSite(other_runner, "127.0.0.1", 0)
    await other_site.start()
    other_port = other_runner.addresses[0][1]
    other_url = f"http://127.0.0.1:{other_port}/rest-api/cdr/?page=2"

    async def api(request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        if path == "get-token/":
            return web.json_response({"token": "tok", "expires_in": 300})
        if path == "cdr/":
            return web.json_response(
                {"count": 20, "next": other_url, "previous": None, "results": [{"id": 1}]}
            )
        if path == "redirect/":
            raise web.HTTPFound(other_url)
        if path == "html/":
            return web.Response(text="<html><body>Welcome</body></html>", content_type="text/html")
        if path == "truncated/":
            return web.Response(body=b'{"id": 1, "na', content_type="application/json")
        if path == "big/":
            return web.json_response({"blob": "x" * 5000})
        if path == "loop/":
            self_url = f"http://127.0.0.1:{request.url.port}/rest-api/loop/"
            return web.json_response(
                {"count": 5, "next": self_url, "previous": None, "results": [{"id": 1}]}
            )
        return web.json_response({"detail": "Not found."}, status=404)

    app = web.Application()
    app.router.add_route("*", "/rest-api/{tail:.*}", api)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/rest-api/", other_url, seen_auth
    finally:
        await runner.cleanup()
        await other_runner.cleanup()


async def test_a_next_link_to_another_origin_is_refused(
    rogue: tuple[str, str, list[str]],
) -> None:
    from alice_async import AliceClient

    base, _, seen_auth = rogue
    async with AliceClient(base, username="u", password="p", max_retries=0) as client:
        paginator = client.phonebooks._paginate(
            dict, {}, page_size=None, timeout=None, max_retries=0, path="cdr/"
        )
        with pytest.raises(APIResponseValidationError, match="another origin"):
            async for _ in paginator.pages():
                pass
    assert seen_auth == []  # the token never reached the other server


async def test_redirects_are_not_followed(rogue: tuple[str, str, list[str]]) -> None:
    from alice_async import AliceClient

    base, _, seen_auth = rogue
    async with AliceClient(base, username="u", password="p", max_retries=0) as client:
        with pytest.raises(APIResponseValidationError, match="redirect"):
            await client.request("GET", "redirect/")
    assert seen_auth == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("html/", "expected JSON"),
        ("truncated/", "expected JSON"),
        ("big/", "max_response_bytes"),
    ],
)
async def test_unusable_bodies_are_response_validation_errors(
    rogue: tuple[str, str, list[str]], path: str, message: str
) -> None:
    from alice_async import AliceClient

    base, _, _ = rogue
    async with AliceClient(
        base, username="u", password="p", max_retries=0, max_response_bytes=1000
    ) as client:
        with pytest.raises(APIResponseValidationError, match=message):
            await client.request("GET", path)


async def test_a_next_link_pointing_at_itself_stops_the_pull(
    rogue: tuple[str, str, list[str]],
) -> None:
    from alice_async import AliceClient

    base, _, _ = rogue
    async with AliceClient(base, username="u", password="p", max_retries=0) as client:
        paginator = client.phonebooks._paginate(
            dict, {}, page_size=None, timeout=None, max_retries=0, path="loop/"
        )
        with pytest.raises(APIResponseValidationError, match="points back"):
            await paginator.to_list()


async def test_debug_logging_names_requests_but_not_secrets(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="alice_async")
    async with make_client(emulator) as client:
        await client.phonebooks.create(name="x")
    lines = [r.getMessage() for r in caplog.records if r.name == "alice_async"]
    assert any("POST" in line and "phonebook/" in line for line in lines)
    assert all(emulator.password not in line for line in lines)


# -- deadlines and retry feedback ---------------------------------------------------------------


async def test_a_deadline_bounds_the_retries_and_says_how_many_attempts_were_made() -> None:
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("502",), paths=("phonebook/",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=10_000) as client:
        with pytest.raises(APITimeoutError) as info:
            await client.request("GET", "phonebook/", deadline=0.3)
        attempts = emu.stats.requests[("GET", "phonebook/")]
        assert attempts >= 2
        assert f"deadline passed after {attempts} attempt(s)" in str(info.value)
        assert "502" in str(info.value)  # the last error is named
        assert isinstance(info.value.__cause__, ServerError)


async def test_the_client_default_deadline_applies_and_a_scope_overrides_it() -> None:
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("503",), paths=("phonebook/",)))
    async with Emulator(config) as emu:
        client = make_client(emu, max_retries=10_000, deadline=0.2)
        async with client:
            with pytest.raises(APITimeoutError, match="deadline passed"):
                await client.phonebooks.list().first_page()
            with client.within(0.1), pytest.raises(APITimeoutError, match="deadline passed"):
                await client.phonebooks.get(1)
            assert client.deadline == 0.2


async def test_a_deadline_shorter_than_retry_after_fails_without_waiting_for_it() -> None:
    config = EmulatorConfig(throttle_rate=0.01, throttle_retry_after=30)
    async with Emulator(config) as emu:
        async with make_client(emu, retry_policy=RetryPolicy(), max_retries=5) as client:
            await client.request("GET", "gateway/")  # spends the only request of the budget
            with pytest.raises(APITimeoutError) as info:
                await client.request("GET", "gateway/", deadline=1.0)
            assert "after 1 attempt(s)" in str(info.value)
            assert client.rate_limit_state.last_retry_after == 30.0
        assert emu.stats.throttled == 1


@pytest.mark.parametrize("value", [0, -2, "soon", True])
async def test_a_bad_deadline_is_refused(value: object) -> None:
    from alice_async import AliceClient, InvalidInputError

    with pytest.raises(InvalidInputError, match="deadline"):
        AliceClient("http://127.0.0.1:9/rest-api/", token="t", deadline=value)  # type: ignore[arg-type]
    async with AliceClient("http://127.0.0.1:9/rest-api/", token="t") as client:
        with pytest.raises(InvalidInputError, match="deadline"):
            client.within(value)  # type: ignore[arg-type]


async def test_each_retry_is_logged_at_info_with_method_path_attempt_and_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="alice_async.retry")
    config = EmulatorConfig(faults=Faults(rate=1.0, kinds=("502",), paths=("phonebook/",)))
    async with Emulator(config) as emu, make_client(emu, max_retries=3) as client:
        with pytest.raises(ServerError):
            await client.phonebooks.list().first_page()
    messages = [r.getMessage() for r in caplog.records if r.name == "alice_async.retry"]
    assert len(messages) == 3
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "alice_async.retry")
    assert messages[0].startswith("retrying GET phonebook/ in ")
    assert messages[0].endswith("s (attempt 2 of 4): 502 from the server")
    assert "(attempt 4 of 4)" in messages[2]
