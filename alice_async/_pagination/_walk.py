"""How a pull walks a list: following ``next`` links, or fetching pages ahead by number.

Both walks yield :class:`RawRows` (an envelope, the rows of it still to yield, where it came
from); the paginator turns them into :class:`~alice_async.Page` objects. The joining rules
when the list changes under a fetch-ahead pull are documented on
:class:`~alice_async.AsyncPaginator`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Iterable, Sequence
from contextlib import aclosing
from typing import Any, NamedTuple

from .._exceptions import APIResponseValidationError, NotFoundError
from ._envelope import RawPage
from ._order import OrderKey, above, last_key, unseen
from ._query import FetchNumbered, FetchPage, PullSource

__all__ = ["RawRows", "cancel_all", "fetch_ahead", "follow_next"]

logger = logging.getLogger("alice_async")


class RawRows(NamedTuple):
    """One page of a walk: its envelope, the rows to yield from it, its URL and number."""

    raw: RawPage
    items: Sequence[Any]
    url: str
    number: int


class _Inconsistent(Exception):
    """The list shrank under a fetch-ahead pull: fall back to following ``next``."""


async def follow_next(
    fetch: FetchPage,
    raw: RawPage,
    used_url: str,
    *,
    number: int = 1,
    key: OrderKey | None = None,
    after: Any = None,
) -> AsyncGenerator[RawRows, None]:
    """Yield ``raw`` and the pages its ``next`` links lead to, one request at a time.

    With ``after`` (a sort key) and a ``key``, rows whose key is not above the last key
    yielded are dropped, and pages left empty are skipped: the fallback path of a
    fetch-ahead pull.
    """
    key = key if after is not None else None
    while True:
        items: Sequence[Any] = raw.results
        if key is not None and items:
            items, after = above(items, key, after)
        if items or key is None or raw.next is None:
            yield RawRows(raw, items, used_url, number)
        if raw.next is None or not raw.results:
            return
        if raw.next == used_url:
            raise APIResponseValidationError(
                f"GET {used_url}: 'next' points back at the page just read ({raw.next})",
                method="GET",
                url=used_url,
            )
        raw, used_url = await fetch(raw.next)
        number += 1


async def fetch_ahead(
    source: PullSource, fetch_page: FetchNumbered, *, prefetch: int, key: OrderKey | None
) -> AsyncGenerator[RawRows, None]:
    """Read page 1, then keep up to ``prefetch`` pages in flight, yielding them in order."""
    first, first_url = await source.fetch(None)
    size = len(first.results)
    if first.next is None or not size or -(-first.count // size) < 2:
        # One page, or a ``count`` that contradicts ``next``: trust the links.
        async with aclosing(follow_next(source.fetch, first, first_url)) as pages:
            async for rows in pages:
                yield rows
        return
    yield RawRows(first, first.results, first_url, 1)
    after = last_key(first.results, key, None)
    count = first.count
    tasks: dict[int, asyncio.Task[tuple[RawPage, str]]] = {}
    scheduled = number = 1
    resume = 0
    try:
        while number < -(-count // size):
            number += 1
            while scheduled < min(-(-count // size), number + prefetch - 1):
                scheduled += 1
                tasks[scheduled] = asyncio.ensure_future(fetch_page(scheduled))
            try:
                raw, used_url = await tasks.pop(number)
                if raw.count < count and key is not None:
                    # Fetched before rows the previous page saw were inserted: again.
                    raw, used_url = await fetch_page(number)
                _check(raw, used_url, number, size, count, keyed=key is not None)
            except (_Inconsistent, NotFoundError) as exc:
                logger.debug("list changed during a fetch-ahead pull (%s): following next", exc)
                resume = number - 1
                break
            items: Sequence[Any] = raw.results
            if key is not None:
                items = unseen(items, key, after)
                after = last_key(items, key, after)
            count = raw.count
            yield RawRows(raw, items, used_url, number)
    finally:
        await cancel_all(tasks.values())
    if resume:
        number, raw, used_url = await _resume_point(fetch_page, resume, size, count, key)
        rest = follow_next(source.fetch, raw, used_url, number=number, key=key, after=after)
        async with aclosing(rest) as pages:
            async for rows in pages:
                yield rows


async def _resume_point(
    fetch_page: FetchNumbered, resume: int, size: int, count: int, key: OrderKey | None
) -> tuple[int, RawPage, str]:
    """The page to follow ``next`` from after the list shrank, and that page.

    Without a ``key`` nothing can be deduplicated: the page after the last one yielded.
    With one, the last page yielded is re-read, or an earlier one if the new ``count`` says
    that ``d`` rows went: the first unseen row may have moved back by ``d`` places. A page
    that no longer exists sends the pull back to page 1.
    """
    number = resume if key is not None else resume + 1
    try:
        raw, used_url = await fetch_page(number)
    except NotFoundError:
        number = 1
        raw, used_url = await fetch_page(1)
    if key is not None and raw.count < count:
        back = max(1, (resume * size - (count - raw.count)) // size + 1)
        if back < number:
            number = back
            raw, used_url = await fetch_page(back)
    return number, raw, used_url


def _check(raw: RawPage, url: str, number: int, size: int, count: int, *, keyed: bool) -> None:
    if raw.count < count or (not keyed and raw.count != count):
        raise _Inconsistent(f"{url}: count {raw.count}, was {count}")
    last = -(-raw.count // size)
    expected = size if number < last else raw.count - (last - 1) * size
    if len(raw.results) != expected:
        raise _Inconsistent(f"{url}: {len(raw.results)} rows, expected {expected}")


async def cancel_all(tasks: Iterable[asyncio.Future[Any]]) -> None:
    """Cancel tasks and wait for them, retrieving their exceptions (no "never retrieved")."""
    pending = list(tasks)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
