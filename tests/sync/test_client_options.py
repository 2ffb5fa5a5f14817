"""The sync facade's per-call options, copies, raw responses, login and proxy
(alice_sync/_client.py and the generated resources)."""

from __future__ import annotations

import pytest
from anyio.from_thread import BlockingPortal

from alice_async import AuthenticationError, InvalidInputError, NotFoundError, Page, Phonebook
from alice_async.emulator import Emulator
from alice_sync import AliceClient, RawResponse
from tests._forward_proxy import forward_proxy

from .conftest import make_sync_client, portal_threads


def test_a_sync_call_sends_its_extra_headers_and_query(
    emulator: Emulator, client: AliceClient
) -> None:
    client.gateways.list(extra_headers={"X-Trace": "s-1"}, extra_query={"t": 1}).first_page()
    assert emulator.stats.last_headers["X-Trace"] == "s-1"
    assert emulator.stats.last_query["t"] == "1"
    book = client.phonebooks.create(name="Sổ", extra_headers={"X-Trace": "s-2"})
    assert emulator.stats.last_headers["X-Trace"] == "s-2"
    with pytest.raises(InvalidInputError, match="extra_headers"):
        client.phonebooks.get(book.id, extra_headers={"Authorization": "Bearer x"})


def test_a_sync_copy_shares_the_thread_and_closing_it_leaves_the_parent_open(
    emulator: Emulator,
) -> None:
    with make_sync_client(emulator, default_headers={"X-App": "a"}) as client:
        threads = len(portal_threads())
        copy = client.with_options(timeout=120, max_retries=0, default_headers={"X-Team": "b"})
        assert len(portal_threads()) == threads
        assert (copy.timeout.total, copy.max_retries) == (120.0, 0)
        copy.gateways.list().first_page()
        assert emulator.stats.last_headers["X-App"] == "a"
        assert emulator.stats.last_headers["X-Team"] == "b"
        copy.close()
        assert copy.is_closed
        assert not client.is_closed
        assert client.gateways.list().to_list()
        assert emulator.stats.token_requests == 1
    assert copy.is_closed


def test_sync_raw_responses(emulator: Emulator, client: AliceClient) -> None:
    book = client.phonebooks.create(name="Sổ")
    raw = client.with_raw_response.phonebooks.get(book.id)
    assert isinstance(raw, RawResponse)
    assert (raw.status_code, raw.http_request.method) == (200, "GET")
    assert raw.request_id
    assert isinstance(raw.parse(), Phonebook)
    page = client.with_raw_response.phonebooks.list().parse()
    assert isinstance(page, Page)
    assert page.items == [book]
    with pytest.raises(NotFoundError) as info:
        client.with_raw_response.phonebooks.get(424242)
    assert info.value.request_id


def test_sync_authenticate(emulator: Emulator) -> None:
    with make_sync_client(emulator) as client:
        lifetime = client.authenticate()
    assert lifetime.expires_at is not None
    assert lifetime.refreshable
    with (
        make_sync_client(emulator, password="nope") as client,
        pytest.raises(AuthenticationError),
    ):
        client.authenticate()


def test_a_sync_client_goes_through_a_proxy(
    emulator: Emulator, emulator_portal: BlockingPortal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with (
        emulator_portal.wrap_async_context_manager(forward_proxy()) as proxy,
        make_sync_client(emulator, proxy=proxy.url) as client,
    ):
        client.gateways.list().first_page()
        assert str(client.proxy) == proxy.url
    assert proxy.targets == [f"{emulator.url}get-token/", f"{emulator.url}gateway/"]
