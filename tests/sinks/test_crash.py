"""SIGKILL a sync at random points, then re-run it: every record lands exactly once.

The emulator serves from a background thread of this process (so records can be injected
into earlier windows between runs) with 10 % faults of every kind; each sync runs in a child
process that is killed after a random number of pages (the kill lands wherever the child is
then: pulling, converting, writing files, committing).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from alice_async.emulator import Emulator, EmulatorConfig, Faults
from alice_sync import AliceClient
from tests.conftest import FAST_RETRIES

from .conftest import UTC, stored_ids

ROOT = Path(__file__).resolve().parents[2]
KILLS = 6
MAX_ATTEMPTS = 14


@pytest.fixture
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal("asyncio", name="emulator-event-loop") as portal:
        yield portal


@pytest.fixture
def faulty_emulator(portal: BlockingPortal) -> Iterator[Emulator]:
    config = EmulatorConfig(faults=Faults(rate=0.1, seed=11), throttle_rate=400.0)
    with portal.wrap_async_context_manager(Emulator(config)) as emu:
        yield emu


def seed_in_loop(
    portal: BlockingPortal,
    emu: Emulator,
    n: int,
    start: dt.datetime,
    interval: dt.timedelta,
    seed: int,
) -> None:
    """``emu.seed_cdrs`` run in the emulator's own event loop (its store is not thread-safe)."""

    async def seed_now() -> None:
        emu.seed_cdrs(n, start=start, interval=interval, seed=seed)

    portal.call(seed_now)


def start_child(emu: Emulator, kind: str, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "tests.sinks._child"),
            *(emu.url, emu.username, emu.password, kind, str(path)),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def kill_after_pages(child: subprocess.Popen[str], pages: int) -> bool:
    """SIGKILL ``child`` once it has read ``pages`` pages; False if it finished first."""
    assert child.stdout is not None
    seen = 0
    for line in child.stdout:
        if line.startswith("page"):
            seen += 1
            if seen >= pages:
                child.send_signal(signal.SIGKILL)
                child.wait(timeout=60)
                child.stdout.close()
                return True
    child.wait(timeout=60)
    child.stdout.close()
    assert child.returncode == 0
    return False


@pytest.mark.slow
@pytest.mark.chaos
def test_killed_runs_then_a_rerun_leave_every_record_exactly_once(
    portal: BlockingPortal, faulty_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    target = tmp_path / "calls.duckdb" if kind == "duckdb" else tmp_path / "lake"
    start = dt.datetime(2026, 3, 1, tzinfo=UTC)
    moment = start
    kills = 0
    for attempt in range(MAX_ATTEMPTS):
        if kills >= KILLS:
            break
        # New records, plus late ones inside the last run's lateness window.
        seed_in_loop(portal, faulty_emulator, 4000, moment, dt.timedelta(seconds=2), attempt)
        if attempt:
            late = moment - dt.timedelta(minutes=rng.randrange(1, 90))
            seed_in_loop(portal, faulty_emulator, 25, late, dt.timedelta(seconds=3), 1000 + attempt)
        moment += dt.timedelta(seconds=2 * 4000)
        if kill_after_pages(start_child(faulty_emulator, kind, target), rng.randrange(1, 6)):
            kills += 1
    assert kills >= KILLS, f"seed {seed}: only {kills} runs were killed"

    assert not kill_after_pages(start_child(faulty_emulator, kind, target), 10**9)
    with AliceClient(
        faulty_emulator.url,
        username=faulty_emulator.username,
        password=faulty_emulator.password,
        retry_policy=FAST_RETRIES,
        max_retries=30,
    ) as client:
        expected = sorted(row["id"] for row in client.cdr.list(as_dicts=True, page_size=1000))
    root = tmp_path if kind == "duckdb" else target
    assert stored_ids(kind, root) == expected, f"seed {seed}"
    if kind == "parquet":
        assert not list(target.rglob("*.tmp")), f"seed {seed}: a temporary file was left"
