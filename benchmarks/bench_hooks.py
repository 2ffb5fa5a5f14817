"""What hooks and OpenTelemetry cost per request, and what a client without them pays.

Run: ``python -m benchmarks.bench_hooks`` (about a minute; ``--calls``, ``--rounds``). The
emulator runs in its own process; each measurement is ``--calls`` sequential
``client.request("GET", "gateway/")`` on a logged-in client, in a fresh interpreter, timed with
the client process's CPU time. Variants, interleaved round after round so that drift on a
shared machine hits them alike:

- **no hooks**: the client as most people use it;
- **3 no-op hooks**: ``on_request``, ``on_response``, ``on_retry`` set to plain functions;
- **3 no-op async hooks**: the same as coroutine functions;
- **OpenTelemetry**: ``instrument(client)`` with an SDK ``TracerProvider`` whose processor
  drops the spans (the cost of making them, not of exporting them);
- **before hooks** (with ``--before PATH``): the SDK checked out at ``PATH`` (a commit without
  hooks), to show that a client without hooks pays nothing for their existence.

Prints a Markdown table: median CPU per call over the rounds, and its difference to "no hooks".
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
from typing import Any

try:
    from ._harness import Stopwatch, emulator_process, run_variant
except ImportError:  # run as a script: python benchmarks/bench_hooks.py
    from _harness import Stopwatch, emulator_process, run_variant  # type: ignore[no-redef]

VARIANTS = {
    "no hooks": "none",
    "3 no-op hooks": "sync",
    "3 no-op async hooks": "async",
    "OpenTelemetry (spans made, not exported)": "otel",
}


def _noop(event: object) -> None:
    return None


async def _anoop(event: object) -> None:
    return None


async def calls(params: dict[str, Any], stopwatch: Stopwatch) -> dict[str, Any]:
    """The measured variant: ``params["calls"]`` GETs on one logged-in client."""
    if params.get("sdk"):
        sys.path.insert(0, params["sdk"])  # the SDK to measure, before anything imports it
    import alice_async

    options: dict[str, Any] = {}
    if params["hooks"] in ("sync", "async"):
        hook = _noop if params["hooks"] == "sync" else _anoop
        options = {"on_request": hook, "on_response": hook, "on_retry": hook}
    url, username, password = params["url"], params["username"], params["password"]
    async with alice_async.AliceClient(
        url, username=username, password=password, **options
    ) as client:
        if params["hooks"] == "otel":
            from opentelemetry.sdk.trace import TracerProvider

            from alice_async.integrations.otel import instrument

            instrument(client, tracer_provider=TracerProvider())
        for _ in range(50):  # log in, open the connection, warm up
            await client.request("GET", "gateway/")
        with stopwatch:
            for _ in range(params["calls"]):
                await client.request("GET", "gateway/")
    return {"items": params["calls"], "sdk": alice_async.__file__}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", help="path of an SDK checkout without hooks, to compare")
    parser.add_argument(
        "--only",
        default="none,sync,async,otel",
        help="variants to run, of none,sync,async,otel (default: all; 'none' is always run)",
    )
    args = parser.parse_args(argv)
    chosen = {"none", *args.only.split(",")}
    variants = {name: key for name, key in VARIANTS.items() if key in chosen}
    if args.before:
        variants["before hooks (--before)"] = "before"
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    wall: dict[str, list[float]] = {name: [] for name in variants}
    with emulator_process() as emu:
        for _ in range(args.rounds):
            for name, hooks in variants.items():
                params = {
                    "url": emu.url,
                    "username": emu.username,
                    "password": emu.password,
                    "calls": args.calls,
                    "hooks": "none" if hooks == "before" else hooks,
                    "sdk": args.before if hooks == "before" else None,
                }
                m = run_variant("benchmarks.bench_hooks:calls", params, name=name)
                cpu[name].append(m.cpu / m.items * 1e6)
                wall[name].append(m.wall / m.items * 1e6)
    print(
        f"{dt.date.today()}, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}: {args.calls} calls x {args.rounds} rounds\n"
    )
    base = statistics.median(cpu["no hooks"])
    print("| variant | client CPU per call (median) | vs no hooks | wall per call (median) |")
    print("|---|---:|---:|---:|")
    for name in variants:
        med = statistics.median(cpu[name])
        print(
            f"| {name} | {med:.1f} µs | {med - base:+.1f} µs ({(med / base - 1) * 100:+.1f} %) "
            f"| {statistics.median(wall[name]):.0f} µs |"
        )
    print("\nCPU per call, every round:")
    for name in variants:
        print(f"- {name}: " + ", ".join(f"{v:.1f}" for v in cpu[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
