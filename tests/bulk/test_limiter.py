"""The adaptive concurrency rule (the client throttle's, re-exported), and the chunk gate."""

from __future__ import annotations

import anyio
import pytest

from alice_async.bulk import AdaptiveLimit
from alice_async.bulk._limiter import Gate


def test_starts_at_the_maximum() -> None:
    assert AdaptiveLimit(8).limit == 8


def test_a_429_halves_down_to_one() -> None:
    limit = AdaptiveLimit(8)
    seen = []
    for _ in range(5):
        assert limit.on_throttled(limit.generation)
        seen.append(limit.limit)
    assert seen == [4, 2, 1, 1, 1]


def test_429s_of_one_congestion_event_halve_once() -> None:
    limit = AdaptiveLimit(8)
    admitted = [limit.generation for _ in range(8)]  # eight requests in flight
    results = [limit.on_throttled(generation) for generation in admitted]
    assert results == [True] + [False] * 7
    assert limit.limit == 4
    assert limit.on_throttled(limit.generation)  # a request admitted after the cut counts
    assert limit.limit == 2


def test_grows_by_one_per_healthy_window_up_to_the_maximum() -> None:
    limit = AdaptiveLimit(6, window=3)
    limit.on_throttled(limit.generation)
    assert limit.limit == 3
    grown = [limit.on_success() for _ in range(9)]
    assert grown == [False, False, True] * 3
    assert limit.limit == 6
    assert not any(limit.on_success() for _ in range(9))
    assert limit.limit == 6


def test_a_429_resets_the_healthy_streak() -> None:
    limit = AdaptiveLimit(8, window=3)
    limit.on_throttled(limit.generation)
    limit.on_success()
    limit.on_success()
    limit.on_throttled(limit.generation)
    assert not limit.on_success()
    assert limit.limit == 2


@pytest.mark.parametrize(("maximum", "window"), [(0, 1), (1, 0)])
def test_bounds_are_checked(maximum: int, window: int) -> None:
    with pytest.raises(ValueError, match=">= 1"):
        AdaptiveLimit(maximum, window=window)


async def test_the_gate_admits_up_to_its_capacity() -> None:
    gate = Gate(4)
    peak = 0

    async def request() -> None:
        nonlocal peak
        await gate.acquire()
        try:
            peak = max(peak, gate.in_flight)
            await anyio.sleep(0.001)
        finally:
            gate.release()

    async with anyio.create_task_group() as group:
        for _ in range(20):
            group.start_soon(request)
    assert peak == 4
    assert gate.in_flight == 0


async def test_a_cancelled_waiter_leaves_the_gate_clean() -> None:
    gate = Gate(1)
    await gate.acquire()
    with anyio.move_on_after(0.01):
        await gate.acquire()
    assert gate.in_flight == 1
    gate.release()
    assert gate.in_flight == 0
    await gate.acquire()
    gate.release()
