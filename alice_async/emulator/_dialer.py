"""The dialer: places the calls of started campaigns and rings due alarms.

It works on the emulator's clock. ``run_until(t)`` does all the work due up to ``t``
synchronously, so the background task (a tick every 50 ms) and ``Emulator.advance()``
share one deterministic code path. A campaign places ``frequency * time_factor`` calls per
minute; a call keeps its subscriber "in process" (6) for ``duration / time_factor``
seconds, then the subscriber becomes completed (8), sent (5) or failed (4). The CDR row is
written when the call is placed, with the values the call will end with.

A failed subscriber is called again, up to the campaign's ``maxretry`` (or the config's
``call_retries``) more times, ``intervalretry`` seconds of campaign time later: it is failed
(4) in between, then pending (1) again, as in the lineage. With ``campaign_clock`` each
campaign stamps its calls with a clock of its own (see :class:`EmulatorConfig`).
"""

from __future__ import annotations

import asyncio
import heapq
import random
from collections import deque
from datetime import date, datetime, time, timedelta, timezone

import attrs

from ._cdr import call_row
from ._state import EmulatorState
from ._store import Row
from ._time import format_datetime, micros, parse_datetime

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

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


@attrs.frozen(order=True)
class _Retry:
    due: float
    seq: int
    account: str = attrs.field(order=False)
    subscriber: int = attrs.field(order=False)
    campaign: int = attrs.field(order=False)


class Dialer:
    """Drives campaigns and alarms forward on the emulator's clock."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state
        self._random = random.Random(state.config.seed)
        self._calls: list[_Call] = []
        self._seq = 0
        self._queues: dict[int, deque[int]] = {}
        self._in_flight: dict[int, int] = {}
        self._retries: list[_Retry] = []
        self._waiting_retry: dict[int, int] = {}
        self._last = state.clock.time()

    async def run_forever(self) -> None:
        """The background task: a tick every 50 ms until cancelled."""
        while True:
            await asyncio.sleep(_TICK)
            self.run_until(self._state.clock.time())

    def run_until(self, now: float) -> None:
        """Do every dialer step due up to ``now`` (emulator clock, epoch seconds)."""
        store = self._state.store
        while True:  # rounds: calls that fail before ``now`` may be retried before ``now``
            self._finish_calls(now)
            self._requeue_retries(now)
            for account, campaign in list(store.iter_all("campaigns")):
                if campaign["status"] == 1:
                    self._dial(account, campaign, now)
            self._finish_calls(now)
            if not self._retries or self._retries[0].due > now:
                break
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
            subscriber = table.get(queue[0])
            if subscriber is None or subscriber["status"] != 1:
                queue.popleft()
                continue
            stamp = self._campaign_time(campaign, next_at)
            if stamp is None:  # past its expiration date: the campaign ends
                campaign["status"] = 4
                campaign["updated_date"] = format_datetime(self._state.clock.now())
                break
            queue.popleft()
            self._place_call(account, campaign, subscriber, next_at, stamp)
            next_at += interval
        campaign["_next_call"] = next_at

    def _campaign_time(self, campaign: Row, at: float) -> float | None:
        """When a call placed at wall time ``at`` happens for the campaign (``None``: never).

        On the wall clock that is ``at``. On a campaign clock it is the campaign's time, moved
        on to the next opening of its daily window when ``at`` falls outside (the clock then
        stays moved): ``None`` once that is past the campaign's expiration date.
        """
        if not self._state.config.campaign_clock:
            return at
        wall0, campaign0 = campaign.setdefault("_clock", (at, at))
        stamp = campaign0 + (at - wall0) * self._state.config.time_factor
        opened = _next_opening(campaign, stamp, self._state.config.campaign_utc_offset)
        if opened is not None and opened > stamp:
            campaign["_clock"] = (wall0, campaign0 + opened - stamp)
        return opened

    def _complete_if_done(self, campaign: Row) -> None:
        queue = self._queues.get(campaign["id"])
        if queue or self._in_flight.get(campaign["id"]) or self._waiting_retry.get(campaign["id"]):
            return
        campaign["status"] = 5
        campaign["updated_date"] = format_datetime(self._state.clock.now())
        self._queues.pop(campaign["id"], None)

    def _place_call(
        self, account: str, campaign: Row, subscriber: Row, at: float, stamp: float
    ) -> None:
        store = self._state.store
        started = format_datetime(datetime.fromtimestamp(stamp, tz=timezone.utc))
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
            campaign = store.get("campaigns", call.campaign, call.account)
            ends = call.ends_at
            if campaign is not None and "_clock" in campaign:
                wall0, campaign0 = campaign["_clock"]
                ends = campaign0 + (call.ends_at - wall0) * self._state.config.time_factor
            ended = datetime.fromtimestamp(ends, tz=timezone.utc)
            subscriber["updated_date"] = format_datetime(ended)
            if call.final_status == 4 and campaign is not None:
                self._schedule_retry(call, campaign, subscriber)

    def _schedule_retry(self, call: _Call, campaign: Row, subscriber: Row) -> None:
        retries = campaign.get("maxretry") or self._state.config.call_retries
        if subscriber["count_attempt"] > retries:
            return
        interval = (campaign.get("intervalretry") or 0) / self._state.config.time_factor
        self._seq += 1
        retry = _Retry(
            call.ends_at + interval, self._seq, call.account, call.subscriber, call.campaign
        )
        heapq.heappush(self._retries, retry)
        self._waiting_retry[call.campaign] = self._waiting_retry.get(call.campaign, 0) + 1

    def _requeue_retries(self, now: float) -> None:
        """Failed subscribers whose retry is due become pending again, at the queue's end."""
        store = self._state.store
        while self._retries and self._retries[0].due <= now:
            retry = heapq.heappop(self._retries)
            self._waiting_retry[retry.campaign] -= 1
            subscriber = store.table("subscriber-list", retry.account).get(retry.subscriber)
            campaign = store.get("campaigns", retry.campaign, retry.account)
            if subscriber is None or campaign is None or subscriber["status"] != 4:
                continue
            if campaign["status"] not in (1, 2, 3):
                continue
            subscriber["status"] = 1
            queue = self._queue(retry.account, campaign)
            queue.append(subscriber["id"])
            if len(queue) == 1:  # an idle dialer must not call it before it is due
                campaign["_next_call"] = max(campaign.get("_next_call", retry.due), retry.due)

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


def _time_of_day(text: str) -> time:
    hour, minute, second = (int(float(part)) for part in text.split(":")[:3])
    return time(hour, minute, second)


def _next_opening(campaign: Row, at: float, utc_offset: float) -> float | None:
    """The first instant from ``at`` inside the campaign's daily window and dates, or None."""
    zone = timezone(timedelta(hours=utc_offset))
    starting = parse_datetime(campaign["startingdate"])
    expiration = parse_datetime(campaign["expirationdate"])
    if starting is not None:
        at = max(at, starting.timestamp())
    limit = expiration.timestamp() if expiration is not None else None
    opens_at = _time_of_day(campaign["daily_start_time"])
    closes_at = _time_of_day(campaign["daily_stop_time"])
    day: date = datetime.fromtimestamp(at, zone).date()
    for _ in range(400):
        if campaign.get(_WEEKDAYS[day.weekday()]) is not False:
            opens = datetime.combine(day, opens_at, zone).timestamp()
            closes = datetime.combine(day, closes_at, zone).timestamp()
            moment = max(at, opens)
            if moment < closes:
                return None if limit is not None and moment > limit else moment
        day += timedelta(days=1)
        if limit is not None and datetime.combine(day, time(0), zone).timestamp() > limit:
            return None
    return None
