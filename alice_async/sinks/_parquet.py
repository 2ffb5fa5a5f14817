"""``ParquetDataset``: a hive-partitioned directory of Parquet files (extra ``alice-sdk[parquet]``).

Layout: ``<dir>/date=YYYY-MM-DD/part-<run>-<n>.parquet``, the date being the UTC day of the
row's ``starting_date``; DuckDB (``read_parquet('<dir>/**/*.parquet', hive_partitioning=1)``),
Polars, pyarrow/pandas and Spark read it as one table. Every file is written under a hidden
temporary name, synced and renamed. The state is ``<dir>/_alice_sync_state.json`` (readers
skip names starting with ``_`` or ``.``), replaced atomically after the files it lists:
files a crashed run renamed but never committed are deleted by the next run, so the state
is never ahead of the data and no row is there twice. ``_alice_sync.lock`` (an ``flock``)
keeps a second run out while one is going.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .._exceptions import InvalidInputError
from .._frames import require
from ._protocol import Feed

__all__ = ["NULL_PARTITION", "STATE_FILE", "ParquetDataset", "write_partitioned"]

STATE_FILE = "_alice_sync_state.json"
LOCK_FILE = "_alice_sync.lock"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
"""Hive's name for the partition of rows whose date is null."""


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_durably(path: Path, write: Any) -> None:
    """``write(file)`` into a hidden temporary beside ``path``, fsync, rename, fsync the dir."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _partitions(pa: Any, rows: Any, column: str | None) -> Iterable[tuple[str, Any]]:
    if column is None:
        yield NULL_PARTITION, rows
        return
    pc = require("pyarrow.compute")
    days = pc.strftime(rows.column(column), format="%Y-%m-%d")
    for day in sorted(filter(None, days.unique().to_pylist())):
        yield day, rows.filter(pc.equal(days, day))
    nulls = rows.filter(pc.is_null(days))
    if nulls.num_rows:
        yield NULL_PARTITION, nulls


def write_partitioned(root: Path, rows: Any, *, partition_by: str | None, run: str) -> list[str]:
    """Write ``rows`` as ``date=<day>/part-<run>-<n>.parquet`` files under ``root``, each
    durably (temporary name, fsync, rename); return their paths relative to ``root``."""
    pa = require("pyarrow")
    pq = require("pyarrow.parquet")
    written = []
    for number, (day, part) in enumerate(_partitions(pa, rows, partition_by)):
        directory = root / f"date={day}"
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"part-{run}-{number}.parquet"
        _write_durably(target, lambda file, t=part: pq.write_table(t, file, compression="zstd"))
        written.append(target.relative_to(root).as_posix())
    return written


def parquet_files(root: Path) -> list[Path]:
    """Every data file of the dataset (hidden and temporary names excluded)."""
    return sorted(root.glob("date=*/part-*.parquet"))


class ParquetDataset:
    """Sync into the Parquet dataset directory ``path`` (created if missing).

    Example::

        await client.cdr.sync(ParquetDataset("lake/cdr"), since=start)
        # later: polars.scan_parquet("lake/cdr/**/*.parquet", hive_partitioning=True)
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._feed: Feed | None = None
        self._files: list[str] = []
        self._run = ""
        self._batch = 0
        self._lock_handle: Any = None

    def __repr__(self) -> str:
        return f"ParquetDataset({str(self.path)!r})"

    def open(self, feed: Feed) -> str | None:
        """Create the directory, delete what an interrupted run left, return the state."""
        require("pyarrow.parquet")
        if self.path.exists() and not self.path.is_dir():
            raise InvalidInputError("destination", str(self.path), "is a file, not a directory")
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock()
        self._feed = feed
        state_path = self.path / STATE_FILE
        state: str | None = None
        self._files = []
        if state_path.exists():
            try:
                saved = json.loads(state_path.read_text(encoding="utf-8"))
                state = str(saved["state"])
                self._files = [str(name) for name in saved["files"]]
            except (ValueError, KeyError, TypeError) as exc:
                raise InvalidInputError(
                    "destination", str(state_path), f"is not a sync state file ({exc})"
                ) from exc
        committed = set(self._files)
        for leftover in self.path.glob("date=*/.*.tmp"):
            leftover.unlink(missing_ok=True)
        for data in parquet_files(self.path):
            if data.relative_to(self.path).as_posix() not in committed:
                data.unlink(missing_ok=True)  # renamed by a run that died before committing
        self._run = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"
        self._batch = 0
        return state

    def write(self, rows: Any, state: str) -> None:
        """Write the files of ``rows``, then the state listing them (each durably)."""
        if self._feed is None:
            raise InvalidInputError("destination", repr(self), "is not open")
        new_files = []
        if rows.num_rows:
            new_files = write_partitioned(
                self.path,
                rows,
                partition_by=self._feed.partition_by,
                run=f"{self._run}-{self._batch}",
            )
            self._batch += 1
        files = self._files + new_files
        payload = json.dumps({"state": state, "files": files}, separators=(",", ":")).encode()
        _write_durably(self.path / STATE_FILE, lambda file: file.write(payload))
        self._files = files

    def _lock(self) -> None:
        """Hold an exclusive lock for the run: a second sync would delete this one's files."""
        try:
            import fcntl
        except ImportError:  # not on Windows: one run at a time is then the caller's duty
            return
        handle = open(self.path / LOCK_FILE, "a+b")  # noqa: SIM115  (held until close())
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise InvalidInputError(
                "destination", str(self.path), "is being synced by another run right now"
            ) from exc
        self._lock_handle = handle

    def close(self) -> None:
        """Release the run's lock (nothing else stays open between writes)."""
        self._feed = None
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None
