"""The client-wide throttle against a rate-limited server.

Run: ``python -m benchmarks.bench_throttle`` (about a minute). The emulator runs in its own
process, throttled at ``--rate`` requests per second per account (a token bucket with a burst
of ``rate``, answering 429 with ``Retry-After``, as DRF's throttles do).

Three measurements, each on a fresh client after the server's bucket has refilled:

1. **burst**: ``--tasks`` concurrent ``phonebooks.get`` on one client. Target: all complete
   with at most 30 429 answers in total (200 tasks at 20/s).
2. **steady**: ``--workers`` tasks calling ``phonebooks.get`` in a loop for ``--seconds``, a
   load above the allowed rate, right after a burst. Target: fewer than 2 % of the answers
   are 429s.
3. **per-request retries** (the baseline): the same burst with raw aiohttp, each request
   waiting out its own ``Retry-After`` and trying again, as a client without a shared
   throttle does.

Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import platform
import sys
import time
from typing import Any

import aiohttp

import alice_async

try:
    from ._harness import emulator_process
except ImportError:  # run as a script: python benchmarks/bench_throttle.py
    from _harness import emulator_process  # type: ignore[no-redef]


def _client(url: str, username: str, password: str) -> alice_async.AliceClient:
    return alice_async.AliceClient(url, username=username, password=password, max_retries=10)


async def _refill() -> None:
    """Wait until the server's bucket is full again (a burst of ``rate`` refills in 1 s)."""
    await asyncio.sleep(2.0)


async def seed(url: str, username: str, password: str) -> int:
    async with _client(url, username, password) as client:
        return (await client.phonebooks.create(name="bench-throttle")).id


async def burst(url: str, username: str, password: str, book: int, tasks: int) -> dict[str, Any]:
    async with _client(url, username, password) as client:
        await client.request("GET", "gateway/")  # log in first: get-token is not throttled
        started = time.perf_counter()
        books = await asyncio.gather(*(client.phonebooks.get(book) for _ in range(tasks)))
        wall = time.perf_counter() - started
        state = client.rate_limit_state
    assert all(b.id == book for b in books)
    return {
        "calls": tasks,
        "429s": state.throttled,
        "wall s": wall,
        "learnt rate /s": state.learned_rate,
        "paused s": state.total_paused,
    }


async def steady(
    url: str, username: str, password: str, book: int, workers: int, seconds: float, tasks: int
) -> dict[str, Any]:
    async with _client(url, username, password) as client:
        await asyncio.gather(*(client.phonebooks.get(book) for _ in range(tasks)))
        before = client.rate_limit_state.throttled
        before_requests = client.retries
        done = 0
        stop = time.monotonic() + seconds

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < stop:
                await client.phonebooks.get(book)
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        wall = time.perf_counter() - started
        state = client.rate_limit_state
        throttled = state.throttled - before
        retried = client.retries - before_requests
    answers = done + throttled
    return {
        "calls": done,
        "answers": answers,
        "429s": throttled,
        "429 share": f"{100 * throttled / max(answers, 1):.2f} %",
        "calls/s": done / wall,
        "retries": retried,
        "learnt rate /s": state.learned_rate,
    }


async def per_request_retries(
    url: str, username: str, password: str, book: int, tasks: int
) -> dict[str, Any]:
    """The baseline: every request meets the 429 on its own and waits its own Retry-After."""
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{url}get-token/", json={"username": username, "password": password}
        ) as resp:
            token = (await resp.json())["token"]
        headers = {"Authorization": f"Bearer {token}"}
        throttled = 0

        async def get() -> None:
            nonlocal throttled
            while True:
                async with session.get(f"{url}phonebook/{book}/", headers=headers) as resp:
                    await resp.read()
                    if resp.status != 429:
                        resp.raise_for_status()
                        return
                    throttled += 1
                    await asyncio.sleep(float(resp.headers.get("Retry-After", "1")))

        started = time.perf_counter()
        await asyncio.gather(*(get() for _ in range(tasks)))
        wall = time.perf_counter() - started
    return {"calls": tasks, "429s": throttled, "wall s": wall}


def table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    columns: list[str] = []
    for _, row in rows:
        columns += [c for c in row if c not in columns]
    lines = ["| variant | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for name, row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            cells.append(f"{value:.2f}" if isinstance(value, float) else str(value))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    with emulator_process("--throttle", str(args.rate)) as (url, username, password):
        book = await seed(url, username, password)
        await _refill()
        sdk_burst = await burst(url, username, password, book, args.tasks)
        await _refill()
        sdk_steady = await steady(
            url, username, password, book, args.workers, args.seconds, args.tasks
        )
        await _refill()
        baseline = await per_request_retries(url, username, password, book, args.tasks)
    print(
        f"\n{dt.date.today()}, Python {platform.python_version()} on {platform.machine()}; "
        f"emulator throttled at {args.rate:g}/s (burst {args.rate:g})\n"
    )
    print(f"### {args.tasks} concurrent `phonebooks.get`\n")
    rows = [("alice-sdk (client-wide throttle)", sdk_burst), ("per-request retries", baseline)]
    print(table(rows))
    print(
        f"\n### steady load: {args.workers} workers for {args.seconds:g} s after a burst of "
        f"{args.tasks}\n"
    )
    print(table([("alice-sdk", sdk_steady)]))
    share = sdk_steady["429s"] / max(sdk_steady["answers"], 1)
    ok = sdk_burst["429s"] <= 30 and share < 0.02
    print(f"\ntargets (burst <= 30 429s, steady < 2 %): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=20.0, help="server throttle, requests/s")
    parser.add_argument("--tasks", type=int, default=200, help="concurrent calls in the burst")
    parser.add_argument("--workers", type=int, default=50, help="tasks of the steady load")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the steady load")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
