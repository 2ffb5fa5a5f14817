"""Campaign reports: every section present, every number equal to the lists it comes from."""

from __future__ import annotations

import base64
import csv
import io
import re
import subprocess
import sys
import zoneinfo
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from alice_async import (
    AliceClient,
    Cdr,
    Disposition,
    InvalidInputError,
    MissingDependencyError,
    Subscriber,
    SubscriberStatus,
)
from alice_async.emulator import Emulator, EmulatorConfig
from alice_async.report import CampaignReport, build_report, render_html

from ..conftest import make_client
from ..resources._helpers import Setup, requests_sent
from ._html import Page, read_page

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SECTIONS = ("summary", "outcomes", "hours", "talk-time", "attempts", "failed")


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    config = EmulatorConfig(time_factor=12000, seed=11, call_retries=2, campaign_clock=True)
    async with Emulator(config) as emu:
        yield emu


@pytest.fixture
async def campaign(client: AliceClient) -> int:
    """A campaign of 300 Vietnamese contacts, dialled to completion over a few hours."""
    book = await client.phonebooks.create(name="Khách hàng Hà Nội")
    rows = [{"contact": f"09{i:08d}", "first_name": "Nguyễn"} for i in range(300)]
    await client.contacts.bulk_create(book.id, rows)
    template = await client.survey_templates.create(name="Khảo sát", tts_language="vi")
    gateway = (await client.gateways.list().to_list())[0]
    setup = Setup(phonebook=book.id, gateway=gateway.id, template=template.id)
    fields = setup.campaign_fields(name="Chăm sóc khách hàng quý IV", frequency=4)
    created = await client.campaigns.create(**fields)
    await client.campaigns.start(created.id)
    await client.campaigns.wait(created.id, every=0.05, dnc=False)
    return created.id


async def _lists(client: AliceClient, cid: int) -> tuple[list[Subscriber], list[Cdr]]:
    subscribers = await client.subscribers.list(campaign=cid, page_size=1000).to_list()
    calls = await client.cdr.list(campaign=cid, page_size=1000).to_list()
    return subscribers, calls


def _table(page: Page, css: str) -> dict[str, list[str]]:
    table = page.tables[css]
    return {row[0]: values[1:] for row, values in zip(table.rows, table.values, strict=True)}


def _bucket(billsec: int) -> str:
    edges = [(15, "0-14 s"), (30, "15-29 s"), (60, "30-59 s"), (120, "1-2 min"),
             (180, "2-3 min"), (300, "3-5 min")]  # fmt: skip
    return next((label for edge, label in edges if billsec < edge), "5 min+")


async def test_the_report_holds_every_section_with_the_numbers_of_the_lists(
    client: AliceClient, campaign: int, tmp_path: Path
) -> None:
    path = tmp_path / "report.html"
    report = await client.campaigns.report(campaign, path)
    html = path.read_text("utf-8")
    page = read_page(html)
    subscribers, calls = await _lists(client, campaign)

    assert tuple(page.sections) == SECTIONS
    for section in ("outcomes", "hours", "talk-time", "attempts"):
        assert page.svgs.get(section, 0) >= 1, f"no chart in {section}"
    assert "Kết quả cuộc gọi" in page.sections["outcomes"]
    assert "Chăm sóc khách hàng quý IV" in html

    summary = _table(page, "summary")
    answered = [c for c in calls if c.disposition is Disposition.ANSWER]
    assert summary["calls placed"] == [str(len(calls))]
    assert summary["calls answered"] == [str(len(answered))]
    assert summary["talk time (s)"] == [str(sum(c.billsec for c in calls))]
    assert float(summary["answer rate"][0]) == pytest.approx(len(answered) / len(calls))
    statuses = Counter(s.status for s in subscribers)
    for status in SubscriberStatus:
        assert summary[f"subscribers {status.name.lower()}"] == [str(statuses[status])]

    dispositions = Counter(str(c.disposition) for c in calls)
    assert {k: int(v[0]) for k, v in _table(page, "dispositions").items()} == dispositions
    causes = Counter(str(c.hangup_cause) for c in calls)
    assert {k: int(v[0]) for k, v in _table(page, "hangup-causes").items()} == causes

    by_hour: Counter[str] = Counter()
    answered_by_hour: Counter[str] = Counter()
    for call in calls:
        assert call.starting_date is not None
        hour = f"{call.starting_date.astimezone(HANOI).hour:02d}:00"
        by_hour[hour] += 1
        answered_by_hour[hour] += call.disposition is Disposition.ANSWER
    hours = _table(page, "hours")
    assert {k: int(v[0]) for k, v in hours.items()} == by_hour
    assert {k: int(v[1]) for k, v in hours.items()} == +answered_by_hour
    for hour, values in hours.items():
        assert float(values[2]) == pytest.approx(answered_by_hour[hour] / by_hour[hour])

    talk = Counter(_bucket(c.billsec) for c in answered)
    assert {k: int(v[0]) for k, v in _table(page, "talk-time").items() if v[0] != "0"} == talk

    attempts = Counter(s.count_attempt for s in subscribers)
    assert {int(k): int(v[0]) for k, v in _table(page, "attempts").items()} == attempts

    failed = sorted((s for s in subscribers if s.status is SubscriberStatus.FAIL), key=_id)
    assert failed, "the seeded dialer fails some numbers"
    last = {}
    for call in sorted(calls, key=lambda c: (c.starting_date, c.id)):
        last[call.subscriber] = call
    expected = [
        [s.phone_number, str(s.count_attempt), str(last[s.id].disposition),
         str(last[s.id].hangup_cause)]
        for s in failed
    ]  # fmt: skip
    shown = page.tables["failed"].values
    assert [[row[0], row[1], row[3], row[4]] for row in shown] == expected

    written = list(csv.DictReader(io.StringIO(path.with_suffix(".failed.csv").read_text())))
    assert [r["phone_number"] for r in written] == [s.phone_number for s in failed]
    assert [r["hangup_cause"] for r in written] == [row[3] for row in expected]
    link = next(v for tag, k, v in page.attributes if tag == "a" and k == "href")
    embedded = base64.b64decode(link.split("base64,", 1)[1]).decode("utf-8")
    assert embedded == path.with_suffix(".failed.csv").read_text("utf-8")

    assert isinstance(report, CampaignReport)
    assert report.calls == len(calls)
    assert len(report.failed) == len(failed)


