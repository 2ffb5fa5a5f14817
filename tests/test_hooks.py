"""Per-attempt hooks: on_request, on_response and on_retry, against the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from alice_async import (
    AliceClient,
    APITimeoutError,
    InvalidInputError,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    ServerError,
)
from alice_async.emulator import Emulator, EmulatorConfig, Faults

from .conftest import make_client


class Recorder:
    """Keeps every event the hooks see, in order."""

    def __init__(self) -> None:
        self.events: list[RequestEvent | ResponseEvent | RetryEvent] = []

    def __call__(self, event: RequestEvent | ResponseEvent | RetryEvent) -> None:
        self.events.append(event)

    def hooks(self) -> dict[str, Any]:
        return {"on_request": self, "on_response": self, "on_retry": self}

    def api(self) -> list[tuple[str, int, int | None]]:
        """``(kind, attempt, status)`` of the events of API calls (the login left out)."""
        return [
            (type(e).__name__, e.attempt, getattr(e, "status", None))
            for e in self.events
            if e.purpose == "api"
        ]


def _one_fault(kind: str, path: str = "phonebook/", limit: int = 1) -> EmulatorConfig:
    return EmulatorConfig(faults=Faults(rate=1.0, kinds=(kind,), paths=(path,), limit=limit))


async def test_every_attempt_fires_the_hooks_with_its_number_when_a_502_is_retried() -> None:
    recorder = Recorder()
    async with Emulator(_one_fault("502")) as emu, make_client(emu, **recorder.hooks()) as client:
        page = await client.phonebooks.list().first_page()
    assert page.count == 0
    assert recorder.api() == [
        ("RequestEvent", 1, None),
        ("ResponseEvent", 1, 502),
        ("RetryEvent", 2, None),
        ("RequestEvent", 2, None),
        ("ResponseEvent", 2, 200),
    ]
    retry = next(e for e in recorder.events if isinstance(e, RetryEvent))
    assert isinstance(retry.error, ServerError)
    assert retry.error.status_code == 502
    assert retry.wait >= 0
    assert retry.url == f"{emu.url}phonebook/"
    assert emu.stats.requests[("GET", "phonebook/")] == 2


async def test_attempts_that_all_fail_are_numbered_up_to_max_retries_plus_one() -> None:
    recorder = Recorder()
    async with (
        Emulator(_one_fault("503", limit=10)) as emu,
        make_client(emu, max_retries=2, **recorder.hooks()) as client,
    ):
        with pytest.raises(ServerError):
            await client.phonebooks.list().first_page()
    assert [a for kind, a, _ in recorder.api() if kind == "RequestEvent"] == [1, 2, 3]
    assert [a for kind, a, _ in recorder.api() if kind == "RetryEvent"] == [2, 3]
    assert [s for kind, _, s in recorder.api() if kind == "ResponseEvent"] == [503, 503, 503]


async def test_an_attempt_without_an_answer_fires_no_response_but_a_retry_naming_the_error() -> (
    None
):
    recorder = Recorder()
    faults = Faults(rate=1.0, kinds=("slow",), slow_seconds=1.0, paths=("phonebook/",), limit=1)
    async with (
        Emulator(EmulatorConfig(faults=faults)) as emu,
        make_client(emu, **recorder.hooks()) as client,
    ):
        await client.phonebooks.list(timeout=0.2).first_page()
    assert recorder.api() == [
        ("RequestEvent", 1, None),
        ("RetryEvent", 2, None),
        ("RequestEvent", 2, None),
        ("ResponseEvent", 2, 200),
    ]
    retry = next(e for e in recorder.events if isinstance(e, RetryEvent))
    assert isinstance(retry.error, APITimeoutError)


async def test_the_login_is_marked_and_no_event_shows_the_password_or_the_token(
    emulator: Emulator,
) -> None:
    recorder = Recorder()
    async with make_client(emulator, **recorder.hooks()) as client:
        await client.request("POST", "phonebook/", json={"name": "Khách hàng"})
        token = client._tokens.current
    assert token
    login = [e for e in recorder.events if e.purpose == "login"]
    assert [(type(e).__name__, e.method, e.url) for e in login] == [
        ("RequestEvent", "POST", f"{emulator.url}get-token/"),
        ("ResponseEvent", "POST", f"{emulator.url}get-token/"),
    ]
    requests = [e for e in recorder.events if isinstance(e, RequestEvent)]
    assert [e.purpose for e in requests] == ["login", "api"]
    assert all("Authorization" not in e.headers for e in requests)
    assert requests[1].headers["Content-Type"] == "application/json"
    assert requests[1].headers["user-agent"].startswith("alice-sdk/")  # case-insensitive
    for event in recorder.events:
        shown = f"{event!r} {dict(getattr(event, 'headers', {}))}"
        assert emulator.password not in shown
        assert token not in shown


async def test_a_replay_after_a_refused_token_is_an_attempt_of_its_own(
    emulator: Emulator,
) -> None:
    recorder = Recorder()
    async with make_client(emulator, **recorder.hooks()) as client:
        await client.phonebooks.list().first_page()
        emulator.configure(secret="rotated")  # every issued token is now refused
        recorder.events.clear()
        await client.phonebooks.list().first_page()
    assert [(type(e).__name__, e.purpose, e.attempt) for e in recorder.events] == [
        ("RequestEvent", "api", 1),
        ("ResponseEvent", "api", 1),
        ("RequestEvent", "login", 1),
        ("ResponseEvent", "login", 1),
        ("RequestEvent", "api", 2),
        ("ResponseEvent", "api", 2),
    ]
    assert [e.status for e in recorder.events if isinstance(e, ResponseEvent)] == [401, 200, 200]


async def test_async_hooks_are_awaited_and_several_hooks_run_in_the_order_given(
    emulator: Emulator,
) -> None:
    seen: list[str] = []

    async def first(event: RequestEvent) -> None:
        seen.append(f"first {event.purpose}")

    def second(event: RequestEvent) -> None:
        seen.append(f"second {event.purpose}")

    async with make_client(emulator, on_request=[first, second]) as client:
        await client.request("GET", "gateway/")
    assert seen == ["first login", "second login", "first api", "second api"]


class Boom(Exception):
    """What a broken hook raises."""


async def test_a_hook_that_raises_fails_the_call_with_its_exception_and_the_client_goes_on(
    emulator: Emulator,
) -> None:
    broken = [True]

    def on_response(event: ResponseEvent) -> None:
        if event.purpose == "api" and broken[0]:
            raise Boom(f"cannot handle {event.status}")

    async with make_client(emulator, on_response=on_response, max_connections=1) as client:
        with pytest.raises(Boom, match="cannot handle 200"):
            await client.request("GET", "gateway/")
        assert emulator.stats.requests[("GET", "gateway/")] == 1  # not retried
        broken[0] = False
        response = await client.request("GET", "gateway/")  # the one connection slot is free
    assert response.status == 200


async def test_a_hook_raising_an_sdk_error_is_not_taken_for_a_failed_attempt(
    emulator: Emulator,
) -> None:
    def on_request(event: RequestEvent) -> None:
        if event.purpose == "api":
            raise ServerError(
                "refused by a hook", method=event.method, url=event.url, status_code=503
            )

    async with make_client(emulator, on_request=on_request, max_retries=5) as client:
        with pytest.raises(ServerError, match="refused by a hook"):
            await client.request("GET", "gateway/")
        assert client.retries == 0
    assert emulator.stats.requests[("GET", "gateway/")] == 0  # raised before sending


async def test_a_hook_raising_during_the_login_fails_the_call_and_the_next_call_logs_in(
    emulator: Emulator,
) -> None:
    broken = [True]

    def on_request(event: RequestEvent) -> None:
        if event.purpose == "login" and broken[0]:
            raise Boom("no login now")

    async with make_client(emulator, on_request=on_request) as client:
        with pytest.raises(Boom):
            await client.request("GET", "gateway/")
        broken[0] = False
        assert (await client.request("GET", "gateway/")).status == 200
    assert emulator.stats.token_requests == 1


async def test_concurrent_calls_waiting_on_a_login_whose_hook_raises_all_fail_with_it(
    emulator: Emulator,
) -> None:
    logins = [0]

    def on_request(event: RequestEvent) -> None:
        if event.purpose == "login":
            logins[0] += 1
            if logins[0] == 1:
                raise Boom("not now")

    async with make_client(emulator, on_request=on_request) as client:
        results = await asyncio.gather(
            *(client.request("GET", "gateway/") for _ in range(5)), return_exceptions=True
        )
        assert all(isinstance(r, Boom) for r in results)
        assert logins[0] == 1  # one login for the five, as without hooks
        assert (await client.request("GET", "gateway/")).status == 200
    assert logins[0] == 2


async def test_an_on_retry_hook_that_raises_stops_the_retrying() -> None:
    def on_retry(event: RetryEvent) -> None:
        raise Boom(f"would wait {event.wait:.3f} s")

    async with (
        Emulator(_one_fault("502", limit=5)) as emu,
        make_client(emu, on_retry=on_retry, max_retries=5) as client,
    ):
        with pytest.raises(Boom, match="would wait"):
            await client.phonebooks.list().first_page()
        assert emu.stats.requests[("GET", "phonebook/")] == 1


@pytest.mark.parametrize("value", ["print", 3, [print, None]])
async def test_a_hook_that_is_not_callable_is_refused_naming_the_argument(value: object) -> None:
    with pytest.raises(InvalidInputError, match="on_response"):
        AliceClient("http://127.0.0.1:9/rest-api/", token="t", on_response=value)  # type: ignore[arg-type]


@pytest.fixture
async def request_id_server() -> AsyncIterator[str]:
    """A small server answering every request with JSON and an ``X-Request-ID``."""

    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"results": []}, headers={"X-Request-ID": "req-7f3a"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/rest-api/"
    finally:
        await runner.cleanup()


async def test_the_response_event_carries_the_request_id_and_the_elapsed_time(
    request_id_server: str,
) -> None:
    recorder = Recorder()
    async with AliceClient(request_id_server, token="fixed", on_response=recorder) as client:
        await client.request("GET", "gateway/", params={"page": 2})
    (event,) = recorder.events
    assert isinstance(event, ResponseEvent)
    assert event.request_id == "req-7f3a"
    assert event.headers["x-request-id"] == "req-7f3a"
    assert event.url == f"{request_id_server}gateway/?page=2"
    assert event.elapsed > 0


async def test_hooks_see_the_requests_of_per_call_options_and_of_client_copies() -> None:
    recorder = Recorder()
    async with Emulator() as emu, make_client(emu, on_request=recorder) as client:
        await client.phonebooks.list(extra_headers={"X-Team": "ops"}).first_page()
        await client.with_options(max_retries=0).phonebooks.list().first_page()
    sent = [e for e in recorder.events if isinstance(e, RequestEvent) and e.purpose == "api"]
    assert [e.url.split("?")[0].endswith("phonebook/") for e in sent] == [True, True]
    assert sent[0].headers.get("X-Team") == "ops"
    assert "X-Team" not in sent[1].headers
