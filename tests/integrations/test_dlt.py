"""The dlt source: a real ``dlt.pipeline(destination="duckdb")``, run twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from alice_async import InvalidInputError
from alice_async.emulator import Emulator, EmulatorConfig
from tests.conftest import FAST_RETRIES

dlt: Any = pytest.importorskip("dlt")

UTC = dt.timezone.utc
START = dt.datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal("asyncio", name="emulator-event-loop") as portal:
        yield portal


@pytest.fixture
def emulator(portal: BlockingPortal) -> Iterator[Emulator]:
    with portal.wrap_async_context_manager(Emulator(EmulatorConfig())) as emu:
        yield emu


def seed(portal: BlockingPortal, emu: Emulator, n: int, start: dt.datetime, seed: int) -> None:
    async def now() -> None:
        emu.seed_cdrs(n, start=start, interval=dt.timedelta(seconds=30), seed=seed)

    portal.call(now)


def counts(database: Path, table: str) -> tuple[int, int]:
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        found = con.execute(f"SELECT count(*), count(DISTINCT id) FROM alice.{table}").fetchone()
    finally:
        con.close()
    assert found is not None
    return int(found[0]), int(found[1])


@pytest.fixture(autouse=True)
def _no_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")


def test_two_pipeline_runs_load_every_record_exactly_once(
    portal: BlockingPortal, emulator: Emulator, tmp_path: Path
) -> None:
    from alice_async.integrations.dlt import alice_source
    from alice_sync import AliceClient

    database = tmp_path / "warehouse.duckdb"
    options: dict[str, Any] = {
        "base_url": emulator.url,
        "username": emulator.username,
        "password": emulator.password,
        "retry_policy": FAST_RETRIES,
    }

    def run() -> None:
        pipeline = dlt.pipeline(
            pipeline_name="alice_test",
            pipelines_dir=str(tmp_path / "pipelines"),
            destination=dlt.destinations.duckdb(str(database)),
            dataset_name="alice",
        )
        pipeline.run(alice_source(since=START, **options))

    seed(portal, emulator, 1500, START, 1)
    with AliceClient(**options) as client:
        book = client.phonebooks.create(name="Khách hàng")
        client.contacts.create(phonebook=book.id, contact="0934 890 883")
    run()
    assert counts(database, "cdr") == (1500, 1500)
    # New records, and late ones written into the last hour of the first run.
    seed(portal, emulator, 300, START + dt.timedelta(hours=13), 2)
    seed(portal, emulator, 25, START + dt.timedelta(hours=12, minutes=10), 3)
    run()
    assert counts(database, "cdr") == (1825, 1825)
    assert counts(database, "phonebooks") == (1, 1)
    assert counts(database, "contacts") == (1, 1)


def test_a_naive_since_is_refused() -> None:
    from alice_async.integrations.dlt import alice_source

    with pytest.raises(InvalidInputError, match="since"):
        alice_source(since=dt.datetime(2026, 3, 1))
