"""CSV and JSON Lines records straight from the decoded JSON rows, without building models.

An export writes each row's values in text form. For a row whose every value is already in
the form the model's field would write back (an ``int`` for an ``int`` field, a documented
enum value of the enum's JSON type, a datetime as the server writes it,
``YYYY-MM-DDTHH:MM:SS.ffffffZ``...), building the attrs row and converting it back gives
exactly the values the JSON row holds. :func:`text_encoder` generates, once per model, a
page function that checks those shapes inline and takes such rows as they are; any other row
(a hyperlinked id, an unknown enum value, a missing field, a datetime with an offset...) is
built into the model by :func:`~alice_async._rows.model_rows` and converted as the
model-row writers convert it, so the file is the same either way (the property tests in
``tests/export/test_encode.py`` hold both routes equal). :func:`arrow_encoder` does the same
for Parquet a page at a time: a page in written form goes to Arrow column by column.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from .._converter import iso_z_datetime
from .._rows import model_rows, page_keys
from ._columns import columns_of
from ._writers import TextRows, arrow_batch_builder, arrow_columns_batch_builder

__all__ = ["TextEncoder", "arrow_encoder", "text_encoder", "written_columns"]

TextEncoder = Callable[[Sequence[Any], str], list[Any]]
"""A paginator's ``parse_items``: one page of JSON rows to CSV cells or JSON Lines objects."""


class _Odd(Exception):
    """A value not in its written form: the row goes through the model."""


def text_encoder(model: type[Any], *, csv: bool) -> TextEncoder | None:
    """A page encoder for ``model``'s export columns, or None if its fields do not allow one.

    For CSV a record is the list of cells (``true``/``false`` for booleans, ``None`` for an
    empty cell); for JSON Lines it is a dict of the columns in order (the JSON row itself
    when its keys are already exactly those, in that order).
    """
    generated = _generate(model, "csv" if csv else "jsonl")
    if generated is None:
        return None
    encode, names = generated
    build = model_rows(model)
    text = TextRows(columns_of(model), csv=csv)

    def parse(items: Sequence[Any], where: str) -> list[Any]:
        def slow(item: Any) -> Any:
            # The model's route: its errors name the URL (a page of one row, for the message).
            (row,) = build([item], where)
            (cells,) = text.convert([row])
            return cells if csv else dict(zip(names, cells, strict=True))

        return encode(items, slow)

    return parse


def written_columns(model: type[Any]) -> Callable[[Sequence[Any]], list[list[Any]] | None] | None:
    """The page's values column by column when every JSON row holds only values in their
    written form (see the module docstring), else None: such a page can go to Arrow as it
    is. None for a ``model`` with fields no check covers."""
    generated = _generate(model, "columns")
    if generated is None:
        return None
    gather = generated[0]

    def columns_if_written(items: Sequence[Any]) -> list[list[Any]] | None:
        try:
            return gather(items, None)
        except Exception:
            return None

    return columns_if_written


def arrow_encoder(model: type[Any]) -> Callable[[Sequence[Any], str], list[Any]]:
    """A paginator's ``parse_items`` for a Parquet export: each page as one Arrow record batch.

    A page whose rows are all in their written form becomes columns straight from the JSON
    rows (Arrow converts each column at once; datetimes are cast from their text in C);
    any other page is built into ``model`` first (its errors name the URL), then converted
    as the model-row writer converts it. The item list holds the batch (none for an empty
    page).
    """
    columns = columns_of(model)
    from_rows = arrow_batch_builder(columns)
    from_columns = arrow_columns_batch_builder(columns)
    written = written_columns(model)
    build = model_rows(model)

    def parse(items: Sequence[Any], where: str) -> list[Any]:
        if not items:
            return []
        values = None if written is None else written(items)
        if values is not None:
            return [from_columns(values)]
        return [from_rows(build(items, where))]

    return parse


