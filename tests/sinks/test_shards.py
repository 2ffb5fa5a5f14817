"""``client.cdr.plan`` + ``write_shard`` on a real Dask ``LocalCluster(processes=True)``,
the emulator in its own process, one worker SIGKILLed mid-way."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pickle
import signal
from pathlib import Path
from typing import Any

import pytest

from alice_async import AliceClient, InvalidInputError
from alice_async.sinks import CdrShard, write_shard
from benchmarks._harness import emulator_process

from .conftest import UTC, listing, stored_ids

START = dt.datetime(2026, 3, 1, tzinfo=UTC)


async def test_plan_covers_the_range_once_with_picklable_shards(client: AliceClient) -> None:
    stop = START + dt.timedelta(hours=5, minutes=30)
    shards = client.cdr.plan(START, stop, window=dt.timedelta(hours=1), campaign=7)
    assert len(shards) == 6
    assert shards[0].from_date == START
    assert shards[-1].to_date == stop
    for before, after in itertools.pairwise(shards):
        assert after.from_date - before.to_date == dt.timedelta(microseconds=1)
    assert pickle.loads(pickle.dumps(shards)) == shards
    assert len({shard.name for shard in shards}) == 6
    other = client.cdr.plan(START, stop, window=dt.timedelta(hours=1), campaign=8)
    assert other[0].name != shards[0].name  # other filters, other files


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"window": dt.timedelta(0)}, "window"),
        ({"window": dt.timedelta(hours=1), "to_date": START}, "to_date"),
        ({"window": dt.timedelta(hours=1), "campaign": 0}, "campaign"),
    ],
)
async def test_plan_refuses_bad_input(
    client: AliceClient, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        client.cdr.plan(START, START + dt.timedelta(days=1), **options)
    assert caught.value.field == field


def test_a_retried_shard_rewrites_the_same_files(tmp_path: Path) -> None:
    with emulator_process("--seed-cdrs", "3000", "--seed", "4") as emu:
        options: dict[str, Any] = {
            "base_url": emu.url,
            "username": emu.username,
            "password": emu.password,
        }
        now = dt.datetime.now(UTC)
        shard = CdrShard("only", now - dt.timedelta(days=1), now, {})
        first = write_shard(shard, tmp_path, options)
        files = listing(tmp_path, "date=*/*.parquet")
        second = write_shard(shard, tmp_path, options)
    assert first == second == 3000
    assert listing(tmp_path, "date=*/*.parquet") == files
    assert len(set(stored_ids("parquet", tmp_path))) == len(stored_ids("parquet", tmp_path))


def test_write_shard_refuses_what_is_not_a_shard(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="shard"):
        write_shard("2026-03-01", tmp_path, {})  # type: ignore[arg-type]


@pytest.mark.slow
def test_dask_cluster_with_a_killed_worker_lands_every_record_once(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    lake = tmp_path / "lake"
    with emulator_process("--seed-cdrs", "12000", "--latency-request", "0.25") as emu:
        options: dict[str, Any] = {
            "base_url": emu.url,
            "username": emu.username,
            "password": emu.password,
        }
        import alice_sync

        with alice_sync.AliceClient(**options) as api:
            now = dt.datetime.now(UTC)
            shards = api.cdr.plan(now - dt.timedelta(hours=4), now, window=dt.timedelta(minutes=10))
            expected = sorted(row["id"] for row in api.cdr.list(as_dicts=True, page_size=1000))
        with (
            distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=50,
            ) as cluster,
            distributed.Client(cluster) as dask_client,
        ):
            futures = dask_client.map(
                write_shard, shards, dataset=str(lake), client_options=options, pure=False
            )
            # Once work is under way, kill a worker that is running a shard.
            next(iter(distributed.as_completed(futures)))
            busy = [address for address, keys in dask_client.processing().items() if keys]
            assert busy, "no worker was running a shard"
            killed = dask_client.run(os.getpid, workers=busy[:1])
            assert len(killed) == 1
            for pid in killed.values():
                os.kill(pid, signal.SIGKILL)
            written = dask_client.gather(futures)
            survivors = set(dask_client.run(os.getpid).values())
    assert not survivors & set(killed.values())
    assert sum(written) == len(expected) == 12000
    assert stored_ids("parquet", lake) == expected
    assert not listing(lake, "**/.*")
