"""The numbers of a campaign report, computed from its subscriber and call-record lists.

Everything is aggregated while the rows stream in (1000 a request): memory holds the counts,
plus one small record per *failed* subscriber (to report its last call).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

import attrs

from .._schedule import time_zone
from ..models.campaigns import Campaign
from ..models.cdr import Cdr, Disposition
from ..models.subscribers import SubscriberStatus

if TYPE_CHECKING:
    from .._client import AliceClient

__all__ = [
    "TALK_TIME_BUCKETS",
    "CampaignReport",
    "FailedNumber",
    "HourStats",
    "build_report",
    "talk_time_bucket",
]

TALK_TIME_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-14 s", 0, 15),
    ("15-29 s", 15, 30),
    ("30-59 s", 30, 60),
    ("1-2 min", 60, 120),
    ("2-3 min", 120, 180),
    ("3-5 min", 180, 300),
    ("5 min+", 300, None),
)
"""Talk-time classes of answered calls: ``(label, lowest billsec, first billsec above)``."""

_ROWS = 1000


def talk_time_bucket(billsec: int) -> str:
    """The label of the :data:`TALK_TIME_BUCKETS` class holding ``billsec``."""
    for label, low, high in TALK_TIME_BUCKETS:
        if billsec >= low and (high is None or billsec < high):
            return label
    return TALK_TIME_BUCKETS[0][0]  # negative seconds: a server bug, shown as the shortest


@attrs.frozen
class HourStats:
    """Calls that started in one hour of the day (in the report's time zone)."""

    hour: int
    calls: int
    answered: int

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.calls if self.calls else None


@attrs.frozen
class FailedNumber:
    """A subscriber the campaign gave up on (status FAIL), with its last call."""

    subscriber: int
    phone_number: str
    attempts: int
    last_call: dt.datetime | None
    disposition: str
    hangup_cause: str
    sip_term_status: str


@attrs.frozen
class CampaignReport:
    """What a manager reads after a campaign: outcomes, timing, talk time, failures.

    Attributes:
        campaign: the campaign when the report was made.
        generated_at: when (aware UTC).
        time_zone: the zone hours of the day are counted in.
        subscribers: subscribers per status name (``"completed"``, ``"fail"``...).
        calls: call records of the campaign.
        answered: those with disposition ``ANSWER``.
        talk_seconds: the sum of ``billsec``.
        dispositions: calls per disposition (``"ANSWER"``, ``"BUSY"``...).
        hangup_causes: calls per hangup cause.
        hours: 24 :class:`HourStats`, hour 0 to 23.
        talk_time: answered calls per :data:`TALK_TIME_BUCKETS` label, in bucket order.
        attempts: subscribers per number of calls they received (0, 1, 2...).
        failed: the failed subscribers with their last call, by subscriber id.
    """

    campaign: Campaign
    generated_at: dt.datetime
    time_zone: str
    subscribers: dict[str, int]
    calls: int
    answered: int
    talk_seconds: int
    dispositions: dict[str, int]
    hangup_causes: dict[str, int]
    hours: list[HourStats]
    talk_time: dict[str, int]
    attempts: dict[int, int]
    failed: list[FailedNumber]

    @property
    def answer_rate(self) -> float | None:
        """Answered calls over calls (``None`` without calls)."""
        return self.answered / self.calls if self.calls else None

    @property
    def subscribers_total(self) -> int:
        return sum(self.subscribers.values())


def _label(value: Any) -> str:
    if value is None:
        return "(none)"
    return str(getattr(value, "value", value))


async def build_report(
    client: AliceClient, campaign_id: int, *, tz: dt.tzinfo | str | None = None
) -> CampaignReport:
    """Read a campaign, its subscribers and its call records, and aggregate them.

    Costs ``1 + ceil(subscribers / 1000) + ceil(calls / 1000)`` requests (and one more for
    the CDR pull's snapshot). Hours of the day are counted in ``tz`` (default Vietnam time).
    """
    zone = time_zone(tz)
    campaign = await client.campaigns.get(campaign_id)
    generated_at = dt.datetime.now(dt.timezone.utc)
    statuses: Counter[str] = Counter()
    attempts: Counter[int] = Counter()
    failed: dict[int, Any] = {}
    async for sub in client.subscribers.list(campaign=campaign.id, page_size=_ROWS):
        statuses[sub.status.name.lower()] += 1
        attempts[sub.count_attempt] += 1
        if sub.status is SubscriberStatus.FAIL:
            failed[sub.id] = sub
    last_calls: dict[int, Cdr] = {}
    dispositions: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    talk: Counter[str] = Counter()
    hour_calls: Counter[int] = Counter()
    hour_answered: Counter[int] = Counter()
    calls = answered = talk_seconds = 0
    async for call in client.cdr.list(campaign=campaign.id, page_size=_ROWS):
        calls += 1
        talk_seconds += call.billsec
        dispositions[_label(call.disposition)] += 1
        causes[_label(call.hangup_cause)] += 1
        is_answer = call.disposition is Disposition.ANSWER
        if is_answer:
            answered += 1
            talk[talk_time_bucket(call.billsec)] += 1
        if call.starting_date is not None:
            hour = call.starting_date.astimezone(zone).hour
            hour_calls[hour] += 1
            hour_answered[hour] += is_answer
        if call.subscriber in failed:
            previous = last_calls.get(call.subscriber)
            if previous is None or _later(call, previous):
                last_calls[call.subscriber] = call
    return CampaignReport(
        campaign=campaign,
        generated_at=generated_at,
        time_zone=str(getattr(zone, "key", None) or zone.tzname(None) or zone),
        subscribers=_ordered_statuses(statuses),
        calls=calls,
        answered=answered,
        talk_seconds=talk_seconds,
        dispositions=dict(dispositions.most_common()),
        hangup_causes=dict(causes.most_common()),
        hours=[HourStats(h, hour_calls[h], hour_answered[h]) for h in range(24)],
        talk_time={label: talk[label] for label, _, _ in TALK_TIME_BUCKETS},
        attempts=dict(sorted(attempts.items())),
        failed=[_failed(sub, last_calls.get(sub_id)) for sub_id, sub in sorted(failed.items())],
    )


def _later(call: Cdr, other: Cdr) -> bool:
    return (call.starting_date or _EPOCH, call.id) > (other.starting_date or _EPOCH, other.id)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _ordered_statuses(counts: Counter[str]) -> dict[str, int]:
    """Every documented status in the enum's order, zeros included; unknown ones after."""
    known = [status.name.lower() for status in SubscriberStatus]
    ordered = {name: counts.get(name, 0) for name in known}
    ordered.update({name: n for name, n in sorted(counts.items()) if name not in ordered})
    return ordered


def _failed(sub: Any, call: Cdr | None) -> FailedNumber:
    return FailedNumber(
        subscriber=sub.id,
        phone_number=sub.phone_number,
        attempts=sub.count_attempt,
        last_call=None if call is None else call.starting_date,
        disposition="" if call is None else _label(call.disposition),
        hangup_cause="" if call is None else _label(call.hangup_cause),
        sip_term_status=""
        if call is None or call.sip_term_status is None
        else call.sip_term_status,
    )
