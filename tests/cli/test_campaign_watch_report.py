"""``alice campaigns watch`` and ``alice campaigns report`` against an in-process emulator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from alice_async import AliceClient, CampaignStatus
from alice_async.emulator import Emulator, EmulatorConfig
from tests.cli._helpers import assert_one_line_error, create_campaign, emulator_env, run_cli
from tests.report._html import read_page


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(EmulatorConfig(time_factor=600, seed=2)) as emu:
        yield emu


async def _started(client: AliceClient) -> int:
    campaign = await create_campaign(client, "Theo dõi trực tiếp")
    assert campaign.startingdate is not None
    assert campaign.expirationdate is not None
    await client.campaigns.update(
        campaign.id,
        name=campaign.name,
        phonebook=campaign.phonebook,
        frequency=100,
        startingdate=campaign.startingdate,
        expirationdate=campaign.expirationdate,
        daily_start_time="00:00:00",
        daily_stop_time="23:59:59",
    )
    await client.campaigns.start(campaign.id)
    return campaign.id


async def test_watch_json_prints_one_line_per_snapshot_until_the_end(
    emulator: Emulator, client: AliceClient
) -> None:
    cid = await _started(client)
    result = await run_cli(
        "campaigns", "watch", str(cid), "--every", "0.05", "--json", env=emulator_env(emulator)
    )
    assert result.code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines, result.stderr
    assert (lines[-1]["status"], lines[-1]["status_code"]) == ("COMPLETED", 5)
    assert all(line["status"] == "STARTED" for line in lines[:-1])
    assert lines[-1]["subscribers"]["PENDING"] == 0
    final = await client.campaigns.progress(cid)
    assert lines[-1]["subscribers_total"] == final.subscribers_total == 3
    assert lines[-1]["calls_placed"] == final.calls_placed
    assert lines[-1]["talk_seconds"] == final.talk_seconds
    assert lines[-1]["remaining"] == 0


async def test_watch_draws_a_live_view_and_prints_a_summary(
    emulator: Emulator, client: AliceClient
) -> None:
    cid = await _started(client)
    result = await run_cli(
        "campaigns", "watch", str(cid), "--every", "0.05", env=emulator_env(emulator)
    )
    assert result.code == 0, result.stderr
    assert "subscribers done" in result.stderr
    assert "answer rate" in result.stderr
    assert "ETA" in result.stderr
    final = await client.campaigns.progress(cid)
    assert result.stdout.startswith(f"campaign {cid} completed: {final.calls_placed} calls")


async def test_watch_of_an_unknown_campaign_is_one_line(emulator: Emulator) -> None:
    result = await run_cli("campaigns", "watch", "4242", env=emulator_env(emulator))
    assert "not found" in assert_one_line_error(result)


async def test_report_writes_the_page_and_the_csv(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    cid = await _started(client)
    final = await client.campaigns.wait(cid, every=0.05)
    assert final.status is CampaignStatus.COMPLETED
    output = tmp_path / "báo cáo.html"
    result = await run_cli(
        "campaigns", "report", str(cid), "-o", str(output), "--json", env=emulator_env(emulator)
    )
    assert result.code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["report"] == str(output)
    assert summary["calls"] == final.calls_placed
    assert summary["answered"] == final.calls_answered
    assert Path(summary["failed_csv"]) == tmp_path / "báo cáo.failed.csv"
    assert _read(Path(summary["failed_csv"])).startswith("subscriber,phone_number")
    page = read_page(_read(output))
    assert "failed" in page.sections
    assert "Theo dõi trực tiếp" in _read(output)


def _read(path: Path) -> str:
    return path.read_text("utf-8")


async def test_report_without_matplotlib_names_the_extra(
    emulator: Emulator, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "matplotlib.py").write_text("raise ImportError('blocked by the test')\n")
    env = emulator_env(emulator, PYTHONPATH=f"{blocker}")
    result = await run_cli("campaigns", "report", "1", "-o", str(tmp_path / "r.html"), env=env)
    line = assert_one_line_error(result)
    assert "alice-sdk[report]" in line
    assert not (tmp_path / "r.html").exists()


async def test_report_refuses_an_output_in_a_missing_directory(emulator: Emulator) -> None:
    result = await run_cli(
        "campaigns", "report", "1", "-o", "/nonexistent/dir/r.html", env=emulator_env(emulator)
    )
    assert "--output" in assert_one_line_error(result, 2)
