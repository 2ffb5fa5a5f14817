"""Speed to the ceiling (issue 15): the SDK's client CPU per item beside raw aiohttp+orjson.

Run: ``python -m benchmarks.bench_speed`` (2 to 3 minutes on 2 cores; ``--quick``: 20,000
rows, one repetition, well under a minute). ``--write`` appends the tables to
``benchmarks/RESULTS.md``; ``--only pull,export`` runs a subset (names below).

The server is not the emulator: it is a small aiohttp app (on uvloop when installed) in its
own process that answers from **pre-built** bytes (CDR pages of ``--page-size`` rows in the
DRF envelope with ``next`` links, a created contact, a bulk success), so what the client
spends is what shows. Every measurement runs in a fresh interpreter
(:mod:`benchmarks._harness`: ``getrusage`` of that process alone), each variant
``--repeat`` times, rounds interleaved; tables show medians.

Baselines ("raw"): aiohttp on asyncio with orjson, nothing on top, at the same concurrency
(8 pages or requests in flight): a CDR pull decoding pages into dicts, one ``POST contact/``
per call, bulk chunks pre-built, exports written with ``csv.writer`` / orjson lines /
``Table.from_pylist`` + ``write_table`` from the decoded dicts.

Measured workloads (``--only`` names): ``pull`` (typed and ``as_dicts``), ``create``,
``bulk``, ``export`` (CSV, JSON Lines, Parquet), ``sync`` (alice_sync beside alice_async).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks._harness import EmulatorProcess, Measurement, Stopwatch, run_variant, served

HERE = Path(__file__).resolve().parent
CONCURRENCY = 8
CONTACT = {
    "id": 1,
    "phonebook": 1,
    "contact": "0934890883",
    "status": 1,
    "email": "",
    "first_name": "Nguyễn Văn",
    "last_name": "An",
    "description": "",
    "additional_vars": {},
    "country": "VN",
    "created_date": "2026-01-01T00:00:00.000000Z",
    "updated_date": "2026-01-01T00:00:00.000000Z",
}


# -- the server (its own process) -----------------------------------------------------------


def _cdr_rows(count: int) -> list[dict[str, Any]]:
    from alice_async.emulator._cdr import call_row

    rng = random.Random(1)
    start = dt.datetime(2026, 1, 1)
    step = dt.timedelta(milliseconds=250)
    return [
        call_row(
            rng,
            id=i + 1,
            starting_date=(start + i * step).isoformat(timespec="microseconds") + "Z",
            phone_number=f"09{int(rng.random() * 10**8):08d}",
            callerid="bench-cdr",
            campaign=7,
            subscriber=None,
        )
        for i in range(count)
    ]


async def _serve(rows: int, page_size: int) -> None:
    import orjson
    from aiohttp import web

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    json_type = "application/json"
    pages: list[bytes] = []
    last_row = b""
    empty = orjson.dumps({"count": 0, "next": None, "previous": None, "results": []})
    contact = orjson.dumps(CONTACT)
    bulk_ok = orjson.dumps({"result": "Bulk contacts are created"})
    token = orjson.dumps({"token": "bench-token", "expires_in": 86400})
    phonebook = orjson.dumps({"id": 1, "name": "bench", "description": ""})

    async def get_token(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=token, content_type=json_type)

    async def cdr(request: web.Request) -> web.Response:
        page = request.query.get("page", "1")
        if page == "last":
            return web.Response(body=last_row, content_type=json_type)
        number = int(page)
        if not 1 <= number <= len(pages):
            return web.Response(status=404, body=b'{"detail":"Invalid page."}')
        return web.Response(body=pages[number - 1], content_type=json_type)

    async def contact_list(request: web.Request) -> web.Response:
        return web.Response(body=empty, content_type=json_type)

    async def contact_create(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=201, body=contact, content_type=json_type)

    async def bulk(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=bulk_ok, content_type=json_type)

    async def phonebook_create(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=201, body=phonebook, content_type=json_type)

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/get-token/", get_token)
    app.router.add_get("/cdr/", cdr)
    app.router.add_get("/contact/", contact_list)
    app.router.add_get("/gateway/", contact_list)
    app.router.add_post("/contact/", contact_create)
    app.router.add_post("/bulkcontact/", bulk)
    app.router.add_post("/phonebook/", phonebook_create)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}/"
    data = _cdr_rows(rows)
    total = -(-rows // page_size)
    for number in range(1, total + 1):
        following = f"{url}cdr/?page={number + 1}&page_size={page_size}" if number < total else None
        previous = f"{url}cdr/?page={number - 1}&page_size={page_size}" if number > 1 else None
        chunk = data[(number - 1) * page_size : number * page_size]
        pages.append(
            orjson.dumps({"count": rows, "next": following, "previous": previous, "results": chunk})
        )
    last_row = orjson.dumps({"count": rows, "next": None, "previous": None, "results": data[-1:]})
    del data
    print(f"Alice emulator on {url} (user bench, password bench)", flush=True)
    await stop.wait()
    await runner.cleanup()


@contextlib.contextmanager
def speed_server(rows: int, page_size: int) -> Iterator[EmulatorProcess]:
    """The pre-built-pages server in its own process, stopped when the block ends."""
    argv = ["-m", "benchmarks.bench_speed", "serve", "--rows", str(rows)]
    with served([*argv, "--page-size", str(page_size)]) as (match, _):
        yield EmulatorProcess(match[1], match[2], match[3])


# -- shared pieces of the variants ----------------------------------------------------------


def _sdk_client(params: dict[str, Any]) -> Any:
    from alice_async import AliceClient

    return AliceClient(params["url"], username=params["username"], password=params["password"])


def _sync_client(params: dict[str, Any]) -> Any:
    from alice_sync import AliceClient

    return AliceClient(params["url"], username=params["username"], password=params["password"])


async def _raw_session(params: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    import aiohttp
    import orjson

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY))
    credentials = {"username": params["username"], "password": params["password"]}
    async with session.post(params["url"] + "get-token/", json=credentials) as reply:
        token = orjson.loads(await reply.read())["token"]
    return session, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


async def _raw_pages(session: Any, headers: dict[str, str], params: dict[str, Any]) -> Any:
    """Decoded CDR pages in order, ``CONCURRENCY`` requests in flight (an async generator)."""
    import orjson

    base = params["url"] + "cdr/"
    size = str(params["page_size"])

    async def get(number: int) -> Any:
        query = {"page_size": size, "page": str(number)}
        async with session.get(base, params=query, headers=headers) as reply:
            return orjson.loads(await reply.read())

    first = await get(1)
    yield first["results"]
    last = -(-first["count"] // len(first["results"]))
    tasks: dict[int, asyncio.Task[Any]] = {}
    scheduled = 1
    for number in range(2, last + 1):
        while scheduled < min(last, number + CONCURRENCY - 1):
            scheduled += 1
            tasks[scheduled] = asyncio.ensure_future(get(scheduled))
        yield (await tasks.pop(number))["results"]


def _check_rows(params: dict[str, Any], rows: int) -> dict[str, Any]:
    if rows != params["rows"]:
        raise RuntimeError(f"got {rows} rows, expected {params['rows']}")
    return {"items": rows}


def _contact_inputs(count: int) -> list[dict[str, Any]]:
    return [
        {"contact": f"09{i:08d}", "first_name": "Nguyễn Văn", "last_name": f"An {i}", "status": 1}
        for i in range(count)
    ]


# -- variants: CDR pulls --------------------------------------------------------------------


async def raw_pull(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    session, headers = await _raw_session(params)
    rows = 0
    async with session:
        with stopwatch:
            async for page in _raw_pages(session, headers, params):
                for _row in page:
                    rows += 1
    return _check_rows(params, rows)


async def sdk_pull(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    async with _sdk_client(params) as client:
        await client.gateways.list().first_page()  # the token, outside the measurement
        rows = 0
        with stopwatch:
            paginator = client.cdr.list(page_size=params["page_size"], prefetch=CONCURRENCY)
            if params["as_dicts"]:
                paginator = paginator.as_dicts()
            async for _row in paginator:
                rows += 1
    return _check_rows(params, rows)


def sync_pull(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    with _sync_client(params) as client:
        client.gateways.list().first_page()
        rows = 0
        with stopwatch:
            for _row in client.cdr.list(page_size=params["page_size"], prefetch=CONCURRENCY):
                rows += 1
    return _check_rows(params, rows)


# -- variants: one contact at a time ---------------------------------------------------------


async def raw_create(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    import orjson

    session, headers = await _raw_session(params)
    url = params["url"] + "contact/"
    calls = params["calls"]
    async with session:

        async def worker(first: int) -> None:
            for i in range(first, calls, CONCURRENCY):
                body = {"phonebook": 1, "contact": f"09{i:08d}", "status": 1}
                async with session.post(url, data=orjson.dumps(body), headers=headers) as reply:
                    created = orjson.loads(await reply.read())
                if reply.status != 201 or created["id"] != 1:
                    raise RuntimeError(f"unexpected answer {reply.status}")

        with stopwatch:
            await asyncio.gather(*(worker(k) for k in range(CONCURRENCY)))
    return {"items": calls}


async def sdk_create(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    calls = params["calls"]
    async with _sdk_client(params) as client:
        await client.gateways.list().first_page()

        async def worker(first: int) -> None:
            for i in range(first, calls, CONCURRENCY):
                created = await client.contacts.create(
                    phonebook=1, contact=f"09{i:08d}", settle=params["settle"]
                )
                if created.id != 1:
                    raise RuntimeError(f"unexpected contact {created}")

        with stopwatch:
            await asyncio.gather(*(worker(k) for k in range(CONCURRENCY)))
    return {"items": calls}


async def async_latency(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Median wall time of one call through alice_async, calls one after another."""
    latencies = []
    async with _sdk_client(params) as client:
        await client.gateways.list().first_page()
        with stopwatch:
            for i in range(params["calls"]):
                started = time.perf_counter()
                if params["call"] == "create":
                    await client.contacts.create(phonebook=1, contact=f"09{i:08d}")
                else:
                    await client.contacts.list(page_size=1).first_page()
                latencies.append(time.perf_counter() - started)
    return {"items": params["calls"], "median_us": statistics.median(latencies) * 1e6}


