"""Shared benchmark machinery: an emulator process, variants measured in subprocesses, tables.

Why subprocesses: the client's CPU time and peak RSS must be its own. The emulator runs in a
separate process (``python -m alice_async.emulator --port 0``), so it neither shares the event
loop nor the GIL with the client under test; and each measured variant runs in a fresh
interpreter, so ``resource.getrusage(RUSAGE_SELF)`` and ``ru_maxrss`` describe that variant
alone and nothing a previous variant allocated.

A variant is a function ``variant(params: dict, stopwatch: Stopwatch) -> dict`` (or an async
one) in an importable module. It prepares what it needs (untimed), then runs the measured part
inside ``with stopwatch:``, and returns extra numbers for the table (e.g. ``{"items": n}``).

Example::

    with emulator_process("--latency-request", "0.01") as emu:
        m = run_variant("benchmarks.bench_bulk:sdk_upload", {"url": emu.url, ...}, name="SDK")
    print(markdown_table([m, ...], baseline="raw aiohttp"))
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, NamedTuple

__all__ = [
    "EmulatorProcess",
    "Measurement",
    "Stopwatch",
    "emulator_process",
    "markdown_table",
    "run_variant",
    "served",
]

BANNER = re.compile(r"Alice emulator on (\S+) \(user (\S+), password (\S+)\)")


class EmulatorProcess(NamedTuple):
    """A running emulator: unpacks as ``url, username, password``."""

    url: str
    username: str
    password: str


@contextmanager
def served(
    argv: Sequence[str],
    *,
    banner: re.Pattern[str] = BANNER,
    startup_timeout: float = 30.0,
    stop_timeout: float = 20.0,
) -> Iterator[tuple[re.Match[str], subprocess.Popen[str]]]:
    """Run ``python *argv`` (a server), read its output until ``banner`` matches, and yield
    the match and the process. The process is stopped with SIGINT (then killed if it
    lingers) when the block ends."""
    process = subprocess.Popen([sys.executable, *argv], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + startup_timeout
        match = None
        while match is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            match = banner.search(line)
        if match is None:
            raise RuntimeError(f"{' '.join(argv)} did not print its URL")
        yield match, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@contextmanager
def emulator_process(*args: str, startup_timeout: float = 30.0) -> Iterator[EmulatorProcess]:
    """Run ``python -m alice_async.emulator --port 0 *args`` and yield its URL and account.

    The process is stopped with SIGINT (then killed if it lingers) when the block ends.
    """
    argv = ["-m", "alice_async.emulator", "--port", "0", *args]
    with served(argv, startup_timeout=startup_timeout, stop_timeout=10) as (match, _):
        yield EmulatorProcess(match[1], match[2], match[3])


class Stopwatch:
    """Measures wall time and this process's CPU time over the ``with`` block (once)."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0
        self._wall0 = 0.0
        self._cpu0 = 0.0

    @staticmethod
    def _cpu_now() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def __enter__(self) -> Stopwatch:
        self._cpu0 = self._cpu_now()
        self._wall0 = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.wall = time.perf_counter() - self._wall0
        self.cpu = self._cpu_now() - self._cpu0


class Measurement(NamedTuple):
    """One variant's numbers; ``items`` is what it processed (contacts, rows...)."""

    name: str
    wall: float
    cpu: float
    peak_rss_mb: float
    items: int
    extra: dict[str, Any]

    @property
    def rate(self) -> float:
        return self.items / self.wall if self.wall else 0.0

    @property
    def cpu_per_1000(self) -> float:
        return 1000 * self.cpu / self.items if self.items else 0.0


def run_variant(
    target: str, params: dict[str, Any], *, name: str, timeout: float = 900.0
) -> Measurement:
    """Run ``module:function`` in a fresh interpreter and return what it measured."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks._harness", target, json.dumps(params)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if completed.returncode != 0:
        raise RuntimeError(f"variant {name} failed:\n{completed.stderr[-3000:]}")
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return Measurement(
        name=name,
        wall=data["wall"],
        cpu=data["cpu"],
        peak_rss_mb=data["peak_rss_mb"],
        items=data["items"],
        extra=data.get("extra", {}),
    )


def markdown_table(
    measurements: Sequence[Measurement], *, baseline: str, unit: str = "contacts"
) -> str:
    """A Markdown table of the measurements, with ratios to the ``baseline`` row's numbers."""
    base = next(m for m in measurements if m.name == baseline)
    lines = [
        f"| variant | wall s | {unit}/s | client CPU per 1,000 | peak RSS MB "
        f"| wall vs {baseline} | {unit}/s vs {baseline} | CPU/{unit[:-1]} vs {baseline} "
        f"| RSS vs {baseline} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measurements:
        lines.append(
            f"| {m.name} | {m.wall:.2f} | {m.rate:,.0f} | {m.cpu_per_1000 * 1000:.2f} ms "
            f"| {m.peak_rss_mb:.0f} | {_ratio(m.wall, base.wall)} | {_ratio(m.rate, base.rate)} "
            f"| {_ratio(m.cpu_per_1000, base.cpu_per_1000)} "
            f"| {_ratio(m.peak_rss_mb, base.peak_rss_mb)} |"
        )
    return "\n".join(lines)


def _ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}x" if reference else "n/a"


def _child(argv: Sequence[str]) -> int:
    """Inside the variant's subprocess: run it and print its numbers as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks._harness")
    parser.add_argument("target", help="module:function")
    parser.add_argument("params", help="JSON object")
    args = parser.parse_args(argv)
    module_name, _, function_name = args.target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    stopwatch = Stopwatch()
    params = json.loads(args.params)
    if inspect.iscoroutinefunction(function):
        extra = asyncio.run(function(params, stopwatch))
    else:
        extra = function(params, stopwatch)
    extra = dict(extra or {})
    items = int(extra.pop("items", 0))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    scale = 1 / (1024 * 1024) if sys.platform == "darwin" else 1 / 1024
    print(
        json.dumps(
            {
                "wall": stopwatch.wall,
                "cpu": stopwatch.cpu,
                "peak_rss_mb": peak_kb * scale,
                "items": items,
                "extra": extra,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
