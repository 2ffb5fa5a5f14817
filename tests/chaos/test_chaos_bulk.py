"""Bulk upload under every fault mix: every number stored exactly once, every row accounted.

``bulkcontact/`` has no idempotency key and stops at the first number it already holds, so
a chunk whose answer was lost (500 after processing, a cut, a timeout) may be wholly, partly
or not at all stored. The upload must settle it without storing a number twice and without
dropping one: afterwards the emulator's store holds each input number exactly once.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from alice_async import ContactInput
from tests.chaos.conftest import Mix, RowRecorder, chaos_size, open_bench

pytestmark = [pytest.mark.chaos, pytest.mark.usefixtures("no_task_leaks")]


def numbers(count: int, *, prefix: str) -> list[str]:
    return [f"0{prefix}{i:07d}" for i in range(count)]


async def test_bulk_upload_stores_every_number_exactly_once(mix: Mix, record: RowRecorder) -> None:
    size = chaos_size()
    chunk = min(500, max(10, size.contacts // 20))
    async with open_bench(mix) as bench:
        client = bench.client
        book = await client.phonebooks.create(name="chaos bulk")
        bench.unleash()
        deadline = time.monotonic() + mix.min_seconds
        uploaded: list[str] = []
        results = []
        for run in range(60):  # one upload; a batch every 0.1 s while a token mix needs time
            if run and time.monotonic() >= deadline:
                break
            if run:
                await asyncio.sleep(0.1)
            batch = numbers(size.contacts, prefix=f"9{run:02d}")
            rows = [ContactInput(contact=n, first_name=f"Khách {n[-4:]}") for n in batch]
            results.append(
                await client.contacts.bulk_create(book.id, rows, chunk_size=chunk, concurrency=4)
            )
            uploaded += batch
        stored = Counter(bench.emulator.store.contact_numbers())
        row = record(
            bench,
            "bulk upload",
            expected=len(uploaded),
            lost=sum(1 for n in uploaded if stored[n] == 0),
            duplicated=sum(count - 1 for count in stored.values() if count > 1),
        )

    assert (row.lost, row.duplicated) == (0, 0)
    assert set(stored) == set(uploaded)
    for result in results:
        assert result.is_complete
        assert (result.created, result.duplicates, result.invalid) == (size.contacts, (), ())
    if mix.token_ttl <= 2:
        assert row.tokens >= 1, "the run must outlive a token"
    if mix.faults.rate or mix.cut_rate:
        assert sum(row.faults.values()) + row.cuts > 0, "the mix must have injected faults"
