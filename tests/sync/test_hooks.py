"""Hooks on the sync client: the same events, fired from the client's event loop (run by the
thread waiting for the call)."""

from __future__ import annotations

import threading

import pytest

from alice_async.emulator import Emulator, Faults
from alice_sync import RequestEvent, ResponseEvent, RetryEvent

from .conftest import make_sync_client


def test_sync_hooks_see_every_attempt_of_a_retried_call_and_the_login(
    emulator: Emulator,
) -> None:
    events: list[tuple[str, str, int, int | None]] = []
    threads: set[int] = set()

    def record(event: RequestEvent | ResponseEvent | RetryEvent) -> None:
        threads.add(threading.get_ident())
        status = event.status if isinstance(event, ResponseEvent) else None
        events.append((type(event).__name__, event.purpose, event.attempt, status))

    emulator.configure(faults=Faults(rate=1.0, kinds=("503",), paths=("gateway/",), limit=1))
    with make_sync_client(
        emulator, on_request=record, on_response=[record], on_retry=record
    ) as client:
        assert client.request("GET", "gateway/").status == 200
    assert events == [
        ("RequestEvent", "login", 1, None),
        ("ResponseEvent", "login", 1, 200),
        ("RequestEvent", "api", 1, None),
        ("ResponseEvent", "api", 1, 503),
        ("RetryEvent", "api", 2, None),
        ("RequestEvent", "api", 2, None),
        ("ResponseEvent", "api", 2, 200),
    ]
    assert threads == {threading.get_ident()}  # the caller's thread ran the loop


def test_a_sync_client_also_awaits_coroutine_hooks(emulator: Emulator) -> None:
    statuses: list[int] = []

    async def on_response(event: ResponseEvent) -> None:
        statuses.append(event.status)

    with make_sync_client(emulator, on_response=on_response) as client:
        client.phonebooks.list().first_page()
    assert statuses == [200, 200]  # the login, then the page


def test_a_hook_exception_reaches_the_sync_caller_and_the_client_goes_on(
    emulator: Emulator,
) -> None:
    calls = [0]

    def on_request(event: RequestEvent) -> None:
        calls[0] += 1
        if calls[0] == 2:  # the first API request, after the login
            raise LookupError("hook refused")

    with make_sync_client(emulator, on_request=on_request) as client:
        with pytest.raises(LookupError, match="hook refused"):
            client.request("GET", "gateway/")
        assert client.request("GET", "gateway/").status == 200
