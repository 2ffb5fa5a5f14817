"""The client-wide throttle: pure rules on a hand-driven clock, then a throttled emulator."""

from __future__ import annotations

import asyncio

import pytest

from alice_async import AliceClient, RetryPolicy
from alice_async._throttle import INITIAL_IN_FLIGHT, DeadlineReached, Throttle
from alice_async.emulator import Emulator, EmulatorConfig
from tests.conftest import make_client


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def make_throttle(time: FakeTime, **options: object) -> Throttle:
    settings: dict[str, object] = {"max_in_flight": 100, "policy": RetryPolicy()}
    settings.update(options)
    return Throttle(clock=time.clock, sleep=time.sleep, **settings)  # type: ignore[arg-type]


async def test_a_429_pauses_new_requests_until_retry_after() -> None:
    time = FakeTime()
    throttle = make_throttle(time)
    generation = await throttle.acquire()
    throttle.release(generation, throttled=True, processed=False, retry_after=2.0)
    await throttle.acquire()
    assert time.now == pytest.approx(102.0)
    state = throttle.state()
    assert state.last_retry_after == 2.0
    assert state.total_paused == pytest.approx(2.0)
    assert state.throttled == 1


async def test_the_429s_of_requests_in_flight_together_cut_the_limit_once() -> None:
    time = FakeTime()
    throttle = make_throttle(time)
    admitted = [await throttle.acquire() for _ in range(INITIAL_IN_FLIGHT)]
    for generation in admitted:
        throttle.release(generation, throttled=True, processed=False, retry_after=1.0)
    assert throttle.limit.limit == INITIAL_IN_FLIGHT // 2
    assert throttle.state().total_paused == pytest.approx(1.0)
    assert throttle.state().throttled == INITIAL_IN_FLIGHT


async def test_starts_with_a_few_requests_in_flight_and_grows_with_answers() -> None:
    time = FakeTime()
    throttle = make_throttle(time)
    admitted = [await throttle.acquire() for _ in range(INITIAL_IN_FLIGHT)]
    waiting = asyncio.ensure_future(throttle.acquire())
    await asyncio.sleep(0)
    assert not waiting.done()  # the ninth waits for an answer
    throttle.release(admitted[0], throttled=False, processed=True, retry_after=None)
    await waiting
    for _ in range(2):
        throttle.release(admitted[1], throttled=False, processed=True, retry_after=None)
    assert throttle.limit.limit == INITIAL_IN_FLIGHT + 1


async def test_a_queued_call_woken_then_cancelled_passes_its_turn_on() -> None:
    time = FakeTime()
    throttle = make_throttle(time)
    admitted = [await throttle.acquire() for _ in range(INITIAL_IN_FLIGHT)]
    first = asyncio.ensure_future(throttle.acquire())
    second = asyncio.ensure_future(throttle.acquire())
    await asyncio.sleep(0)
    throttle.release(admitted[0], throttled=False, processed=False, retry_after=None)
    first.cancel()  # woken, but cancelled before it could run
    await second
    assert first.cancelled()
    assert throttle.in_flight == INITIAL_IN_FLIGHT


async def test_a_rate_limit_spaces_requests_evenly() -> None:
    time = FakeTime()
    throttle = make_throttle(time, rate_limit=10.0)
    sent = []
    for _ in range(5):
        generation = await throttle.acquire()
        sent.append(round(time.now - 100.0, 6))
        throttle.release(generation, throttled=False, processed=True, retry_after=None)
    assert sent == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert throttle.state().total_wait == pytest.approx(0.4)  # 0.1 s each after the first


async def test_learns_the_rate_accepted_over_a_cycle_including_the_pause() -> None:
    time = FakeTime()
    throttle = make_throttle(time)
    for _ in range(20):  # 20 answers in 0.1 s, then the server's budget is spent
        generation = await throttle.acquire()
        time.now += 0.005
        throttle.release(generation, throttled=False, processed=True, retry_after=None)
    generation = await throttle.acquire()
    throttle.release(generation, throttled=True, processed=False, retry_after=1.0)
    # 20 answers over (0.095 s of answers + the 1 s pause): about 18 per second.
    assert throttle.learned_rate == pytest.approx(20 / 1.095, rel=1e-3)
    assert throttle.rate == throttle.learned_rate


