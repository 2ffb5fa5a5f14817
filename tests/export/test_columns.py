"""Export columns from models, and the text form of their values."""

from __future__ import annotations

import datetime as dt

import attrs

from alice_async import Cdr, Disposition, LegType, Subscriber
from alice_async.export import Column, columns_of
from alice_async.export._columns import iso_z, text_converter

UTC = dt.timezone.utc


def test_cdr_columns_follow_the_model_with_kinds_and_nullability() -> None:
    columns = {c.name: c for c in columns_of(Cdr)}
    assert list(columns) == [f.name for f in attrs.fields(Cdr)]
    assert columns["id"] == Column("id", "int", nullable=False)
    assert columns["starting_date"] == Column("starting_date", "datetime", nullable=True)
    assert columns["disposition"] == Column("disposition", "str", nullable=True, is_enum=True)
    assert columns["leg_type"] == Column("leg_type", "int", nullable=False, is_enum=True)
    assert columns["alarm"] == Column("alarm", "bool", nullable=False)
    assert columns_of(Subscriber)[-1].kind == "datetime"


def test_mixed_and_unknown_types_become_text_or_json() -> None:
    @attrs.frozen
    class Odd:
        user: str | int | None
        blob: dict[str, str]
        ratio: float | None

    kinds = [(c.kind, c.nullable) for c in columns_of(Odd)]
    assert kinds == [("str", True), ("json", False), ("float", True)]
    blob = text_converter(columns_of(Odd)[1], csv=True)
    assert blob is not None
    assert blob({"a": "b"}) == '{"a":"b"}'


def test_datetimes_are_written_in_utc_with_microseconds_and_z() -> None:
    assert iso_z(dt.datetime(2026, 3, 1, tzinfo=UTC)) == "2026-03-01T00:00:00.000000Z"
    ict = dt.timezone(dt.timedelta(hours=7))
    assert iso_z(dt.datetime(2026, 3, 1, 7, 0, 0, 45000, ict)) == "2026-03-01T00:00:00.045000Z"


def test_enum_and_bool_cells() -> None:
    columns = {c.name: c for c in columns_of(Cdr)}
    leg = text_converter(columns["leg_type"], csv=True)
    disposition = text_converter(columns["disposition"], csv=False)
    alarm_csv = text_converter(columns["alarm"], csv=True)
    assert leg is not None
    assert disposition is not None
    assert alarm_csv is not None
    assert leg(LegType.B_LEG) == 2
    assert disposition(Disposition.ANSWER) == "ANSWER"
    assert alarm_csv(True) == "true"
    assert text_converter(columns["alarm"], csv=False) is None
    assert text_converter(columns["id"], csv=True) is None
