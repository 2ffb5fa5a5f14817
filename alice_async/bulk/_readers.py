"""Reading contact files as people keep them: CSV/TSV/TXT and Excel workbooks, no row lost.

:func:`read_contacts` opens a file, reads its header and checks the column mapping at once
(so a wrong file fails before anything is sent), then streams the rows. Every record of the
file is accounted for: it becomes a row dict, or a :class:`MalformedRow` naming its line.

CSV recovery: a quote that runs past its line (an unterminated quote, or a stray quote in
the middle of a cell) makes the CSV parser swallow the following lines. When the record it
builds spans several lines and has the wrong number of cells, or runs to the end of the file,
only its **first line** is reported and reading resumes on the next line. A legitimate
multi-line quoted cell (the right number of cells) is read normally.

Encodings: UTF-8 with or without a byte-order mark and UTF-16 (Excel's "Unicode text", with
or without a BOM) are detected; a line whose bytes are not valid in the file's encoding is
reported, not guessed. The delimiter (``,`` ``;`` tab ``|``) is detected from the header line
unless given. Header names and text cells are Unicode NFC. Lines that are empty or hold only
delimiters are not records.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import importlib
import os
from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, NamedTuple

from .._contact_rules import CONTACT_FIELDS, nfc
from .._exceptions import InvalidInputError
from ._rows import MalformedRow

__all__ = ["ContactReader", "Record", "read_contacts"]

DELIMITERS = (",", ";", "\t", "|")
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")


class Record(NamedTuple):
    """One record of a file: its first line (1-based), its cells, and what is wrong with it."""

    line: int
    cells: list[str]
    problem: str | None = None


def read_contacts(
    path: str | os.PathLike[str],
    *,
    mapping: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> ContactReader:
    """Open a contact file (``.csv``, ``.tsv``, ``.txt`` or ``.xlsx``) for a bulk upload.

    The first non-empty line (row) is the header. Columns named after the API fields
    (``contact``, ``first_name``, ``email``...; any case) are read as such; ``mapping`` names
    the others (``{"Số điện thoại": "contact"}``), in any language. Empty cells are left out.
    The returned reader yields one dict per row, or a :class:`MalformedRow` for a line that
    cannot be read; it can be iterated more than once (each time from the start).

    Args:
        path: the file; ``.xlsx`` needs the ``excel`` extra (``openpyxl``).
        mapping: file column name -> API field name.
        delimiter: the cell separator of a text file; detected when ``None``.
        sheet: the worksheet of a workbook, by name or 0-based index (default: the first).
        encoding: the text file's encoding; detected (UTF-8 or UTF-16) when ``None``.

    Raises:
        InvalidInputError: the file type is not supported, ``mapping`` names a column the
            header lacks, or no column holds the phone number (``contact``).
        OSError: the file cannot be opened.

    Example::

        rows = read_contacts("Khách hàng.xlsx", mapping={"Số điện thoại": "contact"})
        result = await client.contacts.bulk_create(book.id, rows)
    """
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise InvalidInputError("delimiter", delimiter, "expected one character, e.g. ';'")
    return ContactReader(
        Path(path), mapping=mapping, delimiter=delimiter, sheet=sheet, encoding=encoding
    )


class ContactReader:
    """The rows of a contact file (see :func:`read_contacts`); iterable, re-iterable."""

    def __init__(
        self,
        path: Path,
        *,
        mapping: Mapping[str, str] | None = None,
        delimiter: str | None = None,
        sheet: str | int | None = None,
        encoding: str | None = None,
        strict_mapping: bool = False,
        require_contact: bool = True,
        text_only: bool = False,
    ) -> None:
        self.path = path
        suffix = path.suffix.lower()
        if text_only:
            self.excel = False
        elif suffix in _EXCEL_SUFFIXES:
            self.excel = True
        elif suffix in _TEXT_SUFFIXES or suffix == "":
            self.excel = False
        else:
            raise InvalidInputError("path", str(path), "expected a .csv, .tsv, .txt or .xlsx file")
        self.sheet = sheet
        self.encoding = encoding
        self.delimiter = delimiter
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except (LookupError, TypeError):
                raise InvalidInputError("encoding", encoding, "not a known encoding") from None
        if not self.excel:
            self.encoding = encoding or _detect_encoding(path)
        header = self._header()
        self.header = header
        self.columns = _columns(header, mapping, strict=strict_mapping)
        if require_contact and header and "contact" not in (field for _, field in self.columns):
            hint = ""
            if len(header) == 1 and any(d in header[0] for d in DELIMITERS):
                hint = " (the header is one cell: is the delimiter right?)"
            raise InvalidInputError(
                "mapping",
                None,
                f"no column holds the phone number: the header is {header}{hint}; name one "
                "'contact' or map it, e.g. mapping={'Số điện thoại': 'contact'}",
            )

    # -- the header --------------------------------------------------------------------------

    def _header(self) -> list[str]:
        for record in self.records(header=True):
            return record.cells
        return []

    # -- records -----------------------------------------------------------------------------

    def records(self, *, header: bool = False) -> Iterator[Record]:
        """The header record (``header=True``) or the data records, in file order."""
        if self.excel:
            return _excel_records(self.path, self.sheet, header)
        return self._text_records(header)

    def _text_records(self, header: bool) -> Iterator[Record]:
        assert self.encoding is not None
        with open(self.path, encoding=self.encoding, errors="surrogateescape", newline="") as f:
            lines = _Lines(f)
            first = _first_line(lines)
            if first is None:
                return
            number, text = first
            if self.delimiter is None:
                self.delimiter = _detect_delimiter(text)
            head = next(csv.reader([text], delimiter=self.delimiter), [])
            if header:
                yield Record(number, [nfc(name.strip().lstrip("\ufeff")) for name in head])
                return
            yield from _csv_records(lines, self.delimiter, len(head), self.encoding)

    # -- rows --------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[dict[str, Any] | MalformedRow]:
        columns = self.columns
        for record in self.records():
            if record.problem is not None:
                yield MalformedRow(f"line {record.line}: {record.problem}")
            else:
                yield _row(record.cells, columns)

    def count(self) -> int:
        """How many records the file holds (reads it once)."""
        return sum(1 for _ in self.records())


class _Lines:
    """The physical lines of a text file with their numbers; lines can be pushed back."""

    def __init__(self, file: IO[str]) -> None:
        self.file = file
        self.back: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.back:
            item = self.back.popleft()
        else:
            text = self.file.readline()
            if not text:
                raise StopIteration
            self.number += 1
            item = (self.number, text)
        self.taken.append(item)
        return item[1]


def _first_line(lines: _Lines) -> tuple[int, str] | None:
    for text in lines:
        if text.strip():
            lines.taken = []
            return lines.number, text
    return None


def _csv_records(lines: _Lines, delimiter: str, width: int, encoding: str) -> Iterator[Record]:
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        taken: list[tuple[int, str]] = []
        lines.taken = taken
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if not taken:
                return
            yield _broken(lines, taken, f"{exc} (a quote that is not closed?)", delimiter)
            continue
        if not any(cells) or "".join(cells).isspace():
            continue  # an empty line, or only delimiters
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            cells = cells[:width]  # trailing empty cells, as spreadsheets write them
        if len(cells) != width:
            if len(taken) > 1:
                problem = f"a quote runs past this line (expected {width} cells)"
                yield _broken(lines, taken, problem, delimiter)
            else:
                yield Record(taken[0][0], cells, f"expected {width} cells, got {len(cells)}")
            continue
        bad = _undecodable(taken) if len(taken) > 1 or not taken[0][1].isascii() else None
        if bad is not None:
            yield Record(bad, cells, f"not valid {encoding} text (mixed encodings?)")
            continue
        yield Record(taken[0][0], cells)


def _broken(lines: _Lines, taken: list[tuple[int, str]], problem: str, delimiter: str) -> Record:
    """Report the first line of a record that swallowed others; read the others again."""
    lines.back.extendleft(reversed(taken[1:]))
    number, text = taken[0]
    cells = next(csv.reader([text.rstrip("\r\n")], delimiter=delimiter), [])
    return Record(number, cells, problem)


def _undecodable(taken: list[tuple[int, str]]) -> int | None:
    for number, text in taken:
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return number
    return None


def _detect_encoding(path: Path) -> str:
    with open(path, "rb") as file:
        head = file.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Without a BOM, UTF-16 text of mostly Latin letters has a zero in every other byte.
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > len(odd) // 3 and even.count(0) == 0:
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) > len(even) // 3 and odd.count(0) == 0:
        return "utf-16-be"
    return "utf-8"


def _detect_delimiter(header_line: str) -> str:
    """The candidate delimiter that occurs most often in the header (outside quotes)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _excel_records(path: Path, sheet: str | int | None, header: bool) -> Iterator[Record]:
    try:
        openpyxl: Any = importlib.import_module("openpyxl")
    except ImportError:
        raise InvalidInputError(
            "path", str(path), "reading .xlsx needs the 'excel' extra: pip install alice-sdk[excel]"
        ) from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as exc:  # openpyxl's and zipfile's errors for a file that is no workbook
        raise InvalidInputError(
            "path", str(path), f"not a readable .xlsx workbook ({exc})"
        ) from exc
    try:
        names = workbook.sheetnames
        if sheet is None:
            name = names[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
            name = names[sheet]
        elif isinstance(sheet, str) and sheet in names:
            name = sheet
        elif isinstance(sheet, str) and sheet.isdigit() and int(sheet) < len(names):
            name = names[int(sheet)]
        else:
            raise InvalidInputError("sheet", sheet, f"not a sheet of the workbook {names}")
        width = 0
        for number, values in enumerate(workbook[name].iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if not width:
                while cells and not cells[-1].strip():
                    cells.pop()
                if header:
                    yield Record(number, [nfc(cell.strip()) for cell in cells])
                    return
                width = len(cells)
                continue
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                yield Record(number, cells, f"cells beyond the header's {width} columns")
                continue
            yield Record(number, (cells + [""] * width)[:width])
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a person sees (numbers without a trailing ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _row(cells: list[str], columns: list[tuple[int, str]]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for index, field in columns:
        value = cells[index]
        if value == "" or value.isspace():
            continue
        if field == "status" and value.strip().isdigit():
            row[field] = int(value)  # a cell is text; the API's status is 0 or 1
        elif value.isascii() or field == "contact":
            row[field] = value
        else:
            row[field] = nfc(value)
    return row


def _columns(
    header: list[str], mapping: Mapping[str, str] | None, *, strict: bool
) -> list[tuple[int, str]]:
    """``(cell index, API field)`` for the columns that are read."""
    names = [nfc(name.strip()) for name in header]
    folded = [name.casefold() for name in names]
    if mapping is not None and not isinstance(mapping, Mapping):
        raise InvalidInputError("mapping", mapping, "expected a dict of column -> API field")
    columns: dict[int, str] = {}
    for column, field in (mapping or {}).items():
        if not strict and field not in CONTACT_FIELDS:
            raise InvalidInputError(
                "mapping", field, f"not an API field of a contact; expected one of {CONTACT_FIELDS}"
            )
        key = nfc(str(column).strip())
        if key in names:
            columns[names.index(key)] = field
        elif key.casefold() in folded:
            columns[folded.index(key.casefold())] = field
        else:
            raise InvalidInputError("mapping", column, f"not a column of the header {names}")
    if mapping is None or not strict:
        for index, name in enumerate(folded):
            if index not in columns and (mapping is None or name in CONTACT_FIELDS):
                columns[index] = name if name in CONTACT_FIELDS else names[index]
    return sorted(columns.items())
