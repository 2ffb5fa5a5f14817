"""``alice contacts import``: a CSV or Excel file into a phonebook, with progress, rejects, resume.

The upload is :meth:`~alice_async.resources.contacts.Contacts.bulk_create` fed by
:func:`~alice_async.read_contacts`. Its result names rejected rows by their index among the
file's records; the reader's :meth:`~alice_async.ContactReader.records` gives the same
numbering with each record's original cells, so the rejects file repeats each rejected row
exactly as it was, plus a ``reason`` column.
"""

from __future__ import annotations

import csv
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from .._client import AliceClient
from .._phone import PhoneFormat
from ..bulk import BulkResult, BulkUploadError, ContactReader, DuplicateReason, read_contacts
from ..models.progress import Progress as OperationProgress
from . import _output
from ._runtime import EXIT_INTERRUPTED, CliError, Settings

__all__ = ["ImportOptions", "import_contacts", "reject_reasons", "write_rejects"]

_ENCODING = "utf-8-sig"
_DUPLICATE_REASONS = {
    DuplicateReason.ALREADY_IN_ACCOUNT: "duplicate: the number is already in the account",
    DuplicateReason.REPEATED_IN_INPUT: "duplicate: the number appears earlier in the file",
}
_DO_NOT_CALL = "do_not_call: the number is on a do-not-call list"


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
    delimiter: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    sheet: str | None = None
    region: str | None = "VN"
    phone_format: PhoneFormat = "national"
    skip_dnc: bool = False


def open_reader(options: ImportOptions) -> ContactReader:
    """The file's reader: its header is read and the mapping checked at once."""
    return read_contacts(
        options.file,
        mapping=dict(options.mapping) or None,
        delimiter=options.delimiter,
        sheet=options.sheet,
    )


def reject_reasons(result: BulkResult) -> dict[int, str]:
    """Row index -> a readable reason, for every row of ``result`` that was not created."""
    reasons: dict[int, str] = {}
    for invalid in result.invalid:
        reasons[invalid.row] = f"invalid {invalid.field}: {invalid.message}"
    for duplicate in result.duplicates:
        reasons[duplicate.row] = _DUPLICATE_REASONS.get(
            duplicate.reason, f"duplicate: {duplicate.reason}"
        )
    for screened in result.do_not_call:
        reasons[screened.row] = _DO_NOT_CALL
    return reasons


def rejects_by_reason(result: BulkResult) -> dict[str, int]:
    """How many rows were rejected for each reason (``invalid_contact``, ``do_not_call``...)."""
    counts: Counter[str] = Counter(f"invalid_{item.field}" for item in result.invalid)
    counts.update(str(item.reason) for item in result.duplicates)
    counts.update(item.reason for item in result.do_not_call)
    return dict(sorted(counts.items()))


def write_rejects(reader: ContactReader, target: Path, reasons: dict[int, str]) -> int:
    """Copy the records of ``reader`` named in ``reasons`` to ``target`` with a ``reason`` column.

    Rows keep their original cells (a malformed row is padded or cut to the header's width;
    its reason says what was wrong). The file is CSV in UTF-8 with a byte-order mark, as
    spreadsheets expect, and it can be fixed and imported again (the ``reason`` column is
    ignored).

    Returns:
        The number of rows written.
    """
    header = reader.header
    width = len(header)
    written = 0
    with target.open("w", encoding=_ENCODING, newline="") as file:
        writer = csv.writer(file)
        writer.writerow([*header, "reason"])
        for index, record in enumerate(reader.records()):
            reason = reasons.get(index)
            if reason is None:
                continue
            cells = record.cells
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
        "do_not_call": len(result.do_not_call),
        "pending": result.pending,
        "rejects_by_reason": rejects_by_reason(result),
        "rejects_file": None if rejected is None else str(options.rejects),
        "rejects_written": rejected,
        "already_finished": result.already_finished,
    }


def resume_command() -> str:
    """The command line that was run, to be run again (it resumes from its checkpoint)."""
    return shlex.join(["alice", *sys.argv[1:]])


