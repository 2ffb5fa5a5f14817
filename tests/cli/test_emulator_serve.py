"""``alice emulator serve``: the emulator's own runner behind the ``alice`` command."""

from __future__ import annotations

import asyncio
import re
import signal

import anyio

from alice_async import AliceClient
from tests.cli._helpers import CLI, REPO, base_env, run_cli


async def test_serve_answers_then_stops_on_sigint() -> None:
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        "emulator", "serve", "--port", "0", "--token-ttl", "60",
        "--variant", "opaque_token", "--users", "minh:bí-mật",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=base_env(),
        cwd=REPO,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        with anyio.fail_after(20):
            line = (await proc.stdout.readline()).decode()
        match = re.match(r"Alice emulator on (\S+) \(user minh, password bí-mật\)", line)
        assert match, line
        async with AliceClient(match[1], username="minh", password="bí-mật") as client:
            gateways = await client.gateways.list().to_list()
        assert gateways
        proc.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()


async def test_serve_refuses_an_unknown_variant() -> None:
    result = await run_cli("emulator", "serve", "--port", "0", "--variant", "nonsense")
    assert result.code == 2
    assert "nonsense" in result.stderr
    assert "Traceback" not in result.output
