"""The report in a real browser: headless Chromium renders every section (skipped without it)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from alice_async import AliceClient
from alice_async.emulator import Emulator, EmulatorConfig

from ..conftest import make_client
from ..resources._helpers import Setup

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCRIPT = ROOT / "scripts" / "report_browser.py"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not SCRIPT.exists(), reason="no chromium (apt-get install chromium)"
)


async def _report(client: AliceClient, path: Path) -> None:
    book = await client.phonebooks.create(name="Khách hàng")
    await client.contacts.bulk_create(book.id, [{"contact": f"09{i:08d}"} for i in range(50)])
    template = await client.survey_templates.create(name="Khảo sát", tts_language="vi")
    gateway = (await client.gateways.list().to_list())[0]
    setup = Setup(phonebook=book.id, gateway=gateway.id, template=template.id)
    campaign = await client.campaigns.create(**setup.campaign_fields(frequency=100))
    await client.campaigns.start(campaign.id)
    await client.campaigns.wait(campaign.id, every=0.05, dnc=False)
    await client.campaigns.report(campaign.id, path)


async def test_chromium_renders_every_section_and_takes_a_screenshot(tmp_path: Path) -> None:
    report, screenshot = tmp_path / "báo cáo.html", tmp_path / "shot.png"
    async with Emulator(EmulatorConfig(time_factor=3000, call_retries=1)) as emu:
        async with make_client(emu) as client:
            await _report(client, report)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        str(report),
        str(screenshot),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    assert "renders every section" in out.decode()
    png = await asyncio.to_thread(screenshot.read_bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 20_000  # a page with charts, not a blank one
