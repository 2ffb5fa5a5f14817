"""The CLI is an optional extra: ``import alice_async`` never needs typer or rich."""

from __future__ import annotations

import asyncio
import sys

from tests.cli._helpers import REPO, base_env


async def _python(code: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=base_env(),
        cwd=REPO,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_importing_the_sdk_does_not_import_the_cli_packages() -> None:
    code, out, err = await _python(
        "import sys, alice_async, alice_async.emulator, alice_async.cli\n"
        "print(sorted(m for m in ('typer', 'click', 'rich') if m in sys.modules))"
    )
    assert code == 0, err
    assert out.strip() == "[]"


async def test_a_missing_extra_is_one_line() -> None:
    code, out, err = await _python(
        "import sys\n"
        "sys.modules['typer'] = None  # as if the extra were not installed\n"
        "from alice_async.cli import main\n"
        "sys.exit(main(['--help']))"
    )
    assert code == 1
    assert out == ""
    assert err.strip() == "alice: the command line needs typer: install alice-sdk[cli]"
