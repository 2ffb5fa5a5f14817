"""Writing from the JSON rows equals writing from the model rows, byte for byte.

``alice_async.export._encode.text_encoder`` takes the rows whose values are already in their
written form as they are and sends every other row through the model. These property tests
draw pages of rows (typical ones, and the odd ones of ``tests/test_rows.py``: hyperlinked
ids, unknown enum values, values of another JSON type, missing and stray keys...) and check
that a CSV or JSON Lines file written from the encoded records is the file written from the
model rows, or that both routes refuse the page with the same error; and that a Parquet
page's Arrow batch is the batch of its model rows.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alice_async import Cdr, Subscriber
from alice_async._rows import model_rows
from alice_async.export._columns import columns_of
from alice_async.export._encode import arrow_encoder, text_encoder
from alice_async.export._writers import CsvWriter, JsonlWriter, arrow_batch_builder
from tests.test_rows import rows

WHERE = "cdr/?page=3"


def _file(format: str, model: type[Any], page: list[Any], *, encoded: bool) -> Any:
    """The bytes written for ``page``, or ``("error", type, message)``."""
    buffer = io.BytesIO()
    columns = columns_of(model)
    writer = CsvWriter(buffer, columns) if format == "csv" else JsonlWriter(buffer, columns)
    try:
        if encoded:
            encode = text_encoder(model, csv=format == "csv")
            assert encode is not None
            writer.write_records(encode(page, WHERE))
        else:
            writer.write(model_rows(model)(page, WHERE))
        writer.close()
    except Exception as exc:
        return ("error", type(exc), str(exc))
    return buffer.getvalue()


@pytest.mark.parametrize("format", ["csv", "jsonl"])
@pytest.mark.parametrize("model", [Cdr, Subscriber], ids=lambda m: m.__name__)
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_a_page_written_from_json_rows_equals_the_page_written_from_models(
    model: type[Any], format: str, data: st.DataObject
) -> None:
    page = data.draw(st.lists(rows(model), max_size=4))
    assert _file(format, model, page, encoded=True) == _file(format, model, page, encoded=False)


@pytest.mark.parametrize("format", ["csv", "jsonl"])
def test_server_shaped_rows_are_written_without_a_model_and_keep_their_text(format: str) -> None:
    row = {
        "id": 7,
        "callid": "c2ce6f44",
        "callerid": None,
        "phone_number": "0913436424",
        "starting_date": "2026-01-01T00:00:00.000000Z",
        "duration": 4,
        "billsec": 0,
        "progresssec": 4,
        "answersec": 0,
        "waitsec": 4,
        "disposition": "BUSY",
        "hangup_cause": "SOMETHING_NEW",  # an unknown cause: through the model, same text
        "hangup_cause_q850": 17,
        "sip_term_status": "486",
        "sip_term_cause": "17",
        "endpoint_disposition": "BUSY",
        "leg_type": 1,
        "amd_status": 3,
        "campaign": 7,
        "subscriber": None,
        "alarm": False,
        "otp": True,
    }
    known = {**row, "id": 8, "hangup_cause": "USER_BUSY"}
    encode = text_encoder(Cdr, csv=format == "csv")
    assert encode is not None
    first, second = encode([row, known], WHERE)
    if format == "jsonl":
        assert second is known  # the JSON row itself: nothing built, nothing copied
        assert first == row
    else:
        assert second[4] == "2026-01-01T00:00:00.000000Z"
        assert second[-2:] == ["false", "true"]
        assert first[11] == "SOMETHING_NEW"
    assert _file(format, Cdr, [row, known], encoded=True) == _file(
        format, Cdr, [row, known], encoded=False
    )


def _batch(model: type[Any], page: list[Any], *, encoded: bool) -> Any:
    try:
        if encoded:
            batches = arrow_encoder(model)(page, WHERE)
            return ("ok", [batch.to_pylist() for batch in batches], batches[0].schema)
        batch = arrow_batch_builder(columns_of(model))(model_rows(model)(page, WHERE))
        return ("ok", [batch.to_pylist()], batch.schema)
    except Exception as exc:
        return ("error", type(exc), str(exc))


@pytest.mark.parametrize("model", [Cdr, Subscriber], ids=lambda m: m.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_parquet_page_from_json_rows_equals_the_batch_of_its_models(
    model: type[Any], data: st.DataObject
) -> None:
    pytest.importorskip("pyarrow")
    page = data.draw(st.lists(rows(model), min_size=1, max_size=4))
    assert _batch(model, page, encoded=True) == _batch(model, page, encoded=False)


@pytest.mark.parametrize("format", ["csv", "jsonl"])
@pytest.mark.parametrize(
    "moment",
    [
        "2026-01-01 00:00:00.000000Z",  # a space for the T: written back with a T
        "2026-01-01T24:00:00.000000Z",  # hour 24: the model's parser decides
        "2026-01-01T00:00:00,000000Z",  # a comma before the fraction
        "2026-13-01T00:00:00.000000Z",  # month 13: refused with the model's message
    ],
)
def test_near_miss_datetimes_go_through_the_model(format: str, moment: str) -> None:
    row = {"id": 1, "starting_date": moment}
    page = [{**row, **{key: value for key, value in _typical_cdr().items() if key not in row}}]
    assert _file(format, Cdr, page, encoded=True) == _file(format, Cdr, page, encoded=False)


def _typical_cdr() -> dict[str, Any]:
    return {
        "callid": "c2",
        "callerid": None,
        "phone_number": "0913436424",
        "duration": 4,
        "billsec": 0,
        "progresssec": None,
        "answersec": None,
        "waitsec": None,
        "disposition": "BUSY",
        "hangup_cause": None,
        "hangup_cause_q850": None,
        "sip_term_status": None,
        "sip_term_cause": None,
        "endpoint_disposition": None,
        "leg_type": 2,
        "amd_status": None,
        "campaign": None,
        "subscriber": None,
        "alarm": False,
        "otp": False,
    }


_KINDS = {
    "int": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "bool": st.booleans(),
    "str": st.text(),  # NULs, non-ASCII, surrogate-free text of any length
    "datetime": st.datetimes().map(lambda moment: moment.isoformat(timespec="microseconds") + "Z"),
}


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_columns_packed_into_arrow_buffers_equal_the_arrays_pyarrow_builds(
    data: st.DataObject,
) -> None:
    pa = pytest.importorskip("pyarrow")
    from alice_async.export._columns import Column, ColumnKind
    from alice_async.export._writers import arrow_columns_batch_builder, arrow_schema

    size = data.draw(st.integers(min_value=1, max_value=6))
    kinds: list[ColumnKind] = ["int", "bool", "str", "datetime"]
    columns = [Column(name=kind, kind=kind, nullable=True) for kind in kinds]
    values = [
        data.draw(st.lists(st.none() | _KINDS[kind], min_size=size, max_size=size))
        for kind in kinds
    ]
    batch = arrow_columns_batch_builder(columns)(values)
    schema = arrow_schema(columns)
    expected = [
        pa.array(column, type=pa.string()).cast(field.type)
        if kind == "datetime"
        else pa.array(column, type=field.type)
        for kind, column, field in zip(kinds, values, schema, strict=True)
    ]
    assert batch.schema == schema
    for packed, built in zip(batch.columns, expected, strict=True):
        packed.validate(full=True)
        assert packed.to_pylist() == built.to_pylist()
        assert packed.null_count == built.null_count
