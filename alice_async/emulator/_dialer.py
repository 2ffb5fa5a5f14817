"""The dialer: places the calls of started campaigns and rings due alarms.

It works on the emulator's clock. ``run_until(t)`` does all the work due up to ``t``
synchronously, so the background task (a tick every 50 ms) and ``Emulator.advance()``
share one deterministic code path. A campaign places ``frequency * time_factor`` calls per
minute; a call keeps its subscriber "in process" (6) for ``duration / time_factor``
seconds, then the subscriber becomes completed (8), sent (5) or failed (4). The CDR row is
written when the call is placed, with the values the call will end with.
"""

from __future__ import annotations

import asyncio
import heapq
import random
from collections import deque
from datetime import datetime, timezone

import attrs

from ._cdr import call_row
from ._state import EmulatorState
from ._store import Row
from ._time import format_datetime, micros

__all__ = ["Dialer"]

_TICK = 0.05


@attrs.frozen(order=True)
class _Call:
    ends_at: float
    seq: int
    account: str = attrs.field(order=False)
    subscriber: int = attrs.field(order=False)
    campaign: int = attrs.field(order=False)
    final_status: int = attrs.field(order=False)


class Dialer:
    """Drives campaigns and alarms forward on the emulator's clock."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state
        self._random = random.Random(state.config.seed)
        self._calls: list[_Call] = []
        self._seq = 0
        self._queues: dict[int, deque[int]] = {}
        self._in_flight: dict[int, int] = {}
        self._last = state.clock.time()

    async def run_forever(self) -> None:
        """The background task: a tick every 50 ms until cancelled."""
        while True:
            await asyncio.sleep(_TICK)
            self.run_until(self._state.clock.time())

    def run_until(self, now: float) -> None:
        """Do every dialer step due up to ``now`` (emulator clock, epoch seconds)."""
        self._finish_calls(now)
        store = self._state.store
        for account, campaign in list(store.iter_all("campaigns")):
            if campaign["status"] == 1:
                self._dial(account, campaign, now)
        self._finish_calls(now)
        for _, campaign in store.iter_all("campaigns"):
            if campaign["status"] == 1:
                self._complete_if_done(campaign)
        self._ring_alarms(now)
        self._last = max(self._last, now)

    # -- campaigns ------------------------------------------------------------------------

    def _queue(self, account: str, campaign: Row) -> deque[int]:
        queue = self._queues.get(campaign["id"])
        if queue is None:
            rows = self._state.store.table("subscriber-list", account).values()
            queue = deque(
                row["id"]
                for row in rows
                if row["campaign"] == campaign["id"] and row["status"] == 1
            )
            self._queues[campaign["id"]] = queue
        return queue

    def _dial(self, account: str, campaign: Row, now: float) -> None:
        config = self._state.config
        interval = 60.0 / (campaign["frequency"] * config.time_factor)
        next_at = campaign.get("_next_call", now)
        queue = self._queue(account, campaign)
        table = self._state.store.table("subscriber-list", account)
        while queue and next_at <= now:
            subscriber = table.get(queue.popleft())
            if subscriber is None or subscriber["status"] != 1:
                continue
            self._place_call(account, campaign, subscriber, next_at)
            next_at += interval
        campaign["_next_call"] = next_at

    def _complete_if_done(self, campaign: Row) -> None:
        queue = self._queues.get(campaign["id"])
        if queue or self._in_flight.get(campaign["id"]):
            return
        campaign["status"] = 5
        campaign["updated_date"] = format_datetime(self._state.clock.now())
        self._queues.pop(campaign["id"], None)

    def _place_call(self, account: str, campaign: Row, subscriber: Row, at: float) -> None:
        store = self._state.store
        started = format_datetime(datetime.fromtimestamp(at, tz=timezone.utc))
        row = call_row(
            self._random,
            id=store.new_id("cdr"),
            starting_date=started,
            phone_number=subscriber["phone_number"],
            callerid=campaign["callerid"],
            campaign=campaign["id"],
            subscriber=subscriber["id"],
        )
        store.insert("cdr", account, row)
        answered = row["disposition"] == "ANSWER"
        final = (8 if self._random.random() < 0.8 else 5) if answered else 4
        subscriber.update(
            status=6,
            count_attempt=subscriber["count_attempt"] + 1,
            last_attempt=started,
            duration=row["duration"],
            billsec=row["billsec"],
            updated_date=started,
        )
        self._seq += 1
        ends_at = at + row["duration"] / self._state.config.time_factor
        heapq.heappush(
            self._calls, _Call(ends_at, self._seq, account, subscriber["id"], campaign["id"], final)
        )
        self._in_flight[campaign["id"]] = self._in_flight.get(campaign["id"], 0) + 1

    def _finish_calls(self, now: float) -> None:
        store = self._state.store
        while self._calls and self._calls[0].ends_at <= now:
            call = heapq.heappop(self._calls)
            self._in_flight[call.campaign] -= 1
            subscriber = store.table("subscriber-list", call.account).get(call.subscriber)
            if subscriber is None:
                continue
            subscriber["status"] = call.final_status
            if call.final_status == 8:
                subscriber["completion_count_attempt"] += 1
            ended = datetime.fromtimestamp(call.ends_at, tz=timezone.utc)
            subscriber["updated_date"] = format_datetime(ended)

    # -- alarms ---------------------------------------------------------------------------

    def _ring_alarms(self, now: float) -> None:
        now_us = micros(datetime.fromtimestamp(now, tz=timezone.utc))
        last_us = micros(datetime.fromtimestamp(self._last, tz=timezone.utc))
        for account, alarm in list(self._state.store.iter_all("alarm")):
            if alarm["status"] == 1 and alarm["_notice_us"] <= now_us:
                self._ring(account, alarm, max(alarm["_notice_us"], last_us))

    def _ring(self, account: str, alarm: Row, at_us: int) -> None:
        store = self._state.store
        started = datetime.fromtimestamp(at_us / 1_000_000, tz=timezone.utc)
        row = call_row(
            self._random,
            id=store.new_id("cdr"),
            starting_date=format_datetime(started),
            phone_number=alarm["alarm_phonenumber"],
            callerid=self._alarm_callerid(account, alarm),
            campaign=None,
            subscriber=None,
            alarm=True,
        )
        store.insert("cdr", account, row)
        answered = row["disposition"] == "ANSWER"
        alarm["status"] = 5 if answered else 3
        alarm["result"] = 1 if answered else 0
        alarm["updated_date"] = format_datetime(started)

    def _alarm_callerid(self, account: str, alarm: Row) -> str:
        store = self._state.store
        event = store.get("event", alarm["event"], account)
        user = store.get("calendar-user", event["creator"], account) if event else None
        setting = store.get("calendar-setting", user["calendar_setting"], account) if user else None
        return str(setting["callerid"]) if setting else ""
