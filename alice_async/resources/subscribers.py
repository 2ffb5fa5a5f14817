"""``client.subscribers``: the read-only ``subscriber-list/`` endpoint (docs/API.md §5.10)."""

from __future__ import annotations

import os
from typing import Any, Literal, overload

from .._compat import Unpack
from .._pagination import (
    DEFAULT_BULK_PAGE_SIZE,
    DEFAULT_PREFETCH,
    AsyncPaginator,
    ListQuery,
    id_order_key,
)
from .._rows import model_rows
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from ..export import ExportFormat, ProgressCallback, check_export, export_paginator
from ..models.subscribers import Subscriber
from ..sinks import Destination, SyncProgress, SyncResult  # pipelines (issue 14)
from ._base import Resource, bounded, per_call, query_params
from ._filters import SubscriberFilters, validated

__all__ = ["Subscribers"]

_parse_rows = model_rows(Subscriber)
"""Builds list rows fast; anything unusual goes through the converter."""


class Subscribers(Resource):
    """Subscribers (read-only): the contacts a started campaign enrolled, with their progress.

    The filters are the keys of :class:`~alice_async.SubscriberFilters`.

    Example::

        async for sub in client.subscribers.list(
            campaign=campaign.id, status=SubscriberStatus.COMPLETED
        ):
            print(sub.phone_number, sub.count_attempt, sub.billsec)
    """

    _path = "subscriber-list/"

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
        **filters: Unpack[SubscriberFilters],
    ) -> AsyncPaginator[Subscriber]: ...

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
        **filters: Unpack[SubscriberFilters],
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
        **filters: Unpack[SubscriberFilters],
    ) -> AsyncPaginator[Any]:
        """Subscribers in ascending ``id`` order, with pages fetched ahead.

        The first page gives ``count`` and the real page size; then up to ``prefetch`` pages
        are in flight while you read, rows still in order, memory bounded by
        ``prefetch + 1`` pages (see :class:`~alice_async.AsyncPaginator` for how pages are
        joined if the list changes during the pull: no duplicates, and a fall back to
        following ``next`` if it shrinks). This endpoint has no date filter, so there is
        no snapshot: subscribers enrolled during the pull may be included.

        Args:
            page_size: rows per request (the server may ignore it).
            as_dicts: yield the decoded JSON dicts instead of :class:`Subscriber` (the same
                as ``.as_dicts()`` on the paginator).
            prefetch: pages in flight ahead of the reader (0: follow ``next``).
            timeout: per-request limits for this pull.
            max_retries: retries per page for this pull.
            **filters: the keys of :class:`~alice_async.SubscriberFilters`, each documented
                there (``campaign=7``, ``status=SubscriberStatus.FAIL``...).

        Raises:
            InvalidInputError: a filter is invalid (or not a filter of this list).

        Example::

            async for sub in client.subscribers.list(campaign=7, page_size=1000):
                print(sub.phone_number, sub.status, sub.count_attempt)
        """
        query = ListQuery(
            self._client,
            self._path,
            query_params(validated(SubscriberFilters, filters), page_size=page_size),
            timeout=timeout,
            max_retries=max_retries,
        )
        paginator = AsyncPaginator(query, _parse_rows, prefetch=prefetch, order_key=id_order_key)
        return paginator.as_dicts() if as_dicts else paginator

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
        **filters: Unpack[SubscriberFilters],
    ) -> int:
        """Stream the subscribers :meth:`list` would give into a CSV, JSON Lines or Parquet file.

        Same contract as :meth:`Cdrs.export <alice_async.resources.cdr.Cdrs.export>`:
        constant memory, a temporary file renamed over ``path`` only on success (removed on
        failure), :class:`Subscriber`'s fields as columns, Parquet through the extra
        ``alice-sdk[parquet]``.

        Args:
            path: the file to create or replace.
            format: ``"csv"``, ``"jsonl"`` or ``"parquet"``.
            page_size: rows per request (the server may ignore it).
            prefetch: pages in flight ahead of the writer.
            on_progress: ``on_progress(progress)`` after every page, with a
                :class:`~alice_async.Progress`. Deprecated but kept: a callback of two
                positional parameters gets ``(rows_written, total_or_None)``.
            timeout: per-request limits.
            max_retries: retries per page.
            **filters: the keys of :class:`~alice_async.SubscriberFilters`, as in :meth:`list`.

        Returns:
            The number of rows written.

        Example::

            await client.subscribers.export("campaign-7.csv", campaign=7)
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
            paginator, path, format=format, model=Subscriber, on_progress=on_progress
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
    ) -> Subscriber:
        """One subscriber by id."""
        return await self._retrieve(id, Subscriber, timeout=timeout, max_retries=max_retries)

    # pipelines (issue 14) -- thin delegation to alice_async.sinks; keep this block as is.
    @bounded
    async def sync(
        self,
        destination: Destination,
        *,
        commit_every: int = 50_000,
        on_progress: SyncProgress | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        **filters: Unpack[SubscriberFilters],
    ) -> SyncResult:
        """Add the subscribers enrolled since the last run to ``destination``, exactly once.

        The endpoint has no date filter: each run reads the filtered list in ``id`` order
        and writes the subscribers above the high-water id (state and rows committed
        together, as in :meth:`Cdrs.sync <alice_async.resources.cdr.Cdrs.sync>`). Later
        progress of a subscriber already written is not re-synced (use :meth:`export` for
        a snapshot). ``on_progress`` is called as in :meth:`Cdrs.sync
        <alice_async.resources.cdr.Cdrs.sync>`.

        Example::

            result = await client.subscribers.sync(DuckDB("calls.duckdb", table="subs"))
        """
        from ..sinks._sync import sync_subscribers

        return await sync_subscribers(
            self,
            destination,
            commit_every=commit_every,
            on_progress=on_progress,
            filters=dict(filters),
        )
