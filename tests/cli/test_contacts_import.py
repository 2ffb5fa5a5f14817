"""``alice contacts import``: progress, a rejects file with reasons, and resuming."""

from __future__ import annotations

import asyncio
import csv
import json
import signal
from pathlib import Path

import anyio
import openpyxl  # type: ignore[import-untyped]

from alice_async import AliceClient
from alice_async.emulator import Emulator, Latency
from tests.cli._helpers import CLI, REPO, assert_one_line_error, emulator_env, run_cli

HEADER = ["contact", "first_name", "last_name", "email"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


async def phonebook_size(client: AliceClient, phonebook: int) -> int:
    return (await client.contacts.list(phonebook=phonebook, page_size=1).first_page()).count


async def test_import_writes_rejects_with_reasons(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    other = await client.phonebooks.create(name="Cũ")
    await client.contacts.create(phonebook=other.id, contact="0987654321")
    book = await client.phonebooks.create(name="Mới")
    source = write_csv(
        tmp_path / "contacts.csv",
        [
            ["0912000001", "An", "Nguyễn Văn", "an@example.com"],
            ["0912000002", "Bình", "Trần Thị", ""],
            ["abc", "Chi", "Lê", ""],
            ["0912000004", "Dũng", "Phạm", "not-an-email"],
            ["0912000001", "An", "Nguyễn Văn", ""],
            ["0987654321", "Hoa", "Võ", ""],
            ["0912000007", "Giang", "Đỗ", "", "extra cell"],
            ["0912000008", "Hà", "Bùi", ""],
        ],
    )
    rejects = tmp_path / "rejects.csv"

    result = await run_cli(
        "contacts", "import", str(source),
        "--phonebook", str(book.id),
        "--rejects", str(rejects),
        "--chunk-size", "2",
        "--concurrency", "2",
        "--json",
        env=emulator_env(emulator),
    )  # fmt: skip

    assert result.code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows_read"] == 8
    assert (summary["created"], summary["duplicates"], summary["invalid"]) == (3, 2, 3)
    assert summary["rejects_written"] == 5
    assert await phonebook_size(client, book.id) == 3

    rows = read_csv(rejects)
    assert [row["contact"] for row in rows] == [
        "abc",
        "0912000004",
        "0912000001",
        "0987654321",
        "0912000007",
    ]
    reasons = [row["reason"] for row in rows]
    assert reasons[0].startswith("invalid contact")
    assert reasons[1].startswith("invalid email")
    assert reasons[2] == "duplicate: the number appears earlier in the file"
    assert reasons[3] == "duplicate: the number is already in the account"
    assert reasons[4].startswith("invalid row")
    assert "expected 4 cells" in reasons[4]
    # The original cells are kept (Vietnamese included).
    assert rows[2]["last_name"] == "Nguyễn Văn"
    assert rows[1]["email"] == "not-an-email"

    human = await run_cli(
        "contacts", "import", str(source), "--phonebook", str(book.id),
        env=emulator_env(emulator),
    )  # fmt: skip
    assert human.code == 0, human.stderr
    assert "rows 8, created 0, duplicates 5, invalid 3" in human.stdout
    assert "pass --rejects FILE" in human.stderr


async def test_import_resumes_from_its_checkpoint(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    book = await client.phonebooks.create(name="Lớn")
    total = 3000
    source = write_csv(
        tmp_path / "big.csv",
        [[f"09130{i:05d}", "Lan", "Nguyễn Thị", ""] for i in range(total)],
    )
    checkpoint = tmp_path / "import.ckpt"
    args = [
        "contacts", "import", str(source),
        "--phonebook", str(book.id),
        "--checkpoint", str(checkpoint),
        "--chunk-size", "100",
        "--concurrency", "2",
        "--json",
    ]  # fmt: skip
    env = emulator_env(emulator)
    emulator.configure(latency=Latency(per_item=0.002))  # ~3 s for the whole file

    proc = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    try:
        with anyio.fail_after(30):
            # Polls another process's progress: there is no event to wait on.
            while not checkpoint.exists() or await phonebook_size(client, book.id) < 300:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 130, err.decode()
    *_, interrupted, hint = err.decode().strip().splitlines()
    assert interrupted == "alice: interrupted"
    assert hint.startswith("to resume, run: alice contacts import ")
    assert f"--checkpoint {checkpoint}" in hint
    assert out == b""
    partial = await phonebook_size(client, book.id)
    assert 300 <= partial < total

    emulator.configure(latency=Latency())
    resumed = await run_cli(*args, env=env)

    assert resumed.code == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["created"] == total
    assert summary["duplicates"] == summary["invalid"] == 0
    assert await phonebook_size(client, book.id) == total  # nothing created twice


async def test_a_stopped_upload_is_one_line(emulator: Emulator, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "c.csv", [["0915000001", "An", "", ""], ["x", "", "", ""]])
    rejects = tmp_path / "rejects.csv"
    result = await run_cli(
        "contacts", "import", str(source), "--phonebook", "404", "--rejects", str(rejects),
        env=emulator_env(emulator),
    )  # fmt: skip
    line = assert_one_line_error(result)
    assert "the upload stopped (phonebook)" in line
    assert "Phonebook is not valid!" in line
    assert [row["contact"] for row in read_csv(rejects)] == ["x"]


def write_messy_workbook(path: Path) -> Path:
    """A workbook as people keep it: a notes sheet first, Vietnamese headers, numbers Excel
    stored as numbers (leading zero lost), another tool's +84 form, a blank row, bad cells."""
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Ghi chú"
    notes.append(["Danh sách khách hàng tháng 3"])
    sheet = book.create_sheet("Khách hàng")
    sheet.append(["Số điện thoại", "Họ và tên", "Email"])
    sheet.append([934890883, "Nguyễn Văn An", "an@example.vn"])  # 0934890883
    sheet.append(["+84 934 890 883", "Nguyễn Văn An", None])  # the same person
    sheet.append(["0934.890.884", "Trần Thị Bình", None])
    sheet.append([None, None, None])
    sheet.append(["9.34891E+08", "Lê Chi", None])  # digits lost by a spreadsheet
    sheet.append(["0934890885 ext 12", "Phạm Dũng", None])
    sheet.append(["0934890886", "Võ Hoa", None])  # on the do-not-call list
    book.save(path)
    return path


async def test_import_of_a_messy_workbook_with_a_mapping(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    book = await client.phonebooks.create(name="Excel")
    dnc = await client.dnc_lists.create(name="Khiếu nại")
    await client.dnc_contacts.create(phone_number="+84934890886", dnc=dnc.id)
    source = write_messy_workbook(tmp_path / "khach-hang.xlsx")
    rejects = tmp_path / "rejects.csv"
    result = await run_cli(
        "contacts", "import", str(source), "--phonebook", str(book.id),
        "--sheet", "Khách hàng",
        "--map", "Số điện thoại=contact", "--map", "Họ và tên=first_name",
        "--skip-dnc", "--rejects", str(rejects), "--json",
        env=emulator_env(emulator),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows_read"] == 6
    assert (summary["created"], summary["duplicates"], summary["invalid"]) == (2, 1, 2)
    assert summary["do_not_call"] == 1
    assert summary["rejects_by_reason"] == {
        "do_not_call": 1,
        "invalid_contact": 2,
        "repeated_in_input": 1,
    }
    stored = sorted(c.contact for c in await client.contacts.list(phonebook=book.id).to_list())
    assert stored == ["0934890883", "0934890884"]
    reasons = {row["Số điện thoại"]: row["reason"] for row in read_csv(rejects)}
    assert "scientific notation" in reasons["9.34891E+08"]
    assert "extension" in reasons["0934890885 ext 12"]
    assert reasons["0934890886"].startswith("do_not_call")


async def test_a_semicolon_file_is_read_without_options(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    book = await client.phonebooks.create(name="Châu Âu")
    source = tmp_path / "excel-vi.csv"
    source.write_text("contact;first_name\n0934890883;An\n0934890884;Bình\n", encoding="utf-8-sig")
    result = await run_cli(
        "contacts", "import", str(source), "--phonebook", str(book.id), "--json",
        env=emulator_env(emulator),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 2


async def test_a_file_whose_rows_are_all_invalid_fails(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    book = await client.phonebooks.create(name="Hỏng")
    source = write_csv(tmp_path / "bad.csv", [["abc", "", "", ""], ["0123", "", "", ""]])
    result = await run_cli(
        "contacts", "import", str(source), "--phonebook", str(book.id),
        env=emulator_env(emulator),
    )  # fmt: skip
    line = assert_one_line_error(result)
    assert result.code == 1
    assert "all 2 rows are invalid" in line
    missing = tmp_path / "nophone.csv"
    missing.write_text("Phone;Name\n0934890883;An\n", encoding="utf-8")
    result = await run_cli(
        "contacts", "import", str(missing), "--phonebook", str(book.id),
        env=emulator_env(emulator),
    )  # fmt: skip
    assert "no column holds the phone number" in assert_one_line_error(result, 2)


async def test_a_checkpoint_is_bound_to_its_file(
    emulator: Emulator, client: AliceClient, tmp_path: Path
) -> None:
    book = await client.phonebooks.create(name="Hai lần")
    source = write_csv(tmp_path / "a.csv", [[f"09140{i:05d}", "An", "", ""] for i in range(30)])
    checkpoint = tmp_path / "a.ckpt"
    args = ["contacts", "import", "--phonebook", str(book.id), "--checkpoint", str(checkpoint)]
    env = emulator_env(emulator)
    first = await run_cli(*args, str(source), "--chunk-size", "10", env=env)
    assert first.code == 0, first.stderr
    again = await run_cli(*args, str(source), "--chunk-size", "10", env=env)
    assert again.code == 0, again.stderr
    assert "was imported already" in again.stdout
    assert "nothing was sent now" in again.stdout
    other = write_csv(tmp_path / "b.csv", [[f"09150{i:05d}", "An", "", ""] for i in range(30)])
    refused = await run_cli(*args, str(other), "--chunk-size", "10", env=env)
    line = assert_one_line_error(refused, 2)
    assert str(checkpoint) in line
    assert "first at data row 1" in line
    assert await phonebook_size(client, book.id) == 30
