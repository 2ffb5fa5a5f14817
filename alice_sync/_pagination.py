"""Paginated lists for blocking code: :class:`SyncPaginator` over an ``AsyncPaginator``.

Iterating runs the async pull in the client's loop as one task, a :class:`Pump`, which
hands each page over through a queue: the reader takes a page that is already there without
waiting, and runs the loop (see ``_bridge``) only when the queue is empty. While a pull is
open the loop keeps running even when the reader is busy (in the bridge's loop thread, after
a short grace), so the fetch-ahead of the async paginator (``prefetch``) goes on. The queue
is bounded: the pump pulls a page only while fewer than ``read_ahead`` pages wait beyond
those the reader asked for: as many as the paginator's ``prefetch``, so a pull holds at most
about twice the pages its async twin holds, and a reader seldom finds the queue empty; none
for a paginator that follows ``next`` one page at a time, so that such a pull still makes
each request only when needed. Leaving a loop early cancels the pump and waits for it to
unwind.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from functools import partial
from typing import Any, Generic, TypeVar

from alice_async import AsyncPaginator, ClientStateError, Page

from ._bridge import Bridge

__all__ = ["Pump", "SyncPaginator", "iterate_sync", "read_ahead"]

T = TypeVar("T")


def read_ahead(paginator: AsyncPaginator[Any]) -> int:
    """Pages a sync pull builds ahead of its reader: the paginator's ``prefetch``."""
    return paginator.prefetch


_END = object()
"""The pump's last word after the last item."""
_GONE = object()
"""The pump's last word when it was cancelled (the client closing)."""


class Pump(Generic[T]):
    """Items of an async iterator, pulled by a task in the loop and taken by a thread.

    ``open()`` is called in the loop and gives the iterator (closed there when the pump
    ends). :meth:`take` returns the next item (running the loop until it is there), or
    ``_END`` after the last one; :meth:`close` cancels the pump and waits for it.
    """

    def __init__(
        self, bridge: Bridge, open: Callable[[], AsyncIterator[T]], read_ahead: int
    ) -> None:
        self._bridge = bridge
        self._open = open
        self._items: queue.SimpleQueue[tuple[object, Any]] = queue.SimpleQueue()
        # Items the pump may pull: read_ahead, plus one per take().
        self._credit = asyncio.Semaphore(read_ahead)
        self._put: asyncio.Future[None] | None = None  # a take() waiting for the next item
        self._finished = False
        self._call = bridge.start(self._run, background=True)

    async def _run(self) -> None:
        last: tuple[object, Any] = (_GONE, None)
        try:
            stream = self._open()
            try:
                while True:
                    await self._credit.acquire()
                    try:
                        item = await stream.__anext__()
                    except StopAsyncIteration:
                        break
                    self._hand_over((None, item))
            finally:
                aclose = getattr(stream, "aclose", None)
                if aclose is not None:
                    await aclose()
            last = (_END, None)
        except Exception as exc:  # raised in the taking thread by take()
            last = (_END, exc)
        finally:
            self._hand_over(last)

    def _hand_over(self, entry: tuple[object, Any]) -> None:
        self._items.put(entry)
        if self._put is not None and not self._put.done():
            self._put.set_result(None)

    async def _next_put(self) -> None:
        while self._items.empty():
            self._put = asyncio.get_running_loop().create_future()
            await self._put

    def take(self) -> T | object:
        """The next item, or ``_END`` after the last one (runs the loop until it is there).

        Raises:
            Exception: what the async iterator raised.
            ClientStateError: the client was closed meanwhile.
        """
        if self._finished:
            return _END
        self._bridge.post(self._credit.release)
        if self._items.empty():
            self._bridge.run(self._next_put)
        kind, value = self._items.get_nowait()
        if kind is None:
            return value  # type: ignore[no-any-return]
        self._finished = True
        if kind is _GONE:
            raise ClientStateError("the client was closed while this call was running")
        if value is not None:
            try:
                raise value
            finally:
                del value
        return _END

    def close(self) -> None:
        """Stop the pump (if it still runs) and wait until it has closed its iterator."""
        if self._finished:
            return
        self._finished = True
        if self._bridge.is_closed or self._bridge.in_loop_thread():
            # A closed bridge has cancelled the pump and closed its loop.
            return
        self._call.cancel()
        with contextlib.suppress(ClientStateError):
            self._call.wait()


class SyncPaginator(Generic[T]):
    """Items of a list endpoint, across pages (the blocking twin of ``AsyncPaginator``).

    ``for item in paginator`` yields items, :meth:`pages` yields :class:`Page` objects,
    :meth:`first_page` makes one request and :meth:`to_list` collects. Each ``for`` starts a
    fresh pull, which runs in the client's loop and hands pages over as they come (with
    ``prefetch``, that many pages are fetched and built ahead of the reader). Leaving a
    loop early (``break``, an exception) stops the pull at once on CPython; elsewhere wrap
    the iterator in ``contextlib.closing``.

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
        """Yield the pages one by one, in order, until the last page.

        ``close()`` on the generator (or leaving a ``for`` early) ends the pull.
        """
        pump = Pump(self._bridge, self._paginator.pages, read_ahead(self._paginator))
        try:
            while (page := pump.take()) is not _END:
                yield page  # type: ignore[misc]
        finally:
            pump.close()

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


def iterate_sync(bridge: Bridge, stream: AsyncIterator[T]) -> Generator[T, None, None]:
    """A blocking iterator over an async one (``campaigns.watch``), pulled item by item.

    Each item is pulled when it is asked for (as ``async for`` would). Leaving the loop
    early (``break``, an exception, ``close()``) closes the async iterator in the client's
    loop before returning, so nothing keeps running there.
    """
    pump = Pump(bridge, lambda: stream, 0)
    try:
        while (item := pump.take()) is not _END:
            yield item  # type: ignore[misc]
    finally:
        pump.close()
