"""Call-record pulls: alice-sdk (typed rows, dict mode, with and without orjson) against raw
aiohttp (following ``next``, and with concurrent pages), httpx and requests; and a streaming
CSV export of a million rows.

Run: ``python -m benchmarks.bench_cdr`` (about 5 minutes on 2 cores; ``--quick`` for a smoke
run). The emulator runs in its own process, seeded with call records before it serves (this
module's ``serve`` command: the emulator CLI has no seeding option), and each variant runs in
a fresh interpreter (``benchmarks._harness``), so CPU seconds and peak RSS are the client's
own. Prints Markdown tables; ``--write`` appends them to ``benchmarks/RESULTS.md``.

Targets: typed rows at most 1.5x raw aiohttp's client CPU per row, dict mode at most 0.6x
(with orjson), wall at least 0.95x the best raw aiohttp configuration at the same
concurrency, and a 1,000,000-row CSV export within 150 MB of peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks._harness import (
    EmulatorProcess,
    Measurement,
    Stopwatch,
    markdown_table,
    run_variant,
    served,
)

PREFETCH = 4
"""Pages in flight for the SDK and for raw aiohttp's concurrent variant."""

HERE = Path(__file__).resolve().parent


# -- the emulator process ------------------------------------------------------------------


async def _serve(rows: int) -> None:
    from alice_async.emulator import Emulator, EmulatorConfig

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        emu.seed_cdrs(rows, start=start, interval=dt.timedelta(milliseconds=250), seed=1)
        print(
            f"Alice emulator on {emu.url} (user {emu.username}, password {emu.password})",
            flush=True,
        )
        await stop.wait()


@contextlib.contextmanager
def seeded_emulator(rows: int) -> Iterator[EmulatorProcess]:
    """An emulator process holding ``rows`` call records (0.25 s apart from 2026-01-01)."""
    with served(["-m", "benchmarks.bench_cdr", "serve", "--rows", str(rows)]) as (match, _):
        yield EmulatorProcess(match[1], match[2], match[3])


# -- variants (each runs in its own interpreter) -------------------------------------------


def _check(params: dict[str, Any], rows: int) -> dict[str, Any]:
    if rows != params["rows"]:
        raise RuntimeError(f"pulled {rows} rows, expected {params['rows']}")
    return {"items": rows}


def _query(params: dict[str, Any]) -> dict[str, str]:
    return {"page_size": str(params["page_size"])} if params["page_size"] else {}


async def _aiohttp_token(session: Any, params: dict[str, Any]) -> dict[str, str]:
    credentials = {"username": params["username"], "password": params["password"]}
    async with session.post(params["url"] + "get-token/", json=credentials) as reply:
        return {"Authorization": f"Bearer {(await reply.json())['token']}"}


