"""``client.cdr.export`` and ``client.subscribers.export``: every format read back, atomicity."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from alice_async import AliceClient, Cdr, InvalidInputError, ServerError, Subscriber
from alice_async._converter import parse_datetime
from alice_async.emulator import Emulator, EmulatorConfig, Faults, Variants
from alice_async.export import MissingDependencyError, columns_of, export_pages
from alice_async.export._core import export_paginator
from tests.conftest import make_client

UTC = dt.timezone.utc
START = dt.datetime(2026, 3, 1, tzinfo=UTC)
FIELDS = [field.name for field in attrs.fields(Cdr)]


@pytest.fixture
def seeded(emulator: Emulator) -> Emulator:
    """2,345 records 250 ms apart (some on whole seconds, rendered without a fraction)."""
    emulator.seed_cdrs(2345, start=START, interval=dt.timedelta(milliseconds=250), seed=8)
    return emulator


async def _expected(client: AliceClient) -> list[Cdr]:
    return await client.cdr.list(page_size=1000).to_list()


def _text(value: Any) -> Any:
    """A model value as the text formats write it."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return getattr(value, "value", value)


def _no_leftovers(directory: Path) -> None:
    assert [p.name for p in directory.iterdir() if p.name.endswith(".part")] == []


async def test_csv_has_a_header_in_model_order_and_every_row_exactly_once(
    client: AliceClient, seeded: Emulator, tmp_path: Path
) -> None:
    target = tmp_path / "calls.csv"
    progress: list[tuple[int, int | None]] = []
    written = await client.cdr.export(
        target, "csv", on_progress=lambda n, total: progress.append((n, total))
    )
    expected = await _expected(client)
    assert written == len(expected) == 2345
    with target.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        header = next(reader)
        rows = list(reader)
    assert header == FIELDS
    assert [int(row[0]) for row in rows] == [r.id for r in expected]
    for row, record in zip(rows, expected, strict=True):
        for name, cell in zip(header, row, strict=True):
            value = _text(getattr(record, name))
            if value is None:
                assert cell == ""
            elif isinstance(value, bool):
                assert cell == ("true" if value else "false")
            else:
                assert cell == str(value), name
    assert rows[0][FIELDS.index("starting_date")] == "2026-03-01T00:00:00.000000Z"
    assert progress[-1] == (2345, 2345)
    assert [n for n, _ in progress] == sorted({n for n, _ in progress})
    _no_leftovers(tmp_path)


async def test_jsonl_round_trips_every_field(
    client: AliceClient, seeded: Emulator, tmp_path: Path
) -> None:
    target = tmp_path / "calls.jsonl"
    assert await client.cdr.export(target, "jsonl", prefetch=2) == 2345
    lines = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    expected = await _expected(client)
    assert [list(line) for line in lines[:1]] == [FIELDS]
    assert lines == [{n: _text(getattr(r, n)) for n in FIELDS} for r in expected]
    assert {line["id"] for line in lines} == {r.id for r in expected}


async def test_parquet_has_a_real_schema_and_every_row(
    client: AliceClient, seeded: Emulator, tmp_path: Path
) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "calls.parquet"
    assert await client.cdr.export(target, "parquet") == 2345
    table = pq.read_table(target)
    schema = table.schema
    assert schema.names == FIELDS
    assert schema.field("id").type == pa.int64()
    assert not schema.field("id").nullable
    assert schema.field("starting_date").type == pa.timestamp("us", tz="UTC")
    assert schema.field("alarm").type == pa.bool_()
    assert schema.field("disposition").type == pa.string()
    assert schema.field("amd_status").type == pa.int64()
    assert schema.field("amd_status").nullable
    expected = await _expected(client)
    rows = table.to_pylist()
    assert [row["id"] for row in rows] == [r.id for r in expected]
    for row, record in zip(rows, expected, strict=True):
        assert row["starting_date"] == record.starting_date
        assert row["disposition"] == record.disposition
        assert row["leg_type"] == int(record.leg_type)
        assert row["campaign"] is None
        assert record.campaign is None


