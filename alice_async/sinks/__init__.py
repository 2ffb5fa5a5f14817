"""Incremental pipelines: call records and subscribers synced into durable destinations.

This package owns ``client.cdr.sync(...)`` and ``client.subscribers.sync(...)`` (the engine,
``_sync``), the destination protocol and the state committed with the data (``_protocol``),
the fan-out over executors (``client.cdr.plan`` and :func:`write_shard`, ``_shards``),
and two destinations: :class:`DuckDB` (extra ``alice-sdk[duckdb]``) and
:class:`ParquetDataset` (extra ``alice-sdk[parquet]``). Any object with the three methods of
:class:`Destination` is a destination too.
"""

from ._duckdb import DuckDB as DuckDB
from ._parquet import ParquetDataset as ParquetDataset
from ._protocol import Destination as Destination
from ._protocol import Feed as Feed
from ._protocol import HighWater as HighWater
from ._shards import CdrShard as CdrShard
from ._shards import write_shard as write_shard
from ._sync import DEFAULT_LATENESS as DEFAULT_LATENESS
from ._sync import SyncProgress as SyncProgress
from ._sync import SyncResult as SyncResult

__all__ = [
    "DEFAULT_LATENESS",
    "CdrShard",
    "Destination",
    "DuckDB",
    "Feed",
    "HighWater",
    "ParquetDataset",
    "SyncProgress",
    "SyncResult",
    "write_shard",
]
