"""The README's Python examples are valid Python, and its test command is the one CI runs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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
