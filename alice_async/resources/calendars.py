"""Appointments (docs/API.md §5.11): the five ``calendar-setting/``, ``calendar-user/``,
``calendar/``, ``event/`` and ``alarm/`` endpoints, in the order one builds the chain.

A calendar setting says how reminder calls are placed; a calendar user (a login) uses one; a
calendar belongs to a user; an event sits in a calendar; an alarm makes the server call a
number about an event. A calendar user's password is write-only: it is validated without ever
being shown (``<redacted>`` in errors) and no model holds it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .._converter import format_datetime
from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import (
    aware_datetime,
    datetime_value,
    int_range,
    object_id,
    ordered,
    phone_number,
    require,
    secret,
    text,
)
from ..models.calendars import Alarm, Calendar, CalendarSetting, CalendarUser, Event
from ._base import Resource, bounded, per_call

__all__ = ["Alarms", "CalendarSettings", "CalendarUsers", "Calendars", "Events"]


def _id(field: str, value: Any) -> int:
    return object_id(field, require(field, value))


class CalendarSettings(Resource):
    """Calendar settings: caller id, timeout, survey and gateway of reminder calls.

    Example::

        survey = (await client.surveys.list().first_page()).items[0]
        setting = await client.calendar_settings.create(
            label="Phòng khám", call_timeout=60, survey=survey.id, aleg_gateway=gateway.id
        )
    """

    _path = "calendar-setting/"

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[CalendarSetting]:
        """Calendar settings of the account."""
        return self._paginate(
            CalendarSetting, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
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
    ) -> CalendarSetting:
        """One calendar setting by id."""
        return await self._retrieve(id, CalendarSetting, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        label: str,
        call_timeout: int,
        survey: int,
        aleg_gateway: int,
        callerid: str | None = None,
        caller_name: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> CalendarSetting:
        """Create a calendar setting.

        Args:
            label: up to 80 characters.
            call_timeout: seconds to wait for an answer (at least 1).
            survey: id of a sealed survey (see ``client.surveys``).
            aleg_gateway: id of the gateway that dials out (see ``client.gateways``).
            callerid: the caller id shown, up to 80 characters.
            caller_name: the caller name shown, up to 80 characters.
        """
        body: dict[str, Any] = {
            "label": text("label", require("label", label), max_length=80, required=True),
            "call_timeout": int_range("call_timeout", require("call_timeout", call_timeout), 1),
            "survey": _id("survey", survey),
            "aleg_gateway": _id("aleg_gateway", aleg_gateway),
        }
        if callerid is not None:
            body["callerid"] = text("callerid", callerid, max_length=80)
        if caller_name is not None:
            body["caller_name"] = text("caller_name", caller_name, max_length=80)
        return await self._create(body, CalendarSetting, timeout=timeout, max_retries=max_retries)


class CalendarUsers(Resource):
    """Calendar users: logins that own calendars. The password is write-only.

    The list endpoint may answer without pagination (docs/API.md §5.11 variant: an array, a
    single object, or a ``note`` when there is none); ``list()`` reads every form.

    Example::

        user = await client.calendar_users.create(
            username="clinic-1", password=os.environ["CLINIC_PASSWORD"],
            calendar_setting=setting.id,
        )
    """

    _path = "calendar-user/"
    _unpaginated_variant = True

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[CalendarUser]:
        """Calendar users of the account."""
        return self._paginate(
            CalendarUser, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
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
    ) -> CalendarUser:
        """One calendar user by id (without its password: the server never returns it)."""
        return await self._retrieve(id, CalendarUser, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        username: str,
        password: str,
        calendar_setting: int,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> CalendarUser:
        """Create a calendar user.

        Args:
            username: up to 30 characters, unique on the server.
            password: write-only; never stored, shown or logged by the SDK.
            calendar_setting: id of its calendar setting.
        """
        body = {
            "username": text(
                "username", require("username", username), max_length=30, required=True
            ),
            "password": secret("password", password, max_length=128),
            "calendar_setting": _id("calendar_setting", calendar_setting),
        }
        return await self._create(body, CalendarUser, timeout=timeout, max_retries=max_retries)


class Calendars(Resource):
    """Calendars of calendar users.

    Example::

        calendar = await client.calendars.create(name="Lịch khám", user=user.id)
    """

    _path = "calendar/"

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Calendar]:
        """Calendars of the account."""
        return self._paginate(
            Calendar, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
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
    ) -> Calendar:
        """One calendar by id."""
        return await self._retrieve(id, Calendar, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        name: str,
        user: int,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Calendar:
        """Create a calendar (``name`` up to 200 characters) for a calendar ``user`` id."""
        body = {
            "name": text("name", require("name", name), max_length=200, required=True),
            "user": _id("user", user),
        }
        return await self._create(body, Calendar, timeout=timeout, max_retries=max_retries)


class Events(Resource):
    """Events (appointments) in calendars.

    Example::

        start = datetime(2024, 3, 5, 2, 30, tzinfo=timezone.utc)
        event = await client.events.create(
            title="Tái khám", start=start, end=start + timedelta(minutes=30),
            creator=user.id, calendar=calendar.id,
        )
    """

    _path = "event/"

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Event]:
        """Events of the account."""
        return self._paginate(
            Event, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
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
    ) -> Event:
        """One event by id."""
        return await self._retrieve(id, Event, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        title: str,
        start: dt.datetime,
        end: dt.datetime,
        creator: int,
        calendar: int,
        description: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Event:
        """Create an event.

        Args:
            title: up to 255 characters.
            start: aware datetime.
            end: aware datetime after ``start``.
            creator: id of the calendar user.
            calendar: id of the calendar.
            description: free text.
        """
        starts = datetime_value("start", require("start", start))
        ends = datetime_value("end", require("end", end))
        ordered("end", ends, "start", starts, after=True)
        body: dict[str, Any] = {
            "title": text("title", require("title", title), max_length=255, required=True),
            "start": format_datetime(starts),
            "end": format_datetime(ends),
            "creator": _id("creator", creator),
            "calendar": _id("calendar", calendar),
        }
        if description is not None:
            body["description"] = text("description", description)
        return await self._create(body, Event, timeout=timeout, max_retries=max_retries)


class Alarms(Resource):
    """Alarms: reminder calls about events; each call shows up in ``cdr`` with ``alarm=True``.

    Example::

        alarm = await client.alarms.create(
            alarm_phonenumber="0934890883", event=event.id,
            date_start_notice=event.start - timedelta(hours=2),
        )
    """

    _path = "alarm/"

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Alarm]:
        """Alarms of the account."""
        return self._paginate(
            Alarm, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
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
    ) -> Alarm:
        """One alarm by id."""
        return await self._retrieve(id, Alarm, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        alarm_phonenumber: str,
        event: int,
        date_start_notice: dt.datetime | None = None,
        phonenumber_transfer: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Alarm:
        """Create an alarm: the server calls ``alarm_phonenumber`` at ``date_start_notice``.

        Args:
            alarm_phonenumber: the number to call, a string (up to 50 characters).
            event: id of the event.
            date_start_notice: aware datetime of the call (default: now, server side).
            phonenumber_transfer: a number to transfer the call to (up to 50 characters).
        """
        body: dict[str, Any] = {
            "alarm_phonenumber": phone_number(
                "alarm_phonenumber", require("alarm_phonenumber", alarm_phonenumber), max_length=50
            ),
            "event": _id("event", event),
        }
        if date_start_notice is not None:
            body["date_start_notice"] = aware_datetime("date_start_notice", date_start_notice)
        if phonenumber_transfer is not None and phonenumber_transfer != "":
            body["phonenumber_transfer"] = phone_number(
                "phonenumber_transfer", phonenumber_transfer, max_length=50
            )
        return await self._create(body, Alarm, timeout=timeout, max_retries=max_retries)
