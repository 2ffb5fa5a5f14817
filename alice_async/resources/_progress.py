"""Snapshots of a campaign's progress with a bounded number of requests.

The API has no progress endpoint and no aggregates, but every list answers with ``count``:
a filtered first page of one row is one request whatever the size of the list. So one
snapshot costs:

=========================  ==========================================================
requests                   for
=========================  ==========================================================
1                          ``GET campaigns/{id}/`` (state, frequency, window)
1 + 8                      ``subscriber-list/?campaign=&page_size=1``: the total, then
                           one per documented ``SubscriberStatus``
2                          ``cdr/?campaign=&page_size=1``: all calls, then
                           ``disposition=ANSWER``
ceil(new answered / 1000)  talk time: the answered calls that started since the newest
(at least 1)               one already summed (``disposition=ANSWER&from_date=``)
rarely                     talk time again from ``newest - overlap``, when a call
                           record was written late (see below)
once: ceil(D / 1000)       do-not-call: the account's DNC numbers (D of them), then one
+ D x P                    contact search per number and phonebook (P phonebooks);
                           skipped when ``D x P > dnc_lookup_limit``
=========================  ==========================================================

So a poll of ``watch`` costs 13 requests while fewer than 1000 calls were answered since
the previous one. The counts run concurrently. CDR queries carry ``to_date`` = the
campaign's ``expirationdate`` (no call starts after it), so no request is spent pinning it.

**Talk time** has no aggregate: it is the sum of ``billsec`` over the answered calls. A
:class:`ProgressTracker` (one per ``watch``) keeps the sum, how many calls it summed and the
newest ``starting_date`` seen, and each snapshot reads only the calls that started since
(ids already summed are skipped). That read comes *after* the answered count, so every
call counted had been written when it ran: if fewer calls were summed than counted, some
record was written late (the server writes a record when its call ends, with the time the
call started) and the snapshot reads again from ``newest - overlap`` (``overlap`` = the
campaign's ``callmaxduration``, at least one hour). A snapshot of an ended or completed
campaign that still falls short sums everything again, so the final numbers are exact.
While the campaign runs, talk time may include a few calls placed after the counts were
taken. ``progress()`` alone starts a fresh tracker and reads every answered call once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING, Any

from .._schedule import dialling_end
from .._types import NotGiven, TimeoutTypes
from ..models.campaigns import Campaign, CampaignStatus
from ..models.cdr import Disposition
from ..models.contacts import ContactStatus
from ..models.progress import (
    FINISHED_CAMPAIGN_STATUSES,
    OPEN_SUBSCRIBER_STATUSES,
    CampaignProgress,
)
from ..models.subscribers import SubscriberStatus

if TYPE_CHECKING:
    from .._client import AliceClient

__all__ = ["DEFAULT_DNC_LOOKUP_LIMIT", "ProgressTracker"]

DEFAULT_DNC_LOOKUP_LIMIT = 200
"""At most this many contact searches to count the do-not-call numbers left out."""

_ROWS = 1000
_MIN_OVERLAP = dt.timedelta(hours=1)
_LOOKUP_CONCURRENCY = 8


class ProgressTracker:
    """Takes snapshots of one campaign, remembering what later snapshots can reuse."""

    def __init__(
        self,
        client: AliceClient,
        campaign_id: int,
        *,
        tz: dt.tzinfo,
        dnc: bool,
        dnc_lookup_limit: int,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> None:
        self._client = client
        self._id = campaign_id
        self._tz = tz
        self._dnc = dnc
        self._dnc_limit = dnc_lookup_limit
        self._options: dict[str, Any] = {"timeout": timeout, "max_retries": max_retries}
        self._talk_seconds = 0
        self._summed = 0
        self._newest: dt.datetime | None = None
        self._recent: dict[int, dt.datetime] = {}
        self._dnc_left_out: int | None = None
        self._dnc_done = False
        self._requests = 0

    async def snapshot(self) -> CampaignProgress:
        """One :class:`CampaignProgress` (see the module docstring for its cost)."""
        self._requests = 0
        taken_at = dt.datetime.now(dt.timezone.utc)
        campaign = await self._client.campaigns.get(self._id, **self._options)
        self._requests += 1
        until = campaign.expirationdate or taken_at + dt.timedelta(days=1)
        overlap = max(dt.timedelta(seconds=campaign.callmaxduration or 0), _MIN_OVERLAP)
        statuses = list(SubscriberStatus)
        counts = await asyncio.gather(
            self._subscriber_count(None),
            *(self._subscriber_count(status) for status in statuses),
            self._cdr_count(until, None),
            self._cdr_count(until, Disposition.ANSWER),
        )
        total, by_status, placed, answered = counts[0], counts[1:-2], counts[-2], counts[-1]
        subscribers = dict(zip(statuses, by_status, strict=True))
        await self._sum_talk_time(self._newest, until, overlap)  # what started since the last
        if self._summed < answered and self._newest is not None:
            # Records written late (a call ends after the pull) start before the cursor.
            await self._sum_talk_time(self._newest - overlap, until, overlap)
        if self._summed < answered and campaign.status in FINISHED_CAMPAIGN_STATUSES:
            # Nothing can arrive any more: a final snapshot is exact, whatever it costs.
            self._talk_seconds, self._summed, self._newest, self._recent = 0, 0, None, {}
            await self._sum_talk_time(None, until, overlap)
        if self._dnc and not self._dnc_done:
            self._dnc_left_out = await self._count_dnc_left_out(campaign)
            self._dnc_done = True
        remaining = sum(subscribers[status] for status in OPEN_SUBSCRIBER_STATUSES)
        return CampaignProgress(
            campaign=campaign,
            subscribers=subscribers,
            subscribers_total=total,
            calls_placed=placed,
            calls_answered=answered,
            talk_seconds=self._talk_seconds,
            dnc_left_out=self._dnc_left_out,
            estimated_end=self._estimate_end(campaign, remaining, taken_at),
            taken_at=taken_at,
            time_zone=str(getattr(self._tz, "key", None) or self._tz.tzname(None) or self._tz),
            requests=self._requests,
        )

    async def _subscriber_count(self, status: SubscriberStatus | None) -> int:
        page = await self._client.subscribers.list(
            campaign=self._id, status=status, page_size=1, **self._options
        ).first_page()
        self._requests += 1
        return page.count

    async def _cdr_count(self, until: dt.datetime, disposition: Disposition | None) -> int:
        page = await self._client.cdr.list(
            campaign=self._id, disposition=disposition, to_date=until, page_size=1, **self._options
        ).first_page()
        self._requests += 1
        return page.count

    async def _sum_talk_time(
        self, since: dt.datetime | None, until: dt.datetime, overlap: dt.timedelta
    ) -> None:
        """Add the ``billsec`` of the answered calls from ``since`` not summed yet."""
        pull = self._client.cdr.list(
            campaign=self._id,
            disposition=Disposition.ANSWER,
            from_date=since,
            to_date=until,
            page_size=_ROWS,
            **self._options,
        )
        async for page in pull.pages():
            self._requests += 1
            for call in page.items:
                if call.id in self._recent or call.starting_date is None:
                    continue
                self._talk_seconds += call.billsec
                self._summed += 1
                self._recent[call.id] = call.starting_date
                if self._newest is None or call.starting_date > self._newest:
                    self._newest = call.starting_date
        if self._newest is not None:
            horizon = self._newest - overlap
            self._recent = {key: at for key, at in self._recent.items() if at >= horizon}

    async def _count_dnc_left_out(self, campaign: Campaign) -> int | None:
        numbers: set[str] = set()
        async for page in self._client.dnc_contacts.list(page_size=_ROWS, **self._options).pages():
            self._requests += 1
            numbers.update(row.phone_number for row in page.items if row.phone_number)
        lookups = [(n, book) for n in sorted(numbers) for book in campaign.phonebook]
        if len(lookups) > self._dnc_limit:
            return None
        gate = asyncio.Semaphore(_LOOKUP_CONCURRENCY)

        async def blocked(number: str, book: int) -> bool:
            found = False
            async with gate:
                search = self._client.contacts.list(
                    phonebook=book, search=number, page_size=100, **self._options
                )
                async for page in search.pages():
                    self._requests += 1
                    found = found or any(
                        c.contact == number and c.status is ContactStatus.ACTIVE for c in page.items
                    )
            return found

        hits = await asyncio.gather(*(blocked(number, book) for number, book in lookups))
        return sum(hits)

    def _estimate_end(
        self, campaign: Campaign, remaining: int, now: dt.datetime
    ) -> dt.datetime | None:
        if campaign.status is not CampaignStatus.STARTED:
            return None
        if not campaign.frequency or not campaign.daily_start_time or not campaign.daily_stop_time:
            return None
        weekdays = (
            campaign.monday,
            campaign.tuesday,
            campaign.wednesday,
            campaign.thursday,
            campaign.friday,
            campaign.saturday,
            campaign.sunday,
        )
        return dialling_end(
            now,
            calls=remaining,
            frequency=campaign.frequency,
            daily_start=campaign.daily_start_time,
            daily_stop=campaign.daily_stop_time,
            tz=self._tz,
            starting=campaign.startingdate,
            expiration=campaign.expirationdate,
            weekdays=weekdays,
        )
