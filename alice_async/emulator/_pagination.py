"""DRF's ``PageNumberPagination``: the ``count/next/previous/results`` envelope.

``next``/``previous`` are absolute URLs on the request's own origin that keep every other
query parameter. Pages are slices of the underlying sequence, never copies of it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from aiohttp import web
from yarl import URL

from ._errors import ApiError

__all__ = ["Page", "page_size", "paginate"]


@attrs.frozen
class Page:
    """One page: the envelope's fields except ``results`` rendering."""

    count: int
    rows: list[Any]
    next: str | None
    previous: str | None

    def envelope(self, results: list[Any]) -> dict[str, Any]:
        return {
            "count": self.count,
            "next": self.next,
            "previous": self.previous,
            "results": results,
        }


def page_size(request: web.Request, default: int, maximum: int, ignore: bool) -> int:
    """The page size a request asks for: ``page_size`` if valid and honoured, clamped."""
    raw = request.query.get("page_size")
    if ignore or raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        return default
    if size <= 0:
        return default
    return min(size, maximum)


def _invalid_page() -> ApiError:
    return ApiError.detail(404, "Invalid page.")


def _page_number(request: web.Request, pages: int) -> int:
    raw = request.query.get("page", "1")
    if raw == "last":
        return pages
    try:
        number = int(raw)
    except ValueError:
        raise _invalid_page() from None
    if number < 1 or number > pages:
        raise _invalid_page()
    return number


def _link(url: URL, number: int) -> str:
    query = [(key, value) for key, value in url.query.items() if key != "page"]
    if number > 1:
        query.append(("page", str(number)))
    return str(url.with_query(query))


def paginate(
    request: web.Request, rows: Sequence[Any] | Iterable[Any], count: int, size: int
) -> Page:
    """Cut the requested page out of ``rows`` (``count`` items) or raise ``Invalid page.``."""
    pages = max(1, -(-count // size))
    number = _page_number(request, pages)
    start = (number - 1) * size
    if isinstance(rows, Sequence):
        chunk = list(rows[start : start + size])
    else:
        chunk = list(itertools.islice(rows, start, start + size))
    url = request.url
    return Page(
        count=count,
        rows=chunk,
        next=_link(url, number + 1) if number < pages else None,
        previous=_link(url, number - 1) if number > 1 else None,
    )
