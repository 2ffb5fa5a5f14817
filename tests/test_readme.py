"""The README's Python examples compile and run against the emulator; its test command is CI's."""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest

import alice_sync
from alice_async import AliceClient
from alice_async.emulator import Emulator, EmulatorConfig
from tests import readme_harness
from tests.conftest import FAST_RETRIES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) > 20


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_every_python_example_compiles(index: int) -> None:
    source = BLOCKS[index]
    # Examples may use top-level await, as in a notebook or `python -m asyncio`.
    compile(source, f"README.md example {index}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def test_sync_examples_never_await() -> None:
    sync_blocks = [b for b in BLOCKS if "from alice_sync import" in b]
    assert sync_blocks
    for block in sync_blocks:
        assert not re.search(r"\bawait\b|\basync (with|for|def)\b", block), block


def test_ci_runs_the_quickstart_test_command() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)```", quickstart, flags=re.S)
    assert len(commands) == 2, "the Quickstart has exactly two set-up commands"
    assert "alice demo" in commands[0]
    test_command = commands[1].strip().split("&&")[-1].strip()
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script.splitlines()


# -- every example runs against the emulator ------------------------------------------------

EXAMPLES = readme_harness.blocks()


def _example_id(index: int) -> str:
    heading, code = EXAMPLES[index]
    slug = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")[:40]
    return f"{index}-{readme_harness.kind_of(code)}-{slug}"


def test_the_harness_sees_every_example() -> None:
    assert len(EXAMPLES) == len(BLOCKS)
    assert [code for _, code in EXAMPLES] == BLOCKS


@pytest.fixture
async def readme_emulator() -> AsyncIterator[Emulator]:
    accounts = (readme_harness.README_ACCOUNT, ("alice", "wonderland"))
    async with Emulator(EmulatorConfig(accounts=accounts)) as emu:
        yield emu


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=_example_id)
async def test_every_python_example_runs(
    index: int,
    readme_emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    heading, code = EXAMPLES[index]
    kind = readme_harness.kind_of(code)
    if kind == "test-file":
        pytest.skip("a test file: run with pytester by tests/plugin/test_pytest_plugin.py")
    reason = readme_harness.not_run_reason(code)
    if reason is not None:
        pytest.skip(reason)
    username, password = readme_harness.README_ACCOUNT
    env = {
        "ALICE_BASE_URL": readme_emulator.url,
        "ALICE_USERNAME": username,
        "ALICE_PASSWORD": password,
        "CLINIC_PASSWORD": "mật-khẩu-phòng-khám",
        "RUNTIME__DLTHUB_TELEMETRY": "false",  # dlt: no telemetry (no network here)
        "DLT_DATA_DIR": str(tmp_path / ".dlt"),  # dlt: pipeline state of this test only
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    readme_harness.write_files(tmp_path)
    source = readme_harness.prepared(code, readme_emulator.url)

    if kind == "program":
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            source,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=tmp_path,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, f"{heading}: {err.decode()}"
        assert out.strip(), f"{heading}: the program printed nothing"
        return

    async with AliceClient(retry_policy=FAST_RETRIES) as client:
        namespace: dict[str, Any] = await readme_harness.story(client)
        await readme_harness.exports(code, client, readme_emulator)
        before = readme_emulator.stats.requests.total()
        if kind == "async":
            namespace.update(client=client, AliceClient=AliceClient)
            compiled = compile(
                source, f"README example {index}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
            )
            if compiled.co_flags & inspect.CO_COROUTINE:
                await eval(compiled, namespace)
            else:  # blocking code (dlt, a plan): in a thread, never on the emulator's loop
                await anyio.to_thread.run_sync(eval, compiled, namespace)
            await _close_clients(namespace)
        else:

            def run_sync() -> None:
                with alice_sync.AliceClient(retry_policy=FAST_RETRIES) as sync_client:
                    namespace.update(client=sync_client, AliceClient=alice_sync.AliceClient)
                    exec(compile(source, f"README example {index}", "exec"), namespace)

            await anyio.to_thread.run_sync(run_sync)
        expectation = readme_harness.EXPECTATIONS.get(heading)
        if expectation is not None:
            assert expectation(namespace), f"{heading}: not what its comments say"
    # An example that talks to the API reached the emulator (construction-only examples
    # are the configuration ones, which make no request).
    if "client." in code:
        assert readme_emulator.stats.requests.total() > before, heading


async def _close_clients(namespace: dict[str, Any]) -> None:
    for value in namespace.values():
        if isinstance(value, AliceClient) and not value.is_closed:
            await value.aclose()
