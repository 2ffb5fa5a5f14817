"""Adaptive concurrency for bulk uploads: the pure rule (:class:`AdaptiveLimit`) and the gate
that applies it to tasks (:class:`Gate`).

The rule is additive-increase / multiplicative-decrease, as TCP does for its window: a 429 halves
the number of requests allowed in flight (never below 1), and every ``window`` successes in a
row grow it back by one (never above the configured ``concurrency``). Requests already in flight
when the limit was cut carry an older *generation*; their 429s belong to the same congestion
event and do not cut it again, so eight requests throttled at once halve the limit once, not
eight times.
"""

from __future__ import annotations

import anyio

__all__ = ["AdaptiveLimit", "Gate"]


class AdaptiveLimit:
    """How many requests may be in flight; pure bookkeeping, no I/O, no clock.

    Args:
        maximum: the ceiling (and the starting value).
        window: successes needed to grow the limit by one.

    Example::

        limit = AdaptiveLimit(8, window=4)
        limit.on_throttled(limit.generation)   # 8 -> 4
        for _ in range(4):
            limit.on_success()                 # 4 -> 5
    """

    def __init__(self, maximum: int, *, window: int = 4) -> None:
        if maximum < 1 or window < 1:
            raise ValueError("maximum and window must be >= 1")
        self.maximum = maximum
        self.window = window
        self.limit = maximum
        self.generation = 0
        self._healthy = 0

    def on_throttled(self, generation: int) -> bool:
        """Record a 429 of a request admitted at ``generation``; return whether the limit fell."""
        if generation < self.generation:
            return False
        self.limit = max(1, self.limit // 2)
        self.generation += 1
        self._healthy = 0
        return True

    def on_success(self) -> bool:
        """Record a request the server processed; return whether the limit grew."""
        self._healthy += 1
        if self._healthy < self.window:
            return False
        self._healthy = 0
        if self.limit >= self.maximum:
            return False
        self.limit += 1
        return True


class Gate:
    """Admits tasks while fewer than ``limit.limit`` are inside.

    ``release`` is synchronous, so it can run in a ``finally`` of a cancelled task.
    """

    def __init__(self, limit: AdaptiveLimit) -> None:
        self.limit = limit
        self.in_flight = 0
        self._waiters: list[anyio.Event] = []

    async def acquire(self) -> int:
        """Wait for room; return the generation the request is admitted at."""
        while self.in_flight >= self.limit.limit:
            event = anyio.Event()
            self._waiters.append(event)
            try:
                await event.wait()
            finally:
                if event in self._waiters:
                    self._waiters.remove(event)
        self.in_flight += 1
        return self.limit.generation

    def release(self) -> None:
        """Leave the gate and wake the waiters (the limit may have grown as well)."""
        self.in_flight -= 1
        waiters, self._waiters = self._waiters, []
        for event in waiters:
            event.set()
