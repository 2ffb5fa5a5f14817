"""What ``mypy --strict`` sees of raw responses: ``client.with_raw_response(method)`` keeps the
method's types (checked by mypy over ``tests/``; the tests run the same lines)."""

from __future__ import annotations

import sys

import pytest

import alice_async
import alice_sync
from alice_async import Page, Phonebook, RawResponse, TokenLifetime
from alice_async.emulator import Emulator
from tests.conftest import make_client
from tests.sync.conftest import make_sync_client

if sys.version_info >= (3, 11):
    from typing import assert_type
else:
    from typing_extensions import assert_type


async def check_async(client: alice_async.AliceClient, book: int) -> None:
    raw = await client.with_raw_response(client.phonebooks.get)(book)
    assert_type(raw, RawResponse[Phonebook])
    assert_type(raw.parse(), Phonebook)
    assert_type(raw.request_id, str | None)
    first = await client.with_raw_response(client.phonebooks.list)(page_size=1)
    assert_type(first.parse(), Page[Phonebook])
    assert_type(await client.authenticate(), TokenLifetime)
    assert_type(client.with_options(timeout=5), alice_async.AliceClient)


def check_sync(client: alice_sync.AliceClient, book: int) -> None:
    raw = client.with_raw_response(client.phonebooks.get)(book)
    assert_type(raw, RawResponse[Phonebook])
    assert_type(raw.parse(), Phonebook)
    first = client.with_raw_response(client.phonebooks.list)(page_size=1)
    assert_type(first.parse(), Page[Phonebook])
    assert_type(client.authenticate(), TokenLifetime)
    assert_type(client.with_options(timeout=5), alice_sync.AliceClient)


async def test_the_typed_raw_calls_run_as_typed() -> None:
    async with Emulator() as emu, make_client(emu) as client:
        book = await client.phonebooks.create(name="Sổ")
        await check_async(client, book.id)
        raw = await client.with_raw_response(client.phonebooks.list)(page_size=1)
        assert isinstance(raw.parse(), Page)
        assert raw.parse().items == [book]


def test_the_typed_sync_raw_calls_run_as_typed(emulator: Emulator) -> None:
    with make_sync_client(emulator) as client:
        book = client.phonebooks.create(name="Sổ")
        check_sync(client, book.id)
        raw = client.with_raw_response(client.phonebooks.get)(book.id)
        assert raw.parse() == book
        assert raw.status_code == 200


def test_only_a_resources_method_has_a_raw_twin() -> None:
    client = alice_async.AliceClient("http://127.0.0.1:9/rest-api/", token="t")
    with pytest.raises(alice_async.InvalidInputError):
        client.with_raw_response(print)  # type: ignore[arg-type]
