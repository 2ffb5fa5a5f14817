"""The incremental sync engine behind ``client.cdr.sync`` and ``client.subscribers.sync``.

One run of a call-record feed:

1. ``destination.open`` returns the state committed with the data (or none: a first run,
   which starts at ``since``); a state of another account or filter set is refused.
2. It reads from ``high_water.starting_date - lateness`` up to a ``to_date`` pinned when
   the pull starts (the snapshot rule of ``cdr.list``), in ``(starting_date, id)`` order.
3. A row whose id the state lists in the lateness window was written by an earlier run and is
   skipped; any other row is new (a record written late, with an earlier ``starting_date``,
   is new as long as it is not older than the window).
4. Every ``commit_every`` rows, and at the end, the new rows become one Arrow table, handed
   to ``destination.write`` together with the new state: the high-water mark of the rows
   written so far and the ids of the rows inside the new window. The destination makes both
   durable at once, so whatever instant a run dies at, the next run finds a state that
   describes exactly the rows present.

A subscriber feed has no dates: each run reads the (filtered) list in ``id`` order and writes
the subscribers whose id is above the high-water mark (those enrolled since the last run).
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anyio
import attrs

from .._converter import parse_datetime
from .._exceptions import APIResponseValidationError, InvalidInputError
from .._frames import arrow_table, require
from .._progress import ProgressHandler, legacy_sync, progress_reporter
from .._types import NOT_GIVEN, NotGiven
from .._validation import datetime_value
from ..export._columns import columns_of
from ..export._writers import arrow_schema
from ..models.cdr import Cdr
from ..models.subscribers import Subscriber
from ._protocol import Destination, Feed, HighWater, SyncState

if TYPE_CHECKING:
    from ..resources.cdr import Cdrs
    from ..resources.subscribers import Subscribers

__all__ = [
    "CDR_FILTERS",
    "DEFAULT_COMMIT_EVERY",
    "DEFAULT_LATENESS",
    "SUBSCRIBER_FILTERS",
    "SyncProgress",
    "SyncResult",
    "sync_cdrs",
    "sync_subscribers",
]

DEFAULT_LATENESS = dt.timedelta(hours=2)
DEFAULT_COMMIT_EVERY = 50_000
SYNC_PAGE_SIZE = 1000

CDR_FILTERS = (
    "callid",
    "callerid",
    "phone_number",
    "duration",
    "billsec",
    "disposition",
    "hangup_cause",
    "sip_term_status",
    "sip_term_cause",
    "endpoint_disposition",
    "campaign",
    "alarm",
    "otp",
)
"""The ``cdr.list`` filters a sync accepts (the window bounds are the sync's own)."""

SUBSCRIBER_FILTERS = ("campaign", "contact", "status", "duration", "billsec")

SyncProgress = ProgressHandler | Callable[[int, int], object]
"""``on_progress(progress)``, called after every page read, with a :class:`~alice_async.Progress`
(``done``: rows landed, ``skipped``: rows already there). Deprecated but kept: a callback of
several positional parameters gets ``(rows_written, rows_skipped)``."""


@attrs.frozen
class SyncResult:
    """What one sync run did.

    Attributes:
        written: rows added to the destination.
        skipped: rows read again inside the lateness window and left alone (already there).
        high_water: the newest row the destination holds (None: it holds none yet).
        from_date: where this run started reading (None: the whole history, or a
            subscriber feed).
        commits: batches committed (0 when there was nothing new).
    """

    written: int
    skipped: int
    high_water: HighWater | None
    from_date: dt.datetime | None
    commits: int


def _canonical(value: Any) -> str:
    value = getattr(value, "value", value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _filters(filters: dict[str, Any], allowed: tuple[str, ...], what: str) -> dict[str, str]:
    for name, value in filters.items():
        if name not in allowed:
            reason = (
                "is managed by the sync (use since= and lateness=)"
                if name in ("from_date", "to_date")
                else f"is not a filter of {what} (one of: {', '.join(allowed)})"
            )
            raise InvalidInputError(name, value, reason)
    return {name: _canonical(value) for name, value in sorted(filters.items()) if value is not None}


def _account(resource: Any) -> str:
    client = resource._client
    return f"{client.username or '<token>'}@{client.base_url}"


def _check_destination(destination: Any) -> Destination:
    if not isinstance(destination, Destination):
        raise InvalidInputError(
            "destination",
            destination,
            "must be a destination (alice_async.sinks.DuckDB, ParquetDataset, or an object "
            "with open/write/close)",
        )
    return destination


def _check_commit_every(commit_every: Any) -> int:
    if isinstance(commit_every, bool) or not isinstance(commit_every, int) or commit_every < 1:
        raise InvalidInputError("commit_every", commit_every, "must be an integer >= 1")
    return commit_every


def _micros(value: dt.datetime) -> int:
    return (value - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(microseconds=1)


class _Run:
    """The state of one run: rows pending, counters, and the committing."""

    def __init__(
        self,
        destination: Destination,
        state: SyncState,
        model: type[Any],
        lateness: dt.timedelta | None,
        on_progress: SyncProgress | None,
    ) -> None:
        self.destination = destination
        self.state = state
        self.model = model
        self.lateness = lateness
        self.reporter = progress_reporter(on_progress, "sync", legacy_sync)
        self.pending: builtins.list[Any] = []
        """Arrow tables of the rows not yet committed."""
        self.pending_rows = 0
        self.written = 0
        self.skipped = 0
        self.commits = 0
        self.fresh: dict[int, dt.datetime] = {}
        """Rows written by this run not yet committed: id -> starting_date."""
        self.last_key: tuple[dt.datetime, int] | None = None
        self.last_id: int | None = None

    @property
    def high_water(self) -> HighWater | None:
        return self.state.high_water

    def add(self, rows: builtins.list[Any]) -> None:
        """Convert a page's new rows now: Arrow holds them in a fraction of the memory."""
        if rows:
            self.pending.append(arrow_table(rows, self.model))
            self.pending_rows += len(rows)

    async def commit(self) -> None:
        if not self.pending_rows:
            return
        pa = require("pyarrow")
        table = pa.concat_tables(self.pending)
        state = self.state
        if self.last_key is not None:
            state.high_water = HighWater(*self.last_key)
        elif self.last_id is not None:
            state.high_water = HighWater(None, self.last_id)
        if self.lateness is not None and state.high_water is not None:
            assert state.high_water.starting_date is not None
            floor = state.high_water.starting_date - self.lateness
            floor_us = _micros(floor)
            # In place: the pull loop holds this very dict.
            for key in [key for key, us in state.window.items() if us < floor_us]:
                del state.window[key]
            # Only the rows inside the new window are remembered (µs since the epoch).
            for key, when in self.fresh.items():
                if when >= floor:
                    state.window[key] = _micros(when)
        self.fresh = {}
        state.runs += 1
        await anyio.to_thread.run_sync(self.destination.write, table, state.to_json())
        self.written += self.pending_rows
        self.commits += 1
        self.pending = []
        self.pending_rows = 0

    def progress(self) -> None:
        if self.reporter is not None:
            self.reporter.report(self.written + self.pending_rows, None, skipped=self.skipped)


async def _open(
    destination: Destination, feed: Feed, account: str, filters: dict[str, str]
) -> SyncState:
    text = await anyio.to_thread.run_sync(destination.open, feed)
    if text is None:
        return SyncState(feed=feed.name, account=account, filters=filters)
    try:
        state = SyncState.from_json(text, where=repr(destination))
        state.check_owner(feed=feed.name, account=account, filters=filters, where=repr(destination))
    except BaseException:
        await anyio.to_thread.run_sync(destination.close)
        raise
    return state


def _cdr_key(row: Any) -> tuple[dt.datetime, int]:
    from .._pagination._order import cdr_order_key

    key = cdr_order_key(row)
    if key is None:
        raise APIResponseValidationError(
            f"a call record without a usable id or starting_date: {row!r:.200}",
            method="GET",
            url="cdr/",
        )
    return key


async def sync_cdrs(
    resource: Cdrs,
    destination: Destination,
    *,
    since: dt.datetime | NotGiven | None = NOT_GIVEN,
    lateness: dt.timedelta = DEFAULT_LATENESS,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    on_progress: SyncProgress | None = None,
    filters: dict[str, Any],
) -> SyncResult:
    """Run one incremental call-record sync (see :meth:`Cdrs.sync`)."""
    destination = _check_destination(destination)
    if not isinstance(lateness, dt.timedelta) or lateness < dt.timedelta(0):
        raise InvalidInputError("lateness", lateness, "must be a timedelta >= 0")
    commit_every = _check_commit_every(commit_every)
    if on_progress is not None and not callable(on_progress):
        raise InvalidInputError("on_progress", on_progress, "must be callable or None")
    canonical = _filters(filters, CDR_FILTERS, "cdr.sync")
    if not isinstance(since, NotGiven) and since is not None:
        since = datetime_value("since", since)
    resource.list(page_size=SYNC_PAGE_SIZE, **filters)  # validates the filters now
    require("pyarrow")
    feed = Feed("cdr", arrow_schema(columns_of(Cdr)), partition_by="starting_date")
    state = await _open(destination, feed, _account(resource), canonical)
    try:
        if state.high_water is None:
            if isinstance(since, NotGiven):
                raise InvalidInputError(
                    "since",
                    None,
                    f"{destination!r} is empty: the first run needs since=<aware datetime>, "
                    "or since=None for the whole history",
                )
            start = since
        else:
            assert state.high_water.starting_date is not None
            start = state.high_water.starting_date - lateness
        run = _Run(destination, state, Cdr, lateness, on_progress)
        window = state.window
        fresh = run.fresh
        pull = resource.list(
            from_date=start, page_size=SYNC_PAGE_SIZE, as_dicts=True, prefetch=4, **filters
        )
        last = None if state.high_water is None else state.high_water.key
        async for page in pull.pages():
            new = []
            for row in page.items:
                try:  # the server's own shape, without a detour
                    ident = row["id"]
                    when = parse_datetime(row["starting_date"])
                    if type(ident) is not int:
                        raise TypeError(ident)
                except (KeyError, TypeError, ValueError):
                    when, ident = _cdr_key(row)
                if ident in window or ident in fresh:
                    run.skipped += 1
                    continue
                fresh[ident] = when
                new.append(row)
                if last is None or (when, ident) > last:
                    last = (when, ident)
            run.add(new)
            run.last_key = last
            if run.pending_rows >= commit_every:
                await run.commit()
                fresh = run.fresh
            run.progress()
        await run.commit()
    finally:
        await anyio.to_thread.run_sync(destination.close)
    return SyncResult(run.written, run.skipped, run.high_water, start, run.commits)


async def sync_subscribers(
    resource: Subscribers,
    destination: Destination,
    *,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    on_progress: SyncProgress | None = None,
    filters: dict[str, Any],
) -> SyncResult:
    """Run one incremental subscriber sync (see :meth:`Subscribers.sync`)."""
    destination = _check_destination(destination)
    commit_every = _check_commit_every(commit_every)
    if on_progress is not None and not callable(on_progress):
        raise InvalidInputError("on_progress", on_progress, "must be callable or None")
    canonical = _filters(filters, SUBSCRIBER_FILTERS, "subscribers.sync")
    resource.list(page_size=SYNC_PAGE_SIZE, **filters)  # validates the filters now
    require("pyarrow")
    feed = Feed("subscribers", arrow_schema(columns_of(Subscriber)), partition_by="created_date")
    state = await _open(destination, feed, _account(resource), canonical)
    try:
        run = _Run(destination, state, Subscriber, None, on_progress)
        floor = -1 if state.high_water is None else state.high_water.id
        pull = resource.list(page_size=SYNC_PAGE_SIZE, as_dicts=True, prefetch=4, **filters)
        async for page in pull.pages():
            new = []
            for row in page.items:
                ident = row.get("id") if isinstance(row, dict) else None
                if type(ident) is not int:
                    ident = arrow_table([row], Subscriber).column("id")[0].as_py()
                if ident <= floor:
                    run.skipped += 1
                    continue
                new.append(row)
                if run.last_id is None or ident > run.last_id:
                    run.last_id = ident
            run.add(new)
            if run.pending_rows >= commit_every:
                await run.commit()
            run.progress()
        await run.commit()
    finally:
        await anyio.to_thread.run_sync(destination.close)
    return SyncResult(run.written, run.skipped, run.high_water, None, run.commits)
