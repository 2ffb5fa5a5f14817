"""read_contacts: delimiters, encodings, Excel, and files with broken quotes that lose no row."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from alice_async import InvalidInputError, MalformedRow, read_contacts

VIETNAMESE = "Nguyễn Thị Minh Khai"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _rows(path: Path, **options: Any) -> list[Any]:
    return list(read_contacts(path, **options))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected_from_the_header(tmp_path: Path, delimiter: str) -> None:
    text = f"contact{delimiter}first_name\n0934890883{delimiter}{VIETNAMESE}\n"
    path = _write(tmp_path / "contacts.csv", text)
    assert _rows(path) == [{"contact": "0934890883", "first_name": VIETNAMESE}]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_utf8_and_utf16_files_are_read(tmp_path: Path, encoding: str) -> None:
    text = f"Số điện thoại\tHọ tên\n0934890883\t{VIETNAMESE}\n"
    path = _write(tmp_path / "unicode.txt", text, encoding)
    rows = _rows(path, mapping={"Số điện thoại": "contact", "Họ tên": "first_name"})
    assert rows == [{"contact": "0934890883", "first_name": VIETNAMESE}]


def test_an_unterminated_quote_costs_one_line_not_the_rest_of_the_file(tmp_path: Path) -> None:
    lines = ["contact,first_name"] + [f"09{i:08d},Name {i}" for i in range(10)]
    lines[4] = '0900000003,"Broken'
    path = _write(tmp_path / "broken.csv", "\n".join(lines) + "\n")
    rows = _rows(path)
    assert len(rows) == 10
    assert isinstance(rows[3], MalformedRow)
    assert "line 5" in rows[3].message
    assert rows[4] == {"contact": "0900000004", "first_name": "Name 4"}
    assert rows[-1] == {"contact": "0900000009", "first_name": "Name 9"}


def test_a_stray_quote_that_swallows_lines_costs_only_its_own_line(tmp_path: Path) -> None:
    text = (
        "contact,first_name,email\n"
        '0900000001,"Lan,lan@x.vn\n'
        "0900000002,Mai,mai@x.vn\n"
        '0900000003,"Hoa",hoa@x.vn\n'
        "0900000004,Cúc,cuc@x.vn\n"
    )
    rows = _rows(_write(tmp_path / "stray.csv", text))
    assert isinstance(rows[0], MalformedRow)
    assert "line 2" in rows[0].message
    assert [r["contact"] for r in rows[1:]] == ["0900000002", "0900000003", "0900000004"]


def test_a_multiline_quoted_cell_with_the_right_cell_count_is_kept(tmp_path: Path) -> None:
    text = 'contact,description\n0900000001,"first line\nsecond line"\n0900000002,x\n'
    rows = _rows(_write(tmp_path / "multi.csv", text))
    assert rows == [
        {"contact": "0900000001", "description": "first line\nsecond line"},
        {"contact": "0900000002", "description": "x"},
    ]


def test_blank_lines_and_trailing_delimiters_are_not_records(tmp_path: Path) -> None:
    text = "contact;first_name;;\n\n0900000001;An;;\n;;;\n\n0900000002;Bình;;\n"
    assert _rows(_write(tmp_path / "excel.csv", text)) == [
        {"contact": "0900000001", "first_name": "An"},
        {"contact": "0900000002", "first_name": "Bình"},
    ]


def test_a_line_in_another_encoding_is_reported_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "contact,first_name\n0900000001,Bình\n".encode()
        + "0900000002,Bình\n".encode("cp1252")
        + b"0900000003,An\n"
    )
    rows = _rows(path)
    assert rows[0] == {"contact": "0900000001", "first_name": "Bình"}
    assert isinstance(rows[1], MalformedRow)
    assert "line 3" in rows[1].message
    assert rows[2] == {"contact": "0900000003", "first_name": "An"}


def test_header_names_and_text_are_composed_and_matched_in_any_form(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", f"Số điện thoại,Họ tên\n0934890883,{VIETNAMESE}\n")
    path = _write(tmp_path / "mac.csv", decomposed)
    rows = _rows(path, mapping={"Số điện thoại": "contact", "Họ tên": "first_name"})
    assert rows == [{"contact": "0934890883", "first_name": VIETNAMESE}]


def test_a_file_without_a_phone_column_is_refused_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "noname.csv", "Phone;Name\n0934890883;An\n")
    with pytest.raises(InvalidInputError, match="no column holds the phone number"):
        read_contacts(path, delimiter=",")
    with pytest.raises(InvalidInputError, match="Telephone"):
        read_contacts(path, mapping={"Telephone": "contact"})
    assert _rows(path, mapping={"phone": "contact"}) == [{"contact": "0934890883"}]


def test_unsupported_files_and_bad_options_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="xlsx"):
        read_contacts(_write(tmp_path / "contacts.pdf", "x"))
    with pytest.raises(InvalidInputError, match="delimiter"):
        read_contacts(_write(tmp_path / "c.csv", "contact\n1\n"), delimiter=";;")


def _workbook(path: Path, rows: list[list[Any]], sheet: str = "Khách hàng") -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["nothing here"])
    data = book.create_sheet(sheet)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def test_an_excel_sheet_is_read_by_name_or_index(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "contacts.xlsx",
        [
            ["Số điện thoại", "Họ tên", "Trạng thái"],
            [934890883, VIETNAMESE, 1],  # Excel dropped the leading zero
            ["0934 890 884", "An", None],
            [None, None, None],
            ["9.34891E+08", "Lost digits", 0],
        ],
    )
    mapping = {"Số điện thoại": "contact", "Họ tên": "first_name", "Trạng thái": "status"}
    expected = [
        {"contact": "934890883", "first_name": VIETNAMESE, "status": 1},
        {"contact": "0934 890 884", "first_name": "An"},
        {"contact": "9.34891E+08", "first_name": "Lost digits", "status": 0},
    ]
    assert _rows(path, mapping=mapping, sheet="Khách hàng") == expected
    assert _rows(path, mapping=mapping, sheet=1) == expected
    with pytest.raises(InvalidInputError, match="sheet"):
        read_contacts(path, mapping=mapping, sheet="Missing")


def test_a_wrong_mapping_encoding_or_workbook_names_what_is_wrong(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", "Phone\n0934890883\n")
    with pytest.raises(InvalidInputError, match="not an API field"):
        read_contacts(path, mapping={"Phone": "contac"})
    with pytest.raises(InvalidInputError, match="encoding"):
        read_contacts(path, encoding="klingon")
    with pytest.raises(InvalidInputError, match=r"not a readable \.xlsx"):
        read_contacts(_write(tmp_path / "fake.xlsx", "contact\n0934890883\n"))


def test_without_the_excel_extra_a_workbook_is_refused_naming_the_extra(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "contacts.xlsx", [["contact"], ["0934890883"]])
    script = (
        "import sys; sys.modules['openpyxl'] = None\n"
        "import alice_async\n"
        "try:\n"
        f"    alice_async.read_contacts({str(path)!r})\n"
        "except alice_async.InvalidInputError as exc:\n"
        "    print(exc.reason)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert "alice-sdk[excel]" in done.stdout
