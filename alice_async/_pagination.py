"""Paginated lists: an async iterator over items that fetches pages as it goes.

The server answers lists with the DRF envelope ``{"count", "next", "previous", "results"}``
(REFERENCE §3). :class:`AsyncPaginator` follows ``next`` (only to the origin of ``base_url``:
the token never travels elsewhere), whatever page size the server really uses, holding one
page in memory at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from ._exceptions import APIResponseValidationError

__all__ = ["AsyncPaginator", "Page", "parse_envelope"]

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page of a list.

    Attributes:
        items: the objects of this page.
        count: the total number of objects the server reports for the whole list.
        number: the 1-based page number.
        next: the URL of the next page, or ``None`` on the last page.
        previous: the URL of the previous page, or ``None``.
    """

    items: list[T]
    count: int
    number: int = 1
    next: str | None = attrs.field(default=None, repr=False)
    previous: str | None = attrs.field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Any:
        return iter(self.items)


@attrs.frozen
class RawPage:
    """An envelope before its items are turned into models."""

    results: Sequence[Any]
    count: int
    next: str | None
    previous: str | None


def parse_envelope(data: Any, *, url: str, allow_bare: bool = False) -> RawPage:
    """Check and unpack a list response.

    With ``allow_bare`` (endpoints known to skip pagination, REFERENCE §5.11 variant) a JSON
    array, a single object, or ``{"note": "..."}`` (nothing found) are accepted too.

    Raises:
        APIResponseValidationError: the body is not a list envelope.
    """
    if isinstance(data, Mapping) and "results" in data:
        results = data.get("results")
        count = data.get("count", None)
        next_url = data.get("next")
        previous = data.get("previous")
        if not isinstance(results, list):
            raise APIResponseValidationError(
                f"GET {url}: 'results' is {type(results).__name__}, expected a list",
                method="GET",
                url=url,
            )
        if count is None:
            count = len(results)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise APIResponseValidationError(
                f"GET {url}: 'count' is {count!r}, expected an integer >= 0",
                method="GET",
                url=url,
            )
        if next_url is not None and not isinstance(next_url, str):
            raise APIResponseValidationError(
                f"GET {url}: 'next' is {type(next_url).__name__}, expected a URL or null",
                method="GET",
                url=url,
            )
        return RawPage(
            results=results,
            count=count,
            next=next_url or None,
            previous=previous if isinstance(previous, str) else None,
        )
    if allow_bare:
        if isinstance(data, list):
            return RawPage(results=data, count=len(data), next=None, previous=None)
        if isinstance(data, Mapping):
            if "id" in data or "url" in data:
                return RawPage(results=[data], count=1, next=None, previous=None)
            if set(data) <= {"note", "detail"}:
                return RawPage(results=[], count=0, next=None, previous=None)
    kind = type(data).__name__
    keys = f" with keys {sorted(data)[:8]}" if isinstance(data, Mapping) else ""
    raise APIResponseValidationError(
        f"GET {url}: expected a paginated list, got a {kind}{keys}", method="GET", url=url
    )


FetchPage = Callable[[str | None], Awaitable[tuple[RawPage, str]]]
"""Fetches the page at a URL (``None``: the first page); returns it and the URL used."""


class AsyncPaginator(Generic[T]):
    """Items of a list endpoint, across pages.

    ``async for item in paginator`` yields items; :meth:`pages` yields :class:`Page` objects
    (items plus ``count``); :meth:`to_list` collects everything. A paginator can be iterated
    once per ``async for`` (each iteration starts a fresh pull).

    Example::

        async for contact in client.contacts.list(phonebook=3):
            print(contact.contact)

        async for page in client.contacts.list(phonebook=3, page_size=500).pages():
            print(page.number, page.count, len(page.items))
    """

    def __init__(
        self, fetch: FetchPage, parse_items: Callable[[Sequence[Any], str], list[T]]
    ) -> None:
        self._fetch = fetch
        self._parse_items = parse_items

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterate_items()

    async def _iterate_items(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield the pages one by one, following ``next`` until the last page."""
        url: str | None = None
        number = 0
        while True:
            raw, used_url = await self._fetch(url)
            number += 1
            items = self._parse_items(raw.results, used_url)
            yield Page(
                items=items, count=raw.count, number=number, next=raw.next, previous=raw.previous
            )
            if raw.next is None or not raw.results:
                return
            if raw.next == used_url:
                raise APIResponseValidationError(
                    f"GET {used_url}: 'next' points back at the page just read ({raw.next})",
                    method="GET",
                    url=used_url,
                )
            url = raw.next

    async def first_page(self) -> Page[T]:
        """Only the first page (one request)."""
        raw, used_url = await self._fetch(None)
        return Page(
            items=self._parse_items(raw.results, used_url),
            count=raw.count,
            number=1,
            next=raw.next,
            previous=raw.previous,
        )

    async def to_list(self, limit: int | None = None) -> list[T]:
        """Collect items into a list (at most ``limit``). Mind the memory on big lists."""
        collected: list[T] = []
        async for page in self.pages():
            for item in page.items:
                if limit is not None and len(collected) >= limit:
                    return collected
                collected.append(item)
        return collected
