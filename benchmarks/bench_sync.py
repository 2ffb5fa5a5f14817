"""alice_sync's overhead over alice_async, side by side on a server of pre-built pages.

Run: ``python -m benchmarks.bench_sync`` (about 2 minutes; ``--reps 1`` for a smoke run). Prints
the issue-15 table of the sync facade: extra wall time per call (``contacts.create``,
``contacts.list(page_size=1).first_page()``, medians of 2,000 calls) and throughput ratios
(a CDR pull of typed rows and a bulk upload, both at concurrency 8).

The server (``python -m benchmarks.bench_sync serve``) answers from bytes built before it
serves: call records the emulator generated once (then the emulator is stopped), one contact,
one phonebook, an empty list for every other list, and "created" for every bulk chunk. So the
time measured is the client's own, not the server's. It runs in its own process; every
measurement runs in a fresh interpreter (``benchmarks._harness``), async and sync alternating,
``--reps`` times (3 by default), and the table shows the medians.

``python -m benchmarks.bench_sync pull --rounds 12`` runs only the CDR pull, 12 alternating
rounds in one process (less noise for that one ratio).
``python -m benchmarks.bench_sync round-trips`` measures one hand-over alone (a coroutine
that returns at once): an anyio portal, ``run_coroutine_threadsafe``, ``call_soon_threadsafe``
with an Event or a Lock, ``run_until_complete`` in the calling thread, and alice_sync's bridge.

Goals (issue 15): at most +100 µs per call over alice_async, at least 0.9x its rows/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import platform
import re
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from benchmarks._harness import Stopwatch, run_variant, served

CALLS = 2000
WARM_UP = 100
CDR_ROWS = 100_000
CDR_PAGE_SIZE = 1000
BULK_ROWS = 50_000
CHUNK_SIZE = 500
CONCURRENCY = 8
TOKEN = "bench-token"
BANNER = re.compile(r"pre-built page server on (\S+)")


# -- the server ------------------------------------------------------------------------------


async def _emulator_cdrs(rows: int) -> list[dict[str, Any]]:
    """``rows`` call records as the emulator writes them (generated once, then stopped)."""
    import aiohttp

    from alice_async.emulator import Emulator, EmulatorConfig

    async with Emulator(EmulatorConfig(dialer=False)) as emu:
        start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        emu.seed_cdrs(rows, start=start, interval=dt.timedelta(milliseconds=250), seed=1)
        credentials = {"username": emu.username, "password": emu.password}
        async with aiohttp.ClientSession() as session:
            async with session.post(emu.url + "get-token/", json=credentials) as reply:
                headers = {"Authorization": f"Bearer {(await reply.json())['token']}"}
            found: list[dict[str, Any]] = []
            page = 1
            while len(found) < rows:
                query = {"page": str(page), "page_size": str(CDR_PAGE_SIZE)}
                async with session.get(emu.url + "cdr/", params=query, headers=headers) as reply:
                    found += (await reply.json())["results"]
                page += 1
    return found


def _envelope(base: str, path: str, results: list[Any], count: int, page: int, size: int) -> bytes:
    import orjson

    pages = max(1, -(-count // size))
    link = f"{base}{path}?page_size={size}&page="
    return orjson.dumps(
        {
            "count": count,
            "next": f"{link}{page + 1}" if page < pages else None,
            "previous": f"{link}{page - 1}" if page > 1 else None,
            "results": results,
        }
    )


async def _serve(cdr_rows: int) -> None:
    from aiohttp import web

    rows = await _emulator_cdrs(cdr_rows)
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    contact = {
        "id": 1,
        "phonebook": 1,
        "contact": "0934890883",
        "status": 1,
        "email": None,
        "first_name": "Linh",
        "last_name": None,
        "description": None,
        "additional_vars": {},
        "country": "VN",
        "created_date": now,
        "updated_date": now,
    }
    phonebook = {"id": 1, "name": "bench", "description": "", "created_date": now}
    json_type = "application/json"
    app = web.Application(client_max_size=64 * 1024 * 1024)
    built: dict[str, bytes] = {}

    def answer(body: bytes, status: int = 200) -> web.Response:
        return web.Response(body=body, status=status, content_type=json_type)

    async def token(request: web.Request) -> web.Response:
        await request.read()
        return answer(b'{"token": "%s", "expires_in": 86400}' % TOKEN.encode())

    async def create(request: web.Request) -> web.Response:
        await request.read()
        return answer(built[request.match_info["path"]], 201)

    async def bulk(request: web.Request) -> web.Response:
        await request.read()
        return answer(b'{"result": "Bulk contacts are created"}')

    async def listing(request: web.Request) -> web.Response:
        path = request.match_info["path"]
        size = int(request.query.get("page_size", "10"))
        page_text = request.query.get("page", "1")
        if path == "cdr/":
            pages = -(-len(rows) // size)
            page = pages if page_text == "last" else int(page_text)
            key = f"cdr/{size}/{page}"
            if key not in built:
                chunk = rows[(page - 1) * size : page * size]
                built[key] = _envelope(base, path, chunk, len(rows), page, size)
            return answer(built[key])
        if path == "contact/" and size == 1:
            return answer(built["contact/1"])
        return answer(built["empty"])

    app.router.add_post("/rest-api/get-token/", token)
    app.router.add_post("/rest-api/bulkcontact/", bulk)
    app.router.add_post("/rest-api/{path:(contact|phonebook)/}", create)
    app.router.add_get("/rest-api/{path:.*}", listing)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}/rest-api/"
    import orjson

    built["contact/"] = orjson.dumps(contact)
    built["phonebook/"] = orjson.dumps(phonebook)
    built["contact/1"] = _envelope(base, "contact/", [contact], 1000, 1, 1)
    built["empty"] = _envelope(base, "", [], 0, 1, 10)
    for page in range(1, -(-len(rows) // CDR_PAGE_SIZE) + 1):  # warm the page cache
        chunk = rows[(page - 1) * CDR_PAGE_SIZE : page * CDR_PAGE_SIZE]
        built[f"cdr/{CDR_PAGE_SIZE}/{page}"] = _envelope(
            base, "cdr/", chunk, len(rows), page, CDR_PAGE_SIZE
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(f"pre-built page server on {base}", flush=True)
    await stop.wait()
    await runner.cleanup()


@contextlib.contextmanager
def server_process(cdr_rows: int) -> Iterator[str]:
    """The pre-built page server in its own process; yields its base URL."""
    argv = ["-m", "benchmarks.bench_sync", "serve", "--rows", str(cdr_rows)]
    with served(argv, banner=BANNER) as (match, _):
        yield match[1]


# -- variants (each runs in its own interpreter) ---------------------------------------------
#
# Each variant holds an alice_async client (driven by an event loop in the main thread) and an
# alice_sync client side by side and alternates between them in blocks, so that whatever else
# the machine does hits both alike.

BLOCKS = 20
ROUNDS = 6


class _Pair:
    """An async client on a loop of the main thread and a sync client, for one variant."""

    def __init__(self, params: dict[str, Any]) -> None:
        import alice_async
        import alice_sync

        self.loop = asyncio.new_event_loop()
        self.async_client = alice_async.AliceClient(params["url"], token=TOKEN)
        self.sync_client = alice_sync.AliceClient(params["url"], token=TOKEN)

    def close(self) -> None:
        self.sync_client.close()
        self.loop.run_until_complete(self.async_client.aclose())
        self.loop.close()


def _latencies(
    params: dict[str, Any],
    stopwatch: Stopwatch,
    async_call: Callable[[Any, int], Any],
    sync_call: Callable[[Any, int], Any],
) -> dict[str, Any]:
    pair = _Pair(params)
    samples: dict[str, list[float]] = {"async": [], "sync": []}
    per_block = CALLS // BLOCKS

    async def async_block(first: int, keep: bool) -> None:
        for n in range(first, first + per_block):
            started = time.perf_counter()
            await async_call(pair.async_client, n)
            if keep:
                samples["async"].append(time.perf_counter() - started)

    def sync_block(first: int, keep: bool) -> None:
        for n in range(first, first + per_block):
            started = time.perf_counter()
            sync_call(pair.sync_client, n)
            if keep:
                samples["sync"].append(time.perf_counter() - started)

    try:
        pair.loop.run_until_complete(async_block(0, keep=False))  # connect, warm up
        sync_block(0, keep=False)
        with stopwatch:
            for block in range(BLOCKS):
                pair.loop.run_until_complete(async_block(block * per_block, keep=True))
                sync_block(block * per_block, keep=True)
    finally:
        pair.close()
    return {
        "items": CALLS,
        "async": statistics.median(samples["async"]) * 1e6,
        "sync": statistics.median(samples["sync"]) * 1e6,
    }


def create(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Median µs of ``contacts.create``, each side."""

    async def async_call(client: Any, n: int) -> Any:
        return await client.contacts.create(phonebook=1, contact=f"09{n:08d}")

    def sync_call(client: Any, n: int) -> Any:
        return client.contacts.create(phonebook=1, contact=f"09{n:08d}")

    return _latencies(params, stopwatch, async_call, sync_call)