def _generate(
    model: type[Any], mode: str
) -> tuple[Callable[[Sequence[Any], Any], list[Any]], tuple[str, ...]] | None:
    """The generated page function of ``mode`` (``csv``, ``jsonl`` or ``columns``), and the
    column names; None when a field's type has no check."""
    columns = columns_of(model)
    hints = typing.get_type_hints(model)
    names = tuple(column.name for column in columns)
    namespace: dict[str, Any] = {"_Odd": _Odd, "_iso_z": iso_z_datetime, "_names": names}
    checks: list[str] = []
    for index, field in enumerate(attrs.fields(model)):
        lines = _check(index, hints[field.name], namespace, csv=mode == "csv")
        if lines is None:
            return None
        checks.extend(lines)
    keys = ", ".join(f"k{index}" for index in range(len(names)))
    namespace["_page_keys"] = page_keys
    source = ["def encode(items, slow):", "    out = []", "    append = out.append"]
    source += ["    keys = _page_keys(items, _names)", f"    {keys}, = keys", "    for d in items:"]
    if mode == "columns":
        # Any value out of its written form raises, and the page is not taken as it is.
        for index in range(len(names)):
            source.insert(3, f"    c{index} = []; a{index} = c{index}.append")
        source += [f"        {line}" for line in checks]
        source += [f"        a{index}(v{index})" for index in range(len(names))]
        source += ["    return [" + ", ".join(f"c{index}" for index in range(len(names))) + "]"]
    else:
        values = ", ".join(f"v{index}" for index in range(len(names)))
        pairs = ", ".join(f"{name!r}: v{index}" for index, name in enumerate(names))
        if mode == "csv":
            record = [f"append([{values}])"]
        else:
            record = ["if tuple(d) == keys: append(d)", f"else: append({{{pairs}}})"]
        source += ["        try:"] + [f"            {line}" for line in checks]
        source += [
            "        except Exception:",
            "            append(slow(d))",
            "            continue",
        ]
        source += [f"        {line}" for line in record]
        source += ["    return out"]
    # The source is built from field names and indexes only, never from data.
    exec("\n".join(source), namespace)
    return namespace["encode"], names


def _check(index: int, tp: Any, namespace: dict[str, Any], *, csv: bool) -> list[str] | None:
    """Source lines setting ``v<index>`` to the written form of ``d[k<index>]``, or raising.

    ``k<index>`` is the field's name as the page's own key object (see
    :func:`~alice_async._rows.page_keys`); ``tp`` is the field's type.
    """
    name = f"v{index}"
    nullable = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        nullable = len(members) < len(typing.get_args(tp))
        if len(members) != 1:
            return None
        tp = members[0]
    if not isinstance(tp, type):
        return None
    lines = [f"{name} = d[k{index}]"]
    prefix = f"if {name} is not None and " if nullable else "if "
    if issubclass(tp, enum.Enum):
        kinds = {type(member.value) for member in tp}
        if len(kinds) != 1 or not kinds <= {int, str}:
            return None
        namespace[f"_k{index}"] = frozenset(member.value for member in tp)
        kind = kinds.pop().__name__
        lines.append(f"{prefix}(type({name}) is not {kind} or {name} not in _k{index}): raise _Odd")
        return lines
    if tp is dt.datetime:
        # The server's own shape (``-``, ``-``, ``T``, ``:``, ``:``, ``.`` every third
        # character from the fifth) parses to a datetime written back as the same text; the
        # parse checks the digits (a bad date fails the model's route, with its message).
        # Hour 24 is left to the model: a parser that reads it as the next day's 00:00
        # would write other text.
        lines.append(
            f"{prefix}(type({name}) is not str or len({name}) != 27 or {name}[26] != 'Z' "
            f"or {name}[4:20:3] != '--T::.' or ({name}[11] > '1' and {name}[12] > '3')): "
            "raise _Odd"
        )
        lines.append(f"if {name} is not None: _iso_z({name})" if nullable else f"_iso_z({name})")
        return lines
    if tp is bool:
        lines.append(f"{prefix}type({name}) is not bool: raise _Odd")
        if csv:
            convert = f"'true' if {name} else 'false'"
            lines.append(
                f"if {name} is not None: {name} = {convert}" if nullable else f"{name} = {convert}"
            )
        return lines
    if tp in (int, str):
        lines.append(f"{prefix}type({name}) is not {tp.__name__}: raise _Odd")
        return lines
    return None
