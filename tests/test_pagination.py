"""Lists across pages, whatever page size the server really uses."""

from __future__ import annotations

import pytest

from alice_async import APIResponseValidationError, NotFoundError
from alice_async._pagination import parse_envelope
from alice_async.emulator import Emulator, EmulatorConfig, Variants
from tests.conftest import make_client


async def _seed(emu: Emulator, n: int) -> int:
    async with make_client(emu) as client:
        book = await client.phonebooks.create(name="book")
        for i in range(n):
            await client.contacts.create(phonebook=book.id, contact=f"09{i:08d}")
        return book.id


async def test_iterates_items_across_pages_in_id_order(emulator: Emulator) -> None:
    book = await _seed(emulator, 25)
    async with make_client(emulator) as client:
        numbers = [c.contact async for c in client.contacts.list(phonebook=book)]
    assert numbers == [f"09{i:08d}" for i in range(25)]


async def test_pages_report_count_and_follow_the_server_page_size(emulator: Emulator) -> None:
    book = await _seed(emulator, 25)
    async with make_client(emulator) as client:
        pages = [p async for p in client.contacts.list(phonebook=book).pages()]
        assert [len(p) for p in pages] == [10, 10, 5]  # the server default is 10
        assert {p.count for p in pages} == {25}
        assert [p.number for p in pages] == [1, 2, 3]
        big = [p async for p in client.contacts.list(phonebook=book, page_size=20).pages()]
        assert [len(p) for p in big] == [20, 5]


async def test_a_server_that_ignores_page_size_still_yields_everything() -> None:
    async with Emulator(EmulatorConfig(variants=Variants(ignore_page_size=True))) as emu:
        book = await _seed(emu, 23)
        async with make_client(emu) as client:
            pages = [p async for p in client.contacts.list(phonebook=book, page_size=500).pages()]
            assert [len(p) for p in pages] == [10, 10, 3]
            assert len(await client.contacts.list(phonebook=book).to_list()) == 23


async def test_hyperlinked_relations_still_give_integer_ids() -> None:
    async with Emulator(EmulatorConfig(variants=Variants(hyperlinked=True))) as emu:
        async with make_client(emu) as client:
            book = await client.phonebooks.create(name="linked")
            contact = await client.contacts.create(phonebook=book.id, contact="0934890883")
            assert isinstance(book.id, int)
            assert contact.phonebook == book.id
            listed = await client.contacts.list(phonebook=book.id).to_list()
            assert [c.id for c in listed] == [contact.id]


async def test_to_list_honours_a_limit(emulator: Emulator) -> None:
    book = await _seed(emulator, 15)
    async with make_client(emulator) as client:
        assert len(await client.contacts.list(phonebook=book).to_list(limit=12)) == 12


async def test_an_empty_list_is_one_empty_page(emulator: Emulator) -> None:
    async with make_client(emulator) as api:
        pages = [p async for p in api.phonebooks.list().pages()]
    assert len(pages) == 1
    assert pages[0].items == []
    assert pages[0].count == 0


async def test_an_invalid_page_is_not_found(emulator: Emulator) -> None:
    async with make_client(emulator) as api:
        with pytest.raises(NotFoundError):
            await api.request("GET", "phonebook/", params={"page": 99})


def test_parse_envelope_refuses_what_is_not_a_list() -> None:
    with pytest.raises(APIResponseValidationError, match="paginated list"):
        parse_envelope({"id": 1}, url="x")
    with pytest.raises(APIResponseValidationError, match="results"):
        parse_envelope({"results": "nope", "count": 1}, url="x")
    with pytest.raises(APIResponseValidationError, match="count"):
        parse_envelope({"results": [], "count": "many"}, url="x")


def test_parse_envelope_accepts_bare_answers_where_allowed() -> None:
    assert parse_envelope([{"id": 1}, {"id": 2}], url="x", allow_bare=True).count == 2
    assert parse_envelope({"id": 1}, url="x", allow_bare=True).results == [{"id": 1}]
    assert parse_envelope({"note": "no calendar-user found"}, url="x", allow_bare=True).count == 0
