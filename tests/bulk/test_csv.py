"""read_contacts_csv: encodings, header mapping, malformed lines, and an upload from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from alice_async import InvalidInputError, MalformedRow, read_contacts_csv

from .conftest import Start, add_phonebook, assert_accounting

VIETNAMESE = "Nguyễn Thị Minh Khai"


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_utf8_with_or_without_bom(tmp_path: Path, bom: bool) -> None:
    path = tmp_path / "contacts.csv"
    text = f"contact,first_name,status\n0934890883,{VIETNAMESE},0\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    assert list(read_contacts_csv(path)) == [
        {"contact": "0934890883", "first_name": VIETNAMESE, "status": 0}
    ]


def test_header_mapping_and_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Phone;Name;Mail;Notes\n0934890883;Linh;linh@example.vn;vip\n0934890884;;;\n",
        encoding="utf-8",
    )
    mapping = {"Phone": "contact", "Name": "first_name", "Mail": "email"}
    assert list(read_contacts_csv(path, mapping=mapping, delimiter=";")) == [
        {"contact": "0934890883", "first_name": "Linh", "email": "linh@example.vn"},
        {"contact": "0934890884"},
    ]
    with pytest.raises(InvalidInputError, match="Telephone"):
        list(read_contacts_csv(path, mapping={"Telephone": "contact"}, delimiter=";"))


def test_malformed_lines_are_yielded_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        'contact,first_name\n0934890883,Linh\n0934890884,A,extra\n\n0934890885\n"09,"x\n'
        "0934890886,Bình\n",
        encoding="utf-8",
    )
    got = list(read_contacts_csv(path))
    assert got[0] == {"contact": "0934890883", "first_name": "Linh"}
    assert isinstance(got[1], MalformedRow)
    assert "expected 2 cells, got 3" in got[1].message
    assert isinstance(got[2], MalformedRow)
    assert isinstance(got[3], MalformedRow)
    assert got[-1] == {"contact": "0934890886", "first_name": "Bình"}


def test_an_empty_file_yields_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    assert list(read_contacts_csv(path)) == []


async def test_upload_from_csv_round_trips_vietnamese_and_reports_bad_lines(
    start: Start, tmp_path: Path
) -> None:
    emu, client = await start()
    book = add_phonebook(emu)
    path = tmp_path / "contacts.csv"
    lines = ["\ufeffSố điện thoại,Họ tên"]
    lines += [f"09{i:08d},{VIETNAMESE} {i}" for i in range(300)]
    lines.insert(11, "0912345678,too,many")  # data row 10
    lines.insert(21, "not-a-number,Nobody")  # data row 20
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = read_contacts_csv(path, mapping={"Số điện thoại": "contact", "Họ tên": "first_name"})
    result = await client.contacts.bulk_create(book, rows, chunk_size=64)
    assert_accounting(result)
    assert result.rows_read == 302
    assert result.created == 300
    assert [(r.row, r.field) for r in result.invalid] == [(10, "row"), (20, "contact")]
    names = {c["contact"]: c["first_name"] for c in emu.store.objects("contact")}
    assert names["0900000007"] == f"{VIETNAMESE} 7"
