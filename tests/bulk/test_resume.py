"""Checkpoints: cancel and resume, a simulated crash, refusals, and a finished rerun."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from alice_async import AliceClient, BulkResult, DuplicateReason, InvalidInputError
from alice_async.emulator import Emulator

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

N = 6000
CHUNK = 200


async def _upload_until_cancelled(
    client: AliceClient, book: int, checkpoint: Path, *, after_rows: int
) -> None:
    """Run the upload and cancel it from its progress callback once ``after_rows`` are done."""
    with anyio.CancelScope() as scope:

        def progress(done: int, total: int | None, rate: float) -> None:
            if done >= after_rows:
                scope.cancel()

        await client.contacts.bulk_create(
            book,
            rows(N),
            chunk_size=CHUNK,
            concurrency=4,
            checkpoint=checkpoint,
            on_progress=progress,
        )
    assert scope.cancelled_caught, "the upload finished before it was cancelled"
    leftovers = [
        task
        for task in asyncio.all_tasks()
        if "_Upload" in getattr(task.get_coro(), "__qualname__", "")
    ]
    assert leftovers == [], "a task of the cancelled upload is still running"


def _prepare(emu: Emulator) -> tuple[int, list[str]]:
    book = add_phonebook(emu)
    existing = [number(i) for i in range(3, N, 157)]
    preload(emu, add_phonebook(emu, "Old list"), existing)
    return book, existing


def _check(result: BulkResult, emu: Emulator, existing: list[str]) -> None:
    assert_accounting(result)
    assert result.rows_read == N
    assert result.created == N - len(existing)
    assert [(d.number, d.reason) for d in result.duplicates] == [
        (n, DuplicateReason.ALREADY_IN_ACCOUNT) for n in existing
    ]
    assert_exactly_once(emu, {number(i) for i in range(N)})


@pytest.mark.chaos
@pytest.mark.parametrize("atomic", [False, True], ids=["in-order", "all-or-nothing"])
async def test_cancel_then_resume_is_exactly_once(
    start: Start, tmp_path: Path, atomic: bool
) -> None:
    emu, client = await start(chaos(atomic=atomic, seed=3))
    book, existing = _prepare(emu)
    checkpoint = tmp_path / "upload.ckpt"
    await _upload_until_cancelled(client, book, checkpoint, after_rows=N // 3)
    saved = json.loads(checkpoint.read_text())
    assert saved["started_upto"] > 0
    assert 0 < len(saved["completed"]) < N // CHUNK
    assert not saved["finished"]
    stored = len(emu.store.contact_numbers())
    assert len(existing) < stored < N

    result = await client.contacts.bulk_create(
        book, rows(N), chunk_size=CHUNK, concurrency=4, checkpoint=checkpoint
    )
    _check(result, emu, existing)
    assert json.loads(checkpoint.read_text())["finished"]


@pytest.mark.parametrize("atomic", [False, True], ids=["in-order", "all-or-nothing"])
async def test_resume_after_a_crash_that_lost_the_latest_outcomes(
    start: Start, tmp_path: Path, atomic: bool
) -> None:
    """A hard crash loses what was not yet written: settled again by lookups, exactly."""
    emu, client = await start(chaos(atomic=atomic, seed=9, throttle_rate=None))
    book, existing = _prepare(emu)
    checkpoint = tmp_path / "upload.ckpt"
    await _upload_until_cancelled(client, book, checkpoint, after_rows=N // 2)
    # As if the process had been killed: no "partial" section, the last outcomes not written.
    saved = json.loads(checkpoint.read_text())
    saved["partial"] = {}
    completed = sorted(saved["completed"], key=int)
    lost = completed[-2:]
    for key in lost:
        del saved["completed"][key]
    checkpoint.write_text(json.dumps(saved))

    result = await client.contacts.bulk_create(
        book, rows(N), chunk_size=CHUNK, concurrency=4, checkpoint=checkpoint
    )
    _check(result, emu, existing)
    assert result.lookups >= len(lost)


async def test_a_finished_upload_reruns_without_sending(start: Start, tmp_path: Path) -> None:
    emu, client = await start()
    book, existing = _prepare(emu)
    checkpoint = tmp_path / "upload.ckpt"
    first = await client.contacts.bulk_create(book, rows(N), checkpoint=checkpoint)
    _check(first, emu, existing)
    assert not first.already_finished
    again = await client.contacts.bulk_create(book, rows(N), checkpoint=checkpoint)
    assert again.requests == 0
    assert again.already_finished
    with pytest.raises(InvalidInputError, match="more rows than the finished upload"):
        await client.contacts.bulk_create(book, rows(N + 500), checkpoint=checkpoint)
    assert (again.created, again.duplicates, again.invalid) == (
        first.created,
        first.duplicates,
        first.invalid,
    )


async def test_a_checkpoint_of_another_upload_is_refused(start: Start, tmp_path: Path) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    other = add_phonebook(emu, "Other")
    checkpoint = tmp_path / "upload.ckpt"
    await client.contacts.bulk_create(book, rows(10), chunk_size=5, checkpoint=checkpoint)
    with pytest.raises(InvalidInputError, match="phonebook=") as caught:
        await client.contacts.bulk_create(other, rows(10), chunk_size=5, checkpoint=checkpoint)
    assert caught.value.field == "checkpoint"
    with pytest.raises(InvalidInputError, match="chunk_size="):
        await client.contacts.bulk_create(book, rows(10), chunk_size=7, checkpoint=checkpoint)
    broken = tmp_path / "broken.ckpt"
    broken.write_text("{not json")
    with pytest.raises(InvalidInputError, match="not a bulk-upload checkpoint"):
        await client.contacts.bulk_create(book, rows(10), checkpoint=broken)
    broken.write_text('{"version": 1}')
    with pytest.raises(InvalidInputError, match="not a bulk-upload checkpoint"):
        await client.contacts.bulk_create(book, rows(10), checkpoint=broken)
    assert len(emu.store.contact_numbers()) == 10


async def test_resuming_with_another_input_is_refused_naming_the_first_row(
    start: Start, tmp_path: Path
) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    checkpoint = tmp_path / "upload.ckpt"
    await _upload_until_cancelled(client, book, checkpoint, after_rows=CHUNK)
    edited = rows(N)
    edited[3 * CHUNK + 17]["first_name"] = "Someone else"
    with pytest.raises(InvalidInputError) as caught:
        await client.contacts.bulk_create(
            book, edited, chunk_size=CHUNK, concurrency=4, checkpoint=checkpoint
        )
    assert caught.value.field == "checkpoint"
    assert str(checkpoint) in str(caught.value)
    assert f"row {3 * CHUNK + 17}" in caught.value.reason
    with pytest.raises(InvalidInputError, match="phone_format=e164"):
        await client.contacts.bulk_create(
            book, rows(N), chunk_size=CHUNK, checkpoint=checkpoint, phone_format="e164"
        )
    result = await client.contacts.bulk_create(
        book, rows(N), chunk_size=CHUNK, concurrency=4, checkpoint=checkpoint
    )
    assert_accounting(result)
    assert_exactly_once(emu, {row["contact"] for row in rows(N)})


async def test_no_checkpoint_is_written_for_an_input_that_cannot_be_read(
    start: Start, tmp_path: Path
) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    checkpoint = tmp_path / "upload.ckpt"

    def unreadable() -> Iterator[dict[str, str]]:
        yield from ()  # opened lazily, like a file reader
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk went away"):
        await client.contacts.bulk_create(book, unreadable(), checkpoint=checkpoint)
    assert not checkpoint.exists()
    assert emu.store.contact_numbers() == []
