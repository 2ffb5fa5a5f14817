"""Ordered merging: several streams run at once, their output yielded stream after stream.

What :meth:`Cdrs.iter_windows <alice_async.resources.cdr.Cdrs.iter_windows>` uses to pull
time windows concurrently and still yield rows in the server's order.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Callable, Iterable
from contextlib import aclosing
from typing import Any, TypeVar

import attrs

from ._walk import cancel_all

__all__ = ["iterate_in_order"]

U = TypeVar("U")


@attrs.frozen
class _Failure:
    error: BaseException


_DONE = object()


async def iterate_in_order(
    streams: Iterable[Callable[[], AsyncGenerator[U, None]]], *, concurrency: int, buffer: int
) -> AsyncGenerator[U, None]:
    """Run up to ``concurrency`` streams at once; yield all of the first, then the second...

    Each running stream fills a queue of at most ``buffer`` items and waits when it is full,
    so memory stays bounded by ``concurrency * buffer`` items (plus what each stream holds
    itself). A stream is started when an earlier one finishes. The first error of the
    stream being read is raised (a later stream's error when the reader gets to it); every
    running stream is cancelled when the reader stops early or fails.
    """
    pending = iter(streams)
    active: deque[tuple[asyncio.Queue[Any], asyncio.Task[None]]] = deque()

    def start_next() -> bool:
        factory = next(pending, None)
        if factory is None:
            return False
        queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=buffer)
        active.append((queue, asyncio.ensure_future(_produce(factory, queue))))
        return True

    try:
        for _ in range(concurrency):
            if not start_next():
                break
        while active:
            queue, task = active[0]
            while (item := await queue.get()) is not _DONE:
                if isinstance(item, _Failure):
                    raise item.error
                yield item
            active.popleft()
            await task
            start_next()
    finally:
        await cancel_all([task for _, task in active])


async def _produce(
    factory: Callable[[], AsyncGenerator[Any, None]], queue: asyncio.Queue[Any]
) -> None:
    try:
        async with aclosing(factory()) as stream:
            async for item in stream:
                await queue.put(item)
    except Exception as exc:
        await queue.put(_Failure(exc))
    else:
        await queue.put(_DONE)
