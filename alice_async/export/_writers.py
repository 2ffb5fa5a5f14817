"""One writer per export format; each takes batches of model rows and writes them at once.

Writers receive an open file object (the temporary file) and never hold more than the batch
they are given, except the Parquet writer, which gathers Arrow record batches (compact,
columnar memory) until a row group is full.
"""

from __future__ import annotations

import array
import csv
import importlib
import io
import itertools
import operator
from collections.abc import Callable, Sequence
from typing import IO, Any, Protocol

from .. import _json
from ._columns import Column, enum_value, int_code, json_text, stringify, text_converter

__all__ = [
    "CsvWriter",
    "JsonlWriter",
    "ParquetWriter",
    "RowWriter",
    "TextRows",
    "arrow_batch_builder",
    "arrow_columns_batch_builder",
    "arrow_schema",
]


class RowWriter(Protocol):
    """What :func:`~alice_async.export.export_pages` needs from a format."""

    def write(self, rows: Sequence[Any]) -> None:
        """Write a batch of model rows."""

    def write_records(self, records: Sequence[Any]) -> int:
        """Write a batch already in the format's records (see :mod:`._encode`); return the
        number of rows written."""

    def close(self) -> None:
        """Write what is buffered and any footer (the file itself is closed by the caller)."""


def _row_values(columns: Sequence[Column]) -> Callable[[Any], tuple[Any, ...]]:
    getter = operator.attrgetter(*(column.name for column in columns))
    if len(columns) == 1:
        return lambda row: (getter(row),)
    return getter


class TextRows:
    """Rows as lists of plain values ready for ``csv`` or JSON."""

    def __init__(self, columns: Sequence[Column], *, csv: bool) -> None:
        self.values = _row_values(columns)
        self.special = [
            (index, converter)
            for index, column in enumerate(columns)
            if (converter := text_converter(column, csv=csv)) is not None
        ]

    def convert(self, rows: Sequence[Any]) -> list[list[Any]]:
        values = self.values
        special = self.special
        out = []
        for row in rows:
            record = list(values(row))
            for index, converter in special:
                value = record[index]
                if value is not None:
                    record[index] = converter(value)
            out.append(record)
        return out


class CsvWriter:
    """CSV (RFC 4180 quoting, ``\\r\\n`` rows) with a header line; ``None`` is an empty cell,
    booleans are ``true``/``false``, datetimes ISO-8601 UTC with ``Z``."""

    def __init__(self, file: IO[bytes], columns: Sequence[Column]) -> None:
        self._text = io.TextIOWrapper(file, encoding="utf-8", newline="", write_through=True)
        self._csv = csv.writer(self._text)
        self._rows = TextRows(columns, csv=True)
        self._csv.writerow([column.name for column in columns])

    def write(self, rows: Sequence[Any]) -> None:
        self._csv.writerows(self._rows.convert(rows))

    def write_records(self, records: Sequence[Any]) -> int:
        """Write rows of cells (what :func:`~._encode.text_encoder` gives for CSV)."""
        self._csv.writerows(records)
        return len(records)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()


class JsonlWriter:
    """JSON Lines: one object per row, keys in column order, ``null`` for ``None``."""

    def __init__(self, file: IO[bytes], columns: Sequence[Column]) -> None:
        self._file = file
        self._names = [column.name for column in columns]
        self._rows = TextRows(columns, csv=False)

    def write(self, rows: Sequence[Any]) -> None:
        names = self._names
        self.write_records(
            [dict(zip(names, record, strict=True)) for record in self._rows.convert(rows)]
        )

    def write_records(self, records: Sequence[Any]) -> int:
        """Write dicts of the columns in order (what :func:`~._encode.text_encoder` gives)."""
        if records:
            dumps = _json.dumps
            self._file.write(b"\n".join([dumps(record) for record in records]) + b"\n")
        return len(records)

    def close(self) -> None:
        self._file.flush()


def arrow_schema(columns: Sequence[Column]) -> Any:
    """The Arrow schema of ``columns``: int64, float64, bool, string, timestamp[us, UTC]."""
    pa = importlib.import_module("pyarrow")
    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "str": pa.string(),
        "datetime": pa.timestamp("us", tz="UTC"),
        "json": pa.string(),
    }
    return pa.schema(
        [pa.field(column.name, types[column.kind], nullable=column.nullable) for column in columns]
    )


def _arrow_converter(column: Column) -> Callable[[Any], Any] | None:
    if column.kind == "json":
        return json_text
    if column.kind == "str":
        return stringify
    if column.is_enum:
        return int_code if column.kind == "int" else enum_value
    return None


def arrow_batch_builder(columns: Sequence[Column]) -> Callable[[Sequence[Any]], Any]:
    """A function turning a non-empty batch of model rows into one Arrow ``RecordBatch``."""
    pa = importlib.import_module("pyarrow")
    schema = arrow_schema(columns)
    values_of = _row_values(columns)
    converters = [_arrow_converter(column) for column in columns]

    def build(rows: Sequence[Any]) -> Any:
        arrays = []
        for values, converter, field in zip(
            zip(*map(values_of, rows), strict=True), converters, schema, strict=True
        ):
            if converter is not None:
                values = tuple(None if v is None else converter(v) for v in values)
            arrays.append(pa.array(values, type=field.type))
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    return build


