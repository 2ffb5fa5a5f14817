"""Reading contacts from a CSV file, lazily, for :meth:`Contacts.bulk_create`."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Mapping
from typing import Any

from .._exceptions import InvalidInputError
from ._rows import MalformedRow

__all__ = ["read_contacts_csv"]


def read_contacts_csv(
    path: str | os.PathLike[str],
    *,
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
) -> Iterator[dict[str, Any] | MalformedRow]:
    """Yield the contacts of a CSV file as dicts with the API's field names, one row at a time.

    The first line is the header. Without ``mapping`` the columns must be named after the API
    fields (``contact``, ``first_name``, ``email``...); with it, ``mapping`` renames CSV columns
    to API fields and columns not in it are ignored. Empty cells are left out (not sent).
    ``utf-8-sig`` reads UTF-8 with or without a byte-order mark (as Excel writes it), so
    Vietnamese names round-trip. A ``status`` cell of digits is read as an integer. A line that
    cannot be read (a wrong number of cells, a broken quote) is yielded as a
    :class:`MalformedRow`, which a bulk upload reports as invalid; the file is never loaded
    whole.

    Args:
        path: the CSV file.
        mapping: CSV column name -> API field name (``{"Phone": "contact"}``).
        encoding: the file's encoding.
        delimiter: the cell separator (``";"`` for many European spreadsheets).

    Raises:
        InvalidInputError: ``mapping`` names a column the header does not have.

    Example::

        mapping = {"Phone": "contact", "Name": "first_name", "Email": "email"}
        rows = read_contacts_csv("customers.csv", mapping=mapping)
        result = await client.contacts.bulk_create(book.id, rows)
    """
    with open(path, encoding=encoding, newline="") as file:
        reader = csv.reader(file, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        columns = _columns(header, mapping)
        width = len(header)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield MalformedRow(f"line {reader.line_num}: {exc}")
                continue
            if not cells:
                continue  # a blank line
            if len(cells) != width:
                yield MalformedRow(
                    f"line {reader.line_num}: expected {width} cells, got {len(cells)}"
                )
                continue
            yield _row(cells, columns)


def _row(cells: list[str], columns: list[tuple[int, str]]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for index, field in columns:
        value = cells[index]
        if value == "":
            continue
        if field == "status" and value.strip().isdigit():
            row[field] = int(value)  # a CSV cell is text; the API's status is 0 or 1
        else:
            row[field] = value
    return row


def _columns(header: list[str], mapping: Mapping[str, str] | None) -> list[tuple[int, str]]:
    """``(cell index, API field)`` for the columns that are read."""
    names = [name.strip() for name in header]
    if mapping is None:
        return list(enumerate(names))
    missing = [column for column in mapping if column not in names]
    if missing:
        raise InvalidInputError("mapping", missing[0], f"not a column of the CSV header {names}")
    return [(names.index(column), field) for column, field in mapping.items()]
