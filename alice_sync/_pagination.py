"""Paginated lists for blocking code: :class:`SyncPaginator` over an ``AsyncPaginator``.

Iteration is page-wise: each page is one call through the bridge (one request), and the
items of a page are then handed out without crossing threads again.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Generator, Iterator
from functools import partial
from typing import Any, Generic, TypeVar

from alice_async import AsyncPaginator, Page

from ._bridge import Bridge

__all__ = ["SyncPaginator", "iterate_sync"]

T = TypeVar("T")


class SyncPaginator(Generic[T]):
    """Items of a list endpoint, across pages (the blocking twin of ``AsyncPaginator``).

    ``for item in paginator`` yields items, :meth:`pages` yields :class:`Page` objects,
    :meth:`first_page` makes one request and :meth:`to_list` collects. Each ``for`` starts a
    fresh pull. Leaving a loop early (``break``, an exception) closes the pull at once on
    CPython; elsewhere wrap the iterator in ``contextlib.closing``.

    Example::

        for contact in client.contacts.list(phonebook=3):
            print(contact.contact)

        for page in client.contacts.list(phonebook=3, page_size=500).pages():
            print(page.number, page.count, len(page.items))
    """

    def __init__(self, bridge: Bridge, paginator: AsyncPaginator[T]) -> None:
        self._bridge = bridge
        self._paginator = paginator

    def __repr__(self) -> str:
        return f"<SyncPaginator of {self._paginator!r}>"

    @property
    def prefetch(self) -> int:
        """Pages fetched ahead of the reader (0: one page at a time, following ``next``)."""
        return self._paginator.prefetch

    def as_dicts(self) -> SyncPaginator[dict[str, Any]]:
        """The same pull, yielding the decoded JSON rows instead of models.

        Example::

            rows = client.cdr.list(from_date=since).as_dicts().to_list()
        """
        return SyncPaginator(self._bridge, self._paginator.as_dicts())

    def __iter__(self) -> Iterator[T]:
        with contextlib.closing(self.pages()) as pages:
            for page in pages:
                yield from page.items

    def pages(self) -> Generator[Page[T], None, None]:
        """Yield the pages one by one, following ``next`` until the last page.

        ``close()`` on the generator (or leaving a ``for`` early) ends the pull.
        """
        pull = self._bridge.run_sync(self._paginator.pages)
        try:
            while True:
                page = self._bridge.run(partial(_next_page, pull))
                if page is None:
                    return
                yield page
        finally:
            self._close_pull(pull)

    def first_page(self) -> Page[T]:
        """Only the first page (one request)."""
        return self._bridge.run(self._paginator.first_page)

    def to_list(self, limit: int | None = None) -> list[T]:
        """Collect items into a list (at most ``limit``). Mind the memory on big lists."""
        return self._bridge.run(partial(self._paginator.to_list, limit))

    # pipelines (issue 14) -- thin delegation to the async paginator; keep this block as is.
    def to_arrow(self, model: type[Any] | None = None) -> Any:
        """Every row as a ``pyarrow.Table`` (see ``AsyncPaginator.to_arrow``)."""
        return self._bridge.run(partial(self._paginator.to_arrow, model))

    def to_pandas(self, model: type[Any] | None = None) -> Any:
        """Every row as a ``pandas.DataFrame`` (see ``AsyncPaginator.to_pandas``)."""
        return self._bridge.run(partial(self._paginator.to_pandas, model))

    def to_polars(self, model: type[Any] | None = None) -> Any:
        """Every row as a ``polars.DataFrame`` (see ``AsyncPaginator.to_polars``)."""
        return self._bridge.run(partial(self._paginator.to_polars, model))

    def _close_pull(self, pull: AsyncIterator[Page[T]]) -> None:
        aclose = getattr(pull, "aclose", None)
        if aclose is None or self._bridge.is_closed or self._bridge.in_loop_thread():
            # A closed bridge has shut its loop down, which closed every async generator.
            return
        with contextlib.suppress(Exception):
            self._bridge.run(aclose)


async def _next_page(pull: AsyncIterator[Page[T]]) -> Page[T] | None:
    try:
        return await pull.__anext__()
    except StopAsyncIteration:
        return None


_END = object()


async def _next_item(stream: AsyncIterator[T]) -> T | object:
    try:
        return await stream.__anext__()
    except StopAsyncIteration:
        return _END


def iterate_sync(bridge: Bridge, stream: AsyncIterator[T]) -> Generator[T, None, None]:
    """A blocking iterator over an async one (``campaigns.watch``): one bridge call an item.

    Leaving the loop early (``break``, an exception, ``close()``) closes the async iterator
    in the client's loop before returning, so nothing keeps running there.
    """
    try:
        while True:
            item = bridge.run(partial(_next_item, stream))
            if item is _END:
                return
            yield item  # type: ignore[misc]
    finally:
        aclose = getattr(stream, "aclose", None)
        if aclose is not None and not bridge.is_closed and not bridge.in_loop_thread():
            with contextlib.suppress(Exception):
                bridge.run(aclose)
