"""``client.dnc_lists`` and ``client.dnc_contacts`` against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import (
    AliceClient,
    BadRequestError,
    DncContact,
    DncList,
    InvalidInputError,
    NotFoundError,
)
from alice_async.emulator import Emulator

from ._helpers import requests_sent


async def test_creates_lists_and_gets_a_dnc_list(client: AliceClient) -> None:
    created = await client.dnc_lists.create(name="Từ chối", description="khách đã từ chối")
    assert isinstance(created, DncList)
    assert created.user == "alice"
    assert [d.id for d in await client.dnc_lists.list().to_list()] == [created.id]
    assert await client.dnc_lists.get(created.id) == created


async def test_adds_numbers_with_the_list_id_as_an_int_or_a_numeric_string(
    client: AliceClient, emulator: Emulator
) -> None:
    first = await client.dnc_lists.create(name="Một")
    second = await client.dnc_lists.create(name="Hai")
    a = await client.dnc_contacts.create(phone_number="0324 324 343", dnc=str(first.id))
    b = await client.dnc_contacts.create(phone_number="0934890883", dnc=second.id)
    assert isinstance(a, DncContact)
    assert (a.phone_number, a.dnc) == ("0324324343", first.id)
    assert [c.id for c in await client.dnc_contacts.list(dnc=second.id).to_list()] == [b.id]
    assert [c.id for c in await client.dnc_contacts.list(dnc=str(first.id)).to_list()] == [a.id]
    assert await client.dnc_contacts.get(b.id) == b
    stored = emulator.store.objects("dnc-contact")
    assert {type(row["dnc"]) for row in stored} == {int}


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"phone_number": 324324343, "dnc": 1}, "phone_number"),
        ({"phone_number": "1" * 121, "dnc": 1}, "phone_number"),
        ({"phone_number": "not a number", "dnc": 1}, "phone_number"),
        ({"phone_number": None, "dnc": 1}, "phone_number"),
        ({"phone_number": "0324324343", "dnc": None}, "dnc"),
        ({"phone_number": "0324324343", "dnc": "abc"}, "dnc"),
        ({"phone_number": "0324324343", "dnc": 0}, "dnc"),
    ],
)
async def test_dnc_contact_create_refuses_invalid_fields_before_sending(
    client: AliceClient, emulator: Emulator, arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.dnc_contacts.create(**arguments)
    assert info.value.field == field
    assert requests_sent(emulator) == 0


@pytest.mark.parametrize(("name", "field"), [("x" * 51, "name"), ("", "name"), (None, "name")])
async def test_dnc_list_create_refuses_invalid_names(
    client: AliceClient, name: Any, field: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.dnc_lists.create(name=name)
    assert info.value.field == field


async def test_an_unknown_list_is_a_bad_request_on_dnc(client: AliceClient) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.dnc_contacts.create(phone_number="0934890883", dnc=999)
    assert "dnc" in info.value.errors


async def test_another_accounts_dnc_objects_are_not_found(
    client: AliceClient, other_client: AliceClient
) -> None:
    dnc = await client.dnc_lists.create(name="Riêng")
    entry = await client.dnc_contacts.create(phone_number="0934890883", dnc=dnc.id)
    with pytest.raises(NotFoundError):
        await other_client.dnc_lists.get(dnc.id)
    with pytest.raises(NotFoundError):
        await other_client.dnc_contacts.get(entry.id)
