"""``client.contacts`` against the emulator: one contact at a time (bulk: ``tests/bulk``)."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import AliceClient, Contact, ContactStatus, InvalidInputError, NotFoundError
from alice_async.emulator import Emulator

from ._helpers import requests_sent


@pytest.fixture
async def book(client: AliceClient) -> int:
    return (await client.phonebooks.create(name="Danh bạ")).id


async def test_creates_a_contact_with_its_number_normalised(client: AliceClient, book: int) -> None:
    created = await client.contacts.create(
        phonebook=book,
        contact="0934 890.883",
        first_name="Linh",
        email="linh@example.vn",
        additional_vars={"order": "A-1"},
        country="vn",
    )
    assert isinstance(created, Contact)
    assert (created.phonebook, created.contact, created.status) == (
        book,
        "0934890883",
        ContactStatus.ACTIVE,
    )
    assert (created.first_name, created.email, created.country) == ("Linh", "linh@example.vn", "VN")
    assert created.additional_vars == {"order": "A-1"}
    assert await client.contacts.get(created.id) == created


async def test_lists_contacts_of_a_phonebook_and_searches_them(
    client: AliceClient, book: int
) -> None:
    other = (await client.phonebooks.create(name="Khác")).id
    linh = await client.contacts.create(phonebook=book, contact="0934890883", first_name="Linh")
    await client.contacts.create(phonebook=book, contact="0911111111", first_name="Minh")
    await client.contacts.create(phonebook=other, contact="0922222222")
    in_book = await client.contacts.list(phonebook=book).to_list()
    assert [c.contact for c in in_book] == ["0934890883", "0911111111"]
    assert [c.id for c in await client.contacts.list(phonebook=book, search="Linh").to_list()] == [
        linh.id
    ]
    assert len(await client.contacts.list().to_list()) == 3


async def test_update_changes_only_the_fields_given(client: AliceClient, book: int) -> None:
    created = await client.contacts.create(phonebook=book, contact="0934890883", last_name="Lê")
    updated = await client.contacts.update(created.id, status=ContactStatus.INACTIVE)
    assert (updated.status, updated.last_name, updated.contact) == (
        ContactStatus.INACTIVE,
        "Lê",
        "0934890883",
    )
    assert await client.contacts.get(created.id) == updated


async def test_delete_removes_the_contact(client: AliceClient, book: int) -> None:
    created = await client.contacts.create(phonebook=book, contact="0934890883")
    await client.contacts.delete(created.id)
    with pytest.raises(NotFoundError):
        await client.contacts.get(created.id)
    assert await client.contacts.list(phonebook=book).to_list() == []


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"contact": 934890883}, "contact"),  # an int lost its leading zero already
        ({"contact": "not a number"}, "contact"),
        ({"contact": None}, "contact"),
        ({"contact": "0934890883", "status": 7}, "status"),
        ({"contact": "0934890883", "email": "no-at-sign"}, "email"),
        ({"contact": "0934890883", "first_name": "x" * 121}, "first_name"),
        ({"contact": "0934890883", "additional_vars": {"n": object()}}, "additional_vars"),
        ({"contact": "0934890883", "country": "Vietnam"}, "country"),
    ],
)
async def test_create_refuses_invalid_fields_before_sending(
    client: AliceClient, emulator: Emulator, book: int, arguments: dict[str, Any], field: str
) -> None:
    before = requests_sent(emulator)
    with pytest.raises(InvalidInputError) as info:
        await client.contacts.create(phonebook=book, **arguments)
    assert info.value.field == field
    assert requests_sent(emulator) == before


async def test_another_accounts_contact_is_not_found(
    client: AliceClient, other_client: AliceClient
) -> None:
    book = await other_client.phonebooks.create(name="Riêng")
    contact = await other_client.contacts.create(phonebook=book.id, contact="0934890883")
    with pytest.raises(NotFoundError):
        await client.contacts.get(contact.id)