def first_page(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Median µs of ``contacts.list(page_size=1).first_page()``, each side."""

    async def async_call(client: Any, n: int) -> Any:
        return await client.contacts.list(page_size=1).first_page()

    def sync_call(client: Any, n: int) -> Any:
        return client.contacts.list(page_size=1).first_page()

    return _latencies(params, stopwatch, async_call, sync_call)


def _rates(
    params: dict[str, Any],
    stopwatch: Stopwatch,
    async_run: Callable[[Any], Any],
    sync_run: Callable[[Any], int],
) -> dict[str, Any]:
    pair = _Pair(params)
    rates: dict[str, list[float]] = {"async": [], "sync": []}
    rounds = int(params.get("rounds", ROUNDS))
    try:
        pair.loop.run_until_complete(pair.async_client.contacts.list(page_size=1).first_page())
        pair.sync_client.contacts.list(page_size=1).first_page()
        with stopwatch:
            for round_number in range(rounds):
                # Each side goes first every other round; neither pays for the other's garbage.
                sides = ["async", "sync"] if round_number % 2 == 0 else ["sync", "async"]
                for side in sides:
                    gc.collect()
                    started = time.perf_counter()
                    if side == "async":
                        items = pair.loop.run_until_complete(async_run(pair.async_client))
                    else:
                        items = sync_run(pair.sync_client)
                    rates[side].append(items / (time.perf_counter() - started))
    finally:
        pair.close()
    return {
        "items": 1,
        "async": statistics.median(rates["async"]),
        "sync": statistics.median(rates["sync"]),
    }


def cdr_pull(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Median rows/s of a typed CDR pull (prefetch 8), each side."""

    async def async_run(client: Any) -> int:
        count = 0
        async for _row in client.cdr.list(page_size=CDR_PAGE_SIZE, prefetch=CONCURRENCY):
            count += 1
        assert count == CDR_ROWS, count
        return count

    def sync_run(client: Any) -> int:
        count = 0
        for _row in client.cdr.list(page_size=CDR_PAGE_SIZE, prefetch=CONCURRENCY):
            count += 1
        assert count == CDR_ROWS, count
        return count

    return _rates(params, stopwatch, async_run, sync_run)


def bulk(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Median contacts/s of a bulk upload (concurrency 8), each side."""
    rows = [{"contact": f"09{n:08d}", "first_name": "Nguyễn Văn"} for n in range(BULK_ROWS)]

    async def async_run(client: Any) -> int:
        result = await client.contacts.bulk_create(
            1, rows, chunk_size=CHUNK_SIZE, concurrency=CONCURRENCY
        )
        return int(result.created)

    def sync_run(client: Any) -> int:
        result = client.contacts.bulk_create(
            1, rows, chunk_size=CHUNK_SIZE, concurrency=CONCURRENCY
        )
        return int(result.created)

    return _rates(params, stopwatch, async_run, sync_run)


# -- the cost of one hand-over, alone ---------------------------------------------------------

ROUND_TRIPS = 3000
HAND_OVERS = (
    "anyio BlockingPortal.call",
    "asyncio.run_coroutine_threadsafe + Future.result",
    "call_soon_threadsafe + threading.Event",
    "call_soon_threadsafe + threading.Lock",
    "loop.run_until_complete in the calling thread",
    "alice_sync Bridge.run (this thread runs the loop)",
)


def round_trip(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """Median µs of awaiting a coroutine that returns at once, through one hand-over."""
    import threading

    from anyio.from_thread import start_blocking_portal

    from alice_sync._bridge import Bridge

    async def nothing() -> int:
        return 1

    def through_lock(loop: asyncio.AbstractEventLoop) -> Callable[[], Any]:
        def call() -> Any:
            done = threading.Lock()
            done.acquire()
            box: list[Any] = []

            def start() -> None:
                def finish(task: asyncio.Task[int]) -> None:
                    box.append(task.result())
                    done.release()

                loop.create_task(nothing()).add_done_callback(finish)

            loop.call_soon_threadsafe(start)
            done.acquire()
            return box[0]

        return call

    def through_event(loop: asyncio.AbstractEventLoop) -> Callable[[], Any]:
        def call() -> Any:
            done = threading.Event()
            box: list[Any] = []

            def start() -> None:
                def finish(task: asyncio.Task[int]) -> None:
                    box.append(task.result())
                    done.set()

                loop.create_task(nothing()).add_done_callback(finish)

            loop.call_soon_threadsafe(start)
            done.wait()
            return box[0]

        return call

    def timed(call: Callable[[], Any]) -> float:
        samples = []
        for _ in range(ROUND_TRIPS):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples[100:]) * 1e6

    kind = params["kind"]
    with stopwatch:
        if kind in HAND_OVERS[:4]:
            with start_blocking_portal("asyncio") as portal:
                loop = portal.call(asyncio.get_running_loop)
                calls: dict[str, Callable[[], Any]] = {
                    HAND_OVERS[0]: lambda: portal.call(nothing),
                    HAND_OVERS[1]: lambda: asyncio.run_coroutine_threadsafe(
                        nothing(), loop
                    ).result(),
                    HAND_OVERS[2]: through_event(loop),
                    HAND_OVERS[3]: through_lock(loop),
                }
                median = timed(calls[kind])
        elif kind == HAND_OVERS[4]:
            own = asyncio.new_event_loop()
            median = timed(lambda: own.run_until_complete(nothing()))
            own.close()
        else:
            bridge = Bridge()
            median = timed(lambda: bridge.run(nothing))
            bridge.close()
    return {"items": ROUND_TRIPS, "median_us": median}


def round_trips(reps: int) -> str:
    """A table: each hand-over's median, fresh process per value, median of ``reps``."""
    lines = ["| hand-over | median µs per call |", "|---|---:|"]
    for kind in HAND_OVERS:
        values = [
            run_variant("benchmarks.bench_sync:round_trip", {"kind": kind}, name=kind).extra[
                "median_us"
            ]
            for _ in range(reps)
        ]
        lines.append(f"| {kind} | {statistics.median(values):.1f} |")
    return "\n".join(lines)


# -- the table ---------------------------------------------------------------------------------

MEASURES = ("create", "first_page", "cdr_pull", "bulk")


def measure(url: str, reps: int) -> dict[str, list[tuple[float, float]]]:
    """``{measure: [(async, sync) per fresh process]}``."""
    values: dict[str, list[tuple[float, float]]] = {kind: [] for kind in MEASURES}
    for _ in range(reps):
        for kind in MEASURES:
            target = f"benchmarks.bench_sync:{kind}"
            found = run_variant(target, {"url": url}, name=kind).extra
            values[kind].append((found["async"], found["sync"]))
    return values


def table(values: dict[str, list[tuple[float, float]]], reps: int) -> str:
    def medians(kind: str) -> tuple[float, float, float]:
        pairs = values[kind]
        a = statistics.median(p[0] for p in pairs)
        s = statistics.median(p[1] for p in pairs)
        if kind in ("create", "first_page"):
            return a, s, statistics.median(p[1] - p[0] for p in pairs)
        return a, s, statistics.median(p[1] / p[0] for p in pairs)

    lines = [
        "| measure | alice_async | alice_sync | sync minus async, or sync ÷ async | goal |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, label in (
        ("create", f"`contacts.create`, median of {CALLS:,} calls"),
        ("first_page", f"`contacts.list(page_size=1).first_page()`, median of {CALLS:,}"),
    ):
        a, s, d = medians(kind)
        lines.append(f"| {label} | {a:.0f} µs | {s:.0f} µs | {d:+.0f} µs | ≤ +100 µs |")
    for kind, label in (
        ("cdr_pull", f"CDR pull, {CDR_ROWS:,} typed rows, pages of {CDR_PAGE_SIZE}, prefetch 8"),
        ("bulk", f"bulk upload, {BULK_ROWS:,} contacts, chunks of {CHUNK_SIZE}, concurrency 8"),
    ):
        a, s, r = medians(kind)
        lines.append(f"| {label} | {a:,.0f}/s | {s:,.0f}/s | {r:.2f}x | ≥ 0.90x |")
    lines += ["", f"Medians over {reps} fresh processes (async, sync in each):", ""]
    for kind, pairs in values.items():
        lines.append(f"- {kind}: " + ", ".join(f"({a:,.0f}, {s:,.0f})" for a, s in pairs))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_sync")
    parser.add_argument(
        "command", nargs="?", choices=["run", "pull", "round-trips", "serve"], default="run"
    )
    parser.add_argument("--rounds", type=int, default=12, help="pull: rounds in one process")
    parser.add_argument("--rows", type=int, default=CDR_ROWS, help=argparse.SUPPRESS)
    parser.add_argument("--reps", type=int, default=3, help="fresh processes per cell")
    args = parser.parse_args(argv)
    if args.command == "serve":
        asyncio.run(_serve(args.rows))
        return 0
    if args.command == "pull":
        with server_process(CDR_ROWS) as url:
            found = run_variant(
                "benchmarks.bench_sync:cdr_pull", {"url": url, "rounds": args.rounds}, name="pull"
            ).extra
        print(f"Command: `python -m benchmarks.bench_sync pull --rounds {args.rounds}`\n")
        print(
            f"CDR pull, {CDR_ROWS:,} typed rows, {args.rounds} alternating rounds in one "
            f"process: alice_async {found['async']:,.0f}/s, alice_sync {found['sync']:,.0f}/s, "
            f"{found['sync'] / found['async']:.2f}x"
        )
        return 0
    if args.command == "round-trips":
        print(f"Command: `python -m benchmarks.bench_sync round-trips --reps {args.reps}`\n")
        print(round_trips(args.reps))
        return 0
    with server_process(CDR_ROWS) as url:
        values = measure(url, args.reps)
    print(f"# alice_sync vs alice_async ({dt.date.today().isoformat()})\n")
    print(f"Command: `python -m benchmarks.bench_sync --reps {args.reps}`  ")
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}\n")
    print(table(values, args.reps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
