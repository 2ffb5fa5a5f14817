"""The public paginator: :class:`AsyncPaginator`, and :class:`ChainedPaginator` (its shards).

A paginator turns a pull (a walk over pages, :mod:`._walk`) into items or pages of models;
:meth:`AsyncPaginator.as_dicts` gives the same pull as the decoded JSON rows.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import aclosing
from typing import Any, Generic, TypeVar

from .._validation import int_range
from ._envelope import Page, RawPage
from ._merge import iterate_in_order
from ._order import OrderKey
from ._query import FetchPage, ListQuery, PullSource, check_prefetch
from ._walk import RawRows, fetch_ahead, follow_next

__all__ = ["AsyncPaginator", "ChainedPaginator", "ParseItems", "raw_items"]

T = TypeVar("T")
U = TypeVar("U")

ParseItems = Callable[[Sequence[Any], str], "builtins.list[T]"]
"""Turns the raw rows of one page (and the URL they came from, for errors) into items."""


def raw_items(items: Sequence[Any], where: str) -> builtins.list[Any]:
    """``parse_items`` of a dict-mode paginator: the decoded JSON items, as they are."""
    return items if isinstance(items, builtins.list) else builtins.list(items)


class AsyncPaginator(Generic[T]):
    """Items of a list endpoint, across pages.

    ``async for item in paginator`` yields items; :meth:`pages` yields :class:`Page` objects
    (items plus ``count``); :meth:`to_list` collects everything; :meth:`as_dicts` gives the
    same pull as the decoded JSON dicts. A paginator can be iterated once per ``async for``
    (each iteration starts a fresh pull).

    By default a pull follows ``next`` one page at a time. Built with ``prefetch=N`` on a
    :class:`ListQuery` (the CDR and subscriber lists do this), it reads the first page, learns
    ``count`` and the server's real page size from it, then keeps up to ``N`` further pages
    (``page=2``, ``page=3``...) in flight while the caller reads, yields pages in order, and
    holds at most ``N + 1`` pages in memory. When nothing changes it stops after the page the
    first ``count`` makes the last. Pages are joined safely when the list changes under the
    pull (with an ``order_key``, the server's sort key of a raw item):

    * leading rows whose key is not above the last key yielded are dropped (rows inserted
      ahead of the reader shift pages forward: no duplicates);
    * a page that reports a smaller ``count`` than the page before it was fetched before
      rows the previous page saw: it is fetched again (no gap);
    * a larger ``count`` means rows were inserted: the pull reads on to the end of the list
      as that page describes it, so no row present at the start is lost;
    * a list that shrinks (a smaller ``count`` again, a short page, ``Invalid page.``) is the
      one inconsistency prefetch cannot join: the pull falls back to following ``next`` from
      a re-read of the last page it yielded, dropping rows already yielded.

    Without an ``order_key`` any change of ``count`` triggers that fallback (from the page
    that showed it). A failing page is retried by the transport on its own (GETs are safe
    to retry); it never restarts the pull.

    Example::

        async for contact in client.contacts.list(phonebook=3):
            print(contact.contact)

        async for page in client.contacts.list(phonebook=3, page_size=500).pages():
            print(page.number, page.count, len(page.items))

        rows = await client.cdr.list(campaign=7).as_dicts().to_list()
    """

    def __init__(
        self,
        fetch: FetchPage | ListQuery,
        parse_items: ParseItems[T],
        *,
        prefetch: int = 0,
        order_key: OrderKey | None = None,
    ) -> None:
        self._fetch = fetch
        self._parse_items = parse_items
        self._prefetch = check_prefetch(prefetch)
        self._order_key = order_key

    @property
    def prefetch(self) -> int:
        """Pages fetched ahead of the reader (0: one page at a time, following ``next``)."""
        return self._prefetch

    def as_dicts(self) -> AsyncPaginator[dict[str, Any]]:
        """The same pull, yielding the decoded JSON rows instead of models.

        Nothing is built: fields and formats are exactly as the server sent them (for
        dataframes). The filters, ``prefetch`` and ordering rules are those of this paginator.

        Example::

            rows = await client.cdr.list(from_date=since).as_dicts().to_list()
            frame = pandas.DataFrame(rows)
        """
        return self._parsed_with(raw_items)

    def _parsed_with(self, parse_items: ParseItems[U]) -> AsyncPaginator[U]:
        """The same pull, its pages' rows turned into items by ``parse_items`` instead.

        What :meth:`as_dicts` and the exports use (an export encodes the JSON rows for its
        file format directly); the filters, ``prefetch`` and ordering rules are this one's.
        """
        return AsyncPaginator(
            self._fetch, parse_items, prefetch=self._prefetch, order_key=self._order_key
        )

    async def _open(self) -> PullSource:
        if isinstance(self._fetch, ListQuery):
            return await self._fetch.open()
        return PullSource(self._fetch)

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterate_items()

    async def _iterate_items(self) -> AsyncIterator[T]:
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield the pages in order until the last one (see the class docstring)."""
        source = await self._open()
        walk: AsyncGenerator[RawRows, None]
        if source.fetch_page is None or self._prefetch == 0:
            raw, used_url = await source.fetch(None)
            walk = follow_next(source.fetch, raw, used_url)
        else:
            walk = fetch_ahead(
                source, source.fetch_page, prefetch=self._prefetch, key=self._order_key
            )
        async with aclosing(walk) as rows:
            async for raw, items, used_url, number in rows:
                yield self._page(raw, items, used_url, number)

    def _page(self, raw: RawPage, items: Sequence[Any], used_url: str, number: int) -> Page[T]:
        return Page(
            items=self._parse_items(items, used_url),
            count=raw.count,
            number=number,
            next=raw.next,
            previous=raw.previous,
        )

    async def first_page(self) -> Page[T]:
        """Only the first page (one request, plus the CDR snapshot's pin when it has one)."""
        raw, used_url = await (await self._open()).fetch(None)
        return self._page(raw, raw.results, used_url, 1)

    async def to_list(self, limit: int | None = None) -> builtins.list[T]:
        """Collect items into a list (at most ``limit``). Mind the memory on big lists."""
        collected: builtins.list[T] = []
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    if limit is not None and len(collected) >= limit:
                        return collected
                    collected.append(item)
        return collected

    async def to_arrow(self, model: type[Any] | None = None) -> Any:
        """Every row as a ``pyarrow.Table`` typed like the Parquet export (extra ``parquet``).

        Phone numbers are strings, datetimes ``timestamp[us, UTC]``, nullable columns stay
        nullable. ``model`` names the row class when the endpoint's is not known.

        Example::

            table = await client.cdr.list(from_date=since, page_size=1000).to_arrow()
        """
        from .._frames import paginator_to_arrow

        return await paginator_to_arrow(self, model)

    async def to_pandas(self, model: type[Any] | None = None) -> Any:
        """Every row as a ``pandas.DataFrame`` with nullable dtypes (extra ``pandas``)."""
        from .._frames import paginator_to_pandas

        return await paginator_to_pandas(self, model)

    async def to_polars(self, model: type[Any] | None = None) -> Any:
        """Every row as a ``polars.DataFrame`` (extra ``polars``)."""
        from .._frames import paginator_to_polars

        return await paginator_to_polars(self, model)


Parts = Callable[[], Awaitable[Iterable[AsyncPaginator[T]]]]
"""Called at the start of each iteration: the paginators to chain (a snapshot per pull)."""


class ChainedPaginator(AsyncPaginator[T]):
    """The pages of several pulls (time windows), yielded pull after pull.

    ``parts`` is called at the start of each iteration and returns the paginators to chain
    (so a snapshot can be pinned per iteration); up to ``concurrency`` of them run at once,
    each buffering at most ``max(1, prefetch)`` pages ahead of the reader (and fetching
    ``prefetch`` pages ahead itself). ``Page.count`` and ``Page.number`` are those of the part
    a page belongs to; :meth:`first_page` is the first page of the first part.
    """

    def __init__(
        self,
        parts: Parts[T],
        parse_items: ParseItems[T],
        *,
        concurrency: int,
        prefetch: int,
    ) -> None:
        super().__init__(self._fetch_first_part, parse_items, prefetch=prefetch)
        self._parts = parts
        self._concurrency = int_range("concurrency", concurrency, 1)

    async def _fetch_first_part(self, url: str | None) -> tuple[RawPage, str]:
        """A page of the first part (by URL; ``None``: its first page)."""
        for part in await self._parts():
            return await (await part._open()).fetch(url)
        return RawPage(results=[], count=0, next=None, previous=None), ""

    def as_dicts(self) -> ChainedPaginator[dict[str, Any]]:
        """The same chained pull, yielding the decoded JSON rows (see the base class)."""
        return self._parsed_with(raw_items)

    def _parsed_with(self, parse_items: ParseItems[U]) -> ChainedPaginator[U]:
        """The same chained pull, every part's rows turned into items by ``parse_items``."""
        parts = self._parts

        async def parsed_parts() -> Iterable[AsyncPaginator[U]]:
            return (part._parsed_with(parse_items) for part in await parts())

        return ChainedPaginator(
            parsed_parts, parse_items, concurrency=self._concurrency, prefetch=self._prefetch
        )

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield every page of the first part, then of the second... (see the class doc)."""
        parts = await self._parts()
        merged = iterate_in_order(
            (part.pages for part in parts),
            concurrency=self._concurrency,
            buffer=max(1, self._prefetch),
        )
        async with aclosing(merged) as pages:
            async for page in pages:
                yield page
