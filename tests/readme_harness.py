"""Run the README's Python examples against the emulator, as a reader would paste them.

Every ```python block of the README is one example. An example is one of four kinds:

- a **program** (it calls ``asyncio.run``/``anyio.run``): run as ``python -c`` in a subprocess,
  with ``ALICE_BASE_URL``/``ALICE_USERNAME``/``ALICE_PASSWORD`` naming a running emulator;
- a **test file** (it defines ``test_`` functions using the pytest plugin's fixtures): run by
  ``pytester`` in ``tests/plugin``;
- an **async snippet** (top-level ``await``, or it imports ``alice_async``): run in the test's
  event loop, as in ``python -m asyncio`` or a notebook;
- a **sync snippet**: run in a worker thread with an ``alice_sync`` client.

Snippets continue a story the README tells around them (``client``, ``book``, ``campaign``...):
:func:`namespace` gives them those objects, created on the emulator for each example. Helper
names that the prose leaves to the reader (``load_orders()``, ``numbers``, ``handle``) get a
small definition from :data:`PRELUDES` when an example uses them without defining them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

Kind = Literal["program", "test-file", "async", "sync"]

#: The emulator account the README's examples log in with (``username="me"``).
README_ACCOUNT = ("me", "secret")

#: Definitions for names the README leaves to the reader, prepended when an example uses one.
PRELUDES = {
    "load_orders": (
        "def load_orders():\n"
        "    return [('0934890883', 'A-1'), ('0934890884', 'A-2'), ('0934890885', 'A-3')]\n"
    ),
    "numbers": "numbers = ['0934890883', '0934890884', '0934890885']\n",
    "handle": "handled = []\nhandle = handled.append\n",
    "rows": (
        "rows = [{'contact': '+84 934 890 883', 'first_name': 'An'},"
        " {'contact': '0912 345 678', 'first_name': 'Chi'}]\n"
    ),
}

#: What an example's own comments promise, checked on its namespace after it ran.
EXPECTATIONS: dict[str, Callable[[dict[str, Any]], bool]] = {
    # to_dict(): ISO-8601 with Z, enums as their API values; to_json(): a str
    "Models as plain data": lambda ns: (
        ns["data"]["startingdate"].endswith("Z")
        and ns["data"]["status"] == ns["campaign"].status.value
        and isinstance(ns["text"], str)
    ),
    # the callback got a Progress from both operations; the upload's last one counts every row
    "Progress of long operations": lambda ns: (
        ns["latest"]["bulk_create"].done == ns["result"].rows_read > 0
        and ns["latest"]["export"].done == ns["written"]
    ),
    # "row 0 created; row 1 repeated_in_input; the blank row is not a record; row 2 invalid"
    "From a file: CSV or Excel": lambda ns: (
        (
            ns["result"].created,
            len(ns["result"].duplicates),
            len(ns["result"].invalid),
        )
        == (1, 1, 1)
    ),
    # "Counter({200: 2}): the login and the page" (the OpenTelemetry examples count nothing)
    "Hooks and OpenTelemetry": lambda ns: ns.get("statuses", {200: 2}) == {200: 2},
}

#: Rewrites of text that names a machine the tests do not have (the URL is set per run).
LOCAL_EMULATOR = "http://127.0.0.1:8080/rest-api/"


def blocks() -> list[tuple[str, str]]:
    """``(heading, code)`` for every ```python block, the heading being the nearest above."""
    found: list[tuple[str, str]] = []
    heading = ""
    for match in re.finditer(r"^(#{2,4} [^\n]*)$|^```python\n(.*?)```", README, flags=re.M | re.S):
        if match.group(1):
            heading = match.group(1).lstrip("# ").strip()
        else:
            found.append((heading, match.group(2)))
    return found


def kind_of(code: str) -> Kind:
    """What kind of example ``code`` is (see the module docstring)."""
    if re.search(r"^(async )?def test_", code, flags=re.M):
        return "test-file"
    if re.search(r"\b(asyncio|anyio)\.run\(", code):
        return "program"
    if re.search(r"\bawait\b|\basync (with|for)\b", code):
        return "async"
    if re.search(r"^(from alice_sync\b|import alice_sync\b)", code, flags=re.M):
        return "sync"
    if re.search(r"^(from alice_async\b|import alice_async\b)", code, flags=re.M):
        return "async"
    return "sync"


#: Examples that need what a test machine does not have, by a line they contain: they are
#: compiled (above) but not run, and the reason says where the same code is tested.
NOT_RUN = {
    "import psycopg": (
        "a PostgreSQL destination the README offers as a sketch (it says: not built); "
        "the destination protocol is tested with DuckDB and Parquet in tests/sinks"
    ),
    'Client("scheduler:8786")': (
        "needs a running Dask scheduler; tests/sinks/test_shards.py runs the same code on a "
        "LocalCluster"
    ),
}


def not_run_reason(code: str) -> str | None:
    """Why ``code`` is not run, or None when it is."""
    return next((why for line, why in NOT_RUN.items() if line in code), None)


def _defined_names(code: str) -> set[str]:
    tree = ast.parse(code)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def prepared(code: str, url: str) -> str:
    """``code`` with the preludes it needs and local URLs pointing at ``url``."""
    code = code.replace(LOCAL_EMULATOR, url)
    used = set(re.findall(r"\b[A-Za-z_]\w*\b", code))
    defined = _defined_names_lenient(code)
    prelude = "".join(PRELUDES[name] for name in PRELUDES if name in used and name not in defined)
    return prelude + code


def _defined_names_lenient(code: str) -> set[str]:
    """Names ``code`` defines; top-level ``await`` is allowed (parsed inside a coroutine)."""
    wrapped = "async def __example():\n" + "".join(f"    {line}\n" for line in code.splitlines())
    return _defined_names(wrapped) - {"__example"}


CAMPAIGN_FIELDS: dict[str, Any] = {
    "frequency": 10,
    "startingdate": datetime(2026, 3, 1, 1, 0, tzinfo=timezone.utc),
    "expirationdate": datetime(2026, 3, 31, 1, 0, tzinfo=timezone.utc),
    "daily_start_time": time(8, 0),
    "daily_stop_time": time(17, 0),
}


async def story(client: Any) -> dict[str, Any]:
    """The objects the README's snippets take as given, created with the async ``client``."""
    book = await client.phonebooks.create(name="Khách hàng")
    await client.contacts.create(phonebook=book.id, contact="0987654321", first_name="Linh")
    template = await client.survey_templates.create(name="Xác nhận lịch hẹn")
    gateway = (await client.gateways.list().to_list())[0]
    other_fields = {
        "phonebook": [book.id],
        "aleg_gateway": gateway.id,
        "object_id": template.id,
        **CAMPAIGN_FIELDS,
    }
    campaign = await client.campaigns.create(name="Chiến dịch có sẵn", **other_fields)
    since = datetime.now(timezone.utc) - timedelta(days=1)
    return {
        "since": since,
        "start": since,
        "stop": since + timedelta(days=1),
        "url": client.base_url,
        "book": book,
        "template": template,
        "gateway": gateway,
        "campaign": campaign,
        "existing": campaign,
        "other_fields": other_fields,
        "datetime": datetime,
        "timedelta": timedelta,
        "timezone": timezone,
        "time": time,
    }


async def exports(code: str, client: Any, emulator: Any) -> None:
    """The export files an example reads back (``march.csv``, ``march.parquet``), if it does."""
    if "march.csv" not in code:
        return
    emulator.seed_cdrs(30)
    await client.cdr.export("march.csv", "csv")
    await client.cdr.export("march.parquet", "parquet")


def write_files(folder: Path) -> None:
    """The files the README's bulk-upload examples read: CSV, and the messy workbook."""
    import openpyxl  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Ghi chú"
    notes.append(["Danh sách khách hàng tháng 3"])
    sheet = workbook.create_sheet("Khách hàng")
    sheet.append(["Số điện thoại", "Họ và tên", "Email"])
    sheet.append([934890883, "Nguyễn Văn An", "an@example.vn"])
    sheet.append(["+84 934 890 883", "Nguyễn Văn An", None])
    sheet.append([None, None, None])
    sheet.append(["9.34891E+08", "Lê Chi", None])
    workbook.save(folder / "Khách hàng.xlsx")
    (folder / "customers.csv").write_text(
        "Số điện thoại,Họ tên,Email\n0934890883,Linh,linh@example.com\n0934890884,An,\n",
        encoding="utf-8-sig",
    )
    (folder / "big.csv").write_text(
        "contact,first_name\n" + "".join(f"09348{n:05d},Khách {n}\n" for n in range(50)),
        encoding="utf-8",
    )
