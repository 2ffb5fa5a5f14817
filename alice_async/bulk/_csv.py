"""Reading contacts from a CSV file, lazily, for :meth:`Contacts.bulk_create`."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ._readers import ContactReader
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
    :class:`MalformedRow`, which a bulk upload reports as invalid, and reading resumes on the
    next line (a quote left open costs one line, not the rest of the file); the file is never
    loaded whole. :func:`~alice_async.read_contacts` also detects the delimiter and encoding
    and reads Excel workbooks.

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
    reader = ContactReader(
        Path(path),
        mapping=mapping,
        delimiter=delimiter,
        encoding=encoding,
        strict_mapping=True,
        require_contact=False,
        text_only=True,
    )
    yield from reader
