"""Sort keys of list rows, and dropping the rows a pull has already yielded.

A pull joins pages fetched at different moments; the server's sort key of a raw row (``id``,
or ``(starting_date, id)`` for CDRs) tells which rows of a later page were already seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .._converter import parse_datetime, structure_id

__all__ = ["OrderKey", "cdr_order_key", "id_order_key", "last_key", "time_windows", "unseen"]

_MICROSECOND = dt.timedelta(microseconds=1)

OrderKey = Callable[[Any], Any]
"""The server's sort key of one raw item (``id``; for CDRs ``(starting_date, id)``), or
``None`` when the item has none (such a row is always kept and never moves the mark)."""


def id_order_key(item: Any) -> int | None:
    """The sort key of most lists: the integer ``id`` (or a hyperlink's last segment)."""
    ident = item.get("id", item.get("url")) if isinstance(item, Mapping) else None
    if type(ident) is int:
        return ident
    try:
        return structure_id(ident)
    except (TypeError, ValueError):
        return None


def last_key(items: Sequence[Any], key: OrderKey | None, default: Any) -> Any:
    """The key of the last keyed item of ``items`` (``default`` if there is none)."""
    if key is not None:
        for item in reversed(items):
            item_key = key(item)
            if item_key is not None:
                return item_key
    return default


def unseen(items: Sequence[Any], key: OrderKey, after: Any) -> Sequence[Any]:
    """``items`` without the leading rows whose key is not above ``after`` (already yielded)."""
    if after is None:
        return items
    skip = 0
    for item in items:
        item_key = key(item)
        if item_key is None or item_key > after:
            break
        skip += 1
    return items[skip:] if skip else items


def above(items: Sequence[Any], key: OrderKey, after: Any) -> tuple[list[Any], Any]:
    """The items whose key is above the running mark ``after``, and the new mark.

    Unlike :func:`unseen` this filters the whole page: the fallback path after the list
    shrank, where a seen row may stand anywhere on the re-read page.
    """
    kept = []
    for item in items:
        item_key = key(item)
        if item_key is None:
            kept.append(item)
        elif item_key > after:
            kept.append(item)
            after = item_key
    return kept, after


def cdr_order_key(row: Any) -> tuple[dt.datetime, int] | None:
    """The server's sort key of a raw CDR: ``(starting_date, id)`` (None if it has none)."""
    try:
        ident = row.get("id", row.get("url"))
        number = ident if type(ident) is int else structure_id(ident)
        return parse_datetime(row["starting_date"]), number
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def time_windows(
    start: dt.datetime, stop: dt.datetime, window: dt.timedelta
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Inclusive ``(low, high)`` bounds covering ``[start, stop]`` exactly once, lazily.

    Window ``i`` is ``[start + i*window, start + (i+1)*window - 1µs]``; the last one ends at
    ``stop``. At microsecond resolution no instant falls in two windows or in none.
    """
    low = start
    while low <= stop:
        yield low, min(low + window - _MICROSECOND, stop)
        low += window
