"""``client.subscribers``: the read-only ``subscriber-list/`` endpoint (REFERENCE §5.10)."""

from __future__ import annotations

import builtins
import os
from collections.abc import Sequence
from typing import Any, Literal, overload

from .._converter import converter
from .._pagination import (
    DEFAULT_PREFETCH,
    AsyncPaginator,
    ListQuery,
    id_order_key,
    raw_items,
    row_builder,
)
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import enum_value, int_range, object_id, phone_number
from ..export import ExportFormat, ProgressCallback, export_pages
from ..export._core import check_format, check_progress
from ..models.subscribers import Subscriber, SubscriberStatus
from ..sinks import Destination, SyncProgress, SyncResult  # pipelines (issue 14)
from ._base import Resource, query_params
from .cdr import DEFAULT_BULK_PAGE_SIZE

__all__ = ["Subscribers"]

_STRUCTURE = converter.get_structure_hook(Subscriber)
_build = row_builder(Subscriber, lambda item: _STRUCTURE(item, Subscriber))
"""Builds list rows fast; anything unusual goes through the converter."""


class Subscribers(Resource):
    """Subscribers (read-only): the contacts a started campaign enrolled, with their progress.

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
        campaign: int | None = None,
        contact: str | None = None,
        status: SubscriberStatus | int | None = None,
        duration: int | None = None,
        billsec: int | None = None,
        page_size: int | None = None,
        as_dicts: Literal[False] = False,
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Subscriber]: ...

    @overload
    def list(
        self,
        *,
        campaign: int | None = None,
        contact: str | None = None,
        status: SubscriberStatus | int | None = None,
        duration: int | None = None,
        billsec: int | None = None,
        page_size: int | None = None,
        as_dicts: Literal[True],
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[dict[str, Any]]: ...

    def list(
        self,
        *,
        campaign: int | None = None,
        contact: str | None = None,
        status: SubscriberStatus | int | None = None,
        duration: int | None = None,
        billsec: int | None = None,
        page_size: int | None = None,
        as_dicts: bool = False,
        prefetch: int = DEFAULT_PREFETCH,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Any]:
        """Subscribers in ascending ``id`` order, with pages fetched ahead.

        The first page gives ``count`` and the real page size; then up to ``prefetch`` pages
        are in flight while you read, rows still in order, memory bounded by
        ``prefetch + 1`` pages (see :class:`~alice_async.AsyncPaginator` for how pages are
        joined if the list changes during the pull: no duplicates, and a fall back to
        following ``next`` if it shrinks). This endpoint has no date filter, so there is
        no snapshot: subscribers enrolled during the pull may be included.

        Args:
            campaign: a campaign id.
            contact: the phone number (a string).
            status: a :class:`SubscriberStatus`.
            duration: exact seconds of the last call.
            billsec: exact billed seconds of the last call.
            page_size: rows per request (the server may ignore it).
            as_dicts: yield the decoded JSON dicts instead of :class:`Subscriber`.
            prefetch: pages in flight ahead of the reader (0: follow ``next``).
            timeout: per-request limits for this pull.
            max_retries: retries per page for this pull.

        Example::

            async for sub in client.subscribers.list(campaign=7, page_size=1000):
                print(sub.phone_number, sub.status, sub.count_attempt)
        """
        filters = self._filters(
            campaign=campaign, contact=contact, status=status, duration=duration, billsec=billsec
        )
        query = ListQuery(
            self._client,
            self._path,
            query_params(filters, page_size=page_size),
            timeout=timeout,
            max_retries=max_retries,
        )
        if as_dicts:
            return AsyncPaginator(query, raw_items, prefetch=prefetch, order_key=id_order_key)

        def parse(items: Sequence[Any], where: str) -> builtins.list[Subscriber]:
            try:
                return [_build(item) for item in items]
            except Exception:  # the converter's path again, for its error message
                return self._build_many(items, Subscriber, where)

        return AsyncPaginator(query, parse, prefetch=prefetch, order_key=id_order_key)

    def _filters(
        self, *, campaign: Any, contact: Any, status: Any, duration: Any, billsec: Any
    ) -> dict[str, Any]:
        return {
            "campaign": None if campaign is None else object_id("campaign", campaign),
            "contact": None if contact is None else phone_number("contact", contact),
            "status": None if status is None else enum_value("status", status, SubscriberStatus),
            "duration": None if duration is None else int_range("duration", duration, 0),
            "billsec": None if billsec is None else int_range("billsec", billsec, 0),
        }

    async def export(
        self,
        path: str | os.PathLike[str],
        format: ExportFormat = "csv",
        *,
        campaign: int | None = None,
        contact: str | None = None,
        status: SubscriberStatus | int | None = None,
        duration: int | None = None,
        billsec: int | None = None,
        page_size: int | None = DEFAULT_BULK_PAGE_SIZE,
        prefetch: int = DEFAULT_PREFETCH,
        on_progress: ProgressCallback | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
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
            on_progress: ``on_progress(rows_written, total_or_None)`` after every page.
            timeout: per-request limits.
            max_retries: retries per page.
            campaign, contact, status, duration, billsec: filters, as in :meth:`list`.

        Returns:
            The number of rows written.

        Example::

            await client.subscribers.export("campaign-7.csv", campaign=7)
        """
        check_format(format)
        check_progress(on_progress)
        paginator = self.list(
            campaign=campaign,
            contact=contact,
            status=status,
            duration=duration,
            billsec=billsec,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
            max_retries=max_retries,
        )
        return await export_pages(
            paginator.pages(), path, format=format, model=Subscriber, on_progress=on_progress
        )

    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Subscriber:
        """One subscriber by id."""
        return await self._retrieve(id, Subscriber, timeout=timeout, max_retries=max_retries)

    # pipelines (issue 14) -- thin delegation to alice_async.sinks; keep this block as is.
    async def sync(
        self,
        destination: Destination,
        *,
        commit_every: int = 50_000,
        on_progress: SyncProgress | None = None,
        **filters: Any,
    ) -> SyncResult:
        """Add the subscribers enrolled since the last run to ``destination``, exactly once.

        The endpoint has no date filter: each run reads the filtered list in ``id`` order
        and writes the subscribers above the high-water id (state and rows committed
        together, as in :meth:`Cdrs.sync <alice_async.resources.cdr.Cdrs.sync>`). Later
        progress of a subscriber already written is not re-synced (use :meth:`export` for
        a snapshot).

        Example::

            result = await client.subscribers.sync(DuckDB("calls.duckdb", table="subs"))
        """
        from ..sinks._sync import sync_subscribers

        return await sync_subscribers(
            self, destination, commit_every=commit_every, on_progress=on_progress, filters=filters
        )
