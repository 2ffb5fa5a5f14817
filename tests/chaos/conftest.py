"""The chaos suite's fixtures: run size, fault mixes, the results table, a task-leak check.

Size: ``ALICE_CHAOS_SCALE=ci`` (default, well under a minute on two cores) or ``full``
(``nox -s chaos``). The table of every run is printed at the end of the session and, when
``ALICE_CHAOS_TABLE`` names a file, written there as Markdown (``docs/RELIABILITY.md`` form).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import platform
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import attrs
import pytest

from alice_async import AliceClient, RetryPolicy
from alice_async.emulator import Emulator, EmulatorConfig, Faults
from alice_async.emulator._config import FAULT_KINDS
from tests.chaos._proxy import CuttingProxy

# -- size -------------------------------------------------------------------------------------


@attrs.frozen
class Size:
    """How much work one chaos run does."""

    name: str
    contacts: int
    cdrs: int
    campaigns: int
    page_size: int


SIZES = {
    "ci": Size("ci", contacts=600, cdrs=600, campaigns=3, page_size=50),
    "full": Size("full", contacts=20_000, cdrs=20_000, campaigns=25, page_size=200),
}


def chaos_size() -> Size:
    name = os.environ.get("ALICE_CHAOS_SCALE", "ci")
    if name not in SIZES:
        raise pytest.UsageError(f"ALICE_CHAOS_SCALE={name!r}: expected one of {sorted(SIZES)}")
    return SIZES[name]


# -- fault mixes ------------------------------------------------------------------------------

CHAOS_RETRIES = RetryPolicy(initial_delay=0.005, max_delay=0.05, max_retry_after=0.1)
"""Real back-off shape, milliseconds long; ``Retry-After`` capped so 429 storms stay short."""

SLOW_SECONDS = 0.6
SLOW_TIMEOUT = 0.25
"""A "slow" fault answers after ``SLOW_SECONDS``; the client gives up after ``SLOW_TIMEOUT``."""


@attrs.frozen
class Mix:
    """One fault mix: what the emulator (and the cutting proxy) do to the traffic."""

    name: str
    faults: Faults = attrs.field(factory=Faults)
    cut_rate: float = 0.0
    token_ttl: float = 300.0
    throttle_rate: float | None = None
    timeout: float = 10.0
    min_seconds: float = 0.0
    """Keep the operation's traffic going at least this long (token expiry needs time)."""


MIXES = (
    Mix("502/503 before processing", Faults(rate=0.3, kinds=("502", "503"), seed=1)),
    Mix("processed, then 500", Faults(rate=0.3, kinds=("500_after",), seed=2)),
    Mix(
        "connection cut (before, after, mid-body)",
        Faults(rate=0.2, kinds=("reset_before", "reset_after"), seed=3),
        cut_rate=0.1,
    ),
    Mix(
        "slower than the timeout",
        Faults(rate=0.08, kinds=("slow",), seed=4, slow_seconds=SLOW_SECONDS),
        timeout=SLOW_TIMEOUT,
    ),
    Mix("429 storm", Faults(rate=0.5, kinds=("429",), seed=5), throttle_rate=150.0),
    Mix("token expires every 2 s", token_ttl=2.0, min_seconds=3.0),
    Mix(
        "everything at once",
        Faults(rate=0.25, kinds=FAULT_KINDS, seed=7, slow_seconds=SLOW_SECONDS),
        cut_rate=0.05,
        token_ttl=2.0,
        throttle_rate=150.0,
        timeout=SLOW_TIMEOUT,
        min_seconds=2.5,
    ),
)


@pytest.fixture(params=MIXES, ids=[mix.name for mix in MIXES])
def mix(request: pytest.FixtureRequest) -> Mix:
    mix: Mix = request.param
    return mix


@attrs.define
class Bench:
    """An emulator, the proxy in front of it and a client, with faults off until ``unleash``."""

    emulator: Emulator
    proxy: CuttingProxy
    client: AliceClient
    mix: Mix
    started: float = 0.0
    baseline_retries: int = 0

    def unleash(self) -> None:
        """Turn the mix on (set-up traffic before this is fault-free) and start counting."""
        self.emulator.stats.reset()
        self.emulator.configure(faults=self.mix.faults, throttle_rate=self.mix.throttle_rate)
        self.proxy.rate = self.mix.cut_rate
        self.baseline_retries = self.client.retries
        self.started = time.monotonic()

    def calm(self) -> None:
        """Turn every fault off (for checking the outcome through the same client)."""
        self.emulator.configure(faults=Faults(), throttle_rate=None)
        self.proxy.rate = 0.0

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


@asynccontextmanager
async def open_bench(mix: Mix, **config: object) -> AsyncIterator[Bench]:
    """An emulator behind the cutting proxy, and a client of the proxy.

    The dialer is off: campaign states change only when the test says so, and no call
    record appears unless the test seeds it.
    """
    # The token lifetime applies from the start: the set-up's token must expire too.
    settings: dict[str, object] = {"dialer": False, "token_ttl": mix.token_ttl}
    settings.update(config)
    async with Emulator(EmulatorConfig(**settings)) as emu:  # type: ignore[arg-type]
        port = int(emu.url.split(":")[2].split("/")[0])
        async with CuttingProxy(port, rate=0.0, seed=11) as proxy:
            client = AliceClient(
                f"http://127.0.0.1:{proxy.port}/rest-api/",
                username=emu.username,
                password=emu.password,
                max_retries=12,
                retry_policy=CHAOS_RETRIES,
                timeout=mix.timeout,
            )
            async with client:
                yield Bench(emu, proxy, client, mix)


