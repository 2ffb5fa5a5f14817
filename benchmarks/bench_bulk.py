"""Bulk contact upload: the SDK against raw aiohttp, httpx and a ``requests`` loop.

Run: ``python -m benchmarks.bench_bulk`` (options: ``--contacts``, ``--chunk-size``,
``--concurrency``, ``--latency-request``, ``--latency-item``, ``--csv-contacts``). Every variant
gets a fresh emulator process and runs in its own interpreter (see :mod:`benchmarks._harness`);
all start from the same pre-built list of contact dicts (the raw clients also get their request
payloads pre-built: no validation, no de-duplication) and log in before the clock starts.
``--csv-contacts N`` adds a run of the SDK streaming N contacts from a generated CSV file (in a
temporary directory, deleted afterwards) to check peak memory. Prints a Markdown table.

``--reimport`` measures instead how long importing ``--contacts`` numbers that are all in the
account already takes against importing them fresh (one emulator, latency model as given;
target: at most 3x with ``--latency-request 0.03``), with and without a region.
``--readers N`` measures the CPU per row of the file readers against ``csv.reader`` alone on a
generated N-row file (no server involved).

Targets: SDK client CPU per contact <= 3x raw aiohttp (validation included); SDK wall
>= 0.95x raw aiohttp's throughput when the emulator's latency model makes the server the
bottleneck; >= 10x the ``requests`` loop under that model; 1,000,000 contacts from a CSV with
peak RSS <= 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import platform
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._harness import Measurement, Stopwatch, emulator_process, markdown_table, run_variant

BASELINE = "raw aiohttp"
VARIANTS = {
    "alice-sdk": "benchmarks.bench_bulk:sdk_upload",
    BASELINE: "benchmarks.bench_bulk:aiohttp_upload",
    "httpx": "benchmarks.bench_bulk:httpx_upload",
    "requests (sequential)": "benchmarks.bench_bulk:requests_upload",
}


def contact_rows(count: int) -> list[dict[str, Any]]:
    """The input every variant uploads: API-shaped contact dicts with Vietnamese names."""
    return [
        {"contact": f"09{i:08d}", "first_name": "Nguyễn Văn", "last_name": f"An {i}", "status": 1}
        for i in range(count)
    ]


def payloads(book: int, rows: list[dict[str, Any]], chunk_size: int) -> list[dict[str, Any]]:
    return [
        {"phonebook": book, "contacts": rows[start : start + chunk_size]}
        for start in range(0, len(rows), chunk_size)
    ]


def _check(body: Any) -> None:
    if not isinstance(body, dict) or "result" not in body:
        raise RuntimeError(f"bulkcontact/ refused a chunk: {body!r}")


# -- variants (each runs in its own subprocess) ---------------------------------------------


async def sdk_upload(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    from alice_async import AliceClient, read_contacts_csv

    csv_path = params.get("csv")
    rows: Any = read_contacts_csv(csv_path) if csv_path else contact_rows(params["contacts"])
    async with AliceClient(
        params["url"], username=params["username"], password=params["password"]
    ) as client:
        book = await client.phonebooks.create(name="bench")
        with stopwatch:
            result = await client.contacts.bulk_create(
                book.id,
                rows,
                chunk_size=params["chunk_size"],
                concurrency=params["concurrency"],
            )
    if result.created != params["contacts"] or not result.is_complete:
        raise RuntimeError(f"unexpected result {result}")
    return {"items": result.created, "requests": result.requests}


async def aiohttp_upload(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    import aiohttp
    import orjson

    url = params["url"]
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=params["concurrency"])
    ) as session:
        async with session.post(
            url + "get-token/",
            json={"username": params["username"], "password": params["password"]},
        ) as reply:
            token = (await reply.json())["token"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        async with session.post(
            url + "phonebook/", data=orjson.dumps({"name": "bench"}), headers=headers
        ) as reply:
            book = (await reply.json())["id"]
        bodies = payloads(book, contact_rows(params["contacts"]), params["chunk_size"])
        limit = asyncio.Semaphore(params["concurrency"])

        async def send(body: dict[str, Any]) -> None:
            async with (
                limit,
                session.post(url + "bulkcontact/", data=orjson.dumps(body), headers=headers) as r,
            ):
                _check(orjson.loads(await r.read()))

        with stopwatch:
            await asyncio.gather(*(send(body) for body in bodies))
    return {"items": params["contacts"], "requests": len(bodies)}


async def httpx_upload(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    import httpx

    url = params["url"]
    limits = httpx.Limits(max_connections=params["concurrency"])
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        reply = await client.post(
            url + "get-token/",
            json={"username": params["username"], "password": params["password"]},
        )
        headers = {"Authorization": f"Bearer {reply.json()['token']}"}
        book = await client.post(url + "phonebook/", json={"name": "bench"}, headers=headers)
        bodies = payloads(book.json()["id"], contact_rows(params["contacts"]), params["chunk_size"])
        limit = asyncio.Semaphore(params["concurrency"])

        async def send(body: dict[str, Any]) -> None:
            async with limit:
                response = await client.post(url + "bulkcontact/", json=body, headers=headers)
                _check(response.json())

        with stopwatch:
            await asyncio.gather(*(send(body) for body in bodies))
    return {"items": params["contacts"], "requests": len(bodies)}


def requests_upload(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    import requests

    url = params["url"]
    with requests.Session() as session:
        reply = session.post(
            url + "get-token/",
            json={"username": params["username"], "password": params["password"]},
        )
        session.headers["Authorization"] = f"Bearer {reply.json()['token']}"
        book = session.post(url + "phonebook/", json={"name": "bench"}).json()["id"]
        bodies = payloads(book, contact_rows(params["contacts"]), params["chunk_size"])
        with stopwatch:
            for body in bodies:
                _check(session.post(url + "bulkcontact/", json=body, timeout=120).json())
    return {"items": params["contacts"], "requests": len(bodies)}


async def sdk_reimport(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Import the rows fresh (timed by hand), then again into another phonebook (stopwatch)."""
    import time

    from alice_async import AliceClient

    rows = contact_rows(params["contacts"])
    options = {
        "chunk_size": params["chunk_size"],
        "concurrency": params["concurrency"],
        "region": params["region"],
    }
    async with AliceClient(
        params["url"], username=params["username"], password=params["password"]
    ) as client:
        first = await client.phonebooks.create(name="fresh")
        started = time.perf_counter()
        fresh = await client.contacts.bulk_create(first.id, rows, **options)
        fresh_s = time.perf_counter() - started
        second = await client.phonebooks.create(name="again")
        with stopwatch:
            again = await client.contacts.bulk_create(second.id, rows, **options)
    if fresh.created != len(rows) or len(again.duplicates) != len(rows):
        raise RuntimeError(f"unexpected results {fresh} / {again}")
    return {
        "items": len(rows),
        "fresh_s": fresh_s,
        "fresh_requests": fresh.requests,
        "again_requests": again.requests,
        "again_lookups": again.lookups,
    }


