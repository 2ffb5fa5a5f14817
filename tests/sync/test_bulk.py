"""Bulk upload through the sync facade: sync rows in, progress callbacks where the loop runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from alice_async import BulkResult, ClientStateError, Progress
from alice_sync import AliceClient

ROWS = 120


def rows(count: int) -> Iterator[dict[str, str]]:
    """A generator of rows: a one-shot sync iterable, read lazily."""
    for n in range(count):
        yield {"contact": f"0934{n:06d}", "first_name": f"Row {n}"}


def test_bulk_create_takes_a_sync_generator_and_reports_progress(client: AliceClient) -> None:
    book = client.phonebooks.create(name="bulk")
    progress: list[tuple[int, int | None]] = []
    callback_threads: set[int] = set()

    def on_progress(done: int, total: int | None, rate: float) -> None:
        progress.append((done, total))
        callback_threads.add(threading.get_ident())

    result = client.contacts.bulk_create(
        book.id, rows(ROWS), chunk_size=50, on_progress=on_progress
    )

    assert isinstance(result, BulkResult)
    assert (result.created, result.rows_read) == (ROWS, ROWS)
    assert client.contacts.list(phonebook=book.id).first_page().count == ROWS
    assert progress
    assert progress[-1][0] == ROWS
    # Callbacks run where the client's loop runs: here, the caller's thread, the only waiter.
    assert callback_threads == {threading.get_ident()}


def test_a_progress_callback_cannot_call_the_client(client: AliceClient) -> None:
    book = client.phonebooks.create(name="bulk")
    refused: list[ClientStateError] = []

    def on_progress(done: int, total: int | None, rate: float) -> None:
        try:
            client.phonebooks.get(book.id)
        except ClientStateError as exc:
            refused.append(exc)

    client.contacts.bulk_create(book.id, rows(10), on_progress=on_progress)

    assert refused
    assert "own event loop" in str(refused[0])


def test_bulk_create_gives_a_one_parameter_callback_the_progress_object(
    client: AliceClient,
) -> None:
    book = client.phonebooks.create(name="bulk")
    reports: list[Progress] = []

    client.contacts.bulk_create(
        book.id, list(rows(ROWS)), chunk_size=40, on_progress=reports.append
    )

    assert [(p.operation, p.done, p.total) for p in reports] == [
        ("bulk_create", 40, ROWS),
        ("bulk_create", 80, ROWS),
        ("bulk_create", 120, ROWS),
    ]
