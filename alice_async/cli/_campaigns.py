"""``alice campaigns watch`` and ``alice campaigns report``: follow a campaign, then report on it.

The work is the SDK's (:meth:`~alice_async.resources.campaigns.Campaigns.watch` and
:meth:`~alice_async.resources.campaigns.Campaigns.report`); this module draws the live view
(also used by ``alice demo``) and prints the summaries.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import attrs
from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from .._client import AliceClient
from ..models.progress import CampaignProgress
from ..report import CampaignReport, require_matplotlib
from . import _output
from ._runtime import Settings, fail

__all__ = [
    "ReportOptions",
    "WatchOptions",
    "format_duration",
    "progress_json",
    "progress_view",
    "report_campaign",
    "watch_campaign",
]


@attrs.frozen
class WatchOptions:
    """The options of ``alice campaigns watch`` (see its ``--help``)."""

    campaign: int
    every: float = 10.0
    tz: str | None = None
    json_output: bool = False


@attrs.frozen
class ReportOptions:
    """The options of ``alice campaigns report`` (see its ``--help``)."""

    campaign: int
    output: Path
    csv: Path | None = None
    tz: str | None = None
    json_output: bool = False


def format_duration(value: dt.timedelta | None) -> str:
    """``2 h 05 min``, ``4 min 10 s``, ``12 s``; ``unknown`` for ``None``."""
    if value is None:
        return "unknown"
    seconds = round(value.total_seconds())
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _eta(progress: CampaignProgress) -> str:
    if progress.finished:
        return "done"
    if progress.estimated_end is None:
        return f"unknown ({_output.label(progress.status)})"
    when = progress.estimated_end.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{format_duration(progress.eta)} (about {when})"


def progress_view(progress: CampaignProgress, *, elapsed: float | None = None) -> Group:
    """The live view of a campaign: a bar of subscribers done, counts by status, calls, ETA."""
    campaign = progress.campaign
    clock = "" if elapsed is None else f"  ({elapsed:4.1f} s)"
    header = Text.assemble(
        (f"Campaign {campaign.id}", "bold"),
        f" {campaign.name}: ",
        (_output.label(progress.status), "bold cyan"),
        clock,
    )
    bar = Table.grid(padding=(0, 1))
    bar.add_row(
        ProgressBar(total=max(progress.subscribers_total, 1), completed=progress.done, width=40),
        f"{progress.done:,} / {progress.subscribers_total:,} subscribers done "
        f"({progress.fraction_done:.0%})",
    )
    counts = Table(title_justify="left", show_edge=False, pad_edge=False)
    counts.add_column("Subscriber status")
    counts.add_column("Count", justify="right")
    for status, count in progress.subscribers.items():
        counts.add_row(_output.label(status), f"{count:,}", style=None if count else "dim")
    calls = Table.grid(padding=(0, 2))
    calls.add_column("What", style="bold")
    calls.add_column("Value", justify="right")
    calls.add_row("calls placed", f"{progress.calls_placed:,}")
    calls.add_row("answered", f"{progress.calls_answered:,}")
    calls.add_row("not answered", f"{progress.calls_failed:,}")
    calls.add_row("answer rate", _percent(progress.answer_rate))
    calls.add_row("talk time", format_duration(dt.timedelta(seconds=progress.talk_seconds)))
    dnc = "not counted" if progress.dnc_left_out is None else f"{progress.dnc_left_out:,}"
    calls.add_row("do-not-call left out", dnc)
    calls.add_row("ETA", _eta(progress))
    side = Table.grid(padding=(0, 4))
    side.add_row(counts, calls)
    return Group(header, bar, side)


def progress_json(progress: CampaignProgress) -> dict[str, Any]:
    """One ``campaigns watch --json`` line: counts by status NAME, rates, ISO-8601 times."""
    eta = progress.eta
    return {
        "campaign": progress.campaign.id,
        "name": progress.campaign.name,
        **_output.enum_fields("status", progress.status),
        "subscribers": _output.to_json(progress.subscribers),
        "subscribers_total": progress.subscribers_total,
        "done": progress.done,
        "remaining": progress.remaining,
        "calls_placed": progress.calls_placed,
        "calls_answered": progress.calls_answered,
        "calls_failed": progress.calls_failed,
        "answer_rate": progress.answer_rate,
        "talk_seconds": progress.talk_seconds,
        "dnc_left_out": progress.dnc_left_out,
        "estimated_end": _output.to_json(progress.estimated_end),
        "eta_seconds": None if eta is None else eta.total_seconds(),
        "time_zone": progress.time_zone,
        "taken_at": _output.to_json(progress.taken_at),
        "requests": progress.requests,
    }


def watch_campaign(settings: Settings, options: WatchOptions) -> None:
    """Follow a campaign until it ends: a live view on stderr, or JSON lines on stdout."""
    console = _output.err_console()

    async def follow(client: AliceClient) -> CampaignProgress | None:
        last: CampaignProgress | None = None
        stream = client.campaigns.watch(options.campaign, every=options.every, tz=options.tz)
        if options.json_output:
            async for last in stream:
                sys.stdout.write(json.dumps(progress_json(last), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            return last
        live: Live | None = None
        try:
            async for last in stream:
                if live is None:
                    live = Live(progress_view(last), console=console, refresh_per_second=4)
                    live.start()
                else:
                    live.update(progress_view(last))
        finally:
            if live is not None:
                live.stop()
                if not console.is_terminal:
                    console.line()
        return last

    final = settings.run(follow)
    if final is not None and not options.json_output:
        _output.out_console().print(
            f"campaign {final.campaign.id} {_output.label(final.status)}: "
            f"{final.calls_placed:,} calls, {final.calls_answered:,} answered "
            f"({_percent(final.answer_rate)}), talk time "
            f"{format_duration(dt.timedelta(seconds=final.talk_seconds))}",
            soft_wrap=True,
        )


def report_campaign(settings: Settings, options: ReportOptions) -> None:
    """Write the HTML report and the CSV of failed numbers; print where they are."""
    try:
        require_matplotlib()
    except ImportError as exc:
        fail(str(exc))
    csv_path = options.csv or options.output.with_suffix(".failed.csv")

    async def write(client: AliceClient) -> CampaignReport:
        return await client.campaigns.report(
            options.campaign, options.output, csv_path=csv_path, tz=options.tz
        )

    report = settings.run(write)
    if options.json_output:
        _output.print_json(
            {
                "campaign": report.campaign.id,
                "report": str(options.output),
                "failed_csv": str(csv_path),
                "calls": report.calls,
                "answered": report.answered,
                "answer_rate": report.answer_rate,
                "talk_seconds": report.talk_seconds,
                "failed_numbers": len(report.failed),
            }
        )
        return
    out: Console = _output.out_console()
    out.print(
        f"wrote the report of campaign {report.campaign.id} to {options.output} "
        f"({report.calls:,} calls, answer rate {_percent(report.answer_rate)}, "
        f"{len(report.failed):,} failed numbers in {csv_path})",
        soft_wrap=True,
    )