def measure_reimport(args: argparse.Namespace) -> list[str]:
    lines = [
        "| region | fresh import s | re-import s | ratio | requests fresh / re-import "
        "| lookups (re-import) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for region in ("VN", None):
        with emulator_process(
            "--latency-request", str(args.latency_request),
            "--latency-item", str(args.latency_item),
        ) as emu:  # fmt: skip
            params = {
                "contacts": args.contacts,
                "chunk_size": args.chunk_size,
                "concurrency": args.concurrency,
                "region": region,
                "url": emu.url,
                "username": emu.username,
                "password": emu.password,
            }
            m = run_variant("benchmarks.bench_bulk:sdk_reimport", params, name=str(region))
        fresh = float(m.extra["fresh_s"])
        lines.append(
            f"| {region} | {fresh:.2f} | {m.wall:.2f} | {m.wall / fresh:.2f}x "
            f"| {m.extra['fresh_requests']} / {m.extra['again_requests']} "
            f"| {m.extra['again_lookups']} |"
        )
    return lines


def measure_readers(rows: int) -> list[str]:
    """CPU per row: ``csv.reader`` alone, then the SDK's readers, on the same file."""
    import time

    from alice_async import read_contacts, read_contacts_csv

    def cpu(function: Any) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            count = function()
            best = min(best, time.process_time() - started)
        assert count == rows, count
        return best / rows * 1e6

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "contacts.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["contact", "first_name", "last_name", "email"])
            for i in range(rows):
                writer.writerow([f"09{i:08d}", "Nguyễn Văn", f"An {i}", f"an{i}@example.vn"])

        def plain() -> int:
            with path.open(encoding="utf-8-sig", newline="") as file:
                reader = csv.reader(file)
                next(reader)
                return sum(1 for _ in reader)

        base = cpu(plain)
        timed = {
            "`csv.reader` alone": base,
            "`read_contacts_csv`": cpu(lambda: sum(1 for _ in read_contacts_csv(path))),
            "`read_contacts` (delimiter and encoding detected)": cpu(
                lambda: sum(1 for _ in read_contacts(path))
            ),
        }
    lines = ["| reader | CPU µs / row | vs `csv.reader` |", "|---|---:|---:|"]
    lines += [f"| {name} | {value:.2f} | {value / base:.2f}x |" for name, value in timed.items()]
    return lines


# -- driver ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_bulk")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency-request", type=float, default=0.0)
    parser.add_argument("--latency-item", type=float, default=0.0)
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help="comma-separated, from: " + ", ".join(VARIANTS),
    )
    parser.add_argument(
        "--csv-contacts", type=int, default=0, help="also stream N contacts from a CSV (SDK)"
    )
    parser.add_argument(
        "--reimport", action="store_true", help="re-import vs fresh import time (SDK only)"
    )
    parser.add_argument("--readers", type=int, default=0, help="reader CPU per row on N rows")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace) -> list[Measurement]:
    latency = [
        "--latency-request",
        str(args.latency_request),
        "--latency-item",
        str(args.latency_item),
    ]
    common = {
        "contacts": args.contacts,
        "chunk_size": args.chunk_size,
        "concurrency": args.concurrency,
    }
    results = []
    for name in args.variants.split(","):
        with emulator_process(*latency) as emu:
            params = {**common, "url": emu.url, "username": emu.username, "password": emu.password}
            results.append(run_variant(VARIANTS[name], params, name=name))
    return results


