"""The password never shows in any output of the CLI, even with ``--verbose`` and retries."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from alice_async.emulator import Emulator, EmulatorConfig, Faults
from tests.cli._helpers import emulator_env, run_cli

SECRET = "Mật-khẩu-7Rz!q"


@pytest.fixture
async def faulty_emulator() -> AsyncIterator[Emulator]:
    """An account with a distinctive password, and 502/503 answers to force retries."""
    config = EmulatorConfig(
        accounts=(("operator", SECRET),),
        faults=Faults(rate=0.2, kinds=("502", "503"), seed=5),
    )
    async with Emulator(config) as emu:
        yield emu


async def test_verbose_output_never_holds_the_password(
    faulty_emulator: Emulator, tmp_path: Path
) -> None:
    source = tmp_path / "c.csv"
    with source.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["contact", "first_name"])
        writer.writerows([f"0914{i:06d}", "Vy"] for i in range(50))
    env = emulator_env(faulty_emulator)
    book = await run_cli("--verbose", "--max-retries", "8", "phonebooks", "create", "P", env=env)
    assert book.code == 0, book.stderr
    commands = [
        ("gateways", "list", "--json"),
        ("campaigns", "list"),
        ("contacts", "import", str(source), "--phonebook", "1", "--chunk-size", "10"),
        ("cdr", "export", "--from", "2020-01-01", "--to", "2030-01-01", "-o", str(tmp_path / "x")),
    ]
    results = await asyncio.gather(
        *(run_cli("--verbose", "--max-retries", "8", *args, env=env) for args in commands)
    )
    wrong = await run_cli(
        "--verbose", "gateways", "list", env={**env, "ALICE_PASSWORD": SECRET + "x"}
    )
    for result in (book, *results, wrong):
        assert SECRET not in result.output
        assert "Bearer" not in result.output
        assert "DEBUG alice_async" in result.stderr
    for result in results:
        assert result.code == 0, result.stderr
    assert any("retry" in result.stderr for result in (book, *results))
    assert wrong.code == 1
