"""The blocking twins of the pipeline methods: ``cdr.sync`` and the dataframes."""

from __future__ import annotations

from pathlib import Path

from anyio.from_thread import BlockingPortal

from alice_async.emulator import Emulator
from alice_async.sinks import DuckDB
from alice_sync import AliceClient


def seed(portal: BlockingPortal, emu: Emulator, n: int) -> None:
    async def seed_now() -> None:
        emu.seed_cdrs(n)

    portal.call(seed_now)


def test_sync_client_syncs_call_records_into_duckdb(
    emulator_portal: BlockingPortal, emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    import duckdb

    seed(emulator_portal, emulator, 1200)
    first = client.cdr.sync(DuckDB(tmp_path / "c.duckdb"), since=None)
    second = client.cdr.sync(DuckDB(tmp_path / "c.duckdb"))
    assert (first.written, second.written) == (1200, 0)
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(DISTINCT id), count(*) FROM cdr").fetchall() == [
            (1200, 1200)
        ]
    finally:
        con.close()


def test_sync_paginator_gives_dataframes(
    emulator_portal: BlockingPortal, emulator: Emulator, client: AliceClient
) -> None:
    import polars as pl

    seed(emulator_portal, emulator, 40)
    table = client.cdr.list().to_arrow()
    frame = client.cdr.list().to_polars()
    pandas_frame = client.cdr.list().to_pandas()
    assert table.num_rows == frame.height == len(pandas_frame) == 40
    assert frame.schema["phone_number"] == pl.String
