"""What per-call options cost: sequential ``contacts.get`` calls, without and with them.

Run: ``python -m benchmarks.bench_options`` (about 30 s). The emulator runs in its own
process; the client's CPU time (``getrusage`` of this process) and wall time are measured over
``--calls`` sequential calls, ``--rounds`` times per variant, variants interleaved; the table
shows the median round. To compare with an older checkout, run the same file from there
(``cd old && python /path/to/bench_options.py``): variants that checkout lacks are skipped.

Variants: ``plain`` (no per-call option: the cost every call pays), ``extra_headers`` (one
header per call: a client copy per call) and ``with_options`` (a copy made once, reused).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import platform
import statistics
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import alice_async

try:
    from ._harness import Stopwatch, emulator_process
except ImportError:  # run as a script: python benchmarks/bench_options.py
    from _harness import Stopwatch, emulator_process  # type: ignore[no-redef]

Call = Callable[[alice_async.AliceClient, int], Awaitable[Any]]


async def plain(client: alice_async.AliceClient, contact_id: int) -> Any:
    return await client.contacts.get(contact_id)


async def extra_headers(client: alice_async.AliceClient, contact_id: int) -> Any:
    return await client.contacts.get(contact_id, extra_headers={"X-Trace": "bench"})


def variants() -> dict[str, Call]:
    found: dict[str, Call] = {"plain": plain}
    if "extra_headers" in inspect.signature(alice_async.AliceClient.request).parameters:
        found["extra_headers"] = extra_headers
    return found


async def measure(
    url: str, username: str, password: str, calls: int, rounds: int, plain_only: bool
) -> None:
    async with alice_async.AliceClient(url, username=username, password=password) as client:
        book = await client.phonebooks.create(name="bench")
        contact = await client.contacts.create(phonebook=book.id, contact="0934890883")
        patient: alice_async.AliceClient | None = None
        if hasattr(client, "with_options") and not plain_only:
            patient = client.with_options(max_retries=5)
        cases = {"plain": plain} if plain_only else variants()
        for _ in range(50):  # warm up the pool, the token and the code paths
            for call in cases.values():
                await call(client, contact.id)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        if patient is not None:
            results["with_options (copy reused)"] = []
        for _ in range(rounds):
            for name, call in cases.items():
                with Stopwatch() as watch:
                    for _ in range(calls):
                        await call(client, contact.id)
                results[name].append((watch.cpu, watch.wall))
            if patient is not None:
                with Stopwatch() as watch:
                    for _ in range(calls):
                        await plain(patient, contact.id)
                results["with_options (copy reused)"].append((watch.cpu, watch.wall))
    print(f"alice_async from {alice_async.__file__}")
    print(f"{calls} sequential contacts.get per round, {rounds} rounds: median and best round")
    print(f"Python {platform.python_version()} on {platform.machine()}\n")
    print("| variant | client CPU per call (median) | (best) | wall per call (median) |")
    print("|---|---:|---:|---:|")
    for name, rows in results.items():
        cpu = statistics.median(r[0] for r in rows) / calls * 1e6
        best = min(r[0] for r in rows) / calls * 1e6
        wall = statistics.median(r[1] for r in rows) / calls * 1e6
        print(f"| {name} | {cpu:.0f} µs | {best:.0f} µs | {wall:.0f} µs |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--plain-only", action="store_true", help="only calls without options")
    args = parser.parse_args(argv)
    with emulator_process() as (url, username, password):
        asyncio.run(measure(url, username, password, args.calls, args.rounds, args.plain_only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
