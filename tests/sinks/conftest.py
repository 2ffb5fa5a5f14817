"""Fixtures of the pipeline tests: destinations in a temporary directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from alice_async.sinks import Destination, DuckDB, ParquetDataset

UTC = dt.timezone.utc


def make_destination(kind: str, root: Path) -> Destination:
    """A fresh destination object over the same storage each call (one per run)."""
    return DuckDB(root / "calls.duckdb", table="cdr") if kind == "duckdb" else ParquetDataset(root)


def stored_ids(kind: str, root: Path, table: str = "cdr") -> list[int]:
    """Every id the destination holds, duplicates included, sorted."""
    import duckdb

    if kind == "duckdb":
        con = duckdb.connect(str(root / "calls.duckdb"), read_only=True)
        try:
            rows: list[Any] = con.execute(f"SELECT id FROM {table} ORDER BY id").fetchall()
        finally:
            con.close()
    else:
        files = sorted(root.glob("date=*/part-*.parquet"))
        if not files:
            return []
        rows = duckdb.execute(
            "SELECT id FROM read_parquet(?, hive_partitioning = true) ORDER BY id",
            [[str(f) for f in files]],
        ).fetchall()
    return [row[0] for row in rows]


def listing(root: Path, pattern: str) -> list[str]:
    """Paths under ``root`` matching ``pattern`` (relative, sorted)."""
    return sorted(path.relative_to(root).as_posix() for path in root.glob(pattern))


@pytest.fixture(params=["duckdb", "parquet"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)
