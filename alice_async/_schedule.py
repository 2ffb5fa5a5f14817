"""When a campaign will have dialled everyone: its daily window, weekdays and time zone.

Pure functions on aware datetimes (no I/O), used by ``client.campaigns.progress``.

The API gives a campaign a daily window (``daily_start_time``/``daily_stop_time``) but no time
zone. The server is Vietnamese (AntBuddy) and its Newfies-Dialer lineage reads those times in
the server's ``TIME_ZONE``, so we assume **Vietnam time (UTC+07:00, no daylight saving)**;
every function takes the zone as an argument so a caller can say otherwise.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

from ._exceptions import InvalidInputError

__all__ = ["VIETNAM_TIME", "dialling_end", "time_zone"]

VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
"""The zone assumed for a campaign's daily window (Vietnam has had no DST since 1975)."""

_MAX_DAYS = 3660
"""Look this many days ahead at most (a campaign needing more has no useful estimate)."""


def time_zone(value: Any) -> dt.tzinfo:
    """A ``tzinfo`` from a ``tzinfo`` or an IANA name (``"Asia/Ho_Chi_Minh"``).

    Raises:
        InvalidInputError: ``tz`` is neither, or names no zone this system knows.
    """
    if value is None:
        return VIETNAM_TIME
    if isinstance(value, dt.tzinfo):
        return value
    if isinstance(value, str):
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise InvalidInputError("tz", value, "is not a time zone this system knows") from exc
    raise InvalidInputError("tz", value, "must be a datetime.tzinfo or an IANA zone name")


def dialling_end(
    now: dt.datetime,
    *,
    calls: int,
    frequency: int,
    daily_start: dt.time,
    daily_stop: dt.time,
    tz: dt.tzinfo,
    starting: dt.datetime | None = None,
    expiration: dt.datetime | None = None,
    weekdays: Sequence[bool | None] = (),
) -> dt.datetime | None:
    """When ``calls`` more calls at ``frequency`` per minute will have been placed.

    Dialling happens only inside the daily window (local times in ``tz``), on the weekdays
    allowed (``weekdays[0]`` is Monday; ``None`` or a short sequence means allowed), and not
    before ``starting``. Returns an aware UTC datetime, ``now`` itself when nothing is left,
    or ``None`` when the calls do not fit before ``expiration`` (or within ten years).
    """
    if calls <= 0:
        return now
    need = dt.timedelta(minutes=calls / frequency)
    cursor = max(now, starting) if starting is not None else now
    day = cursor.astimezone(tz).date()
    for _ in range(_MAX_DAYS):
        allowed = weekdays[day.weekday()] if day.weekday() < len(weekdays) else None
        if allowed is not False:
            opens = dt.datetime.combine(day, daily_start, tzinfo=tz).astimezone(dt.timezone.utc)
            closes = dt.datetime.combine(day, daily_stop, tzinfo=tz).astimezone(dt.timezone.utc)
            if expiration is not None:
                closes = min(closes, expiration)
            opens = max(opens, cursor)
            if closes > opens:
                if closes - opens >= need:
                    return opens + need
                need -= closes - opens
        if expiration is not None and expiration <= dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(0), tzinfo=tz
        ):
            return None
        day += dt.timedelta(days=1)
    return None
