"""Call-record pulls and exports under every fault mix: exactly the seeded rows, none lost,
none twice.

Reads are safe to replay, so the SDK retries every failed page on its own; a pull must
never restart from the beginning (duplicates) nor skip the page that failed (losses),
whether it follows ``next`` links, fetches pages ahead, runs time windows concurrently or
streams into a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import attrs
import pytest

from alice_async import AliceClient
from alice_async._converter import parse_datetime
from tests.chaos.conftest import Mix, RowRecorder, chaos_size, open_bench

pytestmark = [pytest.mark.chaos, pytest.mark.usefixtures("no_task_leaks")]

Pull = Callable[[AliceClient, "SeededRange"], Awaitable[list[int]]]


@attrs.frozen
class SeededRange:
    """The seeded rows' time span, and a directory for exports."""

    first: dt.datetime
    last: dt.datetime
    directory: Path


async def pull_following_next(client: AliceClient, seeded: SeededRange) -> list[int]:
    page_size = chaos_size().page_size
    return [cdr.id async for cdr in client.cdr.list(page_size=page_size, prefetch=0)]


async def pull_fetching_ahead(client: AliceClient, seeded: SeededRange) -> list[int]:
    page_size = chaos_size().page_size
    return [cdr.id async for cdr in client.cdr.list(page_size=page_size, prefetch=4)]


async def pull_in_windows(client: AliceClient, seeded: SeededRange) -> list[int]:
    windows = client.cdr.iter_windows(
        seeded.first,
        seeded.last,
        window=(seeded.last - seeded.first) / 5,
        concurrency=3,
        page_size=chaos_size().page_size,
    )
    return [cdr.id async for cdr in windows]


async def export_csv(client: AliceClient, seeded: SeededRange) -> list[int]:
    path = seeded.directory / "cdr.csv"
    written = await client.cdr.export(path, "csv", page_size=chaos_size().page_size)
    with path.open(newline="", encoding="utf-8") as file:
        ids = [int(row["id"]) for row in csv.DictReader(file)]
    assert written == len(ids)
    return ids


PULLS: dict[str, Pull] = {
    "CDR pull (following next)": pull_following_next,
    "CDR pull (4 pages ahead)": pull_fetching_ahead,
    "CDR pull (5 time windows)": pull_in_windows,
    "CDR export (CSV)": export_csv,
}


async def test_cdr_pulls_return_exactly_the_seeded_rows(
    mix: Mix, record: RowRecorder, tmp_path: Path
) -> None:
    size = chaos_size()
    async with open_bench(mix) as bench:
        bench.emulator.seed_cdrs(size.cdrs)
        rows = bench.emulator.store.objects("cdr")
        seeded = sorted(row["id"] for row in rows)
        assert len(seeded) == size.cdrs
        moments = [parse_datetime(row["starting_date"]) for row in rows]
        span = SeededRange(min(moments), max(moments), tmp_path)
        deadline = time.monotonic() + mix.min_seconds
        results = []
        for operation, pull in PULLS.items():
            bench.unleash()
            pulls = 0
            lost = duplicated = 0
            # Bounded by time (the mix's min_seconds) and by count (1,000 pulls).
            while pulls == 0 or (time.monotonic() < deadline and pulls < 1000):
                ids = await pull(bench.client, span)
                lost += len(set(seeded) - set(ids))
                duplicated += len(ids) - len(set(ids))
                pulls += 1
            results.append(
                record(
                    bench,
                    operation,
                    expected=pulls * len(seeded),
                    lost=lost,
                    duplicated=duplicated,
                )
            )

    for row in results:
        assert (row.operation, row.lost, row.duplicated) == (row.operation, 0, 0)
        if mix.faults.rate or mix.cut_rate:
            assert sum(row.faults.values()) + row.cuts > 0, "the mix must have injected faults"
    if mix.token_ttl <= 2:
        assert sum(row.refused_tokens + row.tokens for row in results) >= 2
