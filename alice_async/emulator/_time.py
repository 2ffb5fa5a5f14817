"""The emulator's clock and the datetime formats of the wire.

The clock is the wall clock plus an offset that ``Emulator.advance()`` grows, so tests
can move time forward without sleeping. Datetimes are rendered the way DRF renders an
aware UTC ``datetime``: ``isoformat()`` with ``Z``, microseconds unless they are zero.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

__all__ = [
    "DATETIME_ERROR",
    "TIME_ERROR",
    "Clock",
    "format_datetime",
    "micros",
    "parse_datetime",
    "parse_time",
]

DATETIME_ERROR = (
    "Datetime has wrong format. Use one of these formats instead: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
)
TIME_ERROR = "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DATETIME_RE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"[T ](?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:[.,](?P<fraction>\d{1,6})\d*)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_TIME_RE = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:[.,](?P<fraction>\d{1,6}))?)?$"
)


class Clock:
    """Wall-clock UTC time shifted by an offset that only grows."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        """Seconds since the epoch on the emulator's clock."""
        return time.time() + self.offset

    def now(self) -> datetime:
        """The emulator's current time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), tz=timezone.utc)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset += seconds


def format_datetime(value: datetime) -> str:
    """Render as DRF does: ``2020-02-11T02:36:39.045000Z`` (no fraction when it is zero)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def micros(value: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (an exact sort key)."""
    return (value - _EPOCH) // timedelta(microseconds=1)


def parse_datetime(text: str) -> datetime | None:
    """Parse the ISO-8601 forms DRF accepts into an aware UTC datetime (naive = UTC)."""
    match = _DATETIME_RE.match(text.strip())
    if match is None:
        return None
    parts = match.groupdict()
    tz = timezone.utc
    if parts["tz"] and parts["tz"] != "Z":
        raw = parts["tz"].replace(":", "")
        sign = -1 if raw[0] == "-" else 1
        minutes = int(raw[1:3]) * 60 + (int(raw[3:5]) if len(raw) > 3 else 0)
        tz = timezone(sign * timedelta(minutes=minutes))
    try:
        value = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"]),
            int(parts["minute"]),
            int(parts["second"] or 0),
            int((parts["fraction"] or "0").ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return value.astimezone(timezone.utc)


def parse_time(text: str) -> str | None:
    """Validate a time of day and return it normalised to ``HH:MM:SS[.ffffff]``."""
    match = _TIME_RE.match(text.strip())
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    rendered = f"{hour:02d}:{minute:02d}:{second:02d}"
    if match["fraction"] and int(match["fraction"]):
        rendered += "." + match["fraction"].ljust(6, "0")
    return rendered
