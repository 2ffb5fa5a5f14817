"""Paginated lists: an async iterator over items that fetches pages as it goes.

Each module owns one job:

- ``_envelope``: the DRF list envelope ``{"count", "next", "previous", "results"}``
  (docs/API.md §3) and :class:`Page`;
- ``_query``: :class:`ListQuery`, one pull's frozen query and its page fetchers, and the
  shared knobs (``DEFAULT_PREFETCH``, ``DEFAULT_BULK_PAGE_SIZE``);
- ``_order``: the server's sort keys, and dropping rows a pull has already yielded;
- ``_walk``: following ``next`` (only to the origin of ``base_url``: the token never travels
  elsewhere), or fetching pages ahead by number and joining them safely;
- ``_merge``: several pulls at once, their output yielded pull after pull (time windows);
- ``_paginator``: :class:`AsyncPaginator` and :class:`ChainedPaginator`, what users hold.

Turning rows into models (the fast row builder) is structuring, not pagination: it lives
beside the converter, in :mod:`alice_async._rows`.
"""

from __future__ import annotations

from ._envelope import Page as Page
from ._envelope import RawPage as RawPage
from ._envelope import parse_envelope as parse_envelope
from ._merge import iterate_in_order as iterate_in_order
from ._order import OrderKey as OrderKey
from ._order import id_order_key as id_order_key
from ._paginator import AsyncPaginator as AsyncPaginator
from ._paginator import ChainedPaginator as ChainedPaginator
from ._paginator import ParseItems as ParseItems
from ._paginator import raw_items as raw_items
from ._query import DEFAULT_BULK_PAGE_SIZE as DEFAULT_BULK_PAGE_SIZE
from ._query import DEFAULT_PREFETCH as DEFAULT_PREFETCH
from ._query import MAX_PREFETCH as MAX_PREFETCH
from ._query import ListQuery as ListQuery
from ._query import PullSource as PullSource
from ._query import check_prefetch as check_prefetch

__all__ = [
    "DEFAULT_BULK_PAGE_SIZE",
    "DEFAULT_PREFETCH",
    "MAX_PREFETCH",
    "AsyncPaginator",
    "ChainedPaginator",
    "ListQuery",
    "OrderKey",
    "Page",
    "ParseItems",
    "PullSource",
    "RawPage",
    "check_prefetch",
    "id_order_key",
    "iterate_in_order",
    "parse_envelope",
    "raw_items",
]
