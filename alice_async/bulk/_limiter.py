"""How many chunks of one bulk upload are in flight: :class:`Gate`, a fixed cap (the
``concurrency=`` of the upload).

Throttling is not decided here: every chunk is a request of the client, so it draws from the
client-wide :class:`~alice_async._throttle.Throttle` (the pause after a 429, the adaptive
in-flight limit, the learnt rate and ``rate_limit=``), the one budget that lookups, page
fetches and other tasks on the same client share. :class:`AdaptiveLimit`, the AIMD rule that
throttle applies, is re-exported here for compatibility.
"""

from __future__ import annotations

import anyio

from .._throttle import AdaptiveLimit

__all__ = ["AdaptiveLimit", "Gate"]


class Gate:
    """Admits tasks while fewer than ``capacity`` are inside.

    ``release`` is synchronous, so it can run in a ``finally`` of a cancelled task.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.in_flight = 0
        self._waiters: list[anyio.Event] = []

    async def acquire(self) -> None:
        """Wait for room."""
        while self.in_flight >= self.capacity:
            event = anyio.Event()
            self._waiters.append(event)
            try:
                await event.wait()
            finally:
                if event in self._waiters:
                    self._waiters.remove(event)
        self.in_flight += 1

    def release(self) -> None:
        """Leave the gate and wake the waiters."""
        self.in_flight -= 1
        waiters, self._waiters = self._waiters, []
        for event in waiters:
            event.set()
