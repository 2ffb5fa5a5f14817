"""``alice demo``: the whole journey on an emulator started in this process.

Timing: the emulator's dialer places ``frequency * time_factor`` calls per minute. The demo
uses the highest frequency the API allows (100 calls per minute) and picks
``time_factor = contacts * CALLS_PER_CONTACT * 60 / (100 * dial_seconds)``, so dialling
everyone takes about ``--dial-seconds`` of wall time (20 s by default: a time factor of 780
for 20,000 contacts; a call of three minutes then lasts a quarter of a second). The emulator
calls a failed number once more, and stamps calls with the campaign's own clock inside its
daily window (8:00 to 20:00, Vietnam time), so the report shows realistic hours and retries.
If the campaign has not completed after ``--max-watch`` seconds of watching, the demo ENDs
it and says so. It ends by writing the campaign's HTML report. Only loopback traffic.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

import attrs
from rich.console import Console
from rich.live import Live
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from .._client import AliceClient
from .._exceptions import MissingDependencyError
from ..bulk import BulkResult
from ..emulator import Emulator, EmulatorConfig
from ..models.campaigns import Campaign
from ..models.cdr import Disposition
from ..models.gateways import Gateway, GatewayStatus
from ..models.progress import CampaignProgress
from ..models.progress import Progress as OperationProgress
from ..models.section_templates import SectionType
from ..models.survey_templates import TtsLanguage
from . import _output
from ._campaigns import progress_view
from ._people import full_name, generate_contacts
from ._runtime import CliError, run_async

__all__ = ["CALLS_PER_CONTACT", "FREQUENCY", "DemoOptions", "run_demo", "time_factor_for"]

FREQUENCY = 100
"""Calls per minute of the demo campaign: the API's maximum."""
RETRIES = 1
"""The emulator calls a failed number this many times more."""
CALLS_PER_CONTACT = 1.3
"""Calls per contact with one retry: about 30 % of first calls fail and are called again."""

_POLL_SECONDS = 0.25
_DNC_COUNT = 5
"""Numbers put on the do-not-call list (fewer for tiny demos: a tenth of the contacts)."""


@attrs.frozen
class DemoOptions:
    """The options of ``alice demo`` (see its ``--help``)."""

    output: Path | None = None
    """Where the files go; ``None``: a new temporary directory (printed on stderr)."""
    contacts: int = 20_000
    seed: int = 2024
    dial_seconds: float = 20.0
    max_watch: float = 35.0
    json_output: bool = False


def time_factor_for(contacts: int, dial_seconds: float) -> float:
    """The emulator speed-up that dials ``contacts`` in about ``dial_seconds`` at 100/min."""
    return max(1.0, contacts * CALLS_PER_CONTACT * 60.0 / (FREQUENCY * dial_seconds))


def run_demo(options: DemoOptions) -> None:
    """Run the journey, then print the summary (a table, or JSON with ``--json``)."""
    console = _output.err_console()
    summary = run_async(lambda: _journey(options, console))
    if options.json_output:
        _output.print_json(summary)
    else:
        _output.out_console().print(_summary_table(summary))


async def _journey(options: DemoOptions, console: Console) -> dict[str, Any]:
    began = time.monotonic()
    output = _output_directory(options.output)
    console.print(f"[bold]Output[/] in {output}")
    options = attrs.evolve(options, output=output)
    factor = time_factor_for(options.contacts, options.dial_seconds)
    config = EmulatorConfig(
        time_factor=factor, seed=options.seed, campaign_clock=True, call_retries=RETRIES
    )
    async with Emulator(config) as emu:
        console.print(f"[bold]Emulator[/] listening on {emu.url} (dialer x{factor:g})")
        async with AliceClient(emu.url, username=emu.username, password=emu.password) as client:
            summary = await _run_steps(client, options, console)
    summary["emulator"] = {"url": emu.url, "time_factor": factor}
    summary["seconds"] = round(time.monotonic() - began, 2)
    summary["output_dir"] = str(output)
    summary_path = output / "summary.json"
    summary["summary_file"] = str(summary_path)
    summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return summary


def _output_directory(requested: Path | None) -> Path:
    """``requested`` (created if needed), or a new temporary directory when none was given."""
    try:
        if requested is None:
            return Path(tempfile.mkdtemp(prefix="alice-demo-"))
        requested.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        where = "a temporary directory" if requested is None else requested
        raise CliError(f"cannot create the output directory {where}: {exc}") from exc
    return requested


def _step(console: Console, text: str) -> None:
    console.print(f"[green]✓[/] {text}")


