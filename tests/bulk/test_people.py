"""One person, one contact: canonical numbers, what the account holds, and do-not-call."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import DuplicateReason

from .conftest import Start, add_phonebook, assert_accounting, preload


async def test_one_subscriber_written_three_ways_is_one_contact(start: Start) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    contacts = [{"contact": n} for n in ("0934890883", "84934890883", "+84 934 890 883")]
    result = await client.contacts.bulk_create(book, contacts)
    assert_accounting(result)
    assert result.created == 1
    assert [(d.row, d.reason) for d in result.duplicates] == [
        (1, DuplicateReason.REPEATED_IN_INPUT),
        (2, DuplicateReason.REPEATED_IN_INPUT),
    ]
    assert emu.store.contact_numbers() == ["0934890883"]


@pytest.mark.parametrize(
    ("phone_format", "stored"),
    [("national", "0934890883"), ("e164", "+84934890883"), ("as-given", "84934890883")],
)
async def test_the_stored_form_is_the_one_asked_for(
    start: Start, phone_format: Any, stored: str
) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    result = await client.contacts.bulk_create(
        book, [{"contact": "84 934 890 883"}], phone_format=phone_format
    )
    assert result.created == 1
    assert emu.store.contact_numbers() == [stored]


async def test_a_number_stored_in_another_form_by_another_tool_is_already_in_the_account(
    start: Start,
) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    preload(emu, add_phonebook(emu, "Other tool"), ["+84934890883", "84 934 890 884"])
    contacts = [{"contact": "0934890883"}, {"contact": "0934890884"}, {"contact": "0934890885"}]
    result = await client.contacts.bulk_create(book, contacts)
    assert_accounting(result)
    assert result.created == 1
    assert [(d.row, d.reason) for d in result.duplicates] == [
        (0, DuplicateReason.ALREADY_IN_ACCOUNT),
        (1, DuplicateReason.ALREADY_IN_ACCOUNT),
    ]
    assert sorted(emu.store.contact_numbers()) == ["+84934890883", "0934890885", "84 934 890 884"]


async def test_the_server_alone_compares_exact_strings(start: Start) -> None:
    """Without a region the SDK compares as the server does: another form is another number."""
    emu, client = await start()
    book = add_phonebook(emu)
    preload(emu, add_phonebook(emu, "Other tool"), ["+84934890883"])
    result = await client.contacts.bulk_create(book, [{"contact": "0934890883"}], region=None)
    assert result.created == 1
    assert sorted(emu.store.contact_numbers()) == ["+84934890883", "0934890883"]


async def test_contacts_create_reads_the_number_in_its_region(start: Start) -> None:
    _, client = await start()
    async with client:
        book = await client.phonebooks.create(name="Một")
        national = await client.contacts.create(phonebook=book.id, contact="+84 934 890 883")
        e164 = await client.contacts.create(
            phonebook=book.id, contact="0934 890 884", phone_format="e164"
        )
    assert national.contact == "0934890883"
    assert e164.contact == "+84934890884"


async def test_do_not_call_numbers_of_every_list_in_any_form_are_screened(start: Start) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    first = emu.store.add("dnc-list", name="Complaints")["id"]
    second = emu.store.add("dnc-list", name="Legal")["id"]
    emu.store.add("dnc-contact", dnc=first, phone_number="+84934890883")
    emu.store.add("dnc-contact", dnc=second, phone_number="0934 890 885")
    contacts = [{"contact": f"093489088{i}"} for i in range(3, 7)]
    result = await client.contacts.bulk_create(book, contacts, skip_dnc=True)
    assert_accounting(result)
    assert result.created == 2
    assert [(d.row, d.number, d.reason) for d in result.do_not_call] == [
        (0, "0934890883", "do_not_call"),
        (2, "0934890885", "do_not_call"),
    ]
    assert sorted(emu.store.contact_numbers()) == ["0934890884", "0934890886"]


async def test_without_skip_dnc_do_not_call_numbers_are_uploaded(start: Start) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    dnc = emu.store.add("dnc-list", name="Complaints")["id"]
    emu.store.add("dnc-contact", dnc=dnc, phone_number="0934890883")
    result = await client.contacts.bulk_create(book, [{"contact": "0934890883"}])
    assert result.created == 1
    assert result.do_not_call == ()


async def test_a_reimport_sends_no_request_for_numbers_already_in_the_account(
    start: Start,
) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    contacts = [{"contact": f"09{i:08d}"} for i in range(3000)]
    first = await client.contacts.bulk_create(book, contacts, chunk_size=500)
    again = await client.contacts.bulk_create(book, contacts, chunk_size=500)
    assert first.created == 3000
    assert_accounting(again)
    assert again.created == 0
    assert len(again.duplicates) == 3000
    assert again.requests == 0


async def test_without_a_region_repeated_stops_make_the_upload_read_the_account(
    start: Start,
) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    preload(emu, add_phonebook(emu, "Old"), [f"09{i:08d}" for i in range(0, 2000, 2)])
    contacts = [{"contact": f"09{i:08d}"} for i in range(2000)]
    result = await client.contacts.bulk_create(book, contacts, chunk_size=500, region=None)
    assert_accounting(result)
    assert result.created == 1000
    assert len(result.duplicates) == 1000
    # Without the index every duplicate would cost a request of its own.
    assert result.requests < 100
