"""One pull's requests: :class:`ListQuery` freezes a list query and fetches any of its pages.

Also the knobs every pull shares (``DEFAULT_PREFETCH``, ``DEFAULT_BULK_PAGE_SIZE``,
:func:`check_prefetch`) and the fetcher types the paginator is written against.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import int_range
from ._envelope import RawPage, parse_envelope

if TYPE_CHECKING:
    from .._client import AliceClient

__all__ = [
    "DEFAULT_BULK_PAGE_SIZE",
    "DEFAULT_PREFETCH",
    "MAX_PREFETCH",
    "FetchNumbered",
    "FetchPage",
    "ListQuery",
    "PullSource",
    "check_prefetch",
]

DEFAULT_PREFETCH = 4
"""Pages in flight ahead of the reader when a list fetches ahead."""

MAX_PREFETCH = 64

DEFAULT_BULK_PAGE_SIZE = 1000
"""Rows per request asked by the bulk helpers (``iter_windows``, ``export``)."""

FetchPage = Callable[[str | None], Awaitable[tuple[RawPage, str]]]
"""Fetches the page at a URL (``None``: the first page); returns it and the URL used."""

FetchNumbered = Callable[[int], Awaitable[tuple[RawPage, str]]]
"""Fetches page ``N`` (1-based) of the same query; returns it and the URL shown in errors."""


def check_prefetch(prefetch: Any) -> int:
    """``prefetch`` if it is an integer from 0 to ``MAX_PREFETCH``.

    Raises:
        InvalidInputError: anything else.
    """
    return int_range("prefetch", prefetch, 0, MAX_PREFETCH)


@attrs.frozen
class PullSource:
    """The page fetchers of one pull (one ``async for``): by URL, and by page number."""

    fetch: FetchPage
    fetch_page: FetchNumbered | None = None


class ListQuery:
    """A list request, path plus filters, that can fetch any page of one pull.

    Each pull (:meth:`open`) freezes its query parameters: ``pin`` (when given) is awaited
    then with the parameters and what it returns is added, which is how a CDR pull pins
    ``to_date`` to the moment it starts. Page ``N`` is the same query with ``page=N``, the
    way the server's own ``next`` links address pages (docs/API.md §3).
    """

    def __init__(
        self,
        client: AliceClient,
        path: str,
        params: Mapping[str, str],
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        allow_bare: bool = False,
        pin: Callable[[Mapping[str, str]], Awaitable[Mapping[str, str]]] | None = None,
    ) -> None:
        self.client = client
        self.path = path
        self.params = dict(params)
        self.timeout = timeout
        self.max_retries = max_retries
        self.allow_bare = allow_bare
        self.pin = pin

    def __repr__(self) -> str:
        return f"<ListQuery {self.path} {self.params}>"

    async def open(self) -> PullSource:
        """The fetchers of a new pull, with its parameters (and pin) frozen."""
        params = dict(self.params)
        if self.pin is not None:
            params.update(await self.pin(params))
        path = self.path

        async def get(target: str, query: Mapping[str, str] | None) -> RawPage:
            response = await self.client.request(
                "GET", target, params=query, timeout=self.timeout, max_retries=self.max_retries
            )
            return parse_envelope(response.data, url=target, allow_bare=self.allow_bare)

        async def fetch(url: str | None) -> tuple[RawPage, str]:
            if url is None:
                return await get(path, params), path
            return await get(url, None), url

        async def fetch_page(number: int) -> tuple[RawPage, str]:
            if number <= 1:
                return await fetch(None)
            return await get(path, {**params, "page": str(number)}), f"{path}?page={number}"

        return PullSource(fetch, fetch_page)
