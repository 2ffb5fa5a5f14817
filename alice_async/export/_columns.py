"""Columns of an export, derived from an attrs model: names in field order, kinds, nullability.

The column order is the model's field order, so a CSV header or a Parquet schema stays the
same from one release to the next unless the model itself changes. Fields the server sends
but the model does not declare are not exported.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

import attrs

from .. import _json

__all__ = [
    "Column",
    "ColumnKind",
    "columns_of",
    "enum_value",
    "int_code",
    "iso_z",
    "json_text",
    "stringify",
    "text_converter",
]

ColumnKind = Literal["int", "float", "bool", "str", "datetime", "json"]

UTC = dt.timezone.utc


@attrs.frozen
class Column:
    """One exported column.

    Attributes:
        name: the model field (and API field) name.
        kind: ``"int"``, ``"float"``, ``"bool"``, ``"str"``, ``"datetime"`` (aware UTC) or
            ``"json"`` (anything else, written as JSON text).
        nullable: whether the field may be ``None``.
        is_enum: values are enum members, written as their values.
    """

    name: str
    kind: ColumnKind
    nullable: bool
    is_enum: bool = False


def _kind_of(tp: Any) -> tuple[ColumnKind, bool]:
    if isinstance(tp, type):
        if issubclass(tp, bool):
            return "bool", False
        if issubclass(tp, enum.Enum):
            return ("int" if issubclass(tp, int) else "str"), True
        if issubclass(tp, int):
            return "int", False
        if issubclass(tp, float):
            return "float", False
        if issubclass(tp, dt.datetime):
            return "datetime", False
        if issubclass(tp, str):
            return "str", False
    return "json", False


def _column(name: str, tp: Any) -> Column:
    nullable = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        members = [arg for arg in args if arg is not type(None)]
        nullable = len(members) < len(args)
        kinds = {_kind_of(member) for member in members}
        if len(kinds) == 1:
            kind, is_enum = kinds.pop()
        elif all(member in (str, int) for member in members):
            kind, is_enum = "str", False  # a username on one server, an id on another
        else:
            kind, is_enum = "json", False
        return Column(name, kind, nullable, is_enum)
    kind, is_enum = _kind_of(tp)
    return Column(name, kind, nullable, is_enum)


def columns_of(model: type[Any]) -> tuple[Column, ...]:
    """The export columns of an attrs model class, in field order."""
    hints = typing.get_type_hints(model)
    return tuple(_column(field.name, hints[field.name]) for field in attrs.fields(model))


def iso_z(value: dt.datetime) -> str:
    """``2026-03-01T00:00:00.000000Z``: UTC, always with microseconds (sortable as text)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # Plain isoformat() ("...+00:00", no fraction when it is zero) is the cheapest call.
    text = value.isoformat()[:-6]
    return text + "Z" if value.microsecond else text + ".000000Z"


def enum_value(value: Any) -> Any:
    """An enum member's value (anything else unchanged)."""
    return value.value if isinstance(value, enum.Enum) else value


def int_code(value: Any) -> Any:
    """An integer enum member as an ``int64`` cell: its code, or the member's ``int``
    (``UNKNOWN_INT``, -1) for a pseudo-member whose raw value is not an integer
    (``amd_status: "HUMAN"``): CSV and JSON Lines keep that raw value, Parquet cannot."""
    if isinstance(value, int) and isinstance(value, enum.Enum) and type(value.value) is not int:
        return int(value)
    return enum_value(value)


def json_text(value: Any) -> str:
    """A value as compact JSON text."""
    return _json.dumps(value).decode()


def stringify(value: Any) -> str:
    """A value of a ``str`` column as text (mixed ``str | int`` fields hold ints too)."""
    return value if isinstance(value, str) else str(enum_value(value))


def _csv_bool(value: Any) -> str:
    return "true" if value else "false"


def text_converter(column: Column, *, csv: bool) -> Callable[[Any], Any] | None:
    """How a non-null value of ``column`` is written in CSV or JSON Lines (None: as is)."""
    if column.kind == "datetime":
        return iso_z
    if column.kind == "json":
        return json_text
    if column.kind == "bool":
        return _csv_bool if csv else None
    if column.is_enum:
        return enum_value
    return None
