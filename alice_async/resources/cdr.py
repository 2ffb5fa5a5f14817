"""``client.cdr``: the read-only ``cdr/`` endpoint, call detail records (REFERENCE §5.9).

Accounts hold millions of rows: iterate (``async for``) rather than collect, and narrow the
pull with ``from_date``/``to_date`` and the other filters. :meth:`Cdrs._list_params` is the one
place the filters are validated and turned into query parameters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .._converter import format_datetime
from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import (
    boolean,
    datetime_value,
    enum_value,
    int_range,
    object_id,
    open_text,
    ordered,
    status_code,
    text,
)
from .._validation import (
    phone_number as validate_phone_number,
)
from ..models.cdr import Cdr, Disposition, HangupCause
from ._base import Resource

__all__ = ["Cdrs"]


class Cdrs(Resource):
    """Call detail records (read-only): one row per call placed.

    Example::

        since = datetime(2024, 3, 1, tzinfo=timezone.utc)
        async for call in client.cdr.list(campaign=campaign.id, from_date=since,
                                          disposition=Disposition.ANSWER):
            print(call.phone_number, call.starting_date, call.billsec)
    """

    _path = "cdr/"

    def list(
        self,
        *,
        callid: str | None = None,
        callerid: str | None = None,
        phone_number: str | None = None,
        from_date: dt.datetime | None = None,
        to_date: dt.datetime | None = None,
        duration: int | None = None,
        billsec: int | None = None,
        disposition: Disposition | str | None = None,
        hangup_cause: HangupCause | str | None = None,
        sip_term_status: str | int | None = None,
        sip_term_cause: str | int | None = None,
        endpoint_disposition: Disposition | str | None = None,
        campaign: int | None = None,
        alarm: bool | None = None,
        otp: bool | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Cdr]:
        """Call records in ascending ``starting_date`` order, filtered.

        Args:
            callid: the call's uuid.
            callerid: the caller id shown.
            phone_number: the number called, as a string.
            from_date: earliest ``starting_date`` (aware datetime, inclusive).
            to_date: latest ``starting_date`` (aware datetime, inclusive; not before
                ``from_date``).
            duration: exact duration in seconds.
            billsec: exact billed seconds.
            disposition: a :class:`Disposition`.
            hangup_cause: a :class:`HangupCause` or any cause name.
            sip_term_status: a SIP status such as ``404``.
            sip_term_cause: a SIP/Q.850 cause code.
            endpoint_disposition: the endpoint's disposition (``"ANSWER"``).
            campaign: a campaign id.
            alarm: only appointment-reminder calls (``True``) or only others (``False``).
            otp: only voice OTP calls (``True``) or only others (``False``).
            page_size: rows per request (the server may ignore it).

        Raises:
            InvalidInputError: a filter is invalid (a naive datetime, reversed bounds...).
        """
        params = self._list_params(
            callid=callid,
            callerid=callerid,
            phone_number=phone_number,
            from_date=from_date,
            to_date=to_date,
            duration=duration,
            billsec=billsec,
            disposition=disposition,
            hangup_cause=hangup_cause,
            sip_term_status=sip_term_status,
            sip_term_cause=sip_term_cause,
            endpoint_disposition=endpoint_disposition,
            campaign=campaign,
            alarm=alarm,
            otp=otp,
        )
        return self._paginate(
            Cdr, params, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    def _list_params(
        self,
        *,
        callid: Any = None,
        callerid: Any = None,
        phone_number: Any = None,
        from_date: Any = None,
        to_date: Any = None,
        duration: Any = None,
        billsec: Any = None,
        disposition: Any = None,
        hangup_cause: Any = None,
        sip_term_status: Any = None,
        sip_term_cause: Any = None,
        endpoint_disposition: Any = None,
        campaign: Any = None,
        alarm: Any = None,
        otp: Any = None,
    ) -> dict[str, Any]:
        """Validate the list filters into query values (``None`` for a filter not given)."""
        start = None if from_date is None else datetime_value("from_date", from_date)
        stop = None if to_date is None else datetime_value("to_date", to_date)
        if start is not None and stop is not None:
            # The vendor's own example has the two bounds reversed: say so, don't return nothing.
            ordered("from_date", start, "to_date", stop, after=False, strict=False)
        return {
            "callid": None if callid is None else text("callid", callid, required=True),
            "callerid": None if callerid is None else text("callerid", callerid, required=True),
            "phone_number": None
            if phone_number is None
            else validate_phone_number("phone_number", phone_number, max_length=120),
            "from_date": None if start is None else format_datetime(start),
            "to_date": None if stop is None else format_datetime(stop),
            "duration": None if duration is None else int_range("duration", duration, 0),
            "billsec": None if billsec is None else int_range("billsec", billsec, 0),
            "disposition": None
            if disposition is None
            else enum_value("disposition", disposition, Disposition),
            "hangup_cause": None
            if hangup_cause is None
            else open_text("hangup_cause", hangup_cause, HangupCause),
            "sip_term_status": None
            if sip_term_status is None
            else status_code("sip_term_status", sip_term_status),
            "sip_term_cause": None
            if sip_term_cause is None
            else status_code("sip_term_cause", sip_term_cause),
            "endpoint_disposition": None
            if endpoint_disposition is None
            else open_text("endpoint_disposition", endpoint_disposition, Disposition),
            "campaign": None if campaign is None else object_id("campaign", campaign),
            "alarm": None if alarm is None else boolean("alarm", alarm),
            "otp": None if otp is None else boolean("otp", otp),
        }

    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Cdr:
        """One call record by id."""
        return await self._retrieve(id, Cdr, timeout=timeout, max_retries=max_retries)
