"""``export_pages``: stream pages of model rows into a file, atomically."""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any, Literal, get_args

from .._exceptions import InvalidInputError, MissingDependencyError
from .._pagination import AsyncPaginator, Page
from .._progress import ProgressHandler, legacy_export, progress_reporter
from .._validation import int_range
from ._columns import columns_of
from ._encode import TextEncoder, arrow_encoder, text_encoder
from ._writers import CsvWriter, JsonlWriter, ParquetWriter, RowWriter

__all__ = [
    "DEFAULT_ROW_GROUP_SIZE",
    "FORMATS",
    "ExportFormat",
    "MissingDependencyError",
    "ProgressCallback",
    "check_export",
    "check_format",
    "check_progress",
    "export_pages",
    "export_paginator",
]

ExportFormat = Literal["csv", "jsonl", "parquet"]
"""The formats :func:`export_pages` writes."""

FORMATS: tuple[str, ...] = get_args(ExportFormat)

ProgressCallback = ProgressHandler | Callable[[int, int | None], object]
"""``on_progress(progress)``, called after every page written, with a
:class:`~alice_async.Progress` whose ``total`` is the ``count`` the server reported on the first
page of the pull. Deprecated but kept: a callback of several positional parameters gets
``(rows_written, total_or_None)``."""

DEFAULT_ROW_GROUP_SIZE = 65_536


def check_format(format: str) -> ExportFormat:
    """Validate ``format`` (and that pyarrow is importable for ``"parquet"``).

    Raises:
        InvalidInputError: an unknown format.
        MissingDependencyError: ``"parquet"`` without pyarrow installed.
    """
    if format not in FORMATS:
        raise InvalidInputError("format", format, f"must be one of {', '.join(FORMATS)}")
    if format == "parquet":
        try:
            importlib.import_module("pyarrow.parquet")
        except ImportError as exc:
            raise MissingDependencyError(
                "Parquet export needs pyarrow, which is not installed: "
                "pip install 'alice-sdk[parquet]'",
                extra="parquet",
                name="pyarrow",
            ) from exc
    return format  # type: ignore[return-value]


def check_progress(on_progress: Any) -> None:
    """Refuse an ``on_progress`` that is neither ``None`` nor callable.

    Raises:
        InvalidInputError: it cannot be called.
    """
    if on_progress is not None and not callable(on_progress):
        raise InvalidInputError("on_progress", on_progress, "must be callable or None")


def check_export(format: str, on_progress: Any) -> ExportFormat:
    """Check an export's ``format`` and ``on_progress`` before any request is made.

    Raises:
        InvalidInputError: an unknown format or an ``on_progress`` that cannot be called.
        MissingDependencyError: ``"parquet"`` without pyarrow installed.
    """
    checked = check_format(format)
    check_progress(on_progress)
    return checked


def _open_writer(
    format: ExportFormat, file: IO[bytes], model: type[Any], row_group_size: int
) -> RowWriter:
    columns = columns_of(model)
    if format == "csv":
        return CsvWriter(file, columns)
    if format == "jsonl":
        return JsonlWriter(file, columns)
    return ParquetWriter(file, columns, row_group_size)


def _temporary_path(target: Path) -> Path:
    # In the target's directory, so that os.replace() is an atomic rename on one filesystem.
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")


async def export_pages(
    pages: AsyncIterator[Page[Any]],
    path: str | os.PathLike[str],
    *,
    format: str,
    model: type[Any],
    on_progress: ProgressCallback | None = None,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
    encoded: bool = False,
) -> int:
    """Write every row of ``pages`` (instances of the attrs class ``model``) to ``path``.

    The rows go to a hidden temporary file in the same directory (``.<name>.<random>.part``),
    which is flushed, synced and renamed over ``path`` (``os.replace``) once the last page is
    written; on any failure, cancellation included, the temporary file is removed and
    ``path`` is left as it was. Memory stays constant: one page at a time (one row group of
    Arrow data for Parquet). Columns are the model's fields, in order.

    Args:
        pages: an async iterator of :class:`~alice_async.Page` (``paginator.pages()``).
        path: the file to create or replace.
        format: ``"csv"``, ``"jsonl"`` or ``"parquet"``.
        model: the attrs class of the rows (it defines the columns).
        on_progress: ``on_progress(progress)`` after every page (a
            :class:`~alice_async.Progress`; a callback of two positional parameters gets the
            deprecated ``(rows_written, total_or_None)``).
        row_group_size: rows per Parquet row group.
        encoded: the pages hold the format's records (from :func:`text_encoder` or
            :func:`arrow_encoder`), not model rows.

    Returns:
        The number of rows written.

    Raises:
        InvalidInputError: an unknown ``format``.
        MissingDependencyError: ``"parquet"`` without the ``alice-sdk[parquet]`` extra.
    """
    checked = check_export(format, on_progress)
    int_range("row_group_size", row_group_size, 1)
    progress = progress_reporter(on_progress, "export", legacy_export)
    target = Path(path)
    temporary = _temporary_path(target)
    written = 0
    total: int | None = None
    try:
        # Local-disk writes happen inline, a page at a time: they are short, buffered, and
        # keep memory constant without a thread per page.
        with open(temporary, "xb") as file:  # noqa: ASYNC230
            writer = _open_writer(checked, file, model, row_group_size)
            async for page in pages:
                if total is None:
                    total = page.count
                if encoded:
                    written += writer.write_records(page.items)
                else:
                    writer.write(page.items)
                    written += len(page.items)
                if progress is not None:
                    progress.report(written, total)
            writer.close()
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        aclose = getattr(pages, "aclose", None)
        if aclose is not None:
            await aclose()
    return written


_ENCODERS: dict[tuple[type[Any], str], TextEncoder | None] = {}


def _encoder(model: type[Any], format: ExportFormat) -> TextEncoder | None:
    key = (model, format)
    if key not in _ENCODERS:
        if format == "parquet":
            _ENCODERS[key] = arrow_encoder(model)
        else:
            _ENCODERS[key] = text_encoder(model, csv=format == "csv")
    return _ENCODERS[key]


async def export_paginator(
    paginator: AsyncPaginator[Any],
    path: str | os.PathLike[str],
    *,
    format: str,
    model: type[Any],
    on_progress: ProgressCallback | None = None,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
) -> int:
    """:func:`export_pages` of a paginator of ``model`` rows, the cheapest way its format allows.

    Every format is written from the JSON rows (:func:`text_encoder`, :func:`arrow_encoder`):
    no model per row where the file would be the same.
    """
    checked = check_export(format, on_progress)
    encoder = _encoder(model, checked)
    source = paginator if encoder is None else paginator._parsed_with(encoder)
    pages = source.pages()
    return await export_pages(
        pages,
        path,
        format=checked,
        model=model,
        on_progress=on_progress,
        row_group_size=row_group_size,
        encoded=encoder is not None,
    )
