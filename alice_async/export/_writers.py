"""One writer per export format; each takes batches of model rows and writes them at once.

Writers receive an open file object (the temporary file) and never hold more than the batch
they are given, except the Parquet writer, which gathers Arrow record batches (compact,
columnar memory) until a row group is full.
"""

from __future__ import annotations

import csv
import importlib
import io
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
    form (see :mod:`._encode`), into one Arrow ``RecordBatch``: Arrow converts each list at
    once (datetime text cast to ``timestamp[us, UTC]`` in C)."""
    pa = importlib.import_module("pyarrow")
    schema = arrow_schema(columns)
    text = pa.string()
    timestamps = [column.kind == "datetime" for column in columns]

    def build(values: Sequence[Any]) -> Any:
        arrays = []
        for column, field, is_time in zip(values, schema, timestamps, strict=True):
            if is_time:
                arrays.append(pa.array(column, type=text).cast(field.type))
            else:
                arrays.append(pa.array(column, type=field.type))
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    return build


class ParquetWriter:
    """Parquet with a real schema, written in row groups of ``row_group_size`` rows."""

    def __init__(self, file: IO[bytes], columns: Sequence[Column], row_group_size: int) -> None:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
        self._pa = pa
        self._schema = arrow_schema(columns)
        self._writer = pq.ParquetWriter(file, self._schema, compression="zstd")
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
        if self._buffered >= self._row_group_size:
            self._flush()
        return rows

    def write(self, rows: Sequence[Any]) -> None:
        if not rows:
            return
        self._batches.append(self._to_batch(rows))
        self._buffered += len(rows)
        if self._buffered >= self._row_group_size:
            self._flush()

    def _flush(self) -> None:
        if self._batches:
            table = self._pa.Table.from_batches(self._batches, schema=self._schema)
            self._writer.write_table(table, row_group_size=self._row_group_size)
        self._batches = []
        self._buffered = 0

    def close(self) -> None:
        self._flush()
        self._writer.close()
