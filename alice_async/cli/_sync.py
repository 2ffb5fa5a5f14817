"""``alice cdr sync``: land new call records in a DuckDB file or a Parquet dataset.

The work is :meth:`~alice_async.resources.cdr.Cdrs.sync` (state committed with the data,
exactly once across crashes); this module picks the destination from ``--to``, parses
``--lateness``, and adds the progress line and the one-line summary. ``_app`` imports this
module last, which registers the command on the ``cdr`` group.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, TextColumn, TimeElapsedColumn

from .._client import AliceClient
from ..models.progress import Progress as OperationProgress
from ..sinks import DEFAULT_LATENESS, Destination, DuckDB, ParquetDataset, SyncResult
from . import _output
from ._app import (
    CallCampaignOption,
    DispositionOption,
    JsonOption,
    PhoneNumberOption,
    _settings,
    call_filters,
    cdr_app,
    parse_instant,
)
from ._runtime import EXIT_USAGE, fail

__all__ = ["cdr_sync", "destination_for", "parse_lateness"]

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DUCKDB_SUFFIXES = (".duckdb", ".ddb", ".db")


def parse_lateness(value: str | timedelta) -> timedelta:
    """``90m``, ``2h``, ``1d``, ``3600`` (seconds) as a timedelta (the default passes as is)."""
    if isinstance(value, timedelta):
        return value
    match = _DURATION.fullmatch(value)
    if match is None:
        raise typer.BadParameter(f"{value!r} is not a duration such as 90m, 2h or 1d")
    return timedelta(seconds=float(match[1]) * _UNITS[match[2]])


def destination_for(target: str, table: str) -> Destination:
    """A DuckDB file for ``*.duckdb``/``*.ddb``/``*.db``, else a Parquet dataset directory."""
    path = Path(target)
    if path.suffix.lower() in _DUCKDB_SUFFIXES and not target.endswith(("/", "\\")):
        return DuckDB(path, table=table)
    return ParquetDataset(path)


def _summary(target: str, result: SyncResult) -> dict[str, Any]:
    high = result.high_water
    return {
        "destination": target,
        "written": result.written,
        "skipped": result.skipped,
        "commits": result.commits,
        "from_date": None if result.from_date is None else result.from_date.isoformat(),
        "high_water": None
        if high is None or high.starting_date is None
        else {"starting_date": high.starting_date.isoformat(), "id": high.id},
    }


@cdr_app.command("sync")
def cdr_sync(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="TARGET",
            help="calls.duckdb (a DuckDB file) or lake/cdr/ (a Parquet dataset directory).",
            show_default=False,
        ),
    ],
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            parser=parse_instant,
            metavar="ISO",
            help="Where the first run starts (UTC when no offset is given).",
            show_default=False,
        ),
    ] = None,
    all_history: Annotated[
        bool, typer.Option("--all-history", help="First run: take the whole history.")
    ] = False,
    lateness: Annotated[
        timedelta,
        typer.Option(
            "--lateness",
            parser=parse_lateness,
            metavar="DURATION",
            help="How late a record may be written after its call started (re-read window).",
        ),
    ] = DEFAULT_LATENESS,
    table: Annotated[str, typer.Option("--table", help="DuckDB table name.")] = "cdr",
    campaign: CallCampaignOption = None,
    disposition: DispositionOption = None,
    phone_number: PhoneNumberOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add the call records not yet in TARGET to it, exactly once (incremental)."""
    if since is not None and all_history:
        fail("--since and --all-history exclude each other", EXIT_USAGE)
    filters = call_filters(campaign, disposition, phone_number)
    first: dict[str, Any] = {"since": None} if all_history else {}
    if since is not None:
        first = {"since": since}
    destination = destination_for(to, table)
    console = _output.err_console()

    async def run(client: AliceClient) -> SyncResult:
        progress = Progress(
            TextColumn(f"syncing into {to}: "),
            TextColumn("{task.fields[written]:,} written, {task.fields[skipped]:,} already there"),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        with progress:
            task = progress.add_task("sync", total=None, written=0, skipped=0)

            def on_progress(status: OperationProgress) -> None:
                progress.update(task, written=status.done, skipped=status.skipped)

            return await client.cdr.sync(
                destination, lateness=lateness, on_progress=on_progress, **first, **filters
            )

    result = _settings(ctx).run(run)
    summary = _summary(to, result)
    if json_output:
        _output.print_json(summary)
        return
    high = summary["high_water"]
    _output.out_console().print(
        f"synced {result.written:,} new call records into {to} "
        f"({result.skipped:,} already there; high-water "
        f"{high['starting_date'] if high else 'none'})",
        soft_wrap=True,
    )
