"""alice_sync's overhead over alice_async: one small call, a list pull, a bulk upload and a
CDR pull.

Run: ``python benchmarks/bench_sync.py`` (about 40 s). The emulator runs in its own process
(``python -m alice_async.emulator --port 0``) so that it does not share a CPU-bound event loop
or the GIL with the client under test. Prints a Markdown table.

Targets: a ``phonebooks.get`` at most 200 µs slower (median) through alice_sync; list pulls,
bulk uploads and CDR pulls at least 0.9x alice_async's rows per second.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import platform
import statistics
import sys
import time
from collections.abc import Iterator

import alice_async
import alice_sync

try:
    from ._harness import emulator_process
except ImportError:  # run as a script: python benchmarks/bench_sync.py
    from _harness import emulator_process  # type: ignore[no-redef]

SMALL_CALLS = 100
ROWS = 3000
PAGE_SIZE = 500
ROUNDS = 8
BULK_ROWS = 20_000
BULK_ROUNDS = 3
CDR_ROWS = 20_000
CDR_PAGE_SIZE = 1000


async def seed(url: str, username: str, password: str) -> int:
    """A phonebook of ROWS contacts; returns its id."""
    async with alice_async.AliceClient(url, username=username, password=password) as client:
        book = await client.phonebooks.create(name="bench")
        rows = ({"contact": f"09{n:08d}"} for n in range(ROWS))
        await client.contacts.bulk_create(book.id, rows, chunk_size=500)
        return book.id


async def async_round(client: alice_async.AliceClient, book: int) -> tuple[list[float], float]:
    """(latencies of SMALL_CALLS gets, rows per second of one pull)."""
    latencies = []
    for _ in range(SMALL_CALLS):
        started = time.perf_counter()
        await client.phonebooks.get(book)
        latencies.append(time.perf_counter() - started)
    started = time.perf_counter()
    count = 0
    async for _contact in client.contacts.list(phonebook=book, page_size=PAGE_SIZE):
        count += 1
    return latencies, count / (time.perf_counter() - started)


def sync_round(client: alice_sync.AliceClient, book: int) -> tuple[list[float], float]:
    """(latencies of SMALL_CALLS gets, rows per second of one pull)."""
    latencies = []
    for _ in range(SMALL_CALLS):
        started = time.perf_counter()
        client.phonebooks.get(book)
        latencies.append(time.perf_counter() - started)
    started = time.perf_counter()
    count = sum(1 for _ in client.contacts.list(phonebook=book, page_size=PAGE_SIZE))
    return latencies, count / (time.perf_counter() - started)


def measure(url: str, username: str, password: str, book: int) -> dict[str, tuple[float, float]]:
    """Alternate async and sync rounds (so drift hits both alike): median latency and rate."""
    loop = asyncio.new_event_loop()
    results: dict[str, tuple[list[float], list[float]]] = {"async": ([], []), "sync": ([], [])}
    async_client = alice_async.AliceClient(url, username=username, password=password)
    try:
        with alice_sync.AliceClient(url, username=username, password=password) as sync_client:
            loop.run_until_complete(async_round(async_client, book))  # warm-up both
            sync_round(sync_client, book)
            for _ in range(ROUNDS):
                for name, (latencies, rate) in (
                    ("async", loop.run_until_complete(async_round(async_client, book))),
                    ("sync", sync_round(sync_client, book)),
                ):
                    results[name][0].extend(latencies)
                    results[name][1].append(rate)
    finally:
        loop.run_until_complete(async_client.aclose())
        loop.close()
    return {
        name: (statistics.median(latencies), statistics.median(rates))
        for name, (latencies, rates) in results.items()
    }


def bulk_rows(round_number: int, flavour: int) -> Iterator[dict[str, str]]:
    """Distinct numbers per round and client, so that every upload creates every row."""
    prefix = f"08{flavour}{round_number}"
    return ({"contact": f"{prefix}{n:07d}", "first_name": "Nguyễn"} for n in range(BULK_ROWS))


def measure_volume(url: str, username: str, password: str) -> dict[str, tuple[float, float]]:
    """Median rows/s of a bulk upload and of a CDR pull, async and sync rounds alternating."""
    loop = asyncio.new_event_loop()
    uploads: dict[str, list[float]] = {"async": [], "sync": []}
    pulls: dict[str, list[float]] = {"async": [], "sync": []}
    async_client = alice_async.AliceClient(url, username=username, password=password)

    async def async_upload(round_number: int) -> float:
        book = await async_client.phonebooks.create(name=f"async {round_number}")
        started = time.perf_counter()
        result = await async_client.contacts.bulk_create(book.id, bulk_rows(round_number, 1))
        assert result.created == BULK_ROWS
        return BULK_ROWS / (time.perf_counter() - started)

    async def async_pull() -> float:
        started = time.perf_counter()
        count = 0
        async for _row in async_client.cdr.list(page_size=CDR_PAGE_SIZE):
            count += 1
        assert count == CDR_ROWS
        return count / (time.perf_counter() - started)

    try:
        with alice_sync.AliceClient(url, username=username, password=password) as sync_client:

            def sync_upload(round_number: int) -> float:
                book = sync_client.phonebooks.create(name=f"sync {round_number}")
                started = time.perf_counter()
                result = sync_client.contacts.bulk_create(book.id, bulk_rows(round_number, 2))
                assert result.created == BULK_ROWS
                return BULK_ROWS / (time.perf_counter() - started)

            def sync_pull() -> float:
                started = time.perf_counter()
                count = sum(1 for _ in sync_client.cdr.list(page_size=CDR_PAGE_SIZE))
                assert count == CDR_ROWS
                return count / (time.perf_counter() - started)

            for round_number in range(BULK_ROUNDS):
                uploads["async"].append(loop.run_until_complete(async_upload(round_number)))
                uploads["sync"].append(sync_upload(round_number))
                pulls["async"].append(loop.run_until_complete(async_pull()))
                pulls["sync"].append(sync_pull())
    finally:
        loop.run_until_complete(async_client.aclose())
        loop.close()
    return {
        "upload": (statistics.median(uploads["async"]), statistics.median(uploads["sync"])),
        "pull": (statistics.median(pulls["async"]), statistics.median(pulls["sync"])),
    }


def main() -> int:
    with emulator_process("--seed-cdrs", str(CDR_ROWS)) as (url, username, password):
        book = asyncio.run(seed(url, username, password))
        results = measure(url, username, password, book)
        volume = measure_volume(url, username, password)
    (async_get, async_rate), (sync_get, sync_rate) = results["async"], results["sync"]
    overhead_us = (sync_get - async_get) * 1e6
    ratio = sync_rate / async_rate
    print(f"# alice_sync vs alice_async ({dt.date.today().isoformat()})\n")
    print("Command: `python benchmarks/bench_sync.py`  ")
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}\n")
    print("| measure | alice_async | alice_sync | difference | target |")
    print("|---|---|---|---|---|")
    print(
        f"| `phonebooks.get` median latency ({SMALL_CALLS * ROUNDS} calls) "
        f"| {async_get * 1e6:.0f} µs | {sync_get * 1e6:.0f} µs | {overhead_us:+.0f} µs "
        "| ≤ +200 µs |"
    )
    print(
        f"| `contacts.list` pull, {ROWS} rows, pages of {PAGE_SIZE} (median of {ROUNDS}) "
        f"| {async_rate:,.0f} rows/s | {sync_rate:,.0f} rows/s | {ratio:.2f}x | ≥ 0.90x |"
    )
    for label, (async_value, sync_value) in (
        (
            f"`contacts.bulk_create`, {BULK_ROWS:,} contacts (median of {BULK_ROUNDS})",
            volume["upload"],
        ),
        (
            f"`cdr.list` pull, {CDR_ROWS:,} rows, pages of {CDR_PAGE_SIZE} "
            f"(median of {BULK_ROUNDS})",
            volume["pull"],
        ),
    ):
        print(
            f"| {label} | {async_value:,.0f} rows/s | {sync_value:,.0f} rows/s "
            f"| {sync_value / async_value:.2f}x | ≥ 0.90x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
