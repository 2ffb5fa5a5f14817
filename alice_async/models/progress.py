"""Progress reports: a campaign's at one moment (``client.campaigns.progress``), and a long
operation's (:class:`Progress`, given to every ``on_progress`` callback)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ._common import PlainData
from .campaigns import Campaign, CampaignStatus
from .subscribers import SubscriberStatus

__all__ = [
    "FINISHED_CAMPAIGN_STATUSES",
    "OPEN_SUBSCRIBER_STATUSES",
    "CampaignProgress",
    "Progress",
]

OPEN_SUBSCRIBER_STATUSES = frozenset(
    {SubscriberStatus.PENDING, SubscriberStatus.PAUSE, SubscriberStatus.IN_PROCESS}
)
"""Subscribers in these states still wait for a call (or are on one); the rest are done."""

FINISHED_CAMPAIGN_STATUSES = frozenset({CampaignStatus.ENDED, CampaignStatus.COMPLETED})


@attrs.frozen
class CampaignProgress(PlainData):
    """Where a campaign stands: its subscribers, its calls and the time left.

    Attributes:
        campaign: the campaign as read for this snapshot (its ``status``, ``frequency``...).
        subscribers: subscribers per documented :class:`SubscriberStatus` (zeros included).
        subscribers_total: every subscriber of the campaign (the server's count; it also
            holds subscribers in a status no document lists, which count as done).
        calls_placed: call records of the campaign.
        calls_answered: those with disposition ``ANSWER``.
        talk_seconds: the sum of ``billsec`` over the campaign's call records.
        dnc_left_out: active contacts of the campaign's phonebooks whose number is on one of
            the account's do-not-call lists, so not enrolled at start; ``None`` when not
            computed (``dnc=False``, or more look-ups than ``dnc_lookup_limit``).
        estimated_end: when the remaining subscribers will have been called, from
            ``frequency`` and the daily window in ``time_zone``; ``None`` when the campaign
            is not dialling (waiting, paused) or the calls do not fit before it expires.
        taken_at: when the snapshot was taken (our clock, aware UTC).
        time_zone: the zone the daily window was read in (``Asia/Ho_Chi_Minh`` by default).
        requests: API requests this snapshot cost.
    """

    campaign: Campaign
    subscribers: dict[SubscriberStatus, int]
    subscribers_total: int
    calls_placed: int
    calls_answered: int
    talk_seconds: int
    dnc_left_out: int | None
    estimated_end: dt.datetime | None
    taken_at: dt.datetime
    time_zone: str
    requests: int = attrs.field(eq=False)

    @property
    def status(self) -> CampaignStatus:
        """The campaign's state."""
        return self.campaign.status

    @property
    def finished(self) -> bool:
        """Whether the campaign is ENDED or COMPLETED (nothing will change any more)."""
        return self.campaign.status in FINISHED_CAMPAIGN_STATUSES

    @property
    def calls_failed(self) -> int:
        """Calls not answered (busy, no answer, cancelled, congestion, failed)."""
        return self.calls_placed - self.calls_answered

    @property
    def answer_rate(self) -> float | None:
        """Answered calls over placed calls (``None`` before the first call)."""
        return self.calls_answered / self.calls_placed if self.calls_placed else None

    @property
    def remaining(self) -> int:
        """Subscribers still pending, paused or in a call."""
        return sum(self.subscribers.get(status, 0) for status in OPEN_SUBSCRIBER_STATUSES)

    @property
    def done(self) -> int:
        """Subscribers the dialer has finished with (completed, sent, failed, aborted...)."""
        return self.subscribers_total - self.remaining

    @property
    def fraction_done(self) -> float:
        """``done / subscribers_total`` (1.0 for a campaign without subscribers)."""
        return self.done / self.subscribers_total if self.subscribers_total else 1.0

    @property
    def eta(self) -> dt.timedelta | None:
        """Time left from ``taken_at`` to ``estimated_end`` (zero once finished)."""
        if self.finished:
            return dt.timedelta(0)
        if self.estimated_end is None:
            return None
        return max(self.estimated_end - self.taken_at, dt.timedelta(0))

    def change_key(self) -> tuple[Any, ...]:
        """What :meth:`~alice_async.resources.campaigns.Campaigns.watch` compares."""
        return (
            self.campaign.status,
            tuple(sorted(self.subscribers.items())),
            self.subscribers_total,
            self.calls_placed,
            self.calls_answered,
            self.talk_seconds,
        )


@attrs.frozen
class Progress(PlainData):
    """Where a long operation stands: what every ``on_progress`` callback receives.

    ``contacts.bulk_create``, ``cdr.export``, ``subscribers.export``, ``cdr.sync`` and
    ``subscribers.sync`` call ``on_progress(progress)`` with one of these when the callback
    takes one positional parameter (see the callback's documentation for the older shapes).

    Attributes:
        operation: what is running: ``"bulk_create"``, ``"export"`` or ``"sync"``.
        done: rows handled so far: settled by an upload (created, refused or left out),
            written by an export, landed by a sync.
        total: rows expected in all, ``None`` when unknown (an upload from a generator, a
            sync; an export knows it from the server's ``count`` once the first page is in).
        rate: ``done`` per second since the operation started.
        elapsed: seconds since the operation started.
        skipped: rows left alone: an upload's duplicates and do-not-call numbers, a sync's
            rows read again inside its lateness window (0 for an export).
        failed: rows refused as invalid by an upload (0 for an export or a sync).

    Example::

        def show(progress: Progress) -> None:
            print(f"{progress.done}/{progress.total or '?'} at {progress.rate:.0f} rows/s")

        await client.contacts.bulk_create(phonebook=7, contacts=rows, on_progress=show)
    """

    operation: str
    done: int
    total: int | None
    rate: float
    elapsed: float
    skipped: int = 0
    failed: int = 0

    @property
    def fraction(self) -> float | None:
        """``done / total`` (``None`` while the total is unknown; 1.0 for a total of 0)."""
        if self.total is None:
            return None
        return self.done / self.total if self.total else 1.0

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the current rate (``None`` without a total or a rate yet)."""
        if self.total is None or self.rate <= 0:
            return None
        return max(self.total - self.done, 0) / self.rate
