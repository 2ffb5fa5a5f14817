"""One ``Progress`` for every long operation (``alice_async._progress``), old shapes kept.

Each operation runs over the emulator twice: with a callback of one parameter (it gets a
:class:`~alice_async.Progress`) and with the positional shape it had before.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from alice_async import AliceClient, InvalidInputError, Progress
from alice_async._progress import takes_progress_object
from alice_async.emulator import Emulator
from alice_async.sinks import ParquetDataset
from tests.sinks._subscribers import enrol

UTC = dt.timezone.utc


# -- which shape a callback gets ---------------------------------------------------------


def _one(progress: Progress) -> None: ...


def _two(done: int, total: int | None) -> None: ...


def _three(done: int, total: int | None, rate: float) -> None: ...


def _star(*args: Any) -> None: ...


def _keyword_only_extra(progress: Progress, *, verbose: bool = False) -> None: ...


def _defaults(done: int, total: int | None = None) -> None: ...


class _Watcher:
    def update(self, progress: Progress) -> None: ...

    def __call__(self, done: int, skipped: int) -> None: ...


@pytest.mark.parametrize(
    ("callback", "wants_object"),
    [
        (_one, True),
        (lambda progress: None, True),
        (_keyword_only_extra, True),
        (_Watcher().update, True),  # a bound method: self is not a parameter
        (functools.partial(_three, 1, 2), True),  # one positional parameter left
        (_two, False),
        (_three, False),
        (_defaults, False),  # two positional parameters, one with a default
        (lambda done, total: None, False),
        (_star, False),
        (_Watcher(), False),  # __call__ of two parameters
        (print, False),  # *args
    ],
)
def test_a_callback_of_one_positional_parameter_gets_the_progress_object(
    callback: Any, wants_object: bool
) -> None:
    assert takes_progress_object(callback) is wants_object


def test_a_callback_whose_signature_cannot_be_read_gets_the_old_shape() -> None:
    with pytest.raises(ValueError, match="no signature"):
        inspect.signature(min)  # the premise: a builtin without a signature
    assert takes_progress_object(min) is False


def test_progress_fraction_and_eta_follow_the_counts() -> None:
    half = Progress("export", done=50, total=100, rate=10.0, elapsed=5.0)
    assert half.fraction == 0.5
    assert half.eta_seconds == 5.0
    unknown = Progress("sync", done=50, total=None, rate=10.0, elapsed=5.0, skipped=3)
    assert unknown.fraction is None
    assert unknown.eta_seconds is None
    empty = Progress("bulk_create", done=0, total=0, rate=0.0, elapsed=0.1)
    assert empty.fraction == 1.0
    assert empty.eta_seconds is None
    assert json.loads(half.to_json()) == {
        "operation": "export",
        "done": 50,
        "total": 100,
        "rate": 10.0,
        "elapsed": 5.0,
        "skipped": 0,
        "failed": 0,
    }


def _check_objects(reports: list[Progress], operation: str) -> None:
    assert reports
    assert all(isinstance(report, Progress) for report in reports)
    assert {report.operation for report in reports} == {operation}
    done = [report.done for report in reports]
    assert done == sorted(done)
    assert all(report.elapsed > 0 and report.rate >= 0 for report in reports)


# -- bulk_create ---------------------------------------------------------------------------


def _rows(count: int, *, bad: int = 0, repeated: int = 0) -> list[dict[str, str]]:
    rows = [{"contact": f"0912{n:06d}", "first_name": f"Lan {n}"} for n in range(count)]
    rows += [{"contact": "not a number"} for _ in range(bad)]
    rows += rows[:repeated]
    return rows


async def test_bulk_create_reports_a_progress_object_with_skipped_and_failed_rows(
    client: AliceClient,
) -> None:
    book = await client.phonebooks.create(name="progress")
    rows = _rows(120, bad=3, repeated=5)
    reports: list[Progress] = []

    result = await client.contacts.bulk_create(
        book.id, rows, chunk_size=25, on_progress=reports.append
    )

    _check_objects(reports, "bulk_create")
    last = reports[-1]
    assert (last.done, last.total) == (len(rows), len(rows))
    assert last.failed == len(result.invalid) == 3
    assert last.skipped == len(result.duplicates) + len(result.do_not_call) == 5
    assert last.fraction == 1.0


async def test_bulk_create_still_calls_an_old_callback_with_done_total_and_rate(
    client: AliceClient,
) -> None:
    book = await client.phonebooks.create(name="progress")
    calls: list[tuple[int, int | None, float]] = []

    def old(done: int, total: int | None, rate: float) -> None:
        calls.append((done, total, rate))

    await client.contacts.bulk_create(book.id, iter(_rows(60)), chunk_size=20, on_progress=old)

    assert [(done, total) for done, total, _ in calls] == [(20, None), (40, None), (60, None)]
    assert all(isinstance(rate, float) and rate > 0 for _, _, rate in calls)


# -- exports -------------------------------------------------------------------------------


async def test_cdr_export_reports_a_progress_object_with_the_server_count(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    emulator.seed_cdrs(250, start=dt.datetime(2026, 3, 1, tzinfo=UTC))
    reports: list[Progress] = []

    written = await client.cdr.export(
        tmp_path / "calls.csv", page_size=100, on_progress=reports.append
    )

    _check_objects(reports, "export")
    assert [report.done for report in reports] == [100, 200, 250]
    assert {report.total for report in reports} == {250}
    assert (reports[-1].skipped, reports[-1].failed) == (0, 0)
    assert written == 250


async def test_cdr_export_still_calls_an_old_callback_with_written_and_total(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    emulator.seed_cdrs(150, start=dt.datetime(2026, 3, 1, tzinfo=UTC))
    calls: list[tuple[int, int | None]] = []

    await client.cdr.export(
        tmp_path / "calls.jsonl",
        "jsonl",
        page_size=100,
        on_progress=lambda written, total: calls.append((written, total)),
    )

    assert calls == [(100, 150), (150, 150)]


async def test_subscribers_export_reports_in_both_shapes(
    client: AliceClient, tmp_path: Path
) -> None:
    campaign = await enrol(client, 7)
    reports: list[Progress] = []
    calls: list[tuple[int, int | None]] = []

    await client.subscribers.export(
        tmp_path / "a.csv", campaign=campaign, page_size=5, on_progress=reports.append
    )
    await client.subscribers.export(
        tmp_path / "b.csv",
        campaign=campaign,
        page_size=5,
        on_progress=lambda written, total: calls.append((written, total)),
    )

    _check_objects(reports, "export")
    assert [(report.done, report.total) for report in reports] == [(5, 7), (7, 7)]
    assert calls == [(5, 7), (7, 7)]


# -- syncs ---------------------------------------------------------------------------------


async def test_cdr_sync_reports_landed_and_skipped_rows_in_both_shapes(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    emulator.seed_cdrs(300)
    reports: list[Progress] = []
    first = await client.cdr.sync(ParquetDataset(tmp_path), since=None, on_progress=reports.append)
    _check_objects(reports, "sync")
    assert reports[-1].done == first.written == 300
    assert {report.total for report in reports} == {None}
    assert reports[-1].skipped == 0

    calls: list[tuple[int, int]] = []

    def old(written: int, skipped: int) -> None:
        calls.append((written, skipped))

    second = await client.cdr.sync(ParquetDataset(tmp_path), on_progress=old)
    assert calls
    assert calls[-1] == (second.written, second.skipped) == (0, second.skipped)
    assert second.skipped > 0  # the lateness window, read again


async def test_subscribers_sync_reports_in_both_shapes(client: AliceClient, tmp_path: Path) -> None:
    campaign = await enrol(client, 4)
    reports: list[Progress] = []
    await client.subscribers.sync(
        ParquetDataset(tmp_path / "a"), campaign=campaign, on_progress=reports.append
    )
    calls: list[tuple[int, int]] = []
    await client.subscribers.sync(
        ParquetDataset(tmp_path / "b"),
        campaign=campaign,
        on_progress=lambda written, skipped: calls.append((written, skipped)),
    )

    _check_objects(reports, "sync")
    assert (reports[-1].done, reports[-1].skipped) == (4, 0)
    assert calls[-1] == (4, 0)


# -- refusals ------------------------------------------------------------------------------


async def test_a_progress_callback_that_cannot_be_called_is_refused_naming_it(
    client: AliceClient, tmp_path: Path
) -> None:
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "bulk_create": lambda: client.contacts.bulk_create(
            1,
            [],
            on_progress="print",  # type: ignore[arg-type]
        ),
        "export": lambda: client.cdr.export(
            tmp_path / "x.csv",
            on_progress=3,  # type: ignore[arg-type]
        ),
        "sync": lambda: client.cdr.sync(
            ParquetDataset(tmp_path),
            since=None,
            on_progress=[],  # type: ignore[arg-type]
        ),
    }
    for operation, call in calls.items():
        with pytest.raises(InvalidInputError) as caught:
            await call()
        assert caught.value.field == "on_progress", operation
