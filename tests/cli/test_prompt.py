"""Missing credentials on a terminal: asked for on stderr, the password without echo."""

from __future__ import annotations

import asyncio
import json
import os
import sys

import anyio
import pytest

from alice_async.emulator import Emulator, EmulatorConfig
from tests.cli._helpers import CLI, REPO, base_env

pty = pytest.importorskip("pty")  # POSIX only

SECRET = "Bí-mật-42"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
async def test_credentials_are_prompted_for_on_a_terminal() -> None:
    async with Emulator(EmulatorConfig(accounts=(("operator", SECRET),))) as emu:
        master, slave = pty.openpty()
        try:
            proc = await asyncio.create_subprocess_exec(
                *CLI,
                "gateways",
                "list",
                "--json",
                stdin=slave,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=base_env(ALICE_BASE_URL=emu.url),
                cwd=REPO,
                start_new_session=True,  # no controlling terminal: getpass must use stdin
            )
            os.close(slave)
            slave = -1
            assert proc.stderr is not None
            os.write(master, b"operator\n")
            prompts = b""
            with anyio.fail_after(30):
                # click writes "Password:", then getpass turns echo off, flushes pending
                # input and writes the " ": only then may the password be typed.
                while b"Password: " not in prompts:
                    prompts += await proc.stderr.read(1)
            os.write(master, SECRET.encode() + b"\n")
            out, err = await asyncio.wait_for(proc.communicate(), 30)
        finally:
            if slave != -1:
                os.close(slave)
            os.close(master)
    assert proc.returncode == 0, err.decode()
    assert json.loads(out)[0]["name"]
    stderr = (prompts + err).decode()
    assert "Username" in stderr
    assert SECRET not in stderr
    assert SECRET not in out.decode()
