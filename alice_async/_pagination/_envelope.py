"""The list envelope: :class:`Page` (public) and :func:`parse_envelope` (one response).

The server answers lists with the DRF envelope ``{"count", "next", "previous", "results"}``
(docs/API.md §3); this module checks one such body and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from .._exceptions import APIResponseValidationError

__all__ = ["Page", "RawPage", "parse_envelope"]

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

    With ``allow_bare`` (endpoints known to skip pagination, docs/API.md §5.11 variant) a JSON
    array, a single object, or ``{"note": "..."}`` (nothing found) are accepted too.

    Raises:
        APIResponseValidationError: the body is not a list envelope.
    """
    if isinstance(data, Mapping) and "results" in data:
        return _envelope(data, url)
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
    raise _invalid(url, f"expected a paginated list, got a {kind}{keys}")


def _envelope(data: Mapping[str, Any], url: str) -> RawPage:
    results = data.get("results")
    count = data.get("count", None)
    next_url = data.get("next")
    previous = data.get("previous")
    if not isinstance(results, list):
        raise _invalid(url, f"'results' is {type(results).__name__}, expected a list")
    if count is None:
        count = len(results)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise _invalid(url, f"'count' is {count!r}, expected an integer >= 0")
    if next_url is not None and not isinstance(next_url, str):
        raise _invalid(url, f"'next' is {type(next_url).__name__}, expected a URL or null")
    return RawPage(
        results=results,
        count=count,
        next=next_url or None,
        previous=previous if isinstance(previous, str) else None,
    )


def _invalid(url: str, problem: str) -> APIResponseValidationError:
    return APIResponseValidationError(f"GET {url}: {problem}", method="GET", url=url)