async def test_a_learnt_rate_grows_with_each_answer_and_a_rate_limit_caps_it() -> None:
    time = FakeTime()
    throttle = make_throttle(time, rate_limit=5.0)
    throttle.learned_rate = 4.0
    generation = await throttle.acquire()
    throttle.release(generation, throttled=False, processed=True, retry_after=None)
    assert throttle.learned_rate == pytest.approx(4.02)
    throttle.learned_rate = 50.0
    assert throttle.rate == 5.0


async def test_a_pause_shorter_than_the_spacing_does_not_hand_out_a_slot_twice() -> None:
    time = FakeTime()
    throttle = make_throttle(time, rate_limit=1.0)
    first = await throttle.acquire()  # takes the slot at +0 s; the next one is at +1 s
    throttle.release(first, throttled=True, processed=False, retry_after=0.5)
    await throttle.acquire()
    assert time.now == pytest.approx(101.0)  # not at the end of the pause (+0.5 s)


async def test_a_wait_past_the_deadline_raises_at_once() -> None:
    time = FakeTime()
    throttle = make_throttle(time)
    generation = await throttle.acquire()
    throttle.release(generation, throttled=True, processed=False, retry_after=5.0)
    with pytest.raises(DeadlineReached, match="paused"):
        await throttle.acquire(deadline=time.now + 1.0)
    assert time.slept == []


async def test_without_retry_after_the_pause_is_the_policy_back_off() -> None:
    time = FakeTime()
    throttle = make_throttle(time, policy=RetryPolicy(initial_delay=0.5, max_delay=8.0))
    generation = await throttle.acquire()
    throttle.release(generation, throttled=True, processed=False, retry_after=None)
    assert 0.0 <= throttle.state().paused_for <= 0.5
    assert throttle.state().last_retry_after is None


# -- against the emulator ---------------------------------------------------------------------


async def test_a_burst_of_100_tasks_meets_a_throttled_server_with_few_429s() -> None:
    async with Emulator(EmulatorConfig(throttle_rate=20)) as emu:
        async with make_client(emu, retry_policy=RetryPolicy(), max_retries=10) as client:
            book = await client.phonebooks.create(name="hot")
            books = await asyncio.gather(*(client.phonebooks.get(book.id) for _ in range(100)))
            state = client.rate_limit_state
        assert all(b.id == book.id for b in books)
        assert state.throttled == emu.stats.throttled
        assert emu.stats.throttled <= 30  # one 429 per task would be 80 or more
        assert state.learned_rate is not None
        assert state.total_paused > 0


async def test_a_rate_limit_below_the_servers_keeps_every_call_unthrottled() -> None:
    async with Emulator(EmulatorConfig(throttle_rate=20)) as emu:
        async with make_client(emu, rate_limit=15.0) as client:
            book = await client.phonebooks.create(name="calm")
            await asyncio.gather(*(client.phonebooks.get(book.id) for _ in range(40)))
            assert client.rate_limit_state.rate_limit == 15.0
        assert emu.stats.throttled == 0


@pytest.mark.parametrize("value", [0, -1.0, "fast", True])
def test_a_bad_rate_limit_is_refused(value: object) -> None:
    from alice_async import InvalidInputError

    with pytest.raises(InvalidInputError, match="rate_limit"):
        AliceClient("http://127.0.0.1:9/rest-api/", token="t", rate_limit=value)  # type: ignore[arg-type]


async def test_bulk_chunks_and_pages_fetched_ahead_draw_from_the_same_budget() -> None:
    async with Emulator(EmulatorConfig(throttle_rate=20)) as emu:
        emu.seed_cdrs(100)
        async with make_client(emu, rate_limit=15.0) as client:
            book = await client.phonebooks.create(name="shared")
            rows = [{"contact": f"09{n:08d}"} for n in range(100)]
            result, records = await asyncio.gather(
                client.contacts.bulk_create(book.id, rows, chunk_size=10, concurrency=8),
                client.cdr.list(page_size=10).to_list(),
            )
            waited = client.rate_limit_state.total_wait
        assert result.created == 100
        assert len(records) == 100
        # About 35 requests, more than the server's burst of 20: without the client's one
        # budget they meet 429s (12 in a run without rate_limit).
        assert emu.stats.throttled == 0
        assert waited > 0
