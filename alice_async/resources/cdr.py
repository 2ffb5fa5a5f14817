"""``client.cdr``: the read-only ``cdr/`` endpoint, call detail records (docs/API.md §5.9).

Accounts hold millions of rows: iterate (``async for``) rather than collect, and narrow the
pull with ``from_date``/``to_date`` and the other filters. :meth:`Cdrs._list_params` is the one
place the filters are validated and turned into query parameters.
"""

from __future__ import annotations

import builtins
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import Any, Literal, overload

from .._compat import Unpack
from .._converter import format_datetime, parse_datetime
from .._exceptions import InvalidInputError, NotFoundError
from .._pagination import (
    DEFAULT_BULK_PAGE_SIZE,
    DEFAULT_PREFETCH,
    AsyncPaginator,
    ChainedPaginator,
    ListQuery,
    parse_envelope,
)
from .._pagination._order import cdr_order_key as cdr_order_key
from .._pagination._order import time_windows as time_windows
from .._rows import model_rows
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import datetime_value
from ..export import ExportFormat, ProgressCallback, check_export, export_paginator
from ..models.cdr import Cdr
from ..sinks import (  # pipelines (issue 14)
    DEFAULT_LATENESS,
    CdrShard,
    Destination,
    SyncProgress,
    SyncResult,
)
from ._base import Resource, bounded, per_call, query_params
from ._filters import CdrFieldFilters, CdrFilters, cdr_query

__all__ = ["DEFAULT_BULK_PAGE_SIZE", "Cdrs", "cdr_order_key", "time_windows"]

_parse_rows = model_rows(Cdr)
"""Builds list rows fast; anything unusual goes through the converter."""

DEFAULT_WINDOW_CONCURRENCY = 4

_MICROSECOND = dt.timedelta(microseconds=1)


def _window_width(window: Any) -> dt.timedelta:
    if not isinstance(window, dt.timedelta) or window < _MICROSECOND:
        raise InvalidInputError("window", window, "must be a timedelta of at least 1 microsecond")
    return window


