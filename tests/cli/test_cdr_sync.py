"""``alice cdr sync``: incremental call records into a DuckDB file or a Parquet dataset."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from alice_async.emulator import Emulator
from tests.cli._helpers import emulator_env, run_cli
from tests.sinks.conftest import stored_ids

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(("target", "kind"), [("calls.duckdb", "duckdb"), ("lake/cdr/", "parquet")])
async def test_sync_twice_writes_nothing_the_second_time(
    emulator: Emulator, tmp_path: Path, target: str, kind: str
) -> None:
    emulator.seed_cdrs(300, start=START, interval=timedelta(minutes=1), seed=1)
    emulator.seed_cdrs(20, start=START, interval=timedelta(minutes=1), seed=2, campaign=7)
    env = emulator_env(emulator)
    args = ("cdr", "sync", "--to", target, "--campaign", "7")
    first = await run_cli(*args, "--since", "2026-03-01", cwd=tmp_path, env=env)
    assert first.code == 0, first.stderr
    assert "synced 20 new call records" in first.stdout
    assert first.stderr == ""

    second = await run_cli(*args, "--json", "--lateness", "90m", cwd=tmp_path, env=env)
    assert second.code == 0, second.stderr
    summary = json.loads(second.stdout)
    assert (summary["written"], summary["skipped"], summary["commits"]) == (0, 20, 0)
    root = tmp_path if kind == "duckdb" else tmp_path / "lake" / "cdr"
    assert len(stored_ids(kind, root)) == 20


async def test_a_first_run_without_since_is_refused(emulator: Emulator, tmp_path: Path) -> None:
    result = await run_cli(
        "cdr", "sync", "--to", "calls.duckdb", cwd=tmp_path, env=emulator_env(emulator)
    )
    assert result.code == 2
    assert "since" in result.stderr


async def test_all_history_takes_everything(emulator: Emulator, tmp_path: Path) -> None:
    emulator.seed_cdrs(50)
    result = await run_cli(
        "cdr", "sync", "--to", "lake", "--all-history", "--json",
        cwd=tmp_path, env=emulator_env(emulator),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["written"] == 50


async def test_a_bad_lateness_is_a_usage_error(emulator: Emulator, tmp_path: Path) -> None:
    result = await run_cli(
        "cdr", "sync", "--to", "c.duckdb", "--lateness", "soon",
        cwd=tmp_path, env=emulator_env(emulator),
    )  # fmt: skip
    assert result.code == 2
    assert "soon" in result.stderr
