"""Pipelines: ``cdr.sync`` into DuckDB against a plain dict pull, the cost of a second run,
and ``to_arrow()`` against the dict pull.

Run: ``python -m benchmarks.bench_pipelines`` (``--rows 1000000`` by default; ``--rows`` and
``--arrow-rows`` to shrink it). The emulator runs in its own process (this module's ``serve``
command: it seeds ``--rows`` call records one second apart ending an hour ago, and seeds
10,000 more after them when it receives SIGUSR1); each variant runs in a fresh interpreter
(``benchmarks._harness``), so CPU seconds and peak RSS are the client's own.

Targets (issue 14): sync rows/s ≥ 0.8x the dict pull, sync peak RSS ≤ 200 MB; a second run
after 10,000 new records reads at most those records plus the lateness window (2 h = 7,200
rows here); ``to_arrow()`` CPU per row ≤ 1.2x the dict pull.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks._harness import EmulatorProcess, Stopwatch, markdown_table, run_variant, served

NEW_ROWS = 10_000


async def _serve(rows: int) -> None:
    from alice_async.emulator import Emulator, EmulatorConfig

    stop = asyncio.Event()
    more = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, more.set)
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        end = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
        second = dt.timedelta(seconds=1)
        emu.seed_cdrs(rows, start=end - rows * second, interval=second, seed=1)
        print(f"Alice emulator on {emu.url} (user {emu.username}, password {emu.password})")
        print("ready", flush=True)
        while not stop.is_set():
            waiter = asyncio.ensure_future(more.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()
            if more.is_set():
                more.clear()
                emu.seed_cdrs(NEW_ROWS, start=end, interval=dt.timedelta(milliseconds=100), seed=2)
                print("seeded", flush=True)


@contextlib.contextmanager
def seeded_emulator(rows: int) -> Iterator[tuple[EmulatorProcess, subprocess.Popen[str]]]:
    argv = ["-m", "benchmarks.bench_pipelines", "serve", "--rows", str(rows)]
    with served(argv, stop_timeout=30) as (match, process):
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("the seeded emulator did not start")
        yield EmulatorProcess(match[1], match[2], match[3]), process


def _client(params: dict[str, Any]) -> Any:
    from alice_async import AliceClient

    return AliceClient(params["url"], username=params["username"], password=params["password"])


def _warm_up() -> dict[str, Any]:
    """Import pyarrow and DuckDB and run one conversion and one statement before the stopwatch:
    one-off costs (hundreds of ms of imports and kernel set-up) that a long pipeline pays once
    and that would otherwise dominate the smaller sizes. Returns the peak RSS they cost."""
    import random
    import resource

    import duckdb

    from alice_async._frames import arrow_table
    from alice_async.emulator._cdr import call_row
    from alice_async.models import Cdr

    # A row of the server's own shape: the path the measured pages take (a partial row would
    # take the model's route instead, which imports pandas through pyarrow.array).
    row = call_row(
        random.Random(1),
        id=1,
        starting_date="2026-03-01T00:00:00.000000Z",
        phone_number="0901234567",
        callerid="warm-up",
        campaign=None,
        subscriber=None,
    )
    arrow_table([row], Cdr)
    duckdb.connect().execute("SELECT 1").fetchall()
    return {"baseline_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


async def dict_pull(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    async with _client(params) as client:
        rows = 0
        with stopwatch:
            async for page in client.cdr.list(as_dicts=True, page_size=1000).pages():
                rows += len(page.items)
                if rows >= params["limit"]:
                    break
    return {"items": rows}


async def to_arrow(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    from alice_async._frames import arrow_table
    from alice_async.models import Cdr

    baseline = _warm_up()

    async with _client(params) as client:
        tables = []
        rows = 0
        with stopwatch:
            # .to_arrow() over the first `limit` rows: the same pages, converted per page.
            async for page in client.cdr.list(as_dicts=True, page_size=1000).pages():
                tables.append(arrow_table(page.items, Cdr))
                rows += len(page.items)
                if rows >= params["limit"]:
                    break
    return {"items": rows, **baseline}


async def sync_duckdb(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    from alice_async.sinks import DuckDB

    baseline = _warm_up()

    pages = 0

    def on_progress(written: int, skipped: int) -> None:
        nonlocal pages
        pages += 1

    async with _client(params) as client:
        with stopwatch:
            result = await client.cdr.sync(
                DuckDB(params["path"], table="cdr"), since=None, on_progress=on_progress
            )
    return {
        **baseline,
        "items": result.written + result.skipped,
        "written": result.written,
        "skipped": result.skipped,
        "pages": pages,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_pipelines")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve")
    serve.add_argument("--rows", type=int, required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--arrow-rows", type=int, default=200_000)
    args = parser.parse_args(argv)
    if args.command == "serve":
        asyncio.run(_serve(args.rows))
        return 0
    with tempfile.TemporaryDirectory() as tmp, seeded_emulator(args.rows) as (emu, process):
        common = {"url": emu.url, "username": emu.username, "password": emu.password}
        path = str(Path(tmp) / "calls.duckdb")
        pull = run_variant(
            "benchmarks.bench_pipelines:dict_pull",
            {**common, "limit": args.rows},
            name="cdr.list(as_dicts=True)",
        )
        first = run_variant(
            "benchmarks.bench_pipelines:sync_duckdb",
            {**common, "path": path},
            name="cdr.sync(DuckDB) first run",
        )
        process.send_signal(signal.SIGUSR1)
        assert process.stdout is not None
        if process.stdout.readline().strip() != "seeded":
            raise RuntimeError("the emulator did not seed the new records")
        second = run_variant(
            "benchmarks.bench_pipelines:sync_duckdb",
            {**common, "path": path},
            name=f"cdr.sync(DuckDB) after {NEW_ROWS:,} new",
        )
        arrow_pull = run_variant(
            "benchmarks.bench_pipelines:dict_pull",
            {**common, "limit": args.arrow_rows},
            name=f"dict pull of {args.arrow_rows:,}",
        )
        arrow = run_variant(
            "benchmarks.bench_pipelines:to_arrow",
            {**common, "limit": args.arrow_rows},
            name=f"to_arrow of {args.arrow_rows:,}",
        )
    print(f"## Pipelines ({args.rows:,} call records; emulator in its own process)\n")
    print(markdown_table([pull, first], baseline=pull.name, unit="rows"))
    print()
    print(markdown_table([arrow_pull, arrow], baseline=arrow_pull.name, unit="rows"))
    print()
    window = 7200 + 1
    print(
        f"Peak RSS with pyarrow and DuckDB loaded, before any row: "
        f"{first.extra['baseline_rss_mb']:.0f} MB."
    )
    print(
        f"Second run: read {second.items:,} rows in {second.extra['pages']} pages, wrote "
        f"{second.extra['written']:,} (new {NEW_ROWS:,} + lateness window ≤ {window:,} rows "
        f"= bound {NEW_ROWS + window:,})."
    )
    checks = [
        ("sync rows/s ≥ 0.8x dict pull", first.rate >= 0.8 * pull.rate),
        ("sync peak RSS ≤ 200 MB", first.peak_rss_mb <= 200),
        ("second run reads ≤ new + window", second.items <= NEW_ROWS + window),
        ("to_arrow CPU/row ≤ 1.2x dict pull", arrow.cpu_per_1000 <= 1.2 * arrow_pull.cpu_per_1000),
    ]
    for name, ok in checks:
        print(f"- {name}: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
