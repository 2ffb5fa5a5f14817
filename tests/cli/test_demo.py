"""``alice demo``: the whole journey on the embedded emulator, in a subprocess."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.cli._helpers import REPO, base_env, run_cli


def _text(path: Path) -> str:
    return path.read_text("utf-8")


def _names(directory: Path) -> list[str]:
    return [path.name for path in directory.iterdir()]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


async def test_demo_completes_and_its_summary_adds_up(tmp_path: Path) -> None:
    result = await run_cli(
        "demo",
        "--contacts", "2000",
        "--seed", "7",
        "--dial-seconds", "3",
        "--max-watch", "40",
        "--output", str(tmp_path / "out"),
        "--json",
        timeout=90,
    )  # fmt: skip

    assert result.code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary == json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["seconds"] < 60
    assert summary["contacts"] == {
        "generated": 2000,
        "created": 2000,
        "duplicates": 0,
        "invalid": 0,
    }
    assert summary["campaign"]["status"] == "COMPLETED"
    assert summary["output_dir"] == str(tmp_path / "out")
    assert summary["campaign"]["ended_by_demo"] is False
    # Every active contact but the do-not-call numbers was enrolled, and every one was called.
    enrolled = summary["contacts"]["created"] - summary["dnc_numbers"]
    assert summary["subscribers_total"] == enrolled
    assert summary["subscribers"]["PENDING"] == summary["subscribers"]["IN_PROCESS"] == 0
    called = sum(summary["subscribers"][s] for s in ("COMPLETED", "SENT", "FAIL"))
    assert called == enrolled
    # The export holds one row per call (failed numbers are called once more), and the
    # dispositions and the progress count the same calls.
    rows = _csv_rows(Path(summary["cdr_file"]))
    assert len(rows) == summary["cdr_rows"] == summary["calls"]["placed"]
    assert enrolled < len(rows) <= 2 * enrolled
    assert len({row["subscriber"] for row in rows}) == enrolled
    answered = [row for row in rows if row["disposition"] == "ANSWER"]
    assert summary["calls"]["answered"] == len(answered)
    assert summary["calls"]["talk_seconds"] == sum(int(row["billsec"]) for row in rows)
    assert summary["dnc_left_out"] == summary["dnc_numbers"]
    assert sum(summary["dispositions"].values()) == len(rows)
    by_disposition: dict[str, int] = {}
    for row in rows:
        by_disposition[row["disposition"]] = by_disposition.get(row["disposition"], 0) + 1
    assert by_disposition == {k: v for k, v in summary["dispositions"].items() if v}
    assert {row["campaign"] for row in rows} == {str(summary["campaign"]["id"])}
    assert all(row["phone_number"].startswith("09") for row in rows)
    # Progress and the live table went to stderr.
    assert "uploading contacts" in result.stderr
    assert "Subscriber status" in result.stderr
    # It ends with the report, and says where it is.
    report = Path(summary["report_file"])
    assert f"report written to {report}" in result.stderr
    assert _text(report).startswith("<!DOCTYPE html>")
    failed = _csv_rows(Path(summary["failed_numbers_file"]))
    assert len(failed) == summary["subscribers"]["FAIL"]


async def test_demo_ends_the_campaign_when_watching_runs_out(tmp_path: Path) -> None:
    result = await run_cli(
        "demo",
        "--contacts", "300",
        "--dial-seconds", "120",
        "--max-watch", "1.5",
        "--output", str(tmp_path),
        timeout=60,
    )  # fmt: skip

    assert result.code == 0, result.stderr
    summary = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert (summary["campaign"]["status"], summary["campaign"]["status_code"]) == ("ENDED", 4)
    assert summary["campaign"]["ended_by_demo"] is True
    assert "ENDED campaign" in result.stderr
    assert 0 < summary["cdr_rows"] < summary["subscribers_total"]
    assert summary["subscribers"]["PENDING"] > 0
    assert len(_csv_rows(Path(summary["cdr_file"]))) == summary["cdr_rows"]
    # The human summary is a table on stdout.
    assert "alice demo: summary" in result.stdout
    assert "ended by the demo" in result.stdout
    assert "report-campaign-" in result.stdout


async def test_demo_without_output_writes_to_a_new_temporary_directory_and_says_where(
    tmp_path: Path,
) -> None:
    work, temporary = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    temporary.mkdir()
    result = await run_cli(
        "demo", "--contacts", "60", "--dial-seconds", "1", "--max-watch", "20", "--json",
        env=base_env(TMPDIR=str(temporary), PYTHONPATH=str(REPO)),  # this tree's alice_async
        cwd=work,
        timeout=60,
    )  # fmt: skip

    assert result.code == 0, result.stderr
    summary = json.loads(result.stdout)
    output = Path(summary["output_dir"])
    assert output.parent == temporary
    assert output.name.startswith("alice-demo-")
    assert f"Output in {output}" in " ".join(result.stderr.split())
    assert Path(summary["summary_file"]) == output / "summary.json"
    assert Path(summary["cdr_file"]).parent == output
    assert _csv_rows(Path(summary["cdr_file"]))
    assert _names(work) == []  # nothing in the current directory


def test_generated_contacts_are_deterministic_and_unique() -> None:
    from alice_async.cli._people import generate_contacts

    first = generate_contacts(50, seed=3)
    assert first == generate_contacts(50, seed=3)
    assert first != generate_contacts(50, seed=4)
    numbers = [c["contact"] for c in generate_contacts(5000, seed=1)]
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 10 and n.startswith("09") and n.isdigit() for n in numbers)
    name = f"{first[0]['last_name']} {first[0]['first_name']}"
    assert len(name.split()) == 3
