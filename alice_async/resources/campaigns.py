"""``client.campaigns``: ``campaigns/`` and its ``status/`` action (docs/API.md §5.1)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import math
import os
from collections.abc import AsyncGenerator, Iterable
from contextlib import aclosing
from pathlib import Path
from typing import Any

from .._converter import format_datetime
from .._exceptions import InvalidInputError, WaitTimeoutError
from .._pagination import AsyncPaginator
from .._schedule import time_zone
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import (
    boolean,
    datetime_value,
    enum_value,
    int_range,
    object_id,
    object_ids,
    ordered,
    require,
    text,
    time_of_day,
)
from ..models.campaigns import Campaign, CampaignAction, CampaignStatus
from ..models.progress import CampaignProgress
from ..report import CampaignReport
from ._base import Resource, bounded, per_call
from ._progress import DEFAULT_DNC_LOOKUP_LIMIT, ProgressTracker
from ._settle import named

__all__ = ["Campaigns", "campaign_body"]


def campaign_body(
    *,
    name: Any,
    phonebook: Any,
    frequency: Any,
    startingdate: Any,
    expirationdate: Any,
    daily_start_time: Any,
    daily_stop_time: Any,
    aleg_gateway: Any = None,
    object_id_: Any = None,
    description: Any = None,
    callerid: Any = None,
    require_links: bool = True,
) -> dict[str, Any]:
    """Validate a campaign's fields into the JSON body of a create or an update.

    ``require_links`` makes ``aleg_gateway`` and ``object_id`` required (create); an update
    may leave them out and the server keeps them.

    Raises:
        InvalidInputError: naming the first bad field and its value.
    """
    body: dict[str, Any] = {
        "name": text("name", require("name", name), max_length=100, required=True),
        "phonebook": object_ids("phonebook", require("phonebook", phonebook)),
    }
    if description is not None:
        body["description"] = text("description", description)
    if callerid is not None:
        body["callerid"] = text("callerid", callerid, max_length=80)
    for field, value in (("aleg_gateway", aleg_gateway), ("object_id", object_id_)):
        if value is not None:
            body[field] = object_id(field, value)
        elif require_links:
            require(field, value)
    body["frequency"] = int_range("frequency", require("frequency", frequency), 1, 100)
    starting = datetime_value("startingdate", require("startingdate", startingdate))
    expiration = datetime_value("expirationdate", require("expirationdate", expirationdate))
    ordered("expirationdate", expiration, "startingdate", starting, after=True)
    body["startingdate"] = format_datetime(starting)
    body["expirationdate"] = format_datetime(expiration)
    start_time = time_of_day("daily_start_time", require("daily_start_time", daily_start_time))
    stop_time = time_of_day("daily_stop_time", require("daily_stop_time", daily_stop_time))
    ordered("daily_stop_time", stop_time, "daily_start_time", start_time, after=True)
    body["daily_start_time"] = start_time
    body["daily_stop_time"] = stop_time
    return body


def campaign_action(value: Any) -> int:
    """The wire value of a :class:`CampaignAction`, refusing a state passed by mistake."""
    if isinstance(value, CampaignStatus):
        raise InvalidInputError(
            "action",
            value,
            "a CampaignStatus is a state, not an action: pass a CampaignAction "
            "(START, PAUSE, ABORT or END)",
        )
    action: int = enum_value("action", require("action", value), CampaignAction)
    return action


def campaign_status(value: Any) -> int:
    """The wire value of a :class:`CampaignStatus` filter, refusing an action by mistake."""
    if isinstance(value, CampaignAction):
        raise InvalidInputError(
            "status",
            value,
            "a CampaignAction is an action, not a state: filter with a CampaignStatus "
            "(STARTED, WAITING, PAUSED, ENDED or COMPLETED)",
        )
    status: int = enum_value("status", value, CampaignStatus)
    return status


def _seconds(field: str, value: Any, *, allow_none: bool = False) -> float | None:
    """A positive, finite number of seconds (``None`` allowed when ``allow_none``)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(field, value, "must be a number of seconds")
    if not math.isfinite(value) or value <= 0:
        raise InvalidInputError(field, value, "must be a positive, finite number of seconds")
    return float(value)