def sync_latency(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Median wall time of one call through alice_sync, calls one after another."""
    latencies = []
    with _sync_client(params) as client:
        client.gateways.list().first_page()
        with stopwatch:
            for i in range(params["calls"]):
                started = time.perf_counter()
                if params["call"] == "create":
                    client.contacts.create(phonebook=1, contact=f"09{i:08d}")
                else:
                    client.contacts.list(page_size=1).first_page()
                latencies.append(time.perf_counter() - started)
    return {"items": params["calls"], "median_us": statistics.median(latencies) * 1e6}


# -- variants: bulk upload ------------------------------------------------------------------


async def raw_bulk(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    import orjson

    rows = _contact_inputs(params["contacts"])
    size = params["chunk_size"]
    bodies = [
        {"phonebook": 1, "contacts": rows[start : start + size]}
        for start in range(0, len(rows), size)
    ]
    session, headers = await _raw_session(params)
    url = params["url"] + "bulkcontact/"
    limit = asyncio.Semaphore(CONCURRENCY)
    async with session:

        async def send(body: dict[str, Any]) -> None:
            async with limit, session.post(url, data=orjson.dumps(body), headers=headers) as r:
                if "result" not in orjson.loads(await r.read()):
                    raise RuntimeError("bulkcontact/ refused a chunk")

        with stopwatch:
            await asyncio.gather(*(send(body) for body in bodies))
    return {"items": len(rows)}


async def sdk_bulk(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    rows = _contact_inputs(params["contacts"])
    async with _sdk_client(params) as client:
        await client.gateways.list().first_page()
        with stopwatch:
            result = await client.contacts.bulk_create(
                1, rows, chunk_size=params["chunk_size"], concurrency=CONCURRENCY
            )
    if result.created != len(rows):
        raise RuntimeError(f"unexpected result {result}")
    return {"items": result.created}


def sync_bulk(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    rows = _contact_inputs(params["contacts"])
    with _sync_client(params) as client:
        client.gateways.list().first_page()
        with stopwatch:
            result = client.contacts.bulk_create(
                1, rows, chunk_size=params["chunk_size"], concurrency=CONCURRENCY
            )
    if result.created != len(rows):
        raise RuntimeError(f"unexpected result {result}")
    return {"items": result.created}


# -- variants: exports ----------------------------------------------------------------------


async def raw_export(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    import csv
    import io
    import operator

    import orjson

    session, headers = await _raw_session(params)
    rows = 0
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / f"calls.{params['format']}"
        async with session:
            with stopwatch, target.open("wb") as file:
                pages = _raw_pages(session, headers, params)
                if params["format"] == "csv":
                    text = io.TextIOWrapper(file, encoding="utf-8", newline="", write_through=True)
                    writer = csv.writer(text)
                    values = None
                    async for page in pages:
                        if values is None:
                            names = list(page[0])
                            writer.writerow(names)
                            values = operator.itemgetter(*names)
                        writer.writerows(map(values, page))
                        rows += len(page)
                    text.flush()
                    text.detach()
                elif params["format"] == "jsonl":
                    dumps = orjson.dumps
                    async for page in pages:
                        file.write(b"".join([dumps(row) + b"\n" for row in page]))
                        rows += len(page)
                else:
                    import pyarrow as pa
                    import pyarrow.parquet as pq

                    writer_pq = None
                    group: list[dict[str, Any]] = []

                    def flush() -> None:
                        nonlocal writer_pq
                        table = pa.Table.from_pylist(group)
                        if writer_pq is None:
                            writer_pq = pq.ParquetWriter(file, table.schema, compression="zstd")
                        writer_pq.write_table(table, row_group_size=65_536)
                        group.clear()

                    async for page in pages:
                        group.extend(page)
                        rows += len(page)
                        if len(group) >= 65_536:
                            flush()
                    if group:
                        flush()
                    if writer_pq is not None:
                        writer_pq.close()
            size_mb = target.stat().st_size / 1e6
    return {**_check_rows(params, rows), "file_mb": round(size_mb, 1)}


async def sdk_export(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    async with _sdk_client(params) as client:
        await client.gateways.list().first_page()
        with tempfile.TemporaryDirectory() as directory:
            target = Path(directory) / f"calls.{params['format']}"
            with stopwatch:
                rows = await client.cdr.export(
                    target, params["format"], page_size=params["page_size"], prefetch=CONCURRENCY
                )
            size_mb = target.stat().st_size / 1e6
    return {**_check_rows(params, rows), "file_mb": round(size_mb, 1)}


# -- the run ----------------------------------------------------------------------------------


class Row:
    """One line of a table: a workload, its raw baseline and the SDK variant, and a goal."""

    def __init__(
        self,
        workload: str,
        unit: str,
        goal: float,
        raw: tuple[str, dict[str, Any]] | None,
        sdk: tuple[str, dict[str, Any]],
        *,
        group: str,
        rss_goal: float | None = None,
    ) -> None:
        self.workload = workload
        self.unit = unit
        self.goal = goal
        self.raw = raw
        self.sdk = sdk
        self.group = group
        self.rss_goal = rss_goal


def speed_rows(args: argparse.Namespace) -> list[Row]:
    here = "benchmarks.bench_speed"
    pull = {"rows": args.rows, "page_size": args.page_size}
    bulk = {"contacts": args.contacts, "chunk_size": 500}
    rows = [
        Row(
            f"CDR pull, {args.rows:,} rows, page {args.page_size}, typed `Cdr` rows",
            "row",
            1.8,
            (f"{here}:raw_pull", pull),
            (f"{here}:sdk_pull", {**pull, "as_dicts": False}),
            group="pull",
        ),
        Row(
            "CDR pull, `as_dicts()`",
            "row",
            1.1,
            (f"{here}:raw_pull", pull),
            (f"{here}:sdk_pull", {**pull, "as_dicts": True}),
            group="pull",
        ),
        Row(
            "single `contacts.create(settle=False)` (one POST, as raw)",
            "call",
            1.15,
            (f"{here}:raw_create", {"calls": args.calls}),
            (f"{here}:sdk_create", {"calls": args.calls, "settle": False}),
            group="create",
        ),
        Row(
            "single `contacts.create()` (default `settle=True`: a look-up GET, then the POST)",
            "call",
            0.0,
            (f"{here}:raw_create", {"calls": args.calls}),
            (f"{here}:sdk_create", {"calls": args.calls, "settle": True}),
            group="create",
        ),
        Row(
            f"bulk upload, {args.contacts:,} contacts, chunks of 500 (SDK validates every row)",
            "contact",
            2.5,
            (f"{here}:raw_bulk", bulk),
            (f"{here}:sdk_bulk", bulk),
            group="bulk",
        ),
    ]
    for fmt, label, goal in (
        ("csv", "CSV (raw: stdlib `csv.writer`)", 1.3),
        ("jsonl", "JSON Lines (raw: orjson lines)", 1.2),
        ("parquet", "Parquet (raw: `Table.from_pylist` + `write_table`)", 0.9),
    ):
        if fmt not in args.formats.split(","):
            continue
        export = {**pull, "format": fmt}
        rows.append(
            Row(
                f"`cdr.export` {args.rows:,} rows → {label}",
                "row", goal,
                (f"{here}:raw_export", export),
                (f"{here}:sdk_export", export),
                group="export",
                rss_goal=150.0 if fmt == "parquet" else None,
            )
        )  # fmt: skip
    return rows


def sync_rows(args: argparse.Namespace) -> list[Row]:
    here = "benchmarks.bench_speed"
    pull = {"rows": args.rows, "page_size": args.page_size}
    bulk = {"contacts": args.contacts, "chunk_size": 500}
    return [
        Row(
            f"extra wall time per call over `alice_async`, `contacts.create` "
            f"(median of {args.latency_calls:,})",
            "us", 100.0,
            (f"{here}:async_latency", {"calls": args.latency_calls, "call": "create"}),
            (f"{here}:sync_latency", {"calls": args.latency_calls, "call": "create"}),
            group="sync",
        ),
        Row(
            "extra per call, `contacts.list(page_size=1).first_page()`",
            "us", 100.0,
            (f"{here}:async_latency", {"calls": args.latency_calls, "call": "first_page"}),
            (f"{here}:sync_latency", {"calls": args.latency_calls, "call": "first_page"}),
            group="sync",
        ),
        Row(
            f"CDR pull rows/s, sync ÷ async, {args.rows:,} rows, {CONCURRENCY} pages ahead",
            "rate", 0.9,
            (f"{here}:sdk_pull", {**pull, "as_dicts": False}),
            (f"{here}:sync_pull", pull),
            group="sync",
        ),
        Row(
            f"bulk upload contacts/s, sync ÷ async, {args.contacts:,} contacts",
            "rate", 0.9,
            (f"{here}:sdk_bulk", bulk),
            (f"{here}:sync_bulk", bulk),
            group="sync",
        ),
    ]  # fmt: skip


def measure(
    rows: list[Row], args: argparse.Namespace, url: EmulatorProcess
) -> dict[tuple[str, str], list[Measurement]]:
    """Every distinct variant ``args.repeat`` times, rounds interleaved."""
    common = {"url": url.url, "username": url.username, "password": url.password}
    variants: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        for target, params in filter(None, (row.raw, row.sdk)):
            variants[(target, repr(sorted(params.items())))] = params
    results: dict[tuple[str, str], list[Measurement]] = {key: [] for key in variants}
    for round_number in range(args.repeat):
        for (target, key), params in variants.items():
            m = run_variant(target, {**common, **params}, name=target)
            results[(target, key)].append(m)
            print(
                f"  [{round_number + 1}/{args.repeat}] {target.split(':')[1]} {params}: "
                f"{m.wall:.2f} s wall, {m.cpu:.2f} s CPU",
                file=sys.stderr,
                flush=True,
            )
    return results


def _median(ms: list[Measurement], value: Any) -> float:
    return float(statistics.median(value(m) for m in ms))


def _lookup(
    results: dict[tuple[str, str], list[Measurement]], variant: tuple[str, dict[str, Any]]
) -> list[Measurement]:
    return results[(variant[0], repr(sorted(variant[1].items())))]


def speed_table(rows: list[Row], results: dict[tuple[str, str], list[Measurement]]) -> str:
    lines = [
        "| workload | raw aiohttp+orjson | alice_async | ratio | goal | met? "
        "| peak RSS SDK / raw |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        assert row.raw is not None
        raw, sdk = _lookup(results, row.raw), _lookup(results, row.sdk)
        raw_us = _median(raw, lambda m: 1e6 * m.cpu / m.items)
        sdk_us = _median(sdk, lambda m: 1e6 * m.cpu / m.items)
        ratio = sdk_us / raw_us
        sdk_rss = _median(sdk, lambda m: m.peak_rss_mb)
        raw_rss = _median(raw, lambda m: m.peak_rss_mb)
        if row.goal:
            cpu_met = ratio <= row.goal
            rss_met = row.rss_goal is None or sdk_rss <= row.rss_goal
            goal = f"≤ {row.goal}x" + (f", RSS ≤ {row.rss_goal:.0f} MB" if row.rss_goal else "")
            if cpu_met and rss_met:
                verdict = "met"
            elif cpu_met:
                verdict = "CPU met, **RSS missed**"
            else:
                verdict = "**missed**"
        else:
            goal, verdict = "(no goal: two requests)", "—"
        lines.append(
            f"| {row.workload} | {raw_us:.2f} µs/{row.unit} | {sdk_us:.2f} µs | {ratio:.2f}x "
            f"| {goal} | {verdict} | {sdk_rss:.0f} / {raw_rss:.0f} MB |"
        )
    return "\n".join(lines)


def sync_table(rows: list[Row], results: dict[tuple[str, str], list[Measurement]]) -> str:
    lines = [
        "| measure | alice_async | alice_sync | result | goal | met? |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        assert row.raw is not None
        base, sync = _lookup(results, row.raw), _lookup(results, row.sdk)
        if row.unit == "us":
            a = _median(base, lambda m: m.extra["median_us"])
            s = _median(sync, lambda m: m.extra["median_us"])
            extra = s - a
            lines.append(
                f"| {row.workload} | {a:.0f} µs | {s:.0f} µs | {extra:+.0f} µs "
                f"| ≤ +{row.goal:.0f} µs | {'met' if extra <= row.goal else '**missed**'} |"
            )
        else:
            a = _median(base, lambda m: m.rate)
            s = _median(sync, lambda m: m.rate)
            ratio = s / a
            lines.append(
                f"| {row.workload} | {a:,.0f}/s | {s:,.0f}/s | {ratio:.2f}x "
                f"| ≥ {row.goal}x | {'met' if ratio >= row.goal else '**missed**'} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_speed")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the pre-built-pages server")
    serve.add_argument("--rows", type=int, required=True)
    serve.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=4000, help="contacts.create calls (CPU)")
    parser.add_argument("--latency-calls", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="pull,create,bulk,export,sync")
    parser.add_argument(
        "--formats", default="csv,jsonl,parquet", help="export formats measured (--only export)"
    )
    parser.add_argument("--quick", action="store_true", help="20k rows, 1 repetition")
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.command == "serve":
        with contextlib.suppress(ImportError):
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(args.rows, args.page_size))
        return 0
    if args.quick:
        args.rows, args.contacts, args.calls, args.latency_calls, args.repeat = (
            20_000, 20_000, 1000, 300, 1
        )  # fmt: skip
    groups = set(args.only.split(","))
    started = time.monotonic()
    speed = [row for row in speed_rows(args) if row.group in groups]
    facade = sync_rows(args) if "sync" in groups else []
    with speed_server(args.rows, args.page_size) as server:
        results = measure([*speed, *facade], args, server)
    sections = []
    if speed:
        sections.append(
            "Client CPU per item (median of "
            f"{args.repeat}), concurrency {CONCURRENCY}:\n\n{speed_table(speed, results)}"
        )
    if facade:
        sections.append(
            f"The sync facade (median of {args.repeat}):\n\n{sync_table(facade, results)}"
        )
    command = "python -m benchmarks.bench_speed " + " ".join(sys.argv[1:] if argv is None else argv)
    header = (
        f"`{command.strip()}` — {dt.date.today().isoformat()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs (shared); run took {time.monotonic() - started:.0f} s"
    )
    text = header + "\n\n" + "\n\n".join(sections)
    print(text)
    if args.write:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as results_file:
            results_file.write("\n" + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
