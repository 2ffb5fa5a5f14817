"""Distributed fan-out: ``client.cdr.plan(...)`` cuts a range into picklable shards, and
:func:`write_shard` runs one shard into a Parquet dataset, idempotently, on any worker.

A shard's files are ``date=<day>/part-<shard name>-<batch>-<n>.parquet``; running a shard
first deletes every file of that name, then writes (each file under a temporary name,
renamed), so a task retried after a worker died rewrites the same files and no row is
there twice. Such a dataset has no sync state: keep it apart from the directories that
``cdr.sync`` maintains.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._exceptions import InvalidInputError
from .._frames import arrow_table, require
from .._validation import datetime_value
from ..models.cdr import Cdr
from ._parquet import ParquetDataset, write_partitioned
from ._sync import CDR_FILTERS, SYNC_PAGE_SIZE, _filters

if TYPE_CHECKING:
    from ..resources.cdr import Cdrs

__all__ = ["CdrShard", "plan_cdr_shards", "write_shard"]

SHARD_BATCH_ROWS = 50_000


@attrs.frozen
class CdrShard:
    """One window of call records to pull: inclusive bounds and the filters (picklable).

    Attributes:
        name: a stable name (from the bounds and filters) used in the shard's file names.
        from_date: first ``starting_date`` (inclusive).
        to_date: last ``starting_date`` (inclusive).
        filters: the other ``cdr.list`` filters, as given.
    """

    name: str
    from_date: dt.datetime
    to_date: dt.datetime
    filters: dict[str, Any] = attrs.field(factory=dict, hash=False)


def plan_cdr_shards(
    resource: Cdrs,
    start: dt.datetime,
    stop: dt.datetime,
    *,
    window: dt.timedelta,
    filters: dict[str, Any],
) -> list[CdrShard]:
    """The shards of ``[start, stop]`` (see :meth:`Cdrs.plan`)."""
    from .._pagination._order import time_windows

    low = datetime_value("start", start)
    high = datetime_value("stop", stop)
    if high < low:
        raise InvalidInputError("stop", stop, "must not be before start")
    if not isinstance(window, dt.timedelta) or window < dt.timedelta(microseconds=1):
        raise InvalidInputError("window", window, "must be a timedelta of at least 1 microsecond")
    canonical = _filters(filters, CDR_FILTERS, "cdr.plan")
    resource.list(**filters)  # validates the filter values now
    digest = hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()[:8]
    return [
        CdrShard(f"{a:%Y%m%dT%H%M%S%f}-{digest}", a, b, dict(filters))
        for a, b in time_windows(low, high, window)
    ]


def _dataset_root(dataset: Any) -> Path:
    if isinstance(dataset, ParquetDataset):
        return dataset.path
    if isinstance(dataset, (str, os.PathLike)):
        return Path(dataset)
    raise InvalidInputError("dataset", dataset, "must be a directory path or a ParquetDataset")


async def _run_shard(shard: CdrShard, root: Path, client_options: dict[str, Any]) -> int:
    from .._client import AliceClient

    async with AliceClient(**client_options) as client:
        pull = client.cdr.list(
            from_date=shard.from_date,
            to_date=shard.to_date,
            page_size=SYNC_PAGE_SIZE,
            as_dicts=True,
            **shard.filters,
        )
        pending: list[Any] = []
        written = batch = 0
        async for page in pull.pages():
            pending.extend(page.items)
            if len(pending) >= SHARD_BATCH_ROWS:
                write_partitioned(
                    root,
                    arrow_table(pending, Cdr),
                    partition_by="starting_date",
                    run=f"{shard.name}-{batch}",
                )
                written, batch, pending = written + len(pending), batch + 1, []
        if pending:
            write_partitioned(
                root,
                arrow_table(pending, Cdr),
                partition_by="starting_date",
                run=f"{shard.name}-{batch}",
            )
            written += len(pending)
    return written


def write_shard(shard: CdrShard, dataset: Any, client_options: dict[str, Any]) -> int:
    """Pull one shard into the Parquet dataset ``dataset`` (a path), idempotently.

    A blocking function for executors (a Dask or Spark task): it opens its own client
    with ``client_options`` (``AliceClient`` arguments; default the ``ALICE_*``
    environment), deletes the files an earlier attempt of the shard left, and writes the
    shard's rows as ``date=<day>/part-<shard.name>-<batch>-<n>.parquet``.

    Returns:
        The number of rows written.

    Raises:
        InvalidInputError: ``shard`` or ``dataset`` is not what it should be.
        MissingDependencyError: pyarrow is not installed.

    Example::

        shards = client.cdr.plan(start, stop, window=timedelta(hours=6))
        futures = dask_client.map(write_shard, shards, dataset="lake/cdr",
                                  client_options={"base_url": url})
    """
    if not isinstance(shard, CdrShard):
        raise InvalidInputError("shard", shard, "must be a CdrShard from client.cdr.plan()")
    if not isinstance(client_options, dict):
        raise InvalidInputError("client_options", client_options, "must be a dict")
    require("pyarrow.parquet")
    root = _dataset_root(dataset)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(f"date=*/part-{shard.name}-*.parquet"):
        stale.unlink(missing_ok=True)  # an earlier attempt of this very shard
    return asyncio.run(_run_shard(shard, root, client_options))