def arrow_columns_batch_builder(columns: Sequence[Column]) -> Callable[[Sequence[Any]], Any]:
    """A function turning a page's values, one list per column, every value in its written
    form (see :mod:`._encode`), into one Arrow ``RecordBatch``.

    Each column is packed into Arrow buffers by C loops (``array.array``, ``str.join``) and
    wrapped with ``Array.from_buffers``; datetime text is cast to ``timestamp[us, UTC]`` in
    C. Not going through ``pyarrow.array`` keeps pyarrow from importing pandas (its check
    for pandas objects does, on the first call of a process: about 60 MB and 0.2 s), and
    costs less per value.
    """
    pa = importlib.import_module("pyarrow")
    schema = arrow_schema(columns)
    packers = [_packer(pa, column.kind) for column in columns]

    def build(values: Sequence[Any]) -> Any:
        arrays = [pack(column) for pack, column in zip(packers, values, strict=True)]
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    return build


def _packer(pa: Any, kind: str) -> Callable[[list[Any]], Any]:
    """A function packing one column's list (written-form values or ``None``) into an Arrow
    array of ``kind``'s type."""
    pc = importlib.import_module("pyarrow.compute")
    pool = pa.system_memory_pool()  # see ParquetWriter
    int8 = pa.int8()
    bool_type = pa.bool_()
    string = pa.string()
    py_buffer = pa.py_buffer
    from_buffers = pa.Array.from_buffers
    final = {"int": pa.int64(), "bool": bool_type, "datetime": pa.timestamp("us", tz="UTC")}.get(
        kind, string
    )

    def validity(values: list[Any]) -> Any:
        # The validity bitmap: one byte a value, cast to Arrow's packed bits in C.
        flags = array.array("b", map(operator.is_not, values, itertools.repeat(None)))
        return (
            from_buffers(int8, len(flags), [None, py_buffer(flags)])
            .cast(bool_type, memory_pool=pool)
            .buffers()[1]
        )

    if kind in ("int", "bool"):
        # Booleans go in as one byte each and are cast to Arrow's bit-packed booleans.
        code, stored = ("q", pa.int64()) if kind == "int" else ("b", int8)

        def pack_numbers(values: list[Any]) -> Any:
            try:
                data, valid, nulls = array.array(code, values), None, 0
            except TypeError:  # a None among the values
                nulls = values.count(None)
                if nulls == len(values):
                    return pa.nulls(nulls, final)
                valid = validity(values)
                data = array.array(code, [0 if v is None else v for v in values])
            packed = from_buffers(stored, len(data), [valid, py_buffer(data)], nulls)
            return packed if kind == "int" else packed.cast(bool_type, memory_pool=pool)

        return pack_numbers

    def pack_text(values: list[Any]) -> Any:
        # One string holds the column, the values separated by NUL; Arrow splits it in C.
        count = len(values)
        try:
            joined, valid, nulls = "\0".join(values), None, 0
        except TypeError:  # a None among the values
            nulls = values.count(None)
            if nulls == count:
                return pa.nulls(nulls, final)
            valid = validity(values)
            joined = "\0".join(["" if v is None else v for v in values])
        data = joined.encode("utf-8")
        if data.count(0) != count - 1:  # a value with a NUL of its own: offsets value by value
            encoded = [b"" if v is None else v.encode("utf-8") for v in values]
            offsets = array.array("i", itertools.accumulate(map(len, encoded), initial=0))
            buffers = [valid, py_buffer(offsets), py_buffer(b"".join(encoded))]
            packed = from_buffers(string, count, buffers, nulls)
        else:
            whole = from_buffers(
                string, 1, [None, py_buffer(array.array("i", (0, len(data)))), py_buffer(data)]
            )
            split = pc.split_pattern(whole, pattern="\0", memory_pool=pool).values
            packed = (
                split
                if valid is None
                else from_buffers(string, count, [valid, *split.buffers()[1:]], nulls)
            )
        return packed if final is string else packed.cast(final, memory_pool=pool)

    return pack_text


class ParquetWriter:
    """Parquet with a real schema, written in row groups of exactly ``row_group_size`` rows
    (the last one excepted)."""

    def __init__(self, file: IO[bytes], columns: Sequence[Column], row_group_size: int) -> None:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
        self._pa = pa
        self._schema = arrow_schema(columns)
        # The writer's own buffers in malloc's memory (pyarrow's default pool keeps more of
        # what a written row group used).
        self._writer = pq.ParquetWriter(
            file, self._schema, compression="zstd", memory_pool=pa.system_memory_pool()
        )
        self._to_batch = arrow_batch_builder(columns)
        self._row_group_size = row_group_size
        self._batches: list[Any] = []
        self._buffered = 0

    def write_records(self, records: Sequence[Any]) -> int:
        """Write Arrow record batches (what :func:`~._encode.arrow_encoder` gives)."""
        rows = 0
        for batch in records:
            self._batches.append(batch)
            rows += batch.num_rows
        self._buffered += rows
        while self._buffered >= self._row_group_size:
            self._flush(self._row_group_size)
        return rows

    def write(self, rows: Sequence[Any]) -> None:
        if rows:
            self.write_records([self._to_batch(rows)])

    def _flush(self, limit: int | None = None) -> None:
        """Write ``limit`` buffered rows (all of them for None) as one row group."""
        if not self._batches:
            return
        table = self._pa.Table.from_batches(self._batches, schema=self._schema)
        if limit is not None and table.num_rows > limit:
            rest = table.slice(limit)
            table = table.slice(0, limit)
            self._batches = rest.to_batches()
        else:
            self._batches = []
        self._buffered -= table.num_rows
        self._writer.write_table(table, row_group_size=self._row_group_size)
        del table
        # Hand back what the row group's encoding took from pyarrow's default pool (part of
        # the writer allocates there whatever pool it is given).
        self._pa.default_memory_pool().release_unused()
        self._pa.system_memory_pool().release_unused()

    def close(self) -> None:
        self._flush()
        self._writer.close()
