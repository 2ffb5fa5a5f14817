"""``alice cdr export``: call records of a time range to a CSV, JSON Lines or Parquet file.

The work is :meth:`~alice_async.resources.cdr.Cdrs.export`, which streams pages into a
temporary file and renames it over the target only once every row is written; this module adds
the progress bar and the summary line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .._client import AliceClient
from ..export import ExportFormat
from ..models.progress import Progress as OperationProgress
from . import _output
from ._runtime import Settings

__all__ = ["ExportOptions", "export_cdrs"]


@attrs.frozen
class ExportOptions:
    """The options of ``alice cdr export`` (see its ``--help``)."""

    output: Path
    format: ExportFormat
    filters: dict[str, Any]
    json_output: bool = False


def export_cdrs(settings: Settings, options: ExportOptions) -> None:
    """Run the export with a progress bar on stderr; print a summary line (or JSON)."""
    console = _output.err_console()

    async def export(client: AliceClient) -> int:
        progress = Progress(
            TextColumn(f"exporting to {options.output.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,  # no progress residue in logs and pipes
        )
        with progress:
            task = progress.add_task("export", total=None)

            def on_progress(status: OperationProgress) -> None:
                progress.update(task, completed=status.done, total=status.total)

            return await client.cdr.export(
                options.output,
                format=options.format,
                on_progress=on_progress,
                **options.filters,
            )

    rows = settings.run(export)
    if options.json_output:
        _output.print_json({"file": str(options.output), "format": options.format, "rows": rows})
    else:
        _output.out_console().print(
            f"exported {rows:,} call records to {options.output} ({options.format})",
            soft_wrap=True,
        )