# -- the table --------------------------------------------------------------------------------


@attrs.frozen
class ChaosRow:
    """What one (operation, mix) run did and what it proved."""

    operation: str
    mix: str
    expected: int
    lost: int
    duplicated: int
    requests: int
    faults: Counter[str]
    cuts: int
    retries: int
    tokens: int
    refused_tokens: int
    seconds: float


_ROWS = pytest.StashKey[list[ChaosRow]]()


@pytest.fixture
def record(request: pytest.FixtureRequest) -> RowRecorder:
    """Adds a row to the session's chaos table."""
    return RowRecorder(request.config.stash.setdefault(_ROWS, []))


@attrs.define
class RowRecorder:
    rows: list[ChaosRow]

    def __call__(
        self, bench: Bench, operation: str, *, expected: int, lost: int, duplicated: int
    ) -> ChaosRow:
        stats = bench.emulator.stats
        row = ChaosRow(
            operation=operation,
            mix=bench.mix.name,
            expected=expected,
            lost=lost,
            duplicated=duplicated,
            requests=sum(stats.requests.values()),
            faults=Counter(stats.faults),
            cuts=bench.proxy.cuts,
            retries=bench.client.retries - bench.baseline_retries,
            tokens=stats.tokens_issued,
            refused_tokens=stats.auth_failures,
            seconds=bench.elapsed,
        )
        self.rows.append(row)
        return row


def _faults_cell(row: ChaosRow) -> str:
    parts = [f"{kind} x{count}" for kind, count in sorted(row.faults.items())]
    if row.cuts:
        parts.append(f"mid-body cut x{row.cuts}")
    if row.refused_tokens:
        parts.append(f"expired token x{row.refused_tokens}")
    return ", ".join(parts) or "—"


def render_table(rows: list[ChaosRow], *, size: Size) -> str:
    """The Markdown table of the chaos runs, with its date and command."""
    command = "nox -s chaos" if size.name == "full" else "pytest -m chaos tests/chaos"
    lines = [
        f"Chaos run of {dt.date.today().isoformat()}, size `{size.name}` "
        f"(`{command}`; Python {platform.python_version()}, {os.cpu_count()} CPUs):",
        "",
        "| operation | fault mix | rows | requests | faults injected | retries | new tokens "
        "| lost | duplicated | seconds |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (r.operation, r.mix)):
        lines.append(
            f"| {row.operation} | {row.mix} | {row.expected} | {row.requests} | "
            f"{_faults_cell(row)} | {row.retries} | {row.tokens} | {row.lost} | "
            f"{row.duplicated} | {row.seconds:.1f} |"
        )
    total_faults = sum(sum(r.faults.values()) + r.cuts + r.refused_tokens for r in rows)
    lines.append(
        f"| **all** | | {sum(r.expected for r in rows)} | {sum(r.requests for r in rows)} | "
        f"{total_faults} | {sum(r.retries for r in rows)} | {sum(r.tokens for r in rows)} | "
        f"**{sum(r.lost for r in rows)}** | **{sum(r.duplicated for r in rows)}** | "
        f"{sum(r.seconds for r in rows):.1f} |"
    )
    return "\n".join(lines) + "\n"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    rows = terminalreporter.config.stash.get(_ROWS, [])
    if not rows:
        return
    table = render_table(rows, size=chaos_size())
    terminalreporter.write_sep("=", "chaos table")
    terminalreporter.write(table)
    target = os.environ.get("ALICE_CHAOS_TABLE")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(table, encoding="utf-8")
        terminalreporter.write_line(f"(written to {target})")


# -- hygiene: no task left running ------------------------------------------------------------


def running_tasks() -> set[asyncio.Task[object]]:
    """The running loop's unfinished tasks, except the caller's and the test runner's own."""
    current = asyncio.current_task()
    return {
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and not _is_test_runner(task)
    }


def _is_test_runner(task: asyncio.Task[object]) -> bool:
    # anyio's pytest plugin drives every fixture and test through a task of its TestRunner.
    qualname = getattr(task.get_coro(), "__qualname__", "")
    return str(qualname).startswith("TestRunner.")


async def tasks_left_running(
    before: set[asyncio.Task[object]], *, grace: float = 1.0
) -> list[asyncio.Task[object]]:
    """Tasks started since ``before`` that are still running after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while True:
        left = [task for task in running_tasks() - before if not task.done()]
        if not left or time.monotonic() >= deadline:
            return left
        await asyncio.sleep(0.01)


@pytest.fixture
async def no_task_leaks() -> AsyncIterator[None]:
    """Fail the test if it leaves a task running on the event loop (a forgotten prefetch...).

    Async chaos modules use it with ``pytestmark = pytest.mark.usefixtures("no_task_leaks")``.
    """
    before = running_tasks()
    yield
    left = await tasks_left_running(before)
    assert not left, f"tasks left running: {[task.get_coro() for task in left]}"