async def _run_steps(client: AliceClient, options: DemoOptions, console: Console) -> dict[str, Any]:
    """Every step of the journey; the summary as JSON data."""
    book = await client.phonebooks.create(
        name="Khách hàng demo", description=f"Generated by alice demo (seed {options.seed})"
    )
    _step(console, f"phonebook {book.id} “{book.name}”")
    people = generate_contacts(options.contacts, seed=options.seed)
    upload = await _upload(client, book.id, people, console)
    _step(
        console,
        f"uploaded {upload.created:,} contacts (e.g. {full_name(people[0])}, "
        f"{people[0]['contact']})",
    )
    dnc, blocked = await _create_dnc_list(client, people, options.seed)
    _step(console, f"do-not-call list {dnc} with {len(blocked)} numbers")
    template, sections = await _create_survey(client)
    _step(console, f"survey template {template} with {sections} sections")
    campaign, gateway = await _create_campaign(client, book.id, template)
    _step(console, f"campaign {campaign.id} via gateway {gateway.name} ({FREQUENCY} calls/min)")

    campaign = await client.campaigns.start(campaign.id)
    progress, ended_by_demo = await _watch(client, campaign, options, console)
    campaign = progress.campaign
    counts: dict[str, int] = _output.to_json(progress.subscribers)
    if ended_by_demo:
        console.print(
            f"[yellow]stopped watching after {options.max_watch:g} s and ENDED campaign "
            f"{campaign.id}[/]: {counts.get('PENDING', 0):,} subscribers were not called"
        )
    else:
        _step(console, f"campaign {campaign.id} completed")

    assert options.output is not None  # _journey chose it
    cdr_path = options.output / f"cdr-campaign-{campaign.id}.csv"
    exported = await _export(client, campaign.id, cdr_path, console)
    _step(console, f"exported {exported:,} call records to {cdr_path}")
    report_path = options.output / f"report-campaign-{campaign.id}.html"
    failed_path = report_path.with_suffix(".failed.csv")
    try:
        await client.campaigns.report(campaign.id, report_path, csv_path=failed_path)
    except MissingDependencyError as exc:
        console.print(f"[yellow]no HTML report:[/] {exc}")
        report_file = failed_file = None
    else:
        report_file, failed_file = str(report_path), str(failed_path)
        _step(console, f"report written to {report_path} (open it in a browser)")
    return {
        "phonebook": book.id,
        "contacts": {
            "generated": len(people),
            "created": upload.created,
            "duplicates": len(upload.duplicates),
            "invalid": len(upload.invalid),
        },
        "dnc_list": dnc,
        "dnc_numbers": len(blocked),
        "survey_template": template,
        "sections": sections,
        "gateway": gateway.id,
        "campaign": {
            "id": campaign.id,
            "name": campaign.name,
            **_output.enum_fields("status", campaign.status),
            "ended_by_demo": ended_by_demo,
        },
        "subscribers": counts,
        "subscribers_total": progress.subscribers_total,
        "calls": {
            "placed": progress.calls_placed,
            "answered": progress.calls_answered,
            "answer_rate": progress.answer_rate,
            "talk_seconds": progress.talk_seconds,
        },
        "dnc_left_out": progress.dnc_left_out,
        "dispositions": await _dispositions(client, campaign.id),
        "cdr_rows": exported,
        "cdr_file": str(cdr_path),
        "report_file": report_file,
        "failed_numbers_file": failed_file,
    }


async def _create_dnc_list(
    client: AliceClient, people: list[dict[str, Any]], seed: int
) -> tuple[int, list[str]]:
    """A do-not-call list holding a few of the uploaded numbers; its id and the numbers."""
    dnc = await client.dnc_lists.create(name="Khách hàng từ chối")
    blocked = random.Random(seed).sample(
        [person["contact"] for person in people], min(_DNC_COUNT, len(people) // 10)
    )
    for number in blocked:
        await client.dnc_contacts.create(phone_number=number, dnc=dnc.id)
    return dnc.id, blocked


async def _create_survey(client: AliceClient) -> tuple[int, int]:
    """A Vietnamese survey template with its sections; its id and how many sections."""
    template = await client.survey_templates.create(
        name="Khảo sát hài lòng khách hàng",
        tts_language=TtsLanguage.VI,
        description="Ba câu hỏi sau khi giao hàng",
    )
    sections = [
        (SectionType.PLAY_MESSAGE, "Lời chào", "Xin chào {first_name}, đây là cuộc gọi từ Alice."),
        (SectionType.RATING, "Đánh giá", "Quý khách hài lòng với dịch vụ ở mức nào, từ 1 đến 5?"),
        (SectionType.HANGUP, "Kết thúc", "Cảm ơn quý khách. Chúc quý khách một ngày tốt lành."),
    ]
    for kind, question, script in sections:
        await client.section_templates.create(
            survey=template.id, question=question, type=kind, script=script
        )
    return template.id, len(sections)


async def _create_campaign(
    client: AliceClient, phonebook: int, template: int
) -> tuple[Campaign, Gateway]:
    """A waiting campaign on the first active gateway, dialling 8:00-20:00 for a week."""
    gateways = await client.gateways.list().to_list()
    active = [g for g in gateways if g.status is GatewayStatus.ACTIVE] or gateways
    if not active:
        raise CliError("the account has no gateway to call through")
    gateway = active[0]
    now = datetime.now(timezone.utc).replace(microsecond=0)
    campaign = await client.campaigns.create(
        name=f"Khảo sát demo {now:%Y-%m-%d %H:%M}",
        description="Created by alice demo",
        callerid="19001234",
        phonebook=[phonebook],
        aleg_gateway=gateway.id,
        object_id=template,
        frequency=FREQUENCY,
        startingdate=now,
        expirationdate=now + timedelta(days=7),
        daily_start_time=time_of_day(8, 0),
        daily_stop_time=time_of_day(20, 0),
    )
    return campaign, gateway


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
    )