async def raw_aiohttp_next(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """aiohttp, following ``next``, ``resp.json()`` into dicts (the baseline)."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        headers = await _aiohttp_token(session, params)
        rows = 0
        with stopwatch:
            url: str | None = params["url"] + "cdr/"
            query: dict[str, str] | None = _query(params)
            while url is not None:
                async with session.get(url, params=query, headers=headers) as reply:
                    page = await reply.json()
                rows += len(page["results"])
                url, query = page["next"], None
    return _check(params, rows)


async def raw_aiohttp_concurrent(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """aiohttp, first page then ``prefetch`` pages in flight by number, yielded in order."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        headers = await _aiohttp_token(session, params)
        base = params["url"] + "cdr/"

        async def get(number: int) -> Any:
            query = {**_query(params), "page": str(number)}
            async with session.get(base, params=query, headers=headers) as reply:
                return await reply.json()

        rows = 0
        with stopwatch:
            first = await get(1)
            rows += len(first["results"])
            last = -(-first["count"] // len(first["results"]))
            tasks: dict[int, asyncio.Task[Any]] = {}
            scheduled = 1
            for number in range(2, last + 1):
                while scheduled < min(last, number + params["prefetch"] - 1):
                    scheduled += 1
                    tasks[scheduled] = asyncio.ensure_future(get(scheduled))
                page = await tasks.pop(number)
                for _row in page["results"]:
                    rows += 1
    return _check(params, rows)


async def httpx_next(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """httpx.AsyncClient following ``next``."""
    import httpx

    async with httpx.AsyncClient(timeout=120) as client:
        reply = await client.post(
            params["url"] + "get-token/",
            json={"username": params["username"], "password": params["password"]},
        )
        headers = {"Authorization": f"Bearer {reply.json()['token']}"}
        rows = 0
        with stopwatch:
            url: str | None = params["url"] + "cdr/"
            query: dict[str, str] | None = _query(params)
            while url is not None:
                page = (await client.get(url, params=query, headers=headers)).json()
                rows += len(page["results"])
                url, query = page["next"], None
    return _check(params, rows)


def requests_next(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """requests.Session following ``next``."""
    import requests

    with requests.Session() as session:
        reply = session.post(
            params["url"] + "get-token/",
            json={"username": params["username"], "password": params["password"]},
        )
        session.headers["Authorization"] = f"Bearer {reply.json()['token']}"
        rows = 0
        with stopwatch:
            url: str | None = params["url"] + "cdr/"
            query: dict[str, str] | None = _query(params)
            while url is not None:
                page = session.get(url, params=query, timeout=120).json()
                rows += len(page["results"])
                url, query = page["next"], None
    return _check(params, rows)


async def sdk_pull(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """alice-sdk ``client.cdr.list(...)``: typed rows or dicts, ``prefetch`` pages ahead."""
    if params.get("no_orjson"):
        os.environ["ALICE_NO_ORJSON"] = "1"
    from alice_async import AliceClient
    from alice_async._json import HAS_ORJSON

    if bool(params.get("no_orjson")) == HAS_ORJSON:
        raise RuntimeError("the JSON backend is not the one asked for")
    async with AliceClient(
        params["url"], username=params["username"], password=params["password"]
    ) as client:
        await client.gateways.list().first_page()  # the token, outside the measurement
        rows = 0
        with stopwatch:
            paginator = client.cdr.list(
                page_size=params["page_size"],
                prefetch=params["prefetch"],
                as_dicts=params["as_dicts"],
            )
            async for _row in paginator:
                rows += 1
    return _check(params, rows)


async def sdk_export(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """alice-sdk ``client.cdr.export(path, "csv")`` of every row."""
    from alice_async import AliceClient

    async with AliceClient(
        params["url"], username=params["username"], password=params["password"]
    ) as client:
        await client.gateways.list().first_page()
        with tempfile.TemporaryDirectory() as directory:
            target = Path(directory) / "calls.csv"
            with stopwatch:
                rows = await client.cdr.export(
                    target, params["format"], page_size=params["page_size"]
                )
            size_mb = target.stat().st_size / 1e6
    return {**_check(params, rows), "file_mb": round(size_mb, 1)}


# -- the run ---------------------------------------------------------------------------------


def _pull_variants(page_size: int | None) -> list[tuple[str, str, dict[str, Any]]]:
    here = "benchmarks.bench_cdr"
    sdk = {"page_size": page_size, "prefetch": PREFETCH, "as_dicts": False}
    return [
        ("raw aiohttp (next)", f"{here}:raw_aiohttp_next", {"page_size": page_size}),
        (
            f"raw aiohttp ({PREFETCH} pages in flight)",
            f"{here}:raw_aiohttp_concurrent",
            {"page_size": page_size, "prefetch": PREFETCH},
        ),
        ("httpx (next)", f"{here}:httpx_next", {"page_size": page_size}),
        ("requests (next)", f"{here}:requests_next", {"page_size": page_size}),
        ("SDK typed", f"{here}:sdk_pull", sdk),
        ("SDK typed, no orjson", f"{here}:sdk_pull", {**sdk, "no_orjson": True}),
        ("SDK dicts", f"{here}:sdk_pull", {**sdk, "as_dicts": True}),
        ("SDK dicts, no orjson", f"{here}:sdk_pull", {**sdk, "as_dicts": True, "no_orjson": True}),
        ("SDK typed, prefetch 0 (next)", f"{here}:sdk_pull", {**sdk, "prefetch": 0}),
    ]


def run_pulls(rows: int, page_size: int | None, repeat: int) -> list[Measurement]:
    """Every pull variant against one seeded emulator; each the best (wall) of ``repeat``.

    Rounds interleave the variants, so a burst of load from elsewhere on the machine does
    not land on one variant's every run.
    """
    best: dict[str, Measurement] = {}
    with seeded_emulator(rows) as emu:
        common = {"url": emu.url, "username": emu.username, "password": emu.password}
        for _ in range(repeat):
            for name, target, params in _pull_variants(page_size):
                measurement = run_variant(target, {**common, **params, "rows": rows}, name=name)
                print(f"  {name}: {measurement.wall:.2f} s", file=sys.stderr, flush=True)
                if name not in best or measurement.wall < best[name].wall:
                    best[name] = measurement
    return list(best.values())


def run_export(rows: int) -> Measurement:
    with seeded_emulator(rows) as emu:
        params = {
            "url": emu.url,
            "username": emu.username,
            "password": emu.password,
            "rows": rows,
            "page_size": 1000,
            "format": "csv",
        }
        return run_variant(
            "benchmarks.bench_cdr:sdk_export", params, name=f"SDK CSV export, {rows:,} rows"
        )


def targets(measurements: list[Measurement]) -> list[str]:
    """The issue's targets checked against one table's numbers."""
    by_name = {m.name: m for m in measurements}
    raw = by_name["raw aiohttp (next)"]
    concurrent = by_name[f"raw aiohttp ({PREFETCH} pages in flight)"]
    typed, dicts = by_name["SDK typed"], by_name["SDK dicts"]
    best_wall = min(raw.wall, concurrent.wall)
    return [
        f"- typed rows CPU/row: {typed.cpu_per_1000 / raw.cpu_per_1000:.2f}x raw aiohttp "
        "(target <= 1.5x)",
        f"- dict mode CPU/row (orjson): {dicts.cpu_per_1000 / raw.cpu_per_1000:.2f}x raw aiohttp "
        "(target <= 0.6x)",
        f"- SDK typed rows/s: {typed.rate / (typed.items / best_wall):.2f}x the best raw aiohttp "
        f"configuration (target >= 0.95x); dict mode {dicts.rate / (dicts.items / best_wall):.2f}x",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cdr")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run an emulator seeded with call records")
    serve.add_argument("--rows", type=int, required=True)
    parser.add_argument("--rows", type=int, default=200_000, help="rows at page_size=1000")
    parser.add_argument("--small-rows", type=int, default=20_000, help="rows at the default 10")
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant (best kept)")
    parser.add_argument("--quick", action="store_true", help="a smoke run on few rows")
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.command == "serve":
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(args.rows))
        return 0
    if args.quick:
        args.rows, args.small_rows, args.export_rows, args.repeat = 5_000, 1_000, 20_000, 1
    started = time.monotonic()
    sections = []
    for rows, page_size, label in (
        (args.rows, 1000, "page_size=1000"),
        (args.small_rows, None, "the server's default page size (10)"),
    ):
        print(f"pulling {rows:,} rows, {label}", file=sys.stderr, flush=True)
        measurements = run_pulls(rows, page_size, args.repeat)
        table = markdown_table(measurements, baseline="raw aiohttp (next)", unit="rows")
        sections.append(
            f"### {rows:,} rows, {label}, {PREFETCH} pages in flight where concurrent "
            f"(best wall of {args.repeat} runs per variant)\n\n"
            f"{table}\n\n" + "\n".join(targets(measurements))
        )
        print(sections[-1] + "\n", flush=True)
    print(f"exporting {args.export_rows:,} rows to CSV", file=sys.stderr, flush=True)
    export = run_export(args.export_rows)
    export_text = (
        f"### Streaming CSV export, {export.items:,} rows, page_size=1000\n\n"
        f"| variant | wall s | rows/s | client CPU per 1,000 | peak RSS MB | file MB |\n"
        f"|---|---:|---:|---:|---:|---:|\n"
        f"| {export.name} | {export.wall:.1f} | {export.rate:,.0f} "
        f"| {export.cpu_per_1000 * 1000:.2f} ms | {export.peak_rss_mb:.0f} "
        f"| {export.extra.get('file_mb', 0)} |\n\n"
        f"- peak RSS {export.peak_rss_mb:.0f} MB (target <= 150 MB)"
    )
    sections.append(export_text)
    print(export_text, flush=True)
    header = (
        f"`python -m benchmarks.bench_cdr` — {dt.date.today().isoformat()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; run took {time.monotonic() - started:.0f} s"
    )
    print(header)
    if args.write:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write("\n## Call records\n\n" + header + "\n\n" + "\n\n".join(sections) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
