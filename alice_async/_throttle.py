"""The client-wide throttle: one budget that every request of a client draws from.

Every attempt of every request (lookups, pages fetched ahead, bulk chunks, logins) passes
:meth:`Throttle.acquire` before it is sent and :meth:`Throttle.release` when its answer is in.
Three rules decide when an attempt may go:

1. **Pause.** A 429 pauses *new* attempts of the whole client until its ``Retry-After`` has
   passed (or, without the header, for the back-off of :func:`._retry.retry_delay`), not just
   the request that got it. Requests already in flight finish normally.
2. **In flight (AIMD).** At most ``limit`` attempts are in flight. A congestion event (the
   429s of requests admitted before the last cut count once) halves it; every two answers
   the server processed grow it by one, up to the connection pool size. It starts small
   (:data:`INITIAL_IN_FLIGHT`) so that a burst of 200 tasks meets a throttled server with a
   handful of requests, not 200.
3. **Rate (token bucket).** Attempts are spaced at most ``rate`` per second, where ``rate`` is
   the smaller of the user's ``rate_limit=`` and the rate learnt from the server. The learnt
   rate is what the server accepted, measured at each congestion event: the answers it
   processed over the last minute (:data:`RATE_MEMORY`), divided by the time since the first
   of them *plus* the pause now starting (a server that refills its budget during the pause
   accepted that many per that long). It then grows by 2 % per second of answers, so it
   follows a server that allows more again. Measured over a minute rather than since the last
   429, a storm of 429s that are not about the rate (a flaky proxy) cannot drive it to zero.

Nothing here does I/O; the clock and the sleep are injectable (``tests/test_throttle.py`` drives
them by hand).
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Awaitable, Callable

import attrs

from ._retry import RetryPolicy, retry_delay

__all__ = [
    "INITIAL_IN_FLIGHT",
    "AdaptiveLimit",
    "DeadlineReached",
    "RateLimitState",
    "Throttle",
]

INITIAL_IN_FLIGHT = 8
"""Attempts allowed in flight before the server has answered any (grows by one per two)."""
RATE_GROWTH_PER_ANSWER = 0.02
"""Requests/s added to a learnt rate per processed answer: +2 % per second at that rate."""
RATE_MEMORY = 60.0
"""Seconds of processed answers the rate estimate looks back over (DRF's longest common window
is a minute)."""
MIN_RATE = 0.05
MIN_SAMPLE = 8
"""Answers needed before a rate is learnt: fewer say more about chance than about the server."""


class DeadlineReached(Exception):
    """Waiting for the throttle would pass the call's deadline (internal; the transport turns it
    into :class:`~alice_async.APITimeoutError`)."""


class AdaptiveLimit:
    """How many requests may be in flight; pure bookkeeping, no I/O, no clock.

    Additive increase, multiplicative decrease, as TCP does for its window: a 429 halves the
    limit (never below 1), and every ``window`` successes in a row grow it back by one (never
    above ``maximum``). Requests already in flight when the limit was cut carry an older
    *generation*; their 429s belong to the same congestion event and do not cut it again.

    Args:
        maximum: the ceiling.
        window: successes needed to grow the limit by one.
        initial: the starting limit (default: ``maximum``).

    Example::

        limit = AdaptiveLimit(8, window=4)
        limit.on_throttled(limit.generation)   # 8 -> 4
        for _ in range(4):
            limit.on_success()                 # 4 -> 5
    """

    def __init__(self, maximum: int, *, window: int = 4, initial: int | None = None) -> None:
        if maximum < 1 or window < 1:
            raise ValueError("maximum and window must be >= 1")
        self.maximum = maximum
        self.window = window
        self.limit = maximum if initial is None else max(1, min(initial, maximum))
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


@attrs.frozen
class RateLimitState:
    """What the client knows about the server's rate limit (``client.rate_limit_state``).

    Attributes:
        throttled: 429 answers received so far.
        last_retry_after: the ``Retry-After`` (seconds) of the latest 429, if it had one.
        paused_for: seconds until new requests may go again (0 when not paused).
        total_paused: wall-clock seconds new requests were held by 429 pauses, in total.
        total_wait: seconds requests spent waiting for the throttle, summed over requests.
        rate_limit: the ``rate_limit=`` given to the client (requests per second), if any.
        learned_rate: the rate learnt from the server's 429s, if any.
        in_flight_limit: attempts currently allowed in flight.
    """

    throttled: int
    last_retry_after: float | None
    paused_for: float
    total_paused: float
    total_wait: float
    rate_limit: float | None
    learned_rate: float | None
    in_flight_limit: int


class Throttle:
    """Admits the attempts of one client: pause after 429, AIMD in flight, token bucket.

    Args:
        max_in_flight: the ceiling of attempts in flight (the connection pool size).
        policy: the retry policy (the pause after a 429 without ``Retry-After``, and the
            longest ``Retry-After`` honoured).
        rate_limit: requests per second never to exceed, or ``None``.
        clock: a monotonic clock.
        sleep: an ``asyncio.sleep``-like coroutine function.
    """

    def __init__(
        self,
        *,
        max_in_flight: int,
        policy: RetryPolicy,
        rate_limit: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.policy = policy
        self.rate_limit = rate_limit
        self.limit = AdaptiveLimit(
            max_in_flight, window=2, initial=min(INITIAL_IN_FLIGHT, max_in_flight)
        )
        self.in_flight = 0
        self.learned_rate: float | None = None
        self._clock = clock
        self._sleep = sleep
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._answers: collections.deque[float] = collections.deque(maxlen=4096)
        self._events_in_a_row = 0
        self.throttled = 0
        self.last_retry_after: float | None = None
        self.total_paused = 0.0
        self.total_wait = 0.0

    def __repr__(self) -> str:
        return f"<Throttle {self.state()}>"

    @property
    def rate(self) -> float | None:
        """The rate attempts are spaced at now: ``rate_limit`` or the learnt rate, the smaller."""
        limit, learned = self.rate_limit, self.learned_rate
        if limit is None:
            return learned
        return limit if learned is None else min(limit, learned)

    def state(self) -> RateLimitState:
        """A snapshot for monitoring."""
        return RateLimitState(
            throttled=self.throttled,
            last_retry_after=self.last_retry_after,
            paused_for=max(0.0, self._paused_until - self._clock()),
            total_paused=self.total_paused,
            total_wait=self.total_wait,
            rate_limit=self.rate_limit,
            learned_rate=self.learned_rate,
            in_flight_limit=self.limit.limit,
        )

    def try_acquire(self) -> int | None:
        """Admit an attempt at once when nothing would hold it (no pause, room in flight, no
        rate to space attempts at); return its generation, or ``None``: then :meth:`acquire`.

        What :meth:`acquire` does when it need not wait, without its coroutine."""
        if (
            self.in_flight < self.limit.limit
            and self.rate_limit is None
            and self.learned_rate is None
            and self._clock() >= self._paused_until
        ):
            self.in_flight += 1
            return self.limit.generation
        return None

    async def acquire(self, deadline: float | None = None) -> int:
        """Wait until an attempt may go; return the generation it is admitted at.

        Raises:
            DeadlineReached: the wait would end after ``deadline`` (monotonic clock).
        """
        started = self._clock()
        try:
            while True:
                await self._wait_until(self._paused_until, deadline)
                await self._wait_for_room(deadline)
                slot = self._reserve_slot(deadline)
                if slot > self._clock():
                    await self._sleep(slot - self._clock())
                if self._clock() >= self._paused_until and self.in_flight < self.limit.limit:
                    # A 429 may have paused the client (or cut the limit) while we slept.
                    self.in_flight += 1
                    return self.limit.generation
        finally:
            self.total_wait += self._clock() - started

    def release(
        self, generation: int, *, throttled: bool, processed: bool, retry_after: float | None
    ) -> None:
        """Record how an admitted attempt ended and make room for the next.

        Args:
            generation: what :meth:`acquire` returned.
            throttled: the answer was 429.
            processed: the server answered otherwise (any status but 429): it had capacity.
            retry_after: the 429's ``Retry-After`` in seconds, if any.
        """
        self.in_flight -= 1
        now = self._clock()
        if throttled:
            self.throttled += 1
            self.last_retry_after = retry_after
            if self.limit.on_throttled(generation):
                self._on_congestion(now, retry_after)
        elif processed:
            self._events_in_a_row = 0
            self.limit.on_success()
            self._answers.append(now)
            if self.learned_rate is not None:
                self.learned_rate += RATE_GROWTH_PER_ANSWER
        self._wake()

    def answered(self) -> None:
        """:meth:`release` of an attempt the server processed (any status but 429): the
        usual end of an attempt, without the arguments."""
        self.in_flight -= 1
        self._events_in_a_row = 0
        self.limit.on_success()
        self._answers.append(self._clock())
        if self.learned_rate is not None:
            self.learned_rate += RATE_GROWTH_PER_ANSWER
        if self._waiters:
            self._wake()

    def _on_congestion(self, now: float, retry_after: float | None) -> None:
        self._events_in_a_row += 1
        if retry_after is None:
            pause = retry_delay(self._events_in_a_row, self.policy)
        else:
            pause = retry_delay(self._events_in_a_row, self.policy, retry_after=retry_after)
        resume = now + pause
        if resume > self._paused_until:
            self.total_paused += resume - max(now, self._paused_until)
            self._paused_until = resume
        measured = self._measured_rate(now, resume)
        if measured is not None:
            self.learned_rate = max(MIN_RATE, measured)
        self._next_slot = max(self._next_slot, resume)  # slots already handed out stay taken

    def _measured_rate(self, now: float, resume: float) -> float | None:
        """Answers processed over the last minute per second, counting the pause now starting."""
        answers = self._answers
        while answers and answers[0] < now - RATE_MEMORY:
            answers.popleft()
        if len(answers) < MIN_SAMPLE:
            return None
        return len(answers) / max(resume - answers[0], 1e-3)

    async def _wait_until(self, when: float, deadline: float | None) -> None:
        while True:
            now = self._clock()
            if now >= when:
                return
            if deadline is not None and when > deadline:
                raise DeadlineReached(f"the client is paused for {when - now:.1f} s more")
            await self._sleep(when - now)
            when = max(when, self._paused_until)

    async def _wait_for_room(self, deadline: float | None) -> None:
        """Queue (first come, first served) until fewer than ``limit`` attempts are in flight.

        Only as many waiters as there is room for are woken, so 10,000 queued calls cost one
        wake-up per answer, not 10,000.
        """
        while self.in_flight >= self.limit.limit:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                if deadline is None:
                    await waiter
                else:
                    await asyncio.wait_for(waiter, max(deadline - self._clock(), 0.0))
            except asyncio.TimeoutError:
                raise DeadlineReached(
                    f"{self.in_flight} requests of this client are in flight "
                    f"(limit {self.limit.limit})"
                ) from None
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # woken, then cancelled: pass the wake-up on
                raise

    def _wake(self) -> None:
        room = self.limit.limit - self.in_flight
        waiters = self._waiters
        while room > 0 and waiters:
            waiter = waiters.popleft()
            if not waiter.done():  # a waiter that timed out or was cancelled is skipped
                waiter.set_result(None)
                room -= 1

    def _reserve_slot(self, deadline: float | None) -> float:
        """The time this attempt may go at the current rate (now when there is no rate)."""
        now = self._clock()
        rate = self.rate
        if rate is None:
            return now
        slot = max(now, self._next_slot)
        if deadline is not None and slot > deadline:
            raise DeadlineReached(f"the rate limit ({rate:.2f}/s) has no slot before it")
        self._next_slot = slot + 1.0 / rate
        return slot
