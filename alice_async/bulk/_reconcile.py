"""Settling an ambiguous outcome: which contacts of a request did the server save?

A number's :class:`Presence` comes from one retry-safe search (``GET contact/?search=N``, then an
exact match on ``contact`` client-side). :func:`find_frontier` is the search over a request's
list of numbers; it needs few lookups because the server saves a request's contacts in order.
:class:`Lookups` runs those searches for an upload, waiting out faults with the retry policy,
and splits a request's positions into saved, duplicates and still to send.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING

from .._exceptions import APIError, AuthenticationError, PermissionDeniedError, RateLimitError
from ._chunks import Attempts, Chunk

if TYPE_CHECKING:
    from .._client import AliceClient

__all__ = ["Lookups", "Presence", "find_frontier", "presence_of"]


class Presence(enum.Enum):
    """Where a number stands relative to this upload."""

    OURS = "ours"
    """In the upload's phonebook with an id above the watermark: this upload created it."""
    OTHER = "other"
    """In the account but not created by this upload: a duplicate the server refuses."""
    ABSENT = "absent"
    """Not in the account: the server has not saved it."""


async def presence_of(
    client: AliceClient, number: str, *, phonebook: int, watermark: int
) -> Presence:
    """Look ``number`` up in the account (a GET, retried like any GET)."""
    found = False
    matches = await client.contacts.list(search=number, page_size=1000).to_list()
    for contact in matches:
        if contact.contact != number:
            continue  # ``search`` matches substrings and names too
        if contact.phonebook == phonebook and contact.id > watermark:
            return Presence.OURS
        found = True
    return Presence.OTHER if found else Presence.ABSENT


async def find_frontier(
    size: int,
    probe: Callable[[int], Awaitable[Presence]],
    known: MutableMapping[int, Presence],
) -> int:
    """The boundary ``b`` of the saved prefix of a list of ``size`` numbers.

    The list must have been processed in order, so that, ignoring the numbers that are
    :attr:`Presence.OTHER`, the numbers are ``OURS`` up to some point and ``ABSENT`` after it.
    Returns ``b`` such that every non-``OTHER`` position below ``b`` is ``OURS`` and every one at
    or above it is ``ABSENT``. ``known`` holds the presences already known (it is filled with
    every probe made); positions known to be ``OTHER`` are never probed.

    Cost: one probe when everything was saved (the common case after a reset or a 500 that
    came after the work), two when nothing was, about ``log2(size)`` otherwise, plus one per
    ``OTHER`` number met on the way.
    """

    async def presence(index: int) -> Presence:
        value = known.get(index)
        if value is None:
            value = known[index] = await probe(index)
        return value

    last = size - 1
    while last >= 0 and await presence(last) is Presence.OTHER:
        last -= 1
    if last < 0:
        return 0
    if known[last] is Presence.OURS:
        return size
    hi = last  # ABSENT at ``last``: the boundary is at or before it
    first = 0
    while first < hi and await presence(first) is Presence.OTHER:
        first += 1
    if first == hi or known[first] is Presence.ABSENT:
        return first
    lo = first + 1
    while lo < hi:
        mid = (lo + hi) // 2
        probe_at = mid
        while probe_at < hi and await presence(probe_at) is Presence.OTHER:
            probe_at += 1
        if probe_at < hi and known[probe_at] is Presence.OURS:
            lo = probe_at + 1
        else:
            hi = mid  # [mid, probe_at) are OTHER and probe_at is ABSENT (or the old bound)
    return lo


class Lookups:
    """The searches one upload makes to settle outcomes (``count`` of them so far)."""

    def __init__(self, client: AliceClient, phonebook: int, max_retries: int) -> None:
        self.client = client
        self.phonebook = phonebook
        self.max_retries = max_retries
        self.watermark = 0
        self.count = 0

    async def presence(self, number: str) -> Presence:
        """Look a number up; throttling and faults are waited out like a chunk's."""
        attempts = Attempts(self.client.retry_policy, self.max_retries)
        while True:
            self.count += 1
            try:
                return await presence_of(
                    self.client, number, phonebook=self.phonebook, watermark=self.watermark
                )
            except (AuthenticationError, PermissionDeniedError):
                raise
            except RateLimitError as exc:
                await attempts.after_throttle(exc)
            except APIError as exc:
                await attempts.after_failure(exc)

    async def settle(
        self, chunk: Chunk, positions: list[int]
    ) -> tuple[list[int], list[int], list[int]]:
        """Split ``positions`` (sent in this order) into (saved, still to send, duplicates).

        Duplicates found on the way are recorded in the chunk's outcome.
        """
        known: dict[int, Presence] = {}

        async def probe(index: int) -> Presence:
            return await self.presence(chunk.number(positions[index]))

        boundary = await find_frontier(len(positions), probe, known)
        saved: list[int] = []
        rest: list[int] = []
        others: list[int] = []
        for index, position in enumerate(positions):
            if known.get(index) is Presence.OTHER:
                others.append(position)
                chunk.duplicate(position)
            elif index < boundary:
                saved.append(position)
            else:
                rest.append(position)
        return saved, rest, others
