"""The server's other wordings and answers: the upload survives them without reading words."""

from __future__ import annotations

import pytest

from alice_async.emulator import EmulatorConfig, Variants

from .conftest import Start, add_phonebook, assert_accounting, assert_exactly_once, preload, rows


@pytest.mark.parametrize("drf", [False, True], ids=["emulator-wording", "drf-wording"])
async def test_a_row_the_server_refuses_costs_that_row_only(start: Start, drf: bool) -> None:
    emu, client = await start(EmulatorConfig(dialer=False, variants=Variants(bulk_drf_errors=drf)))
    book = add_phonebook(emu)
    contacts = rows(50)
    contacts[7]["email"] = "an@example.v"  # the client accepts it; the server does not
    contacts[31]["email"] = "mai@example.v"
    result = await client.contacts.bulk_create(book, contacts, chunk_size=20)
    assert_accounting(result)
    assert result.created == 48
    assert [(r.row, r.field) for r in result.invalid] == [(7, "email"), (31, "email")]
    assert "not valid" in result.invalid[0].message
    expected = {c["contact"] for i, c in enumerate(contacts) if i not in (7, 31)}
    assert_exactly_once(emu, expected)


async def test_the_drf_wording_is_what_a_drf_server_writes(start: Start) -> None:
    emu, client = await start(EmulatorConfig(dialer=False, variants=Variants(bulk_drf_errors=True)))
    book = add_phonebook(emu)
    response = await client.request(
        "POST",
        "bulkcontact/",
        json={"phonebook": book, "contacts": [{"contact": "0934890883", "email": "x@y.z"}]},
        max_retries=0,
    )
    assert response.data["error"].startswith("Contact #1 is not valid: {'email': [ErrorDetail(")


async def test_a_stop_at_a_duplicate_in_unknown_words_is_settled_by_lookups(start: Start) -> None:
    """With region=None the duplicate reaches the server; its stop is still placed exactly."""
    emu, client = await start()
    book = add_phonebook(emu)
    preload(emu, add_phonebook(emu, "Old"), ["0900000005"])
    result = await client.contacts.bulk_create(book, rows(10), region=None)
    assert_accounting(result)
    assert result.created == 9
    assert [d.row for d in result.duplicates] == [5]


async def test_the_all_or_nothing_variant_answering_201_with_the_rows_is_a_success(
    start: Start,
) -> None:
    config = EmulatorConfig(
        dialer=False, variants=Variants(bulk_atomic=True, bulk_atomic_echo=True)
    )
    emu, client = await start(config)
    book = add_phonebook(emu)
    response = await client.request(
        "POST", "bulkcontact/", json={"phonebook": book, "contacts": [{"contact": "0911"}]}
    )
    assert response.status == 201
    assert response.data[0]["contact"] == "0911"
    contacts = rows(120)
    contacts[3]["email"] = "an@example.v"
    result = await client.contacts.bulk_create(book, contacts, chunk_size=25)
    assert_accounting(result)
    assert result.created == 119
    assert [(r.row, r.field) for r in result.invalid] == [(3, "email")]
    assert len(emu.store.contact_numbers()) == 120  # with the "0911" sent by hand above