def _id(subscriber: Subscriber) -> int:
    return subscriber.id


async def test_the_page_needs_no_network_to_open(client: AliceClient, campaign: int) -> None:
    html = render_html(await build_report(client, campaign))
    page = read_page(html)
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed"}
    for tag, name, value in page.attributes:
        assert name != "src", f"<{tag} src={value}>"
        if name == "href":
            assert value.startswith("data:text/csv"), value
    assert "@import" not in html
    assert re.findall(r"url\((?!#)", html) == []  # only references inside the page
    ids = re.findall(r'\bid="(p[0-9a-f]{10})"', html)  # clip paths: one chart must not
    assert len(ids) == len(set(ids))  # clip with another's


async def test_the_same_data_gives_the_same_charts(client: AliceClient, campaign: int) -> None:
    report = await build_report(client, campaign)
    assert render_html(report) == render_html(report)


async def test_an_empty_campaign_reports_zeros(client: AliceClient, tmp_path: Path) -> None:
    book = await client.phonebooks.create(name="Trống")
    template = await client.survey_templates.create(name="Không ai")
    gateway = (await client.gateways.list().to_list())[0]
    setup = Setup(phonebook=book.id, gateway=gateway.id, template=template.id)
    created = await client.campaigns.create(**setup.campaign_fields())
    report = await client.campaigns.report(created.id, tmp_path / "empty.html", tz="UTC")
    assert report.calls == 0
    assert report.answer_rate is None
    assert report.failed == []
    page = read_page((tmp_path / "empty.html").read_text("utf-8"))
    assert tuple(page.sections) == SECTIONS
    assert _table(page, "summary")["answer rate"] == [""]


async def test_without_matplotlib_the_report_names_its_extra_before_any_request(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    async with make_client(emulator) as client:
        before = requests_sent(emulator)
        with pytest.raises(MissingDependencyError) as caught:
            await client.campaigns.report(1, tmp_path / "report.html")
        assert requests_sent(emulator) == before
    assert caught.value.extra == "report"
    assert "alice-sdk[report]" in str(caught.value)
    assert not (tmp_path / "report.html").exists()


def test_importing_the_sdk_and_the_report_package_needs_no_matplotlib() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import alice_async, alice_async.report, alice_sync\n"
        "from alice_async.report import build_report, render_html\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


async def test_hours_are_counted_in_the_time_zone_asked_for(
    client: AliceClient, campaign: int
) -> None:
    hanoi = await build_report(client, campaign)
    utc = await build_report(client, campaign, tz="UTC")
    assert hanoi.time_zone == "Asia/Ho_Chi_Minh"
    assert utc.time_zone == "UTC"
    for hour in range(24):
        assert hanoi.hours[(hour + 7) % 24].calls == utc.hours[hour].calls
        assert hanoi.hours[(hour + 7) % 24].answered == utc.hours[hour].answered


@pytest.mark.parametrize(
    ("options", "field"),
    [({"path": 7}, "path"), ({"path": ""}, "path"), ({"csv_path": b"x.csv"}, "csv_path")],
)
async def test_report_refuses_a_path_that_is_not_one(
    emulator: Emulator, options: dict[str, object], field: str, tmp_path: Path
) -> None:
    arguments: dict[str, object] = {"path": tmp_path / "r.html", **options}
    async with make_client(emulator) as client:
        before = requests_sent(emulator)
        with pytest.raises(InvalidInputError) as caught:
            await client.campaigns.report(1, **arguments)  # type: ignore[arg-type]
        assert requests_sent(emulator) == before
    assert caught.value.field == field
