"""No row lost: generated messy files, both readers, both server variants, under faults.

Every record the user hands over is created or reported with a reason:
``created + duplicates + invalid + do_not_call == records read``.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from alice_async import read_contacts, read_contacts_csv

from .conftest import Start, add_phonebook, assert_accounting, chaos, preload

_BAD_NUMBERS = [
    "09348ABC83",
    "9.34891E+08",
    "0934890883 ext 12",
    "",
    "1" * 95,
    "0123",
    "+",
]


def _number(rng: random.Random) -> str:
    subscriber = f"9{rng.randrange(10**8):08d}"
    form = rng.randrange(4)
    return ["0" + subscriber, "84" + subscriber, "+84 " + subscriber, "(+84) " + subscriber][form]


def _messy_rows(rng: random.Random, size: int) -> list[list[Any] | str | None]:
    """Rows of cells (a ``str`` is a raw broken line; ``None`` a blank line)."""
    out: list[list[Any] | str | None] = []
    earlier: list[str] = []
    for i in range(size):
        pick = rng.random()
        name = unicodedata.normalize("NFD" if rng.random() < 0.3 else "NFC", f"Nguyễn Văn {i}")
        if pick < 0.55:
            number = _number(rng)
            earlier.append(number)
            out.append([number, name, rng.choice(["", "an@example.vn", "bad@example.v"])])
        elif pick < 0.65 and earlier:
            out.append([rng.choice(earlier).replace(" ", ""), name, ""])  # the same person
        elif pick < 0.78:
            out.append([rng.choice(_BAD_NUMBERS), name, ""])
        elif pick < 0.86:
            out.append(f'{_number(rng)},"{name},x@y.vn')  # an unterminated quote
        elif pick < 0.92:
            out.append(f"{_number(rng)},{name},a@b.vn,extra,cells")
        else:
            out.append(None)
    return out


def _records(rows: list[list[Any] | str | None]) -> int:
    return sum(1 for row in rows if row is not None)


def _csv(path: Path, rows: list[list[Any] | str | None], delimiter: str) -> Path:
    lines = [delimiter.join(["Số điện thoại", "Họ tên", "Email"])]
    for row in rows:
        if row is None:
            lines.append("")
        elif isinstance(row, str):
            lines.append(row.replace(",", delimiter))
        else:
            lines.append(delimiter.join(str(cell) for cell in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def _xlsx(path: Path, rows: list[list[Any] | str | None]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số điện thoại", "Họ tên", "Email"])
    for row in rows:
        if row is None:
            sheet.append([None, None, None])
        elif isinstance(row, str):
            sheet.append(row.split(","))  # too many cells beyond the header, or a stray quote
        else:
            number = row[0]
            cell: Any = int(number) if number.isdigit() and len(number) < 16 else number
            sheet.append([cell, row[1], row[2] or None])
    book.save(path)
    return path


MAPPING = {"Số điện thoại": "contact", "Họ tên": "first_name", "Email": "email"}


@pytest.mark.parametrize("atomic", [False, True], ids=["in-order", "all-or-nothing"])
@pytest.mark.parametrize("reader", ["read_contacts", "read_contacts_csv", "xlsx"])
@pytest.mark.parametrize("seed", [1, 2])
async def test_every_record_of_a_messy_file_is_created_or_reported(
    start: Start, tmp_path: Path, atomic: bool, reader: str, seed: int
) -> None:
    rng = random.Random(seed)
    messy = _messy_rows(rng, 400)
    emu, client = await start(chaos(atomic=atomic, seed=seed))
    book = add_phonebook(emu)
    good = [row[0] for row in messy if isinstance(row, list) and len(row[0]) == 10]
    present = list(dict.fromkeys(n for n in good if n.startswith("09")))
    preload(emu, add_phonebook(emu, "Old"), present[:5])
    dnc = emu.store.add("dnc-list", name="Complaints")["id"]
    for value in present[5:9]:
        emu.store.add("dnc-contact", dnc=dnc, phone_number="+84" + value[1:])
    rows: Any
    if reader == "xlsx":
        rows = read_contacts(_xlsx(tmp_path / "messy.xlsx", messy), mapping=MAPPING)
    elif reader == "read_contacts":
        rows = read_contacts(_csv(tmp_path / "messy.csv", messy, ";"), mapping=MAPPING)
    else:
        rows = read_contacts_csv(_csv(tmp_path / "messy.csv", messy, ","), mapping=MAPPING)
    result = await client.contacts.bulk_create(
        book, rows, chunk_size=40, concurrency=4, skip_dnc=True
    )
    assert_accounting(result)
    assert result.rows_read == _records(messy)
    assert len(result.do_not_call) >= 1
    assert result.invalid
    stored = emu.store.contact_numbers()
    assert len(stored) == len(set(stored)), "a number was stored twice"
    assert result.created == len(stored) - 5
    names = [c.get("first_name") or "" for c in emu.store.objects("contact")]
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
