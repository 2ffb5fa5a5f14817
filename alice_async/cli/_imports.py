"""``alice contacts import``: a CSV file into a phonebook, with progress, rejects and resume.

The upload is :meth:`~alice_async.resources.contacts.Contacts.bulk_create` fed by
:func:`~alice_async.read_contacts_csv`. Its result names rejected rows by their index among the
data rows; :func:`raw_rows` reads the file again with the same numbering (header excluded,
blank lines skipped, unreadable lines counted) so the rejects file can repeat each rejected row
exactly as it was, plus a ``reason`` column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from .._client import AliceClient
from ..bulk import BulkResult, BulkUploadError, DuplicateReason, read_contacts_csv
from . import _output
from ._runtime import CliError, Settings

__all__ = ["ImportOptions", "import_contacts", "raw_rows", "reject_reasons", "write_rejects"]

_ENCODING = "utf-8-sig"
_DUPLICATE_REASONS = {
    DuplicateReason.ALREADY_IN_ACCOUNT: "duplicate: the number is already in the account",
    DuplicateReason.REPEATED_IN_INPUT: "duplicate: the number appears earlier in the file",
}


@attrs.frozen
class ImportOptions:
    """The options of ``alice contacts import`` (see its ``--help``)."""

    file: Path
    phonebook: int
    checkpoint: Path | None = None
    rejects: Path | None = None
    chunk_size: int | None = None
    concurrency: int | None = None
    json_output: bool = False


def raw_rows(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    """The header and the data rows of a CSV file, numbered as ``read_contacts_csv`` numbers them.

    A line the CSV reader cannot parse comes back as an empty list, so the numbering holds.
    """
    file = path.open(encoding=_ENCODING, newline="")
    reader = csv.reader(file, strict=True)
    try:
        header = next(reader, [])
    except csv.Error:
        file.close()
        raise

    def rows() -> Iterator[list[str]]:
        with file:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    yield []
                    continue
                if cells:
                    yield cells

    return header, rows()


def count_rows(path: Path) -> int:
    """How many data rows the upload will read from ``path``."""
    _, rows = raw_rows(path)
    return sum(1 for _ in rows)


def reject_reasons(result: BulkResult) -> dict[int, str]:
    """Row index -> a readable reason, for every invalid or duplicate row of ``result``."""
    reasons: dict[int, str] = {}
    for invalid in result.invalid:
        reasons[invalid.row] = f"invalid {invalid.field}: {invalid.message}"
    for duplicate in result.duplicates:
        reasons[duplicate.row] = _DUPLICATE_REASONS.get(
            duplicate.reason, f"duplicate: {duplicate.reason}"
        )
    return reasons


def write_rejects(source: Path, target: Path, reasons: dict[int, str]) -> int:
    """Copy the rows of ``source`` named in ``reasons`` to ``target`` with a ``reason`` column.

    Rows keep their original cells (a malformed row is padded or cut to the header's width;
    its reason says what was wrong). The file is UTF-8 with a byte-order mark, as spreadsheets
    expect, and it can be fixed and imported again (the ``reason`` column is ignored).

    Returns:
        The number of rows written.
    """
    header, rows = raw_rows(source)
    width = len(header)
    written = 0
    with target.open("w", encoding=_ENCODING, newline="") as file:
        writer = csv.writer(file)
        writer.writerow([*header, "reason"])
        for index, cells in enumerate(rows):
            reason = reasons.get(index)
            if reason is None:
                continue
            if len(cells) != width:
                cells = (cells + [""] * width)[:width]
            writer.writerow([*cells, reason])
            written += 1
    return written


def _summary(options: ImportOptions, result: BulkResult, rejected: int | None) -> dict[str, Any]:
    return {
        "file": str(options.file),
        "phonebook": options.phonebook,
        "rows_read": result.rows_read,
        "created": result.created,
        "duplicates": len(result.duplicates),
        "invalid": len(result.invalid),
        "pending": result.pending,
        "rejects_file": None if rejected is None else str(options.rejects),
        "rejects_written": rejected,
    }


def import_contacts(settings: Settings, options: ImportOptions) -> None:
    """Run the import; print a summary line (or JSON); exit 1 when the upload stopped."""
    console = _output.err_console()
    tuning: dict[str, Any] = {}
    if options.chunk_size is not None:
        tuning["chunk_size"] = options.chunk_size
    if options.concurrency is not None:
        tuning["concurrency"] = options.concurrency

    async def upload(client: AliceClient) -> BulkResult:
        total = count_rows(options.file)
        progress = Progress(
            TextColumn("importing {task.fields[name]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,  # no progress residue in logs and pipes
        )
        with progress:
            task = progress.add_task("import", total=total, name=options.file.name, rate="")

            def on_progress(done: int, _total: int | None, rate: float) -> None:
                progress.update(task, completed=done, rate=f"{rate:,.0f} rows/s")

            try:
                return await client.contacts.bulk_create(
                    options.phonebook,
                    read_contacts_csv(options.file),
                    checkpoint=options.checkpoint,
                    on_progress=on_progress,
                    **tuning,
                )
            except BulkUploadError as exc:
                # Keep what is known (the rejects so far), then fail in one line.
                raise CliError(_stopped_message(options, exc)) from exc

    async def upload_and_report(client: AliceClient) -> dict[str, Any]:
        try:
            result = await upload(client)
            return _report(options, result, console)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CliError(f"cannot read {options.file} as UTF-8 CSV: {exc}") from exc

    summary = settings.run(upload_and_report)
    if options.json_output:
        _output.print_json(summary)
    else:
        line = (
            f"imported {options.file.name} into phonebook {options.phonebook}: "
            f"rows {summary['rows_read']:,}, created {summary['created']:,}, "
            f"duplicates {summary['duplicates']:,}, invalid {summary['invalid']:,}"
        )
        if summary["rejects_file"]:
            line += f"; rejects in {summary['rejects_file']}"
        _output.out_console().print(line, soft_wrap=True)


def _report(options: ImportOptions, result: BulkResult, console: Console) -> dict[str, Any]:
    """Write the rejects file (or say how to get one); the summary as JSON data."""
    reasons = reject_reasons(result)
    rejected: int | None = None
    if options.rejects is not None:
        rejected = write_rejects(options.file, options.rejects, reasons)
    elif reasons:
        console.print(
            f"rejected rows: {len(reasons):,}; pass --rejects FILE to keep them with reasons"
        )
    return _summary(options, result, rejected)


def _stopped_message(options: ImportOptions, exc: BulkUploadError) -> str:
    """One line for an upload that stopped: the cause, what was done, how to go on."""
    result = exc.result
    reasons = reject_reasons(result)
    message = (
        f"the upload stopped ({exc.reason}): {exc} — created {result.created:,}, "
        f"duplicates {len(result.duplicates):,}, invalid {len(result.invalid):,}, "
        f"unsettled {result.pending:,}"
    )
    if options.rejects is not None:
        write_rejects(options.file, options.rejects, reasons)
        message += f"; rejects so far in {options.rejects}"
    if options.checkpoint is not None:
        message += f"; run the same command again to resume from {options.checkpoint}"
    return message
