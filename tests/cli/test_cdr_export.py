"""``alice cdr export``: a time range (and filters) to CSV, JSON Lines or Parquet."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from alice_async import AliceClient, Disposition
from alice_async.emulator import Emulator
from tests.cli._helpers import emulator_env, run_cli

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


async def test_export_writes_the_rows_of_the_range(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    emulator.seed_cdrs(500, start=START, interval=timedelta(minutes=1), seed=1)
    emulator.seed_cdrs(40, start=START, interval=timedelta(minutes=1), seed=2, campaign=7)
    env = emulator_env(emulator)
    # 2026-03-01T01:00:00 .. 03:00:00 inclusive: minutes 60..180 of each series.
    window = ["--from", "2026-03-01T01:00:00Z", "--to", "2026-03-01T03:00:00+00:00"]
    expected = (
        await client.cdr.list(
            from_date=START + timedelta(hours=1), to_date=START + timedelta(hours=3), page_size=1
        ).first_page()
    ).count
    assert expected == 121

    target = tmp_path / "calls.csv"
    result = await run_cli("cdr", "export", *window, "-o", str(target), env=env)
    assert result.code == 0, result.stderr
    with target.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == expected
    assert f"exported {expected} call records" in result.stdout
    assert result.stderr == ""  # off a terminal the progress bar leaves nothing behind

    jsonl = tmp_path / "campaign.jsonl"
    result = await run_cli(
        "cdr", "export", "--from", "2026-03-01", "--to", "2026-03-02",
        "--campaign", "7", "--format", "jsonl", "-o", str(jsonl), "--json",
        env=env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(jsonl), "format": "jsonl", "rows": 40}
    lines = jsonl.read_text("utf-8").splitlines()
    assert len(lines) == 40
    assert {json.loads(line)["campaign"] for line in lines} == {7}

    answered = (
        await client.cdr.list(
            from_date=START, to_date=START + timedelta(days=1), disposition=Disposition.ANSWER,
            page_size=1,
        ).first_page()
    ).count  # fmt: skip
    parquet = tmp_path / "answered.parquet"
    result = await run_cli(
        "cdr", "export", "--from", "2026-03-01", "--to", "2026-03-02",
        "--disposition", "ANSWER", "--format", "parquet", "-o", str(parquet),
        env=env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    parquet_module = pytest.importorskip("pyarrow.parquet")
    assert parquet_module.read_metadata(parquet).num_rows == answered > 0

    # Enum options take any case: --disposition answer, --format JSONL.
    lower = tmp_path / "answered.jsonl"
    result = await run_cli(
        "cdr", "export", "--from", "2026-03-01", "--to", "2026-03-02",
        "--disposition", "answer", "--format", "JSONL", "-o", str(lower), "--json",
        env=env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == answered
    assert {json.loads(line)["disposition"] for line in _lines(lower)} == {"ANSWER"}


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


async def test_reversed_range_is_a_usage_error(emulator: Emulator, tmp_path: Path) -> None:
    result = await run_cli(
        "cdr", "export", "--from", "2026-03-02", "--to", "2026-03-01", "-o", str(tmp_path / "x"),
        env=emulator_env(emulator),
    )  # fmt: skip
    assert result.code == 2
    assert result.stderr.strip() == "alice: --from must not be after --to"
    assert not (tmp_path / "x").exists()
