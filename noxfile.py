"""Development sessions: ``nox -s tests lint typing``; ``bench``, ``demo``, ``report-browser``
on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

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


@nox.session(name="tests-fast")
def tests_fast(session: nox.Session) -> None:
    """The suite without the chaos runs (tests/chaos): the edit-test loop."""
    session.install("-e", ".[test]")
    session.run("pytest", "-q", "-m", "not chaos", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and the import layers (``lint-imports``)."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")


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


@nox.session(name="report-browser")
def report_browser(session: nox.Session) -> None:
    """A demo campaign's HTML report opened in headless Chromium: checked, then screenshotted.

    Needs the Debian ``chromium`` package (``apt-get update && apt-get install -y chromium``).
    ``nox -s report-browser -- --update-docs`` also copies the screenshot to
    ``docs/campaign-report.png`` (the one the README shows).
    """
    if session.venv_backend != "none":  # ``--no-venv`` uses the current environment
        session.install("-e", ".[cli,report]")
    out = Path("build/report-browser")
    session.run(
        "alice", "demo", "--contacts", "20000", "--seed", "2024", "--output", str(out),
        "--json", silent=True,
    )  # fmt: skip
    reports = sorted(out.glob("report-campaign-*.html"), key=lambda p: p.stat().st_mtime)
    if not reports:
        session.error(f"alice demo wrote no report in {out}")
    screenshot = out / "report.png"
    session.run("python", "scripts/report_browser.py", str(reports[-1]), str(screenshot))
    if "--update-docs" in session.posargs:
        shutil.copyfile(screenshot, "docs/campaign-report.png")
        session.log("copied to docs/campaign-report.png")
