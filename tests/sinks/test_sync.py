"""``client.cdr.sync`` / ``client.subscribers.sync`` into DuckDB and a Parquet dataset."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from alice_async import AliceClient, InvalidInputError
from alice_async.emulator import Emulator, EmulatorConfig, Faults
from alice_async.sinks import DuckDB, ParquetDataset
from tests.conftest import make_client

from .conftest import UTC, listing, make_destination, stored_ids


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def copy_file(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


async def all_ids(client: AliceClient) -> list[int]:
    return sorted([row["id"] async for row in client.cdr.list(as_dicts=True, page_size=1000)])


async def test_first_run_needs_since(client: AliceClient, tmp_path: Path, kind: str) -> None:
    with pytest.raises(InvalidInputError, match="since") as caught:
        await client.cdr.sync(make_destination(kind, tmp_path))
    assert caught.value.field == "since"


async def test_first_run_lands_every_record_and_second_run_writes_nothing(
    emulator: Emulator, client: AliceClient, tmp_path: Path, kind: str
) -> None:
    emulator.seed_cdrs(2500)
    first = await client.cdr.sync(make_destination(kind, tmp_path), since=None, commit_every=600)
    assert (first.written, first.skipped) == (2500, 0)
    assert first.commits == 3  # at the first page boundary past every 600 rows
    assert stored_ids(kind, tmp_path) == await all_ids(client)
    assert first.high_water is not None
    assert first.high_water.id == max(await all_ids(client))

    second = await client.cdr.sync(make_destination(kind, tmp_path))
    assert (second.written, second.commits) == (0, 0)
    assert second.skipped > 0  # the lateness window was read again
    assert first.high_water.starting_date is not None
    assert second.from_date == first.high_water.starting_date - dt.timedelta(hours=2)
    assert stored_ids(kind, tmp_path) == await all_ids(client)


async def test_since_starts_the_first_run(
    emulator: Emulator, client: AliceClient, tmp_path: Path, kind: str
) -> None:
    start = dt.datetime(2026, 3, 1, tzinfo=UTC)
    emulator.seed_cdrs(100, start=start, interval=dt.timedelta(minutes=1))
    result = await client.cdr.sync(
        make_destination(kind, tmp_path), since=start + dt.timedelta(minutes=60)
    )
    assert result.written == 40
    assert stored_ids(kind, tmp_path) == (await all_ids(client))[60:]


async def test_late_records_inside_the_window_are_picked_up_once(
    emulator: Emulator, client: AliceClient, tmp_path: Path, kind: str
) -> None:
    start = dt.datetime(2026, 3, 1, tzinfo=UTC)
    emulator.seed_cdrs(600, start=start, interval=dt.timedelta(minutes=1))  # 10 hours
    await client.cdr.sync(make_destination(kind, tmp_path), since=start)
    # Written at hangup: records whose calls started 30 min before the newest one.
    late_start = start + dt.timedelta(hours=9, minutes=29)
    emulator.seed_cdrs(7, start=late_start, interval=dt.timedelta(seconds=1), seed=9)
    # And records that are simply new.
    emulator.seed_cdrs(5, start=start + dt.timedelta(hours=11), seed=10)

    result = await client.cdr.sync(make_destination(kind, tmp_path))
    assert result.written == 12
    assert stored_ids(kind, tmp_path) == await all_ids(client)


async def test_records_later_than_the_lateness_are_not_seen(
    emulator: Emulator, client: AliceClient, tmp_path: Path, kind: str
) -> None:
    start = dt.datetime(2026, 3, 1, tzinfo=UTC)
    emulator.seed_cdrs(600, start=start, interval=dt.timedelta(minutes=1))
    await client.cdr.sync(make_destination(kind, tmp_path), since=start)
    emulator.seed_cdrs(3, start=start + dt.timedelta(hours=1), seed=4)  # 9 hours late
    result = await client.cdr.sync(make_destination(kind, tmp_path), lateness=dt.timedelta(hours=1))
    assert result.written == 0
    assert len(stored_ids(kind, tmp_path)) == 600


async def test_a_destination_of_other_filters_is_refused(
    emulator: Emulator, client: AliceClient, tmp_path: Path, kind: str
) -> None:
    emulator.seed_cdrs(10)
    await client.cdr.sync(make_destination(kind, tmp_path), since=None, alarm=False)
    with pytest.raises(InvalidInputError, match="filters") as caught:
        await client.cdr.sync(make_destination(kind, tmp_path), alarm=True)
    assert caught.value.field == "destination"
    assert len(stored_ids(kind, tmp_path)) == 10


async def test_a_destination_of_another_account_is_refused(tmp_path: Path, kind: str) -> None:
    config = EmulatorConfig(accounts=(("alice", "pw-a"), ("bob", "pw-b")))
    async with Emulator(config) as emu:
        emu.seed_cdrs(10, account="alice")
        async with make_client(emu, username="alice", password="pw-a") as alice:
            await alice.cdr.sync(make_destination(kind, tmp_path), since=None)
        async with make_client(emu, username="bob", password="pw-b") as bob:
            with pytest.raises(InvalidInputError, match="account 'alice@"):
                await bob.cdr.sync(make_destination(kind, tmp_path), since=None)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"from_date": dt.datetime(2026, 1, 1, tzinfo=UTC)}, "from_date"),
        ({"page": 3}, "page"),
        ({"campaign": -1}, "campaign"),
        ({"lateness": 5}, "lateness"),
        ({"commit_every": 0}, "commit_every"),
        ({"since": dt.datetime(2026, 1, 1)}, "since"),
    ],
)
async def test_bad_input_is_refused_before_the_destination_is_touched(
    client: AliceClient, tmp_path: Path, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await client.cdr.sync(DuckDB(tmp_path / "x.duckdb"), **options)
    assert caught.value.field == field
    assert not (tmp_path / "x.duckdb").exists()


async def test_not_a_destination_is_refused(client: AliceClient) -> None:
    with pytest.raises(InvalidInputError, match="destination"):
        await client.cdr.sync("calls.duckdb", since=None)  # type: ignore[arg-type]


def test_a_table_name_must_be_an_identifier(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="table"):
        DuckDB(tmp_path / "x.duckdb", table="cdr; DROP TABLE x")


async def test_duckdb_columns_are_typed_with_id_as_primary_key(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    emulator.seed_cdrs(20)
    await client.cdr.sync(DuckDB(tmp_path / "c.duckdb", table="calls"), since=None)
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    try:
        types = {name: kind for name, kind, *_ in con.execute("DESCRIBE calls").fetchall()}
        keys = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = 'calls' AND constraint_type = 'PRIMARY KEY'"
        ).fetchall()
        phone = con.execute("SELECT phone_number FROM calls LIMIT 1").fetchone()
    finally:
        con.close()
    assert types["starting_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["billsec"] == "BIGINT"
    assert types["alarm"] == "BOOLEAN"
    assert types["phone_number"] == "VARCHAR"
    assert keys == [(["id"],)]
    assert phone is not None
    assert phone[0].startswith("0")


async def test_parquet_dataset_is_hive_partitioned_by_utc_day(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    start = dt.datetime(2026, 3, 1, 20, tzinfo=UTC)
    emulator.seed_cdrs(300, start=start, interval=dt.timedelta(minutes=1))  # 20:00 -> 01:00
    await client.cdr.sync(ParquetDataset(tmp_path), since=None)
    assert listing(tmp_path, "date=*") == ["date=2026-03-01", "date=2026-03-02"]
    files = listing(tmp_path, "date=*/*")
    assert all(name.split("/")[1].startswith("part-") for name in files)
    assert not listing(tmp_path, "**/.*")  # no temporary file left
    state = json.loads(read_text(tmp_path / "_alice_sync_state.json"))
    assert sorted(state["files"]) == files


async def test_parquet_dataset_reads_as_one_table_in_polars_and_pandas(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    import polars as pl

    ds = pytest.importorskip("pyarrow.dataset")

    emulator.seed_cdrs(50)
    await client.cdr.sync(ParquetDataset(tmp_path), since=None)
    frame = pl.read_parquet(str(tmp_path / "**/*.parquet"), hive_partitioning=True)
    assert frame.height == 50
    assert frame.schema["starting_date"] == pl.Datetime("us", "UTC")
    table = ds.dataset(tmp_path, format="parquet", partitioning="hive").to_table()
    pandas_frame = table.to_pandas()
    assert sorted(pandas_frame["id"].tolist()) == await all_ids(client)


async def test_uncommitted_files_of_a_dead_run_are_removed(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    emulator.seed_cdrs(30)
    await client.cdr.sync(ParquetDataset(tmp_path), since=None)
    first = listing(tmp_path, "date=*/*.parquet")[0]
    day = first.split("/")[0]
    # A file renamed by a run that died before committing, and one it was still writing.
    copy_file(tmp_path / first, tmp_path / day / "part-dead-0.parquet")
    copy_file(tmp_path / first, tmp_path / day / ".part-dead-1.parquet.1234.tmp")
    await client.cdr.sync(ParquetDataset(tmp_path))
    assert listing(tmp_path, "date=*/*") == [first]
    assert stored_ids("parquet", tmp_path) == await all_ids(client)


async def test_exactly_once_under_faults_and_throttling(tmp_path: Path, kind: str) -> None:
    config = EmulatorConfig(faults=Faults(rate=0.1, seed=3), throttle_rate=200.0)
    start = dt.datetime(2026, 3, 1, tzinfo=UTC)
    async with Emulator(config) as emu, make_client(emu, max_retries=30) as client:
        emu.seed_cdrs(3000, start=start, interval=dt.timedelta(seconds=10))
        await client.cdr.sync(make_destination(kind, tmp_path), since=start, commit_every=500)
        emu.seed_cdrs(40, start=start + dt.timedelta(hours=7), seed=2)  # late, inside
        emu.seed_cdrs(400, start=start + dt.timedelta(hours=9), seed=5)  # new
        await client.cdr.sync(make_destination(kind, tmp_path), commit_every=500)
        expected = sorted([row["id"] async for row in client.cdr.list(as_dicts=True)])
    assert stored_ids(kind, tmp_path) == expected
    assert len(expected) == 3440


async def test_subscribers_sync_adds_only_new_subscribers(
    client: AliceClient, tmp_path: Path, kind: str
) -> None:
    from tests.sinks._subscribers import enrol

    await enrol(client, 30)
    first = await client.subscribers.sync(make_destination(kind, tmp_path))
    assert first.written == 30
    second = await client.subscribers.sync(make_destination(kind, tmp_path))
    assert (second.written, second.skipped) == (0, 30)
    await enrol(client, 5)
    third = await client.subscribers.sync(make_destination(kind, tmp_path))
    assert third.written == 5
    expected = sorted([s.id async for s in client.subscribers.list(page_size=100)])
    assert stored_ids(kind, tmp_path) == expected


async def test_subscribers_and_cdrs_cannot_share_a_destination(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    emulator.seed_cdrs(5)
    await client.cdr.sync(ParquetDataset(tmp_path), since=None)
    with pytest.raises(InvalidInputError, match="feed 'cdr'"):
        await client.subscribers.sync(ParquetDataset(tmp_path))


async def test_a_dataset_being_synced_refuses_a_second_run(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    from alice_async.sinks import Feed

    emulator.seed_cdrs(5)
    running = ParquetDataset(tmp_path)
    running.open(Feed("cdr", None))
    try:
        with pytest.raises(InvalidInputError, match="another run"):
            await client.cdr.sync(ParquetDataset(tmp_path), since=None)
    finally:
        running.close()
    assert (await client.cdr.sync(ParquetDataset(tmp_path), since=None)).written == 5