class Campaigns(Resource):
    """Campaigns: who is called, through which gateway, with which survey, when.

    A new campaign is ``CampaignStatus.WAITING``; :meth:`start` enrols the active contacts of
    its phonebooks (minus the account's do-not-call numbers) as subscribers and dials them.

    Example::

        campaign = await client.campaigns.create(
            name="Nhắc lịch tháng 3", phonebook=[book.id], aleg_gateway=gateway.id,
            object_id=template.id, frequency=10,
            startingdate=datetime(2024, 3, 1, 1, 0, tzinfo=timezone.utc),
            expirationdate=datetime(2024, 3, 31, 1, 0, tzinfo=timezone.utc),
            daily_start_time=time(8, 0), daily_stop_time=time(21, 0),
        )
        campaign = await client.campaigns.start(campaign.id)
        assert campaign.status is CampaignStatus.STARTED
    """

    _path = "campaigns/"

    @per_call
    def list(
        self,
        *,
        name: str | None = None,
        phonebook: int | None = None,
        status: CampaignStatus | int | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Campaign]:
        """Campaigns, optionally by ``name`` (contains), ``phonebook`` id and ``status`` (state).

        ``status`` takes a :class:`CampaignStatus`; a :class:`CampaignAction` is refused.
        """
        filters = {
            "name": None if name is None else text("name", name),
            "phonebook": None if phonebook is None else object_id("phonebook", phonebook),
            "status": None if status is None else campaign_status(status),
        }
        return self._paginate(
            Campaign, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """One campaign by id. Raises ``NotFoundError`` when it is not in the account."""
        return await self._retrieve(id, Campaign, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        name: str,
        phonebook: Iterable[int],
        aleg_gateway: int,
        object_id: int,
        frequency: int,
        startingdate: dt.datetime,
        expirationdate: dt.datetime,
        daily_start_time: dt.time | str,
        daily_stop_time: dt.time | str,
        description: str | None = None,
        callerid: str | None = None,
        settle: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """Create a campaign (it starts ``WAITING``).

        Args:
            name: up to 100 characters, unique in the account.
            phonebook: ids of the phonebooks to call (at least one).
            aleg_gateway: id of the gateway that dials out (see ``client.gateways``).
            object_id: id of the survey template to play (see ``client.survey_templates``).
            frequency: calls per minute, 1..100.
            startingdate: aware datetime the campaign may start.
            expirationdate: aware datetime after ``startingdate``.
            daily_start_time: start of the daily window (``time`` or ``"HH:MM:SS"``).
            daily_stop_time: end of the daily window, after ``daily_start_time``.
            description: free text.
            callerid: the caller id shown, up to 80 characters.
            settle: after an ambiguous failure, look the campaign up by its unique name
                before sending again or giving up; ``False`` raises instead.

        Raises:
            InvalidInputError: a field is missing or invalid (nothing was sent).
            BadRequestError: the server refused it (e.g. a duplicated name).
        """
        body = campaign_body(
            name=name,
            phonebook=phonebook,
            frequency=frequency,
            startingdate=startingdate,
            expirationdate=expirationdate,
            daily_start_time=daily_start_time,
            daily_stop_time=daily_stop_time,
            aleg_gateway=aleg_gateway,
            object_id_=object_id,
            description=description,
            callerid=callerid,
        )
        identity = (
            named("campaign", body["name"], filter="name", unique=True)
            if boolean("settle", settle)
            else None
        )
        return await self._create(
            body, Campaign, timeout=timeout, max_retries=max_retries, identity=identity
        )

    @bounded
    async def update(
        self,
        id: int,
        *,
        name: str,
        phonebook: Iterable[int],
        frequency: int,
        startingdate: dt.datetime,
        expirationdate: dt.datetime,
        daily_start_time: dt.time | str,
        daily_stop_time: dt.time | str,
        aleg_gateway: int | None = None,
        object_id: int | None = None,
        description: str | None = None,
        callerid: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """Replace a campaign's settings (the same body as :meth:`create`).

        ``aleg_gateway`` and ``object_id`` may be left out: the server keeps their values.
        """
        body = campaign_body(
            name=name,
            phonebook=phonebook,
            frequency=frequency,
            startingdate=startingdate,
            expirationdate=expirationdate,
            daily_start_time=daily_start_time,
            daily_stop_time=daily_stop_time,
            aleg_gateway=aleg_gateway,
            object_id_=object_id,
            description=description,
            callerid=callerid,
            require_links=False,
        )
        return await self._update(id, body, Campaign, timeout=timeout, max_retries=max_retries)

    @bounded
    async def delete(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> None:
        """Delete a campaign (and its subscribers)."""
        await self._delete(id, timeout=timeout, max_retries=max_retries)

    @bounded
    async def set_status(
        self,
        id: int,
        action: CampaignAction | int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """Apply a :class:`CampaignAction`; returns the campaign in its new state.

        START -> STARTED, PAUSE -> PAUSED, ABORT and END -> ENDED. A :class:`CampaignStatus`
        is refused: its integers mean something else (``2`` is WAITING, not PAUSE).

        Raises:
            InvalidInputError: ``action`` is not a CampaignAction (nothing was sent).
            BadRequestError: the server refused the transition (starting an ended campaign).
        """
        body = {"status": campaign_action(action)}
        path = f"{self._item_path(id)}status/"
        return await self._create(
            body, Campaign, path=path, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def start(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """Start (or resume) dialling: ``set_status(id, CampaignAction.START)``."""
        return await self.set_status(
            id, CampaignAction.START, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def pause(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """Pause dialling: ``set_status(id, CampaignAction.PAUSE)``."""
        return await self.set_status(
            id, CampaignAction.PAUSE, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def abort(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """Abort the campaign (it ends): ``set_status(id, CampaignAction.ABORT)``."""
        return await self.set_status(
            id, CampaignAction.ABORT, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def end(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Campaign:
        """End the campaign: ``set_status(id, CampaignAction.END)``."""
        return await self.set_status(
            id, CampaignAction.END, timeout=timeout, max_retries=max_retries
        )

    def _tracker(
        self,
        id: Any,
        *,
        tz: Any,
        dnc: Any,
        dnc_lookup_limit: Any,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> ProgressTracker:
        if not isinstance(dnc, bool):
            raise InvalidInputError("dnc", dnc, "must be True or False")
        return ProgressTracker(
            self._client,
            object_id("id", id),
            tz=time_zone(tz),
            dnc=dnc,
            dnc_lookup_limit=int_range("dnc_lookup_limit", dnc_lookup_limit, 0),
            timeout=timeout,
            max_retries=max_retries,
        )

    @bounded
    async def progress(
        self,
        id: int,
        *,
        tz: dt.tzinfo | str | None = None,
        dnc: bool = True,
        dnc_lookup_limit: int = DEFAULT_DNC_LOOKUP_LIMIT,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> CampaignProgress:
        """A snapshot of a campaign's progress: subscribers by status, calls, talk time, ETA.

        Counts come from the ``count`` of one-row filtered pages (about a dozen requests,
        run concurrently); talk time reads the answered call records (1000 a request); the
        do-not-call count one contact search per DNC number and phonebook. The request
        budget is documented in :mod:`alice_async.resources._progress` and the README;
        ``CampaignProgress.requests`` says what this snapshot cost.

        Args:
            id: the campaign id.
            tz: the time zone of the daily window, a ``tzinfo`` or an IANA name; default
                Vietnam time (UTC+07:00), the server's.
            dnc: count the do-not-call numbers left out at start (``dnc_left_out``).
            dnc_lookup_limit: skip that count (``None``) when it needs more searches.
            timeout: per-request limits.
            max_retries: retries per request.

        Raises:
            InvalidInputError: a bad ``id``, ``tz`` or option (nothing was sent).
            NotFoundError: no such campaign in the account.

        Example::

            progress = await client.campaigns.progress(campaign.id)
            print(progress.status, progress.done, "/", progress.subscribers_total,
                  f"{progress.answer_rate:.0%}", progress.eta)
        """
        tracker = self._tracker(
            id,
            tz=tz,
            dnc=dnc,
            dnc_lookup_limit=dnc_lookup_limit,
            timeout=timeout,
            max_retries=max_retries,
        )
        return await tracker.snapshot()

    @per_call
    def watch(
        self,
        id: int,
        *,
        every: float = 10.0,
        tz: dt.tzinfo | str | None = None,
        dnc: bool = True,
        dnc_lookup_limit: int = DEFAULT_DNC_LOOKUP_LIMIT,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncGenerator[CampaignProgress, None]:
        """Yield a :class:`CampaignProgress` whenever something changed, until it finishes.

        The first snapshot is yielded at once; then one every ``every`` seconds *if* the
        state, a subscriber count, a call count or the talk time moved. The iteration ends
        after yielding the snapshot in which the campaign is ENDED or COMPLETED. Talk time
        is summed incrementally: each poll reads only the answered calls it has not seen.
        Leaving the loop (``break``, an exception, cancellation) stops polling at once:
        nothing keeps running in the background (the generator waits, suspended, to be
        collected; ``aclose()`` it, or use ``contextlib.aclosing``, to end it at once).

        Args:
            id: the campaign id.
            every: seconds between polls.
            tz, dnc, dnc_lookup_limit, timeout, max_retries: as in :meth:`progress`.

        Raises:
            InvalidInputError: a bad ``id``, ``every`` or option (when the call is made).

        Example::

            async for progress in client.campaigns.watch(campaign.id, every=10):
                print(f"{progress.fraction_done:.0%} done, ETA {progress.eta}")
        """
        interval = _seconds("every", every)
        tracker = self._tracker(
            id,
            tz=tz,
            dnc=dnc,
            dnc_lookup_limit=dnc_lookup_limit,
            timeout=timeout,
            max_retries=max_retries,
        )
        return _watch(tracker, interval or 0.0)

    @bounded
    async def wait(
        self,
        id: int,
        *,
        timeout: float | None = None,
        every: float = 10.0,
        tz: dt.tzinfo | str | None = None,
        dnc: bool = True,
        dnc_lookup_limit: int = DEFAULT_DNC_LOOKUP_LIMIT,
        request_timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> CampaignProgress:
        """Wait until the campaign is ENDED or COMPLETED and return its final progress.

        Polls as :meth:`watch` does. Here ``timeout`` bounds the whole wait (seconds, or
        ``None`` for no limit); ``request_timeout`` is the per-request limit that other
        methods call ``timeout``.

        Raises:
            WaitTimeoutError: ``timeout`` ran out; its ``.progress`` is the last snapshot.
            InvalidInputError: a bad ``id``, ``timeout``, ``every`` or option.

        Example::

            final = await client.campaigns.wait(campaign.id, timeout=3600)
            print(final.status, final.calls_answered, final.talk_seconds)
        """
        limit = _seconds("timeout", timeout, allow_none=True)
        snapshots = self.watch(
            id,
            every=every,
            tz=tz,
            dnc=dnc,
            dnc_lookup_limit=dnc_lookup_limit,
            timeout=request_timeout,
            max_retries=max_retries,
        )
        last: list[CampaignProgress] = []
        ran_out = False

        async def follow() -> CampaignProgress:
            async with aclosing(snapshots):
                async for snapshot in snapshots:
                    last[:] = [snapshot]
            return last[0]

        task = asyncio.ensure_future(follow())
        try:
            done, _ = await asyncio.wait({task}, timeout=limit)
            ran_out = not done
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if ran_out:
            seen = last[0] if last else None
            state = "no snapshot yet" if seen is None else f"status {seen.status.name}"
            raise WaitTimeoutError(
                f"campaign {id} did not finish within {limit:g} s ({state})", progress=seen
            )
        return task.result()

    @bounded
    async def report(
        self,
        id: int,
        path: str | os.PathLike[str],
        *,
        csv_path: str | os.PathLike[str] | None = None,
        tz: dt.tzinfo | str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> CampaignReport:
        """Write a campaign's HTML report and its failed numbers as CSV; return the data.

        The page is self-contained (inline styles and SVG charts: it opens without any
        network): outcome breakdown (dispositions, hangup causes), calls and answer rate by
        hour of day (in ``tz``, default Vietnam time), talk-time distribution, attempts per
        subscriber, and the failed numbers with their last call. Reads every subscriber and
        call record of the campaign, 1000 a request. Needs the ``report`` extra
        (matplotlib), checked before any request.

        Args:
            id: the campaign id.
            path: the HTML file to write (replaced if it exists).
            csv_path: where to write the failed numbers; default ``path`` with the suffix
                ``.failed.csv`` (``report.html`` -> ``report.failed.csv``).
            tz: the zone of the hours of the day.

        Raises:
            MissingDependencyError: matplotlib is not installed (``alice-sdk[report]``).

        Example::

            report = await client.campaigns.report(campaign.id, "report.html")
            print(report.calls, report.answer_rate, len(report.failed))
        """
        from ..report import build_report, failed_csv, render_html, require_matplotlib

        require_matplotlib()
        html_file = _file_path("path", path)
        csv_file = (
            html_file.with_suffix(".failed.csv")
            if csv_path is None
            else _file_path("csv_path", csv_path)
        )
        data = await build_report(self._client, object_id("id", id), tz=tz)
        page = render_html(data)
        _write_text(html_file, page)
        _write_text(csv_file, failed_csv(data))
        return data


def _file_path(field: str, value: Any) -> Path:
    """A file path from a ``str`` or ``os.PathLike`` (a non-empty text path)."""
    text = os.fspath(value) if isinstance(value, str | os.PathLike) else None
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        raise InvalidInputError(field, value, "must be a file path (a str or os.PathLike)")
    return Path(text)


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 through a temporary file, so a reader never sees half of it."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


async def _watch(tracker: ProgressTracker, every: float) -> AsyncGenerator[CampaignProgress, None]:
    last_key: tuple[Any, ...] | None = None
    while True:
        snapshot = await tracker.snapshot()
        key = snapshot.change_key()
        if key != last_key or snapshot.finished:
            last_key = key
            yield snapshot
        if snapshot.finished:
            return
        await asyncio.sleep(every)