def _progress_callback(progress: Progress, task: TaskID) -> Callable[[OperationProgress], None]:
    def update(status: OperationProgress) -> None:
        progress.update(
            task, completed=status.done, total=status.total, rate=f"{status.rate:,.0f}/s"
        )

    return update


async def _upload(
    client: AliceClient, phonebook: int, people: list[dict[str, Any]], console: Console
) -> BulkResult:
    with _progress(console) as progress:
        task = progress.add_task("uploading contacts", total=len(people), rate="")
        return await client.contacts.bulk_create(
            phonebook, people, on_progress=_progress_callback(progress, task)
        )


async def _watch(
    client: AliceClient, campaign: Campaign, options: DemoOptions, console: Console
) -> tuple[CampaignProgress, bool]:
    """Follow the campaign live until it completes or ``max_watch`` runs out (then END it)."""
    began = time.monotonic()
    seen: list[CampaignProgress] = []
    live = Live(console=console, refresh_per_second=8)

    async def follow() -> None:
        stream = client.campaigns.watch(campaign.id, every=_POLL_SECONDS)
        async with contextlib.aclosing(stream):
            async for progress in stream:
                seen[:] = [progress]
                live.update(progress_view(progress, elapsed=time.monotonic() - began))

    try:
        live.start()
        try:
            await asyncio.wait_for(follow(), options.max_watch)
            return seen[0], False
        except asyncio.TimeoutError:
            await client.campaigns.end(campaign.id)
            final = await client.campaigns.progress(campaign.id)
            live.update(progress_view(final, elapsed=time.monotonic() - began))
            return final, True
    finally:
        live.stop()
        if not console.is_terminal:
            console.line()  # off a terminal, Live leaves its last frame without a newline


async def _export(client: AliceClient, campaign: int, path: Path, console: Console) -> int:
    with _progress(console) as progress:
        task = progress.add_task("exporting call records", total=None, rate="")

        def on_progress(status: OperationProgress) -> None:
            progress.update(task, completed=status.done, total=status.total)

        return await client.cdr.export(
            path, format="csv", campaign=campaign, on_progress=on_progress
        )


async def _dispositions(client: AliceClient, campaign: int) -> dict[str, int]:
    """Call records of ``campaign`` per disposition (one ``page_size=1`` request each)."""
    kinds = list(Disposition)
    pages = await asyncio.gather(
        *(
            client.cdr.list(campaign=campaign, disposition=kind, page_size=1).first_page()
            for kind in kinds
        )
    )
    return {kind.value: page.count for kind, page in zip(kinds, pages, strict=True)}


def _summary_table(summary: dict[str, Any]) -> Table:
    table = Table(title="alice demo: summary", title_justify="left", show_header=False)
    table.add_column("What", style="bold")
    table.add_column("Value")
    contacts = summary["contacts"]
    campaign = summary["campaign"]
    table.add_row(
        "contacts",
        f"{contacts['created']:,} created, {contacts['duplicates']:,} duplicates, "
        f"{contacts['invalid']:,} invalid (phonebook {summary['phonebook']})",
    )
    table.add_row("do-not-call", f"{summary['dnc_numbers']} numbers (list {summary['dnc_list']})")
    status = campaign["status"].lower() + (
        " (ended by the demo)" if campaign["ended_by_demo"] else ""
    )
    table.add_row("campaign", f"{campaign['id']} “{campaign['name']}”: {status}")
    table.add_row(
        "subscribers",
        f"{summary['subscribers_total']:,}: "
        + ", ".join(
            f"{name.lower().replace('_', ' ')} {count:,}"
            for name, count in summary["subscribers"].items()
            if count
        ),
    )
    table.add_row(
        "dispositions",
        ", ".join(f"{name} {count:,}" for name, count in summary["dispositions"].items()),
    )
    calls = summary["calls"]
    rate = calls["answer_rate"]
    table.add_row(
        "calls",
        f"{calls['placed']:,} placed, {calls['answered']:,} answered"
        + ("" if rate is None else f" ({rate:.1%})")
        + f", {calls['talk_seconds'] / 3600:,.1f} h of talk",
    )
    table.add_row("call records", f"{summary['cdr_rows']:,} rows in {summary['cdr_file']}")
    if summary["report_file"]:
        table.add_row(
            "report",
            f"{summary['report_file']} (failed numbers: {summary['failed_numbers_file']})",
        )
    else:
        table.add_row("report", "not written: pip install 'alice-sdk[report]'")
    table.add_row("files", summary["output_dir"])
    table.add_row("summary", summary["summary_file"])
    table.add_row(
        "time",
        f"{summary['seconds']:.1f} s (dialer x{summary['emulator']['time_factor']:g})",
    )
    return table
