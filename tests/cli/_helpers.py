"""Helpers of the command-line tests: run ``python -m alice_async.cli`` as a subprocess.

The subprocess is awaited with ``asyncio.create_subprocess_exec``, so the test's own event loop
keeps serving an in-process emulator while the command talks to it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Mapping
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import attrs

from alice_async import AliceClient, Campaign
from alice_async.emulator import Emulator

CLI = (sys.executable, "-m", "alice_async.cli")
REPO = Path(__file__).resolve().parents[2]


@attrs.frozen
class Result:
    """What a finished command left behind."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def base_env(**extra: str) -> dict[str, str]:
    """The environment of a command: no inherited ALICE_* settings, UTF-8, a wide terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALICE_")}
    env.update(PYTHONIOENCODING="utf-8", COLUMNS="200", NO_COLOR="1", TERM="dumb")
    env.update(extra)
    return env


def emulator_env(emu: Emulator, **extra: str) -> dict[str, str]:
    """Settings for ``emu``'s first account, through the environment as a user would set them."""
    settings = {
        "ALICE_BASE_URL": emu.url,
        "ALICE_USERNAME": emu.username,
        "ALICE_PASSWORD": emu.password,
    }
    return base_env(**{**settings, **extra})


async def run_cli(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60.0,
) -> Result:
    """Run ``alice *args`` with stdin not a terminal and wait for it (bounded)."""
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(env) if env is not None else base_env(),
        cwd=cwd or REPO,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except BaseException:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return Result(proc.returncode, out.decode(), err.decode())


def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def assert_one_line_error(result: Result, code: int = 1, *, verbose: bool = False) -> str:
    """The command failed with ``code`` and one ``alice: ...`` line on stderr, no traceback.

    With ``verbose`` the ``--verbose`` log lines around it are allowed.
    """
    assert result.code == code, result
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("alice: ")]
    assert len(errors) == 1, result.stderr
    if not verbose:
        assert lines == errors, result.stderr
    return errors[0]


async def create_campaign(client: AliceClient, name: str = "Chiến dịch thử") -> Campaign:
    """A waiting campaign over a phonebook of three contacts."""
    book = await client.phonebooks.create(name=f"Danh bạ {name}")
    for number in ("0901000001", "0901000002", "0901000003"):
        await client.contacts.create(phonebook=book.id, contact=number, first_name="Lan")
    template = await client.survey_templates.create(name=f"Mẫu {name}")
    gateway = (await client.gateways.list().to_list())[0]
    now = datetime.now(timezone.utc)
    return await client.campaigns.create(
        name=name,
        phonebook=[book.id],
        aleg_gateway=gateway.id,
        object_id=template.id,
        frequency=10,
        startingdate=now,
        expirationdate=now + timedelta(days=1),
        daily_start_time=time(8, 0),
        daily_stop_time=time(20, 0),
    )