class Cdrs(Resource):
    """Call detail records (read-only): one row per call placed.

    :meth:`list` pulls with pages fetched ahead and a pinned snapshot, :meth:`iter_windows`
    shards a time range into concurrent windows, :meth:`export` streams to a file. The
    filters are the keys of :class:`~alice_async.CdrFilters`.

    Example::

        since = datetime(2024, 3, 1, tzinfo=timezone.utc)
        async for call in client.cdr.list(campaign=campaign.id, from_date=since,
                                          disposition=Disposition.ANSWER):
            print(call.phone_number, call.starting_date, call.billsec)
    """

    _path = "cdr/"

    @overload
    def list(
        self,
        *,
        page_size: int | None = None,
        as_dicts: Literal[False] = False,
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFilters],
    ) -> AsyncPaginator[Cdr]: ...

    @overload
    def list(
        self,
        *,
        page_size: int | None = None,
        as_dicts: Literal[True],
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFilters],
    ) -> AsyncPaginator[dict[str, Any]]: ...

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        as_dicts: bool = False,
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFilters],
    ) -> AsyncPaginator[Any]:
        """Call records in ascending ``(starting_date, id)`` order, filtered, fetched ahead.

        **Snapshot**: without ``to_date``, each pull (each ``async for``) pins ``to_date`` to
        the moment it starts: the current UTC time, or the newest record's ``starting_date``
        if the server's clock is ahead of ours (one extra one-row request learns it). Calls
        that start during the pull are then outside the query and cannot shift its pages.
        Records written late with an earlier ``starting_date`` (a call still running when
        the pull started) can still arrive inside the window: the pull sees the ``count``
        grow, drops the rows that shift back onto pages already read and reads on to the new
        end, so no row is repeated and none present at the start is lost. For exactly-once
        incremental pipelines, give a ``to_date`` older than your longest call.

        **Fetch-ahead**: the first page gives ``count`` and the real page size (the server
        may ignore ``page_size``); then up to ``prefetch`` pages (``page=2``, ``page=3``...,
        same filters) are in flight while you read, and rows still come in order. Memory is
        bounded by ``prefetch + 1`` pages. A page that fails (429, 5xx, a reset) is retried on
        its own by the client's retry policy; it never restarts the pull. See
        :class:`~alice_async.AsyncPaginator` for how pages are joined when the list changes.

        Args:
            page_size: rows per request (the server may ignore it; 1000 is the usual maximum
                and the right choice for bulk pulls); default: the server's (10).
            as_dicts: yield the rows as the decoded JSON dicts, skipping model building
                (the same as ``.as_dicts()`` on the paginator).
            prefetch: pages in flight ahead of the reader (0: one at a time, following
                ``next``).
            timeout: per-request limits for this pull.
            max_retries: retries per page for this pull.
            **filters: the keys of :class:`~alice_async.CdrFilters`, each documented there
                (``campaign=7``, ``from_date=...``, ``disposition=Disposition.ANSWER``...);
                ``to_date`` defaults to the snapshot (see above).

        Raises:
            InvalidInputError: a filter is invalid (a naive datetime, reversed bounds, an
                unknown name...).

        Example::

            since = datetime(2026, 3, 1, tzinfo=timezone.utc)
            async for call in client.cdr.list(from_date=since, campaign=7, page_size=1000):
                print(call.phone_number, call.starting_date, call.billsec)

            rows = await client.cdr.list(from_date=since).as_dicts().to_list()
            frame = pandas.DataFrame(rows)
        """
        paginator = self._pull(
            cdr_query(filters),
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
            max_retries=max_retries,
        )
        return paginator.as_dicts() if as_dicts else paginator

    def _pull(
        self,
        params: Mapping[str, Any],
        *,
        page_size: int | None,
        prefetch: int,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> AsyncPaginator[Cdr]:
        query = query_params(params, page_size=page_size)
        pin = None
        if "to_date" not in query:

            async def pin(frozen: Mapping[str, str]) -> dict[str, str]:
                return {"to_date": await self._snapshot_to_date(frozen, timeout, max_retries)}

        list_query = ListQuery(
            self._client, self._path, query, timeout=timeout, max_retries=max_retries, pin=pin
        )
        return AsyncPaginator(list_query, _parse_rows, prefetch=prefetch, order_key=cdr_order_key)

    async def _snapshot_to_date(
        self,
        params: Mapping[str, str],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> str:
        """``to_date`` for a pull's snapshot: UTC now, or the newest row if that is later."""
        now = dt.datetime.now(dt.timezone.utc)
        try:
            response = await self._client.request(
                "GET",
                self._path,
                params={**params, "page": "last", "page_size": "1"},
                timeout=timeout,
                max_retries=max_retries,
            )
        except NotFoundError:  # a server without DRF's page=last: our clock will do
            return format_datetime(now)
        results = parse_envelope(response.data, url=self._path).results
        if results and isinstance(results[-1], Mapping):
            newest = results[-1].get("starting_date")
            if isinstance(newest, str):
                now = max(now, parse_datetime(newest))
        return format_datetime(now)

    @overload
    def iter_windows(
        self,
        from_date: dt.datetime,
        to_date: dt.datetime | None = None,
        *,
        window: dt.timedelta,
        concurrency: int = DEFAULT_WINDOW_CONCURRENCY,
        page_size: int | None = DEFAULT_BULK_PAGE_SIZE,
        as_dicts: Literal[False] = False,
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFieldFilters],
    ) -> AsyncPaginator[Cdr]: ...

    @overload
    def iter_windows(
        self,
        from_date: dt.datetime,
        to_date: dt.datetime | None = None,
        *,
        window: dt.timedelta,
        concurrency: int = DEFAULT_WINDOW_CONCURRENCY,
        page_size: int | None = DEFAULT_BULK_PAGE_SIZE,
        as_dicts: Literal[True],
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFieldFilters],
    ) -> AsyncPaginator[dict[str, Any]]: ...

    @per_call
    def iter_windows(
        self,
        from_date: dt.datetime,
        to_date: dt.datetime | None = None,
        *,
        window: dt.timedelta,
        concurrency: int = DEFAULT_WINDOW_CONCURRENCY,
        page_size: int | None = DEFAULT_BULK_PAGE_SIZE,
        as_dicts: bool = False,
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFieldFilters],
    ) -> AsyncPaginator[Any]:
        """Call records from ``from_date`` to ``to_date``, pulled as concurrent time windows.

        The range is cut into windows of ``window`` each (the last one may be shorter) and up
        to ``concurrency`` windows are pulled at once, each one fetching up to ``prefetch``
        pages ahead. **Output is ordered**: windows are yielded one after the other, oldest
        first, and rows within a window in ``(starting_date, id)`` order, so the whole stream
        is in the same order as :meth:`list` would give. Windows being pulled ahead of the
        one read buffer at most ``prefetch`` pages each.

        **Boundaries**: the server's ``from_date``/``to_date`` are both inclusive and its
        times have microsecond resolution. With ``b_i = from_date + i * window``, window ``i``
        asks for ``[b_i, b_(i+1) - 1µs]`` and the last one for ``[b_n, to_date]``. Every
        ``starting_date`` is a whole number of microseconds, and ``t <= b_(i+1) - 1µs`` is
        the same as ``t < b_(i+1)``, so each instant of ``[from_date, to_date]`` lies in
        exactly one window: no row is lost or repeated at a boundary.

        **Snapshot**: without ``to_date``, it is pinned once, when iteration starts, as in
        :meth:`list`.

        Args:
            from_date: start of the range (aware, inclusive).
            to_date: end of the range (aware, inclusive); default: pinned (see above).
            window: length of each window (a positive whole number of microseconds).
            concurrency: windows pulled at once.
            page_size: rows per request asked of the server (it may ignore it).
            as_dicts: yield raw dicts instead of :class:`Cdr` (as ``.as_dicts()``).
            prefetch: pages in flight per window.
            timeout: per-request limits.
            max_retries: retries per page.
            **filters: the keys of :class:`~alice_async.CdrFilters` but the two dates, as in
                :meth:`list`.

        Returns:
            A paginator: ``async for`` gives rows, ``.pages()`` gives each window's pages
            (``Page.count`` and ``Page.number`` are per window).

        Raises:
            InvalidInputError: a bad filter, bound, ``window`` or ``concurrency``.

        Example::

            start = datetime(2026, 3, 1, tzinfo=timezone.utc)
            async for call in client.cdr.iter_windows(
                start, start + timedelta(days=7), window=timedelta(hours=6), concurrency=4
            ):
                print(call.starting_date, call.disposition)
        """
        start = datetime_value("from_date", from_date)
        params = cdr_query({**filters, "from_date": start, "to_date": to_date})
        stop = params["to_date"]
        width = _window_width(window)
        query_params(params, page_size=page_size)  # validate page_size now, not mid-pull

        async def parts() -> Iterable[AsyncPaginator[Cdr]]:
            end = stop
            if end is None:
                pinned = await self._snapshot_to_date(
                    query_params(params), timeout=timeout, max_retries=max_retries
                )
                end = parse_datetime(pinned)
            return (
                self._pull(
                    {**params, "from_date": low, "to_date": high},
                    page_size=page_size,
                    prefetch=prefetch,
                    timeout=timeout,
                    max_retries=max_retries,
                )
                for low, high in time_windows(start, end, width)
            )

        chained = ChainedPaginator(parts, _parse_rows, concurrency=concurrency, prefetch=prefetch)
        return chained.as_dicts() if as_dicts else chained

    @bounded
    async def export(
        self,
        path: str | os.PathLike[str],
        format: ExportFormat = "csv",
        *,
        page_size: int | None = DEFAULT_BULK_PAGE_SIZE,
        prefetch: int = DEFAULT_PREFETCH,
        on_progress: ProgressCallback | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFilters],
    ) -> int:
        """Stream the records :meth:`list` would give into a CSV, JSON Lines or Parquet file.

        Memory stays constant (a few pages; one Parquet row group). The rows go to a hidden
        temporary file in the same directory, renamed over ``path`` (``os.replace``) only
        after the last row is written and synced; if anything fails (an error after retries,
        a cancellation), the temporary file is removed and ``path`` is untouched. Columns are
        :class:`Cdr`'s fields in order; CSV has a header, empty cells for ``None``,
        ``true``/``false``, and datetimes as ISO-8601 UTC (``2026-03-01T00:00:00.000000Z``);
        Parquet (extra ``alice-sdk[parquet]``) has a typed schema (``timestamp[us, UTC]``,
        ``int64``, ``bool``, ``string``, nullable where the model is) in row groups. The
        snapshot rule of :meth:`list` applies (``to_date`` pinned when not given).

        Args:
            path: the file to create or replace.
            format: ``"csv"``, ``"jsonl"`` or ``"parquet"``.
            page_size: rows per request (the server may ignore it).
            prefetch: pages in flight ahead of the writer.
            on_progress: called as ``on_progress(progress)`` after every page with a
                :class:`~alice_async.Progress` (``total`` is the snapshot's ``count``).
                Deprecated but kept: a callback of two positional parameters is called as
                ``on_progress(rows_written, total_or_None)``.
            timeout: per-request limits.
            max_retries: retries per page.
            **filters: the keys of :class:`~alice_async.CdrFilters`, as in :meth:`list`.

        Returns:
            The number of rows written.

        Raises:
            InvalidInputError: a bad filter or format (before any request).
            MissingDependencyError: ``format="parquet"`` without pyarrow (an ``ImportError``).

        Example::

            written = await client.cdr.export(
                "march.parquet", "parquet",
                from_date=datetime(2026, 3, 1, tzinfo=timezone.utc),
                to_date=datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
                on_progress=lambda progress: print(f"{progress.done}/{progress.total}"),
            )
        """
        check_export(format, on_progress)
        paginator = self.list(
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
            max_retries=max_retries,
            **filters,
        )
        return await export_paginator(
            paginator, path, format=format, model=Cdr, on_progress=on_progress
        )

    @bounded
    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Cdr:
        """One call record by id."""
        return await self._retrieve(id, Cdr, timeout=timeout, max_retries=max_retries)

    # pipelines (issue 14) -- thin delegation to alice_async.sinks; keep this block as is.
    @bounded
    async def sync(
        self,
        destination: Destination,
        *,
        since: dt.datetime | NotGiven | None = NOT_GIVEN,
        lateness: dt.timedelta = DEFAULT_LATENESS,
        commit_every: int = 50_000,
        on_progress: SyncProgress | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[CdrFieldFilters],
    ) -> SyncResult:
        """Land every call record not yet in ``destination`` there, exactly once.

        Reads from the destination's high-water mark minus ``lateness`` (the first run: from
        ``since``; ``since=None`` means the whole history) up to a ``to_date`` pinned when the
        pull starts, skips the ids already written inside that window, and commits rows and
        state together every ``commit_every`` rows. A crash at any point, then a new run,
        leaves every record there once. Records written later than ``lateness`` after
        their start are not seen. Filters are those of :meth:`list` (not the dates); a
        destination synced with other filters or another account is refused.

        ``on_progress(progress)`` is called after every page read with a
        :class:`~alice_async.Progress` (``done``: rows landed, ``skipped``: rows already
        there). Deprecated but kept: a callback of two positional parameters is called as
        ``on_progress(rows_written, rows_skipped)``.

        Returns:
            A :class:`~alice_async.sinks.SyncResult` (rows written, skipped, high-water).

        Raises:
            InvalidInputError: a bad filter, no ``since`` on a first run, or a destination
                that belongs to another account or filter set.
            MissingDependencyError: the destination's extra is not installed.

        Example::

            result = await client.cdr.sync(DuckDB("calls.duckdb", table="cdr"),
                                           since=datetime(2026, 3, 1, tzinfo=timezone.utc))
            print(result.written, result.skipped, result.high_water)
        """
        from ..sinks._sync import sync_cdrs

        return await sync_cdrs(
            self,
            destination,
            since=since,
            lateness=lateness,
            commit_every=commit_every,
            on_progress=on_progress,
            filters=dict(filters),
        )

    # pipelines (issue 14) -- thin delegation to alice_async.sinks; keep this block as is.
    def plan(
        self,
        start: dt.datetime,
        stop: dt.datetime,
        *,
        window: dt.timedelta,
        **filters: Unpack[CdrFieldFilters],
    ) -> builtins.list[CdrShard]:
        """Cut ``[start, stop]`` into picklable shards for executors (Dask, Spark).

        Bounds follow :meth:`iter_windows` (inclusive, each instant in exactly one shard);
        run each with :func:`alice_async.sinks.write_shard`. Filters are those of
        :meth:`list` (not the dates).

        Example::

            shards = client.cdr.plan(start, stop, window=timedelta(hours=6), campaign=7)
        """
        from ..sinks._shards import plan_cdr_shards

        return plan_cdr_shards(self, start, stop, window=window, filters=dict(filters))
