"""Bulk upload against the emulator over real sockets: faults, variants, rows, fatal errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from alice_async import (
    AuthenticationError,
    BulkUploadError,
    ContactInput,
    DuplicateReason,
    InvalidInputError,
)
from alice_async.emulator import EmulatorConfig, Latency, Variants

from ..conftest import make_client
from .conftest import (
    Start,
    add_phonebook,
    assert_accounting,
    assert_exactly_once,
    chaos,
    number,
    preload,
    rows,
)

N = 20_000


@pytest.mark.chaos
@pytest.mark.parametrize("atomic", [False, True], ids=["in-order", "all-or-nothing"])
async def test_20k_contacts_through_every_fault_exactly_once(start: Start, atomic: bool) -> None:
    emu, client = await start(chaos(atomic=atomic, seed=15))
    book = add_phonebook(emu)
    result = await client.contacts.bulk_create(book, rows(N), chunk_size=200, concurrency=8)
    assert_accounting(result)
    assert result.created == N
    assert result.duplicates == ()
    assert_exactly_once(emu, {number(i) for i in range(N)})
    injected = emu.stats.faults
    assert set(injected) == {"502", "503", "500_after", "reset_after", "429"}, injected
    assert result.lookups > 0  # ambiguous failures were settled by lookups


@pytest.mark.chaos
@pytest.mark.parametrize("atomic", [False, True], ids=["in-order", "all-or-nothing"])
async def test_numbers_already_in_another_phonebook_are_reported_not_created(
    start: Start, atomic: bool
) -> None:
    emu, client = await start(chaos(atomic=atomic, seed=5))
    book = add_phonebook(emu)
    elsewhere = add_phonebook(emu, "Old list")
    existing = [number(i) for i in range(0, N, 101)]
    preload(emu, elsewhere, existing)
    result = await client.contacts.bulk_create(book, rows(N))
    assert_accounting(result)
    assert result.created == N - len(existing)
    assert [d.number for d in result.duplicates] == existing
    assert {d.reason for d in result.duplicates} == {DuplicateReason.ALREADY_IN_ACCOUNT}
    assert [d.row for d in result.duplicates] == list(range(0, N, 101))
    assert_exactly_once(emu, {number(i) for i in range(N)})
    in_book = [c["contact"] for c in emu.store.objects("contact") if c["phonebook"] == book]
    assert set(in_book) == {number(i) for i in range(N)} - set(existing)


async def test_throttling_lowers_concurrency_and_loses_nothing(start: Start) -> None:
    emu, client = await start(EmulatorConfig(dialer=False, throttle_rate=40.0))
    book = add_phonebook(emu)
    result = await client.contacts.bulk_create(book, rows(3000), chunk_size=50, concurrency=8)
    assert_accounting(result)
    assert result.created == 3000
    assert emu.stats.throttled > 0
    assert_exactly_once(emu, {number(i) for i in range(3000)})


async def test_invalid_and_repeated_rows_are_reported_with_row_and_field(start: Start) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    contacts: list[Any] = [
        {"contact": "0934 890 883", "first_name": "Trần Văn Bình"},  # 0 ok
        {"contact": "09x4"},  # 1 bad number
        {"contact": 934890884},  # 2 an int lost its leading zero
        {"contact": "0934890885", "first_name": "x" * 121},  # 3 name too long
        {"contact": "0934890886", "email": "not-an-email"},  # 4 bad e-mail
        {"first_name": "no number"},  # 5 contact missing
        42,  # 6 not a row at all
        {"contact": "0934890883"},  # 7 repeat of row 0 once normalised
        ContactInput(contact="+84934890883", last_name="Lê"),  # 8 the same person as row 0
        {"contact": "0934.890.883"},  # 9 repeat again
        {"contact": "0934890887", "status": 0, "additional_vars": {"order": "A-1"}},  # 10 ok
    ]
    result = await client.contacts.bulk_create(book, contacts, chunk_size=2)
    assert_accounting(result)
    assert result.created == 2
    assert [(r.row, r.field) for r in result.invalid] == [
        (1, "contact"),
        (2, "contact"),
        (3, "first_name"),
        (4, "email"),
        (5, "contact"),
        (6, "row"),
    ]
    assert "leading zero" in result.invalid[1].message
    assert [(d.row, d.number, d.reason) for d in result.duplicates] == [
        (7, "0934890883", DuplicateReason.REPEATED_IN_INPUT),
        (8, "0934890883", DuplicateReason.REPEATED_IN_INPUT),
        (9, "0934890883", DuplicateReason.REPEATED_IN_INPUT),
    ]
    stored = {c["contact"]: c for c in emu.store.objects("contact")}
    assert set(stored) == {"0934890883", "0934890887"}
    assert stored["0934890883"]["first_name"] == "Trần Văn Bình"
    assert stored["0934890887"]["status"] == 0


async def test_async_iterable_input_and_progress(start: Start) -> None:
    emu, client = await start()
    book = add_phonebook(emu)

    async def source() -> AsyncIterator[ContactInput]:
        for i in range(1000):
            yield ContactInput(contact=number(i), first_name="Phạm")

    calls: list[tuple[int, int | None, float]] = []
    result = await client.contacts.bulk_create(
        book, source(), chunk_size=100, on_progress=lambda *args: calls.append(args)
    )
    assert_accounting(result)
    assert result.created == 1000
    assert len(calls) == 10
    assert [done for done, _, _ in calls] == sorted(done for done, _, _ in calls)
    assert calls[-1][0] == 1000
    assert {total for _, total, _ in calls} == {None}
    assert all(rate > 0 for _, _, rate in calls)
    # a sized input reports its total
    sized: list[tuple[int, int | None, float]] = []
    await client.contacts.bulk_create(
        book, rows(10, start=5000), on_progress=lambda *args: sized.append(args)
    )
    assert sized[-1][:2] == (10, 10)


async def test_the_input_is_read_lazily(start: Start) -> None:
    emu, client = await start(EmulatorConfig(dialer=False, latency=Latency(per_request=0.2)))
    book = add_phonebook(emu)
    chunk_size, concurrency = 50, 2
    read = 0
    read_at_first_answer: list[int] = []

    def source() -> Iterator[dict[str, str]]:
        nonlocal read
        for i in range(400):
            read += 1
            yield {"contact": number(i)}

    def progress(done: int, total: int | None, rate: float) -> None:
        if not read_at_first_answer:
            read_at_first_answer.append(read)

    result = await client.contacts.bulk_create(
        book, source(), chunk_size=chunk_size, concurrency=concurrency, on_progress=progress
    )
    assert result.created == 400
    # while the first chunk was in flight, at most one chunk per worker plus the one waiting
    # for a worker had been read
    assert read_at_first_answer[0] <= chunk_size * (concurrency + 1)


async def test_missing_phonebook_is_fatal_with_a_partial_result(start: Start) -> None:
    emu, client = await start()
    with pytest.raises(BulkUploadError, match="Phonebook is not valid") as caught:
        await client.contacts.bulk_create(9999, rows(1200))
    error = caught.value
    assert error.reason == "phonebook"
    assert error.result.created == 0
    assert error.result.rows_read >= 500
    assert error.result.pending == error.result.rows_read
    assert emu.store.contact_numbers() == []


@pytest.mark.parametrize("atomic", [False, True], ids=["in-order", "all-or-nothing"])
async def test_quota_is_fatal_after_recording_progress(
    start: Start, atomic: bool, tmp_path: Any
) -> None:
    emu, client = await start(
        EmulatorConfig(dialer=False, contact_quota=1000, variants=Variants(bulk_atomic=atomic))
    )
    book = add_phonebook(emu)
    checkpoint = tmp_path / "upload.ckpt"
    with pytest.raises(BulkUploadError, match="too many contacts") as caught:
        await client.contacts.bulk_create(
            book, rows(3000), chunk_size=200, concurrency=1, checkpoint=checkpoint
        )
    partial = caught.value.result
    assert caught.value.reason == "quota"
    assert partial.created == 1000
    assert partial.created + partial.pending == partial.rows_read
    assert len(emu.store.contact_numbers()) == 1000
    # the account gets more room: the same call resumes and finishes, exactly once
    emu.configure(contact_quota=1_000_000)
    result = await client.contacts.bulk_create(
        book, rows(3000), chunk_size=200, concurrency=1, checkpoint=checkpoint
    )
    assert_accounting(result)
    assert result.created == 3000
    assert_exactly_once(emu, {number(i) for i in range(3000)})


async def test_bad_credentials_raise_authentication_error(start: Start) -> None:
    emu, _ = await start()
    book = add_phonebook(emu)
    async with make_client(emu, password="wrong") as client:
        with pytest.raises(AuthenticationError):
            await client.contacts.bulk_create(book, rows(10))
    assert emu.store.contact_numbers() == []


async def test_bad_arguments_are_refused_before_any_request(start: Start) -> None:
    emu, client = await start()
    with pytest.raises(InvalidInputError, match="chunk_size"):
        await client.contacts.bulk_create(1, rows(1), chunk_size=0)
    with pytest.raises(InvalidInputError, match="concurrency"):
        await client.contacts.bulk_create(1, rows(1), concurrency=0)
    with pytest.raises(InvalidInputError, match="max_retries"):
        await client.contacts.bulk_create(1, rows(1), max_retries=-1)
    with pytest.raises(InvalidInputError):
        await client.contacts.bulk_create("1", rows(1))  # type: ignore[arg-type]
    assert emu.stats.requests == {}