def measure_csv(args: argparse.Namespace) -> Measurement:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "contacts.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["contact", "first_name", "last_name"])
            for i in range(args.csv_contacts):
                writer.writerow([f"0{i:09d}", "Nguyễn Văn", f"An {i}"])
        with emulator_process() as emu:
            params = {
                "contacts": args.csv_contacts,
                "chunk_size": args.chunk_size,
                "concurrency": args.concurrency,
                "url": emu.url,
                "username": emu.username,
                "password": emu.password,
                "csv": str(path),
            }
            return run_variant(
                VARIANTS["alice-sdk"], params, name=f"alice-sdk, {args.csv_contacts:,} from CSV"
            )


def main(argv: Sequence[str] | None = None) -> str:
    args = parse_args(argv)
    command = "python -m benchmarks.bench_bulk " + " ".join(sys.argv[1:] if argv is None else argv)
    header = (
        f"{args.contacts:,} contacts, chunk {args.chunk_size}, concurrency {args.concurrency}, "
        f"emulator latency {args.latency_request}s/request + {args.latency_item}s/contact"
    )
    stamp = (
        f"`{command.strip()}` — {dt.date.today().isoformat()}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}"
    )
    if args.readers or args.reimport:
        text = []
        if args.reimport:
            text += [f"### Re-import: {header}", "", stamp, "", *measure_reimport(args), ""]
        if args.readers:
            text += [
                f"### Readers: {args.readers:,} rows",
                "",
                stamp,
                "",
                *measure_readers(args.readers),
            ]
        output = "\n".join(text)
        print(output)
        return output
    results = measure(args)
    text = [
        f"### {header}",
        "",
        f"`{command.strip()}` — {dt.date.today().isoformat()}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}",
        "",
        markdown_table(results, baseline=BASELINE),
    ]
    if args.csv_contacts:
        big = measure_csv(args)
        text += [
            "",
            f"Streaming from CSV: {big.items:,} contacts in {big.wall:.1f} s "
            f"({big.rate:,.0f}/s), client CPU {big.cpu:.1f} s, peak RSS {big.peak_rss_mb:.0f} MB",
        ]
    output = "\n".join(text)
    print(output)
    return output


if __name__ == "__main__":
    main()