async def test_parquet_is_written_in_row_groups(
    client: AliceClient, seeded: Emulator, tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "groups.parquet"
    pages = client.cdr.list(page_size=100).pages()
    written = await export_pages(pages, target, format="parquet", model=Cdr, row_group_size=1000)
    meta = pq.ParquetFile(target).metadata
    assert written == meta.num_rows == 2345
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [1000, 1000, 345]


async def test_parquet_row_groups_hold_exactly_row_group_size_rows_when_pages_straddle_them(
    client: AliceClient, seeded: Emulator, tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "straddle.parquet"
    paginator = client.cdr.list(page_size=300)
    written = await export_paginator(
        paginator, target, format="parquet", model=Cdr, row_group_size=1000
    )
    meta = pq.ParquetFile(target).metadata
    assert written == meta.num_rows == 2345
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [1000, 1000, 345]
    ids = pq.read_table(target).column("id").to_pylist()
    assert ids == [record.id for record in await _expected(client)]


async def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(
    client: AliceClient, seeded: Emulator, tmp_path: Path
) -> None:
    fresh = tmp_path / "new.csv"
    kept = tmp_path / "kept.csv"
    kept.write_text("old contents\n")
    seen: list[int] = []

    def fail_after_first_page(written: int, total: int | None) -> None:
        seen.append(written)
        seeded.configure(faults=Faults(rate=1.0, kinds=("502", "503"), paths=("cdr/",)))

    for target in (fresh, kept):
        seeded.configure(faults=Faults())
        with pytest.raises(ServerError):
            await client.cdr.export(
                target, page_size=100, max_retries=2, on_progress=fail_after_first_page
            )
    assert seen
    assert seen[0] == 100
    assert not fresh.exists()
    assert kept.read_text() == "old contents\n"
    _no_leftovers(tmp_path)


async def test_an_export_cancelled_midway_leaves_nothing(
    client: AliceClient, seeded: Emulator, tmp_path: Path
) -> None:
    import anyio

    target = tmp_path / "cancelled.jsonl"

    def stop_midway(written: int, total: int | None) -> None:
        if written >= 500:
            scope.cancel()

    with anyio.CancelScope() as scope:
        await client.cdr.export(target, "jsonl", page_size=100, on_progress=stop_midway)
    assert scope.cancelled_caught
    assert not target.exists()
    _no_leftovers(tmp_path)


async def test_parquet_without_pyarrow_names_the_extra(
    client: AliceClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match=r"alice-sdk\[parquet\]") as info:
        await client.cdr.export(tmp_path / "x.parquet", "parquet")
    assert isinstance(info.value, MissingDependencyError)
    assert info.value.extra == "parquet"
    _no_leftovers(tmp_path)
    assert not (tmp_path / "x.parquet").exists()


async def test_an_unknown_format_is_refused_before_any_request(
    client: AliceClient, emulator: Emulator, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.cdr.export(tmp_path / "x.xlsx", "xlsx")  # type: ignore[arg-type]
    assert info.value.field == "format"
    with pytest.raises(InvalidInputError) as progress:
        await client.cdr.export(tmp_path / "x.csv", on_progress=False)  # type: ignore[arg-type]
    assert progress.value.field == "on_progress"
    assert emulator.stats.requests[("GET", "cdr/")] == 0
    _no_leftovers(tmp_path)


async def test_hyperlinked_relations_export_as_integer_ids(tmp_path: Path) -> None:
    config = EmulatorConfig(variants=Variants(hyperlinked=True), dialer=False)
    async with Emulator(config) as emu, make_client(emu) as client:
        emu.seed_cdrs(25, start=START, seed=1, campaign=None)
        target = tmp_path / "linked.jsonl"
        assert await client.cdr.export(target, "jsonl") == 25
        ids = [json.loads(line)["id"] for line in target.read_text().splitlines()]
        assert ids == [r["id"] for r in emu.store.cdrs(emu.username).rows]


async def test_subscribers_export_in_every_format(
    client: AliceClient, emulator: Emulator, tmp_path: Path
) -> None:
    book = await client.phonebooks.create(name="b")
    gateway = (await client.gateways.list().to_list())[0]
    template = await client.survey_templates.create(name="t")
    numbers = [{"contact": f"0914{i:06d}", "status": 1} for i in range(57)]
    await client.request("POST", "bulkcontact/", json={"phonebook": book.id, "contacts": numbers})
    now = dt.datetime.now(UTC)
    campaign = await client.campaigns.create(
        name="c",
        phonebook=[book.id],
        aleg_gateway=gateway.id,
        object_id=template.id,
        frequency=100,
        startingdate=now - dt.timedelta(hours=1),
        expirationdate=now + dt.timedelta(days=1),
        daily_start_time=dt.time(0, 0),
        daily_stop_time=dt.time(23, 59, 59),
    )
    await client.campaigns.start(campaign.id)
    emulator.advance(120)
    expected = await client.subscribers.list(campaign=campaign.id).to_list()
    names = [c.name for c in columns_of(Subscriber)]

    csv_path = tmp_path / "subs.csv"
    assert await client.subscribers.export(csv_path, campaign=campaign.id, page_size=10) == 57
    with csv_path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == names
    assert [int(r["id"]) for r in rows] == [s.id for s in expected]
    assert [r["phone_number"] for r in rows] == [n["contact"] for n in numbers]
    assert all(r["last_attempt"].endswith("Z") for r in rows if r["last_attempt"])

    jsonl_path = tmp_path / "subs.jsonl"
    assert await client.subscribers.export(jsonl_path, "jsonl", campaign=campaign.id) == 57
    lines = [json.loads(x) for x in jsonl_path.read_text().splitlines()]
    assert [line["status"] for line in lines] == [int(s.status) for s in expected]

    pq = pytest.importorskip("pyarrow.parquet")
    parquet_path = tmp_path / "subs.parquet"
    assert await client.subscribers.export(parquet_path, "parquet", campaign=campaign.id) == 57
    table = pq.read_table(parquet_path).to_pylist()
    assert [row["id"] for row in table] == [s.id for s in expected]
    assert [row["created_date"] for row in table] == [s.created_date for s in expected]
    assert all(
        row["last_attempt"] == parse_datetime(r["last_attempt"])
        for row, r in zip(table, rows, strict=True)
        if r["last_attempt"]
    )


async def test_an_enum_value_of_another_json_type_exports_in_every_format(
    client: AliceClient, emulator: Emulator, tmp_path: Path
) -> None:
    """``amd_status: "HUMAN"``: the text formats keep the raw value, Parquet's int64 column
    holds the member's ``int`` (-1, no documented code); the export never fails."""
    emulator.seed_cdrs(3, start=START, seed=2)
    emulator.store.cdrs(emulator.username).rows[1]["amd_status"] = "HUMAN"
    jsonl = tmp_path / "odd.jsonl"
    assert await client.cdr.export(jsonl, "jsonl") == 3
    assert json.loads(jsonl.read_text().splitlines()[1])["amd_status"] == "HUMAN"
    parquet = tmp_path / "odd.parquet"
    assert await client.cdr.export(parquet, "parquet") == 3
    pq = pytest.importorskip("pyarrow.parquet")
    assert pq.read_table(parquet).column("amd_status").to_pylist()[1] == -1
