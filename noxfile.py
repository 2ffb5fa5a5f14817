"""Development sessions: ``nox -s tests lint typing``; ``bench`` and ``demo`` on demand."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typing"]
nox.options.reuse_existing_virtualenvs = True

PACKAGES = ["alice_async", "alice_sync", "pytest_alice"]


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite with branch coverage (the CI command)."""
    session.install("-e", ".[test]")
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    session.run("coverage", "report")


@nox.session(name="tests-no-orjson")
def tests_no_orjson(session: nox.Session) -> None:
    """The suite with the standard-library JSON backend (orjson disabled)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-q", *session.posargs, env={"ALICE_NO_ORJSON": "1"})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict on the packages and the tests."""
    session.install("-e", ".[test,lint]")
    session.run("mypy", "--strict", *PACKAGES, "tests")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against raw aiohttp, httpx and requests (the emulator in its own process)."""
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def chaos(session: nox.Session) -> None:
    """The chaos suite at full size; prints its table and writes it to build/chaos-table.md."""
    session.install("-e", ".[test]")
    session.run(
        "pytest",
        "-m",
        "chaos",
        "tests/chaos",
        "--timeout=900",
        *session.posargs,
        env={"ALICE_CHAOS_SCALE": "full", "ALICE_CHAOS_TABLE": "build/chaos-table.md"},
    )
