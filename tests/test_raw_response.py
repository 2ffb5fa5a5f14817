"""``client.with_raw_response`` (alice_async/_raw.py) against the emulator."""

from __future__ import annotations

import pytest

from alice_async import (
    AliceClient,
    InvalidInputError,
    NotFoundError,
    Page,
    Phonebook,
    RawResponse,
)
from alice_async.emulator import Emulator


async def test_a_get_returns_status_headers_request_id_and_the_usual_model(
    emulator: Emulator, client: AliceClient
) -> None:
    book = await client.phonebooks.create(name="Sổ")
    raw = await client.with_raw_response.phonebooks.get(book.id)
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.request_id is not None
    assert raw.request_id == raw.headers["X-Request-ID"]
    assert raw.http_request.method == "GET"
    assert raw.http_request.url == f"{emulator.url}phonebook/{book.id}/"
    assert raw.parse() == book


async def test_a_create_reports_its_post(client: AliceClient) -> None:
    raw = await client.with_raw_response.phonebooks.create(name="Sổ", settle=False)
    assert (raw.status_code, raw.http_request.method) == (201, "POST")
    assert isinstance(raw.parse(), Phonebook)


async def test_a_delete_parses_to_none(client: AliceClient) -> None:
    book = await client.phonebooks.create(name="Sổ")
    raw = await client.with_raw_response.phonebooks.delete(book.id)
    assert raw.status_code == 204
    assert raw.parse() is None


async def test_a_list_gives_its_first_page(client: AliceClient) -> None:
    for n in range(3):
        await client.phonebooks.create(name=f"Sổ {n}")
    raw = await client.with_raw_response.phonebooks.list(page_size=2, extra_query={"x": "1"})
    page = raw.parse()
    assert isinstance(page, Page)
    assert (page.count, len(page.items), page.number) == (3, 2, 1)
    assert "page_size=2" in raw.http_request.url
    assert "x=1" in raw.http_request.url


async def test_an_error_status_still_raises_with_its_request_id(client: AliceClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.with_raw_response.phonebooks.get(424242)
    assert info.value.request_id is not None


async def test_the_raw_call_shares_the_clients_login(
    emulator: Emulator, client: AliceClient
) -> None:
    await client.phonebooks.list().first_page()
    await client.with_raw_response.phonebooks.list()
    await client.with_raw_response.gateways.list()
    assert emulator.stats.token_requests == 1


async def test_a_stream_has_no_raw_response(client: AliceClient) -> None:
    with pytest.raises(InvalidInputError, match=r"campaigns\.watch"):
        await client.with_raw_response.campaigns.watch(1)


def test_unknown_names_are_attribute_errors() -> None:
    client = AliceClient("http://127.0.0.1:9/rest-api/", token="t0ken-value")
    with pytest.raises(AttributeError, match="no resource 'nothing'"):
        client.with_raw_response.nothing  # noqa: B018
    with pytest.raises(AttributeError, match="no method 'nothing'"):
        client.with_raw_response.phonebooks.nothing  # noqa: B018
    assert "t0ken-value" not in repr(client.with_raw_response)