def import_contacts(settings: Settings, options: ImportOptions) -> None:
    """Run the import; print a summary line (or JSON).

    Exits 1 when the upload stopped or every row of the file was invalid; 2 for a file or
    checkpoint that does not fit (a wrong mapping, another input under the same checkpoint).
    """
    console = _output.err_console()
    tuning: dict[str, Any] = {}
    if options.chunk_size is not None:
        tuning["chunk_size"] = options.chunk_size
    if options.concurrency is not None:
        tuning["concurrency"] = options.concurrency

    async def upload(client: AliceClient, reader: ContactReader) -> BulkResult:
        total = reader.count()
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

            def on_progress(status: OperationProgress) -> None:
                progress.update(task, completed=status.done, rate=f"{status.rate:,.0f} rows/s")

            try:
                return await client.contacts.bulk_create(
                    options.phonebook,
                    reader,
                    checkpoint=options.checkpoint,
                    on_progress=on_progress,
                    region=options.region,
                    phone_format=options.phone_format,
                    skip_dnc=options.skip_dnc,
                    **tuning,
                )
            except BulkUploadError as exc:
                # Keep what is known (the rejects so far), then fail in one line.
                raise CliError(_stopped_message(options, reader, exc)) from exc

    async def upload_and_report(client: AliceClient) -> dict[str, Any]:
        reader = open_reader(options)  # before any checkpoint: a wrong file fails here
        try:
            result = await upload(client, reader)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CliError(f"cannot read {options.file}: {exc}") from exc
        return _report(options, reader, result, console)

    try:
        summary = settings.run(upload_and_report)
    except typer.Exit as exc:
        if exc.exit_code == EXIT_INTERRUPTED and options.checkpoint is not None:
            console.print(f"to resume, run: {resume_command()}", soft_wrap=True, highlight=False)
        raise
    if options.json_output:
        _output.print_json(summary)
    else:
        _output.out_console().print(_summary_line(options, summary), soft_wrap=True)


def _summary_line(options: ImportOptions, summary: dict[str, Any]) -> str:
    if summary["already_finished"]:
        line = (
            f"{options.file.name} was imported already (the checkpoint {options.checkpoint} "
            f"is finished); nothing was sent now. Earlier runs: rows {summary['rows_read']:,}, "
            f"created {summary['created']:,}"
        )
    else:
        line = (
            f"imported {options.file.name} into phonebook {options.phonebook}: "
            f"rows {summary['rows_read']:,}, created {summary['created']:,}, "
            f"duplicates {summary['duplicates']:,}, invalid {summary['invalid']:,}, "
            f"do-not-call {summary['do_not_call']:,}"
        )
    by_reason = summary["rejects_by_reason"]
    if by_reason:
        line += "; rejected: " + ", ".join(f"{k} {v:,}" for k, v in by_reason.items())
    if summary["rejects_file"]:
        line += f"; rejects in {summary['rejects_file']}"
    return line


def _report(
    options: ImportOptions, reader: ContactReader, result: BulkResult, console: Console
) -> dict[str, Any]:
    """Write the rejects file (or say how to get one); the summary as JSON data.

    Raises:
        CliError: every row of the file was invalid (nothing could be imported).
    """
    reasons = reject_reasons(result)
    rejected: int | None = None
    if options.rejects is not None:
        rejected = write_rejects(reader, options.rejects, reasons)
    nothing = result.rows_read == 0 or len(result.invalid) == result.rows_read
    if reasons and options.rejects is None and not nothing:
        console.print(
            f"rejected rows: {len(reasons):,}; pass --rejects FILE to keep them with reasons"
        )
    if nothing:
        where = (
            f"; see {options.rejects}"
            if options.rejects is not None
            else "; pass --rejects FILE to see each row with its reason"
        )
        reasons_text = ", ".join(f"{k} {v:,}" for k, v in rejects_by_reason(result).items())
        raise CliError(
            f"nothing imported from {options.file}: "
            + (
                f"all {result.rows_read:,} rows are invalid ({reasons_text}){where}"
                if result.rows_read
                else "the file has no data rows"
            )
        )
    return _summary(options, result, rejected)


def _stopped_message(options: ImportOptions, reader: ContactReader, exc: BulkUploadError) -> str:
    """One line for an upload that stopped: the cause, what was done, how to go on."""
    result = exc.result
    reasons = reject_reasons(result)
    message = (
        f"the upload stopped ({exc.reason}): {exc} — created {result.created:,}, "
        f"duplicates {len(result.duplicates):,}, invalid {len(result.invalid):,}, "
        f"do-not-call {len(result.do_not_call):,}, unsettled {result.pending:,}"
    )
    if options.rejects is not None:
        write_rejects(reader, options.rejects, reasons)
        message += f"; rejects so far in {options.rejects}"
    if options.checkpoint is not None:
        message += f"; to resume, run: {resume_command()}"
    return message
