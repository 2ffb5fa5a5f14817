"""A sync run in its own process, for the crash tests to SIGKILL: ``python -m
tests.sinks._child URL USER PASSWORD duckdb|parquet PATH``. Prints one line per page read."""

from __future__ import annotations

import asyncio
import sys

from alice_async import AliceClient, RetryPolicy
from alice_async.sinks import Destination, DuckDB, ParquetDataset


def destination(kind: str, path: str) -> Destination:
    return DuckDB(path, table="cdr") if kind == "duckdb" else ParquetDataset(path)


async def main(url: str, user: str, password: str, kind: str, path: str) -> None:
    policy = RetryPolicy(initial_delay=0.005, max_delay=0.05, max_retry_after=0.1)
    async with AliceClient(
        url, username=user, password=password, retry_policy=policy, max_retries=20
    ) as client:
        result = await client.cdr.sync(
            destination(kind, path),
            since=None,
            commit_every=700,
            on_progress=lambda written, skipped: print(f"page {written} {skipped}", flush=True),
        )
    print(f"done {result.written} {result.skipped}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
