"""Appointment models (docs/API.md §5.11): calendar setting -> user -> calendar -> event -> alarm.

A calendar user's password is write-only: no model here has a field for it, so it can never be
read back, printed or logged from a response.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .._enums import OpenIntEnum
from ._common import PlainData

__all__ = [
    "Alarm",
    "AlarmMethod",
    "AlarmResult",
    "AlarmStatus",
    "Calendar",
    "CalendarSetting",
    "CalendarUser",
    "Event",
    "EventStatus",
]


class EventStatus(OpenIntEnum):
    """The state of an event."""

    PENDING = 1
    COMPLETED = 2
    PAUSED = 3


class AlarmStatus(OpenIntEnum):
    """Where a reminder stands."""

    PENDING = 1
    IN_PROCESS = 2
    FAILURE = 3
    RETRY = 4
    SUCCESS = 5


class AlarmResult(OpenIntEnum):
    """What the person reminded answered."""

    NONE = 0
    CONFIRMED = 1
    CANCELLED = 2
    RESCHEDULED = 3


class AlarmMethod(OpenIntEnum):
    """How the reminder reaches the person."""

    CALL = 1
    SMS = 2
    EMAIL = 3


@attrs.frozen
class CalendarSetting(PlainData):
    """How reminder calls are placed: caller id, timeout, survey played, gateway.

    Attributes:
        id: the setting id.
        label: up to 80 characters.
        call_timeout: seconds to wait for an answer.
        survey: id of the survey played (from ``client.surveys``).
        aleg_gateway: id of the gateway that dials out.
    """

    id: int
    label: str = ""
    callerid: str | None = None
    caller_name: str | None = None
    call_timeout: int | None = None
    survey: int | None = None
    aleg_gateway: int | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None


@attrs.frozen
class CalendarUser(PlainData):
    """A login that owns calendars. The password is write-only and never part of the model.

    Attributes:
        id: the calendar user id.
        username: up to 30 characters, unique.
        calendar_setting: id of its calendar setting.
    """

    id: int
    username: str = ""
    calendar_setting: int | None = None


@attrs.frozen
class Calendar(PlainData):
    """A calendar of one calendar user.

    Attributes:
        id: the calendar id.
        name: up to 200 characters.
        user: id of its calendar user.
    """

    id: int
    name: str = ""
    user: int | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None


@attrs.frozen
class Event(PlainData):
    """An appointment in a calendar.

    Attributes:
        id: the event id.
        title: up to 255 characters.
        start: when it starts (aware UTC).
        end: when it ends (aware UTC).
        creator: id of the calendar user it belongs to.
        calendar: id of its calendar.
        status: an :class:`EventStatus`.
    """

    id: int
    title: str = ""
    description: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    creator: int | None = None
    calendar: int | None = None
    status: EventStatus = EventStatus.PENDING
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None


@attrs.frozen
class Alarm(PlainData):
    """A reminder of an event: the server calls ``alarm_phonenumber`` at ``date_start_notice``.

    Attributes:
        id: the alarm id.
        alarm_phonenumber: the number called, a string that keeps its leading zero.
        date_start_notice: when the reminder goes out (aware UTC).
        phonenumber_transfer: a number the call may be transferred to.
        event: id of the event.
        status: an :class:`AlarmStatus`.
        result: an :class:`AlarmResult`.
        method: an :class:`AlarmMethod`.
    """

    id: int
    alarm_phonenumber: str = ""
    date_start_notice: dt.datetime | None = None
    phonenumber_transfer: str | None = None
    event: int | None = None
    status: AlarmStatus = AlarmStatus.PENDING
    result: AlarmResult = AlarmResult.NONE
    method: AlarmMethod = AlarmMethod.CALL
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
