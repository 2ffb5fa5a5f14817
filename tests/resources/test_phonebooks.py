"""``client.phonebooks`` against the emulator: create, read, search, update, delete."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import AliceClient, InvalidInputError, NotFoundError, Phonebook
from alice_async.emulator import Emulator

from ._helpers import requests_sent


async def test_creates_gets_and_lists_a_phonebook(client: AliceClient) -> None:
    book = await client.phonebooks.create(name="Khách hàng", description="tháng 3")
    assert isinstance(book, Phonebook)
    assert (book.name, book.description, book.user) == ("Khách hàng", "tháng 3", "alice")
    assert book.created_date is not None
    assert book.created_date.tzinfo is not None
    assert await client.phonebooks.get(book.id) == book
    assert [b.id for b in await client.phonebooks.list().to_list()] == [book.id]


async def test_search_finds_the_phonebooks_whose_name_contains_the_text(
    client: AliceClient,
) -> None:
    await client.phonebooks.create(name="Hà Nội")
    saigon = await client.phonebooks.create(name="Sài Gòn")
    found = await client.phonebooks.list(search="Gòn").to_list()
    assert [b.id for b in found] == [saigon.id]


async def test_update_changes_only_the_fields_given(client: AliceClient) -> None:
    book = await client.phonebooks.create(name="Cũ", description="giữ lại")
    renamed = await client.phonebooks.update(book.id, name="Mới")
    assert (renamed.name, renamed.description) == ("Mới", "giữ lại")
    cleared = await client.phonebooks.update(book.id, description=None)
    assert (cleared.name, cleared.description) == ("Mới", "")
    assert await client.phonebooks.get(book.id) == cleared


async def test_delete_removes_the_phonebook_and_its_contacts(client: AliceClient) -> None:
    book = await client.phonebooks.create(name="Tạm")
    contact = await client.contacts.create(phonebook=book.id, contact="0934890883")
    await client.phonebooks.delete(book.id)
    with pytest.raises(NotFoundError):
        await client.phonebooks.get(book.id)
    with pytest.raises(NotFoundError):
        await client.contacts.get(contact.id)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 91}, "name"),
        ({"name": 7}, "name"),
        ({"name": "ok", "description": ["x"]}, "description"),
    ],
)
async def test_create_refuses_invalid_fields_before_sending(
    client: AliceClient, emulator: Emulator, arguments: dict[str, Any], field: str
) -> None:
    before = requests_sent(emulator)
    with pytest.raises(InvalidInputError) as info:
        await client.phonebooks.create(**arguments)
    assert info.value.field == field
    assert requests_sent(emulator) == before


async def test_another_accounts_phonebook_is_not_found(
    client: AliceClient, other_client: AliceClient
) -> None:
    book = await other_client.phonebooks.create(name="Riêng")
    with pytest.raises(NotFoundError):
        await client.phonebooks.get(book.id)
    assert await client.phonebooks.list().to_list() == []
