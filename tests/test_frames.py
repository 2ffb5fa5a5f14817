"""Dataframes of list pulls: ``.to_arrow()``, ``.to_pandas()``, ``.to_polars()``."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alice_async import (
    AliceClient,
    APIResponseValidationError,
    Cdr,
    Contact,
    MissingDependencyError,
    Subscriber,
)
from alice_async._converter import converter
from alice_async._frames import arrow_table
from alice_async._rows import model_rows
from alice_async.emulator import Emulator, EmulatorConfig, Variants
from alice_async.export import columns_of
from alice_async.export._writers import arrow_schema
from tests.conftest import make_client
from tests.test_rows import rows as odd_rows

pa = pytest.importorskip("pyarrow")

UTC = dt.timezone.utc


async def test_to_arrow_has_the_export_schema_and_every_row(
    emulator: Emulator, client: AliceClient
) -> None:
    emulator.seed_cdrs(2345)
    table = await client.cdr.list(page_size=1000).to_arrow()
    assert table.schema == arrow_schema(columns_of(Cdr))
    assert table.num_rows == 2345
    typed = await client.cdr.list(page_size=1000).to_list()
    assert table.column("id").to_pylist() == [call.id for call in typed]
    assert table.column("phone_number").to_pylist() == [call.phone_number for call in typed]
    assert table.column("starting_date").to_pylist() == [call.starting_date for call in typed]
    assert table.column("amd_status").to_pylist() == [
        None if call.amd_status is None else int(call.amd_status) for call in typed
    ]
    assert all(number.startswith("0") for number in table.column("phone_number").to_pylist())


async def test_to_arrow_of_hyperlinked_rows_goes_through_the_models() -> None:
    async with Emulator(EmulatorConfig(variants=Variants(hyperlinked=True))) as emu:
        emu.seed_cdrs(30)
        async with make_client(emu) as client:
            table = await client.cdr.list().to_arrow()
            typed = await client.cdr.list().to_list()
    assert table.column("id").to_pylist() == [call.id for call in typed]


async def test_to_arrow_of_windows_and_of_other_endpoints(
    emulator: Emulator, client: AliceClient
) -> None:
    start = dt.datetime(2026, 3, 1, tzinfo=UTC)
    emulator.seed_cdrs(100, start=start, interval=dt.timedelta(minutes=1))
    windows = client.cdr.iter_windows(
        start, start + dt.timedelta(hours=3), window=dt.timedelta(minutes=30)
    )
    assert (await windows.to_arrow()).num_rows == 100
    book = await client.phonebooks.create(name="Sổ")
    await client.contacts.create(phonebook=book.id, contact="0934 890 883")
    contacts = await client.contacts.list(phonebook=book.id).to_arrow()
    assert contacts.schema == arrow_schema(columns_of(Contact))
    assert contacts.column("contact").to_pylist() == ["0934890883"]


async def test_an_empty_pull_is_an_empty_typed_table(client: AliceClient) -> None:
    table = await client.cdr.list().to_arrow()
    assert table.num_rows == 0
    assert table.schema == arrow_schema(columns_of(Cdr))


async def test_to_pandas_uses_nullable_dtypes_and_utc(
    emulator: Emulator, client: AliceClient
) -> None:
    pytest.importorskip("pandas")
    emulator.seed_cdrs(50)
    frame = await client.cdr.list().to_pandas()
    assert str(frame["id"].dtype) == "Int64"
    assert str(frame["amd_status"].dtype) == "Int64"
    assert str(frame["alarm"].dtype) == "boolean"
    assert str(frame["phone_number"].dtype).startswith("string")
    assert str(frame["starting_date"].dtype) == "datetime64[us, UTC]"
    assert frame["phone_number"].str.startswith("0").all()


async def test_to_polars_keeps_types(emulator: Emulator, client: AliceClient) -> None:
    import polars as pl

    emulator.seed_cdrs(50)
    frame = await client.cdr.list().to_polars()
    assert frame.schema["id"] == pl.Int64
    assert frame.schema["phone_number"] == pl.String
    assert frame.schema["starting_date"] == pl.Datetime("us", "UTC")
    assert frame.height == 50


async def test_a_missing_frame_library_names_its_extra(
    client: AliceClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(MissingDependencyError, match=r"alice-sdk\[polars\]") as caught:
        await client.cdr.list().to_polars()
    assert caught.value.extra == "polars"


# -- the fast path equals the model path ---------------------------------------------------

_dates = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(UTC)
)
_date_text = st.one_of(
    _dates.map(lambda d: d.isoformat().replace("+00:00", "Z")),
    _dates.map(lambda d: d.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat()),
    _dates.map(lambda d: d.replace(tzinfo=None).isoformat()),  # naive: UTC to the converter
)
_cdr_rows = st.fixed_dictionaries(
    {"id": st.integers(1, 2**40)},
    optional={
        "callid": st.text(max_size=5),
        "phone_number": st.one_of(st.text("0123456789", max_size=11), st.integers(0, 10**9)),
        "starting_date": st.one_of(st.none(), _date_text),
        "duration": st.one_of(st.integers(0, 10**6), st.text("0123", min_size=1, max_size=3)),
        "amd_status": st.one_of(st.none(), st.integers(1, 9)),
        "disposition": st.one_of(st.none(), st.sampled_from(["ANSWER", "BUSY", "WEIRD"])),
        "alarm": st.one_of(st.booleans(), st.integers(0, 1)),
        "sip_term_status": st.one_of(st.none(), st.text("0123456789", max_size=3)),
        "extra_field": st.integers(),
    },
)


def _slow(rows: list[dict[str, Any]]) -> Any:
    return arrow_table([converter.structure(row, Cdr) for row in rows], Cdr)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_cdr_rows, min_size=1, max_size=6))
def test_dict_rows_give_the_table_their_models_give(rows: list[dict[str, Any]]) -> None:
    try:
        expected = _slow(rows)
    except Exception:  # the converter refuses the row: so must the table
        with pytest.raises(Exception, match=r"."):
            arrow_table(rows, Cdr)
        return
    assert arrow_table(rows, Cdr).equals(expected)


@pytest.mark.parametrize("model", [Cdr, Subscriber], ids=lambda m: m.__name__)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_odd_dict_rows_give_the_table_their_models_give(
    model: type[Any], data: st.DataObject
) -> None:
    # The rows of tests/test_rows.py: hyperlinks, numbers as text, 0.5 for an id, unknown
    # enum values, missing and stray keys... (a page the converter refuses fails both ways).
    page = data.draw(st.lists(odd_rows(model), min_size=1, max_size=4))
    try:
        expected = arrow_table(model_rows(model)(page, "cdr/"), model)
    except (APIResponseValidationError, OverflowError) as exc:  # beyond int64: no column
        with pytest.raises(type(exc)):
            arrow_table(page, model)
        return
    assert arrow_table(page, model).equals(expected)
