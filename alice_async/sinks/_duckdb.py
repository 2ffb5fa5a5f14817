"""``DuckDB``: a destination in one DuckDB database file (extra ``alice-sdk[duckdb]``).

Rows go into a typed table (``id BIGINT PRIMARY KEY``, ``TIMESTAMPTZ``, ``BOOLEAN``,
``VARCHAR`` for phone numbers), appended through Arrow; the state of each table is a row of
``_alice_sync_state`` in the same database, written in the same transaction as the rows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .._exceptions import InvalidInputError
from .._frames import require
from ._protocol import Feed

__all__ = ["DuckDB"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
STATE_TABLE = "_alice_sync_state"


def _sql_type(pa: Any, arrow_type: Any) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMPTZ"
    if pa.types.is_int64(arrow_type):
        return "BIGINT"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_floating(arrow_type):
        return "DOUBLE"
    return "VARCHAR"


class DuckDB:
    """Sync into table ``table`` of the DuckDB database ``path`` (created if missing).

    Example::

        result = await client.cdr.sync(DuckDB("calls.duckdb", table="cdr"), since=start)
        # later: duckdb.connect("calls.duckdb").sql("SELECT count(*) FROM cdr")

    Raises:
        InvalidInputError: ``table`` is not a plain SQL identifier.
    """

    def __init__(self, path: str | os.PathLike[str], *, table: str = "cdr") -> None:
        if not isinstance(table, str) or not _IDENTIFIER.fullmatch(table) or table == STATE_TABLE:
            raise InvalidInputError("table", table, "must be a plain SQL identifier")
        self.path = Path(path)
        self.table = table
        self._connection: Any = None
        self._feed: Feed | None = None

    def __repr__(self) -> str:
        return f"DuckDB({str(self.path)!r}, table={self.table!r})"

    def open(self, feed: Feed) -> str | None:
        """Create the table and the state table if needed; return the table's state."""
        duckdb = require("duckdb")
        pa = require("pyarrow")
        self._connection = con = duckdb.connect(str(self.path))
        self._feed = feed
        columns = ", ".join(
            f'"{field.name}" {_sql_type(pa, field.type)}'
            + (" PRIMARY KEY" if field.name == "id" else "")
            + ("" if field.nullable or field.name == "id" else " NOT NULL")
            for field in feed.schema
        )
        con.execute(f'CREATE TABLE IF NOT EXISTS "{self.table}" ({columns})')
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} "
            "(table_name VARCHAR PRIMARY KEY, state VARCHAR NOT NULL)"
        )
        found = con.execute(
            f"SELECT state FROM {STATE_TABLE} WHERE table_name = ?", [self.table]
        ).fetchone()
        return None if found is None else str(found[0])

    def write(self, rows: Any, state: str) -> None:
        """Insert ``rows`` and replace the state in one transaction (DuckDB's commit is durable)."""
        con = self._connection
        if con is None:
            raise InvalidInputError("destination", self, "is not open")
        con.execute("BEGIN TRANSACTION")
        try:
            if rows.num_rows:
                # from_arrow, not register(): register() imports pandas to check the type.
                con.from_arrow(rows).insert_into(f'"{self.table}"')
            con.execute(f"INSERT OR REPLACE INTO {STATE_TABLE} VALUES (?, ?)", [self.table, state])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the database connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
