"""The report as one self-contained HTML page, and its failed numbers as CSV.

The page has no external reference at all (no script, font, stylesheet or image to fetch):
styles are inline, charts are inline SVG, and the CSV of failed numbers is embedded as a
``data:`` link. Every number is in a table too, with its exact value in ``data-value``.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from html import escape

from ._charts import charts
from ._data import CampaignReport

__all__ = ["FAILED_CSV_COLUMNS", "failed_csv", "render_html"]

FAILED_CSV_COLUMNS = (
    "subscriber",
    "phone_number",
    "attempts",
    "last_call",
    "disposition",
    "hangup_cause",
    "sip_term_status",
)

_STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:1.5rem auto;max-width:1180px;
color:#212121;line-height:1.4;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;
border-bottom:2px solid #1565c0;padding-bottom:.2rem}
.sub{color:#616161;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{padding:.2rem .7rem;border-bottom:1px solid #e0e0e0;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:.5rem 0;flex:1 1 520px}
.card{background:#f5f7fb;border-radius:6px;padding:.6rem 1rem;min-width:8.5rem}
.card b{display:block;font-size:1.35rem}.card span{color:#616161;font-size:.8rem}
.row{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.row figure{flex:1 1 620px;margin:.3rem 0;min-width:0}.row .tables{flex:0 1 auto}
.scroll{max-height:26rem;overflow:auto}
"""


def _n(value: int) -> str:
    return f'<td class="n" data-value="{value}">{value:,}</td>'


def _rate(value: float | None) -> str:
    if value is None:
        return '<td class="n" data-value="">&ndash;</td>'
    return f'<td class="n" data-value="{value:.6f}">{value:.1%}</td>'


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:d} h {rest // 60:02d} min" if hours else f"{rest // 60:d} min {rest % 60:02d} s"


def _when(value: dt.datetime | None) -> str:
    return "" if value is None else value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _table(headers: Sequence[str], rows: Iterable[str], css: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _counts(title: str, counts: dict[str, int], css: str) -> str:
    rows = (f"<th>{escape(name)}</th>{_n(count)}" for name, count in counts.items())
    return _table([title, "calls"], rows, css)


def _section(key: str, title: str, chart: str | None, *body: str) -> str:
    """A section: its heading, then its chart beside its tables (below on narrow screens)."""
    figure = f"<figure>{chart}</figure>" if chart else ""
    tables = f'<div class="tables">{"".join(body)}</div>'
    heading = f"<h2>{escape(title)}</h2>"
    return f'<section id="{key}">{heading}<div class="row">{figure}{tables}</div></section>'


def failed_csv(report: CampaignReport) -> str:
    """The failed numbers as CSV text (header row, one row per failed subscriber)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FAILED_CSV_COLUMNS)
    for row in report.failed:
        writer.writerow(
            [
                row.subscriber,
                row.phone_number,
                row.attempts,
                _when(row.last_call),
                row.disposition,
                row.hangup_cause,
                row.sip_term_status,
            ]
        )
    return buffer.getvalue()


def render_html(report: CampaignReport) -> str:
    """The whole report page (UTF-8 text). Needs the ``report`` extra (matplotlib)."""
    svgs = charts(report)
    campaign = report.campaign
    cards = [
        ("state", campaign.status.name.lower()),
        ("subscribers", f"{report.subscribers_total:,}"),
        ("calls placed", f"{report.calls:,}"),
        ("answered", f"{report.answered:,}"),
        ("answer rate", "n/a" if report.answer_rate is None else f"{report.answer_rate:.1%}"),
        ("talk time", _duration(report.talk_seconds)),
        ("failed numbers", f"{len(report.failed):,}"),
    ]
    summary_rows = [
        f"<th>calls placed</th>{_n(report.calls)}",
        f"<th>calls answered</th>{_n(report.answered)}",
        f"<th>calls not answered</th>{_n(report.calls - report.answered)}",
        f"<th>answer rate</th>{_rate(report.answer_rate)}",
        f"<th>talk time (s)</th>{_n(report.talk_seconds)}",
        *(f"<th>subscribers {escape(k)}</th>{_n(v)}" for k, v in report.subscribers.items()),
        f"<th>subscribers</th>{_n(report.subscribers_total)}",
    ]
    hour_rows = (
        f"<th>{h.hour:02d}:00</th>{_n(h.calls)}{_n(h.answered)}{_rate(h.answer_rate)}"
        for h in report.hours
        if h.calls
    )
    talk_rows = (f"<th>{escape(k)}</th>{_n(v)}" for k, v in report.talk_time.items())
    attempt_rows = (f"<th>{k}</th>{_n(v)}" for k, v in report.attempts.items())
    failed_rows = (
        f"<td>{escape(r.phone_number)}</td>{_n(r.attempts)}<td>{_when(r.last_call)}</td>"
        f"<td>{escape(r.disposition)}</td><td>{escape(r.hangup_cause)}</td>"
        f"<td>{escape(r.sip_term_status)}</td>"
        for r in report.failed
    )
    csv_name = f"failed-numbers-campaign-{campaign.id}.csv"
    csv_link = base64.b64encode(failed_csv(report).encode("utf-8")).decode("ascii")
    title = f"Campaign {campaign.id}: {campaign.name}"
    sections = [
        '<section id="summary"><div class="row"><div class="cards">'
        + "".join(
            f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}</span></div>" for k, v in cards
        )
        + '</div><div class="tables">'
        + _table(["", "value"], summary_rows, "summary")
        + "</div></div></section>",
        _section(
            "outcomes",
            "Outcome breakdown · Kết quả cuộc gọi",
            svgs["outcomes"],
            _counts("disposition", report.dispositions, "dispositions"),
            _counts("hangup cause", report.hangup_causes, "hangup-causes"),
        ),
        _section(
            "hours",
            "Calls and answer rate by hour · Cuộc gọi theo giờ",
            svgs["hours"],
            _table(["hour", "calls", "answered", "answer rate"], hour_rows, "hours"),
        ),
        _section(
            "talk-time",
            "Talk time of answered calls · Thời lượng đàm thoại",
            svgs["talk-time"],
            _table(["talk time", "answered calls"], talk_rows, "talk-time"),
        ),
        _section(
            "attempts",
            "Attempts per subscriber · Số lần gọi mỗi thuê bao",
            svgs["attempts"],
            _table(["calls received", "subscribers"], attempt_rows, "attempts"),
        ),
        _section(
            "failed",
            f"Failed numbers · Số gọi không thành công ({len(report.failed):,})",
            None,
            f'<p><a download="{csv_name}" href="data:text/csv;charset=utf-8;base64,{csv_link}">'
            f"Download as CSV</a> (also written next to this file)</p>",
            '<div class="scroll">'
            + _table(
                [
                    "phone number",
                    "attempts",
                    "last call (UTC)",
                    "disposition",
                    "hangup cause",
                    "SIP status",
                ],
                failed_rows,
                "failed",
            )
            + "</div>",
        ),
    ]
    generated = report.generated_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    window = ""
    opens, closes = campaign.daily_start_time, campaign.daily_stop_time
    if opens and closes:
        window = f" · daily window {opens:%H:%M}&ndash;{closes:%H:%M}"
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="sub">{escape(campaign.description or "")} · report of {generated} · '
        f"{campaign.frequency or '?'} calls/min{window} · hours in {escape(report.time_zone)}</p>"
        + "".join(sections)
        + "</body></html>\n"
    )
