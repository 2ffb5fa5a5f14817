"""Open a campaign report in headless Chromium: check what it renders, take a screenshot.

Usage::

    python scripts/report_browser.py REPORT.html SCREENSHOT.png [--chromium PATH]

Chromium (the Debian ``chromium`` package: ``apt-get install -y chromium``) runs with every
background service off and a throw-away profile, on the local file only: the report must
render without any network. The rendered DOM must hold every section of the report and one
chart per chart section; the screenshot is written to SCREENSHOT.png. ``nox -s
report-browser`` runs it on the report of a fresh ``alice demo``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SECTIONS = ("summary", "outcomes", "hours", "talk-time", "attempts", "failed")
CHARTS = ("outcomes", "hours", "talk-time", "attempts")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
WINDOW = "1240,1500"


def find_chromium(given: str | None) -> str:
    for name in (given, "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return str(shutil.which(name))
    sys.exit("report_browser: no chromium found (apt-get install -y chromium)")


def chromium(binary: str, *args: str) -> str:
    with tempfile.TemporaryDirectory(prefix="alice-chromium-") as profile:
        done = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0:
        sys.exit(f"report_browser: chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def check_dom(dom: str) -> None:
    """Every section rendered, with its chart; fail loudly otherwise."""
    for section in SECTIONS:
        match = re.search(rf'<section id="{section}">(.*?)</section>', dom, re.S)
        if match is None:
            sys.exit(f"report_browser: section {section!r} missing from the rendered page")
        if section in CHARTS and "<svg" not in match.group(1):
            sys.exit(f"report_browser: section {section!r} has no chart")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("report", type=Path)
    parser.add_argument("screenshot", type=Path)
    parser.add_argument("--chromium", default=None)
    args = parser.parse_args(argv)
    binary = find_chromium(args.chromium)
    url = args.report.resolve().as_uri()
    check_dom(chromium(binary, "--dump-dom", url))
    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
    chromium(binary, f"--window-size={WINDOW}", f"--screenshot={args.screenshot.resolve()}", url)
    size = args.screenshot.stat().st_size
    print(
        f"report_browser: {args.report} renders every section; screenshot {args.screenshot}"
        f" ({size // 1024} KiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
