"""The ETA arithmetic of ``campaigns.progress``: daily windows, weekdays, zones, expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from alice_async import InvalidInputError
from alice_async._schedule import VIETNAM_TIME, dialling_end, time_zone

UTC = dt.timezone.utc
WINDOW: dict[str, Any] = {
    "daily_start": dt.time(8, 0),
    "daily_stop": dt.time(21, 0),
    "tz": VIETNAM_TIME,
}


def test_calls_that_fit_in_todays_window_end_today() -> None:
    now = dt.datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi, a Monday
    end = dialling_end(now, calls=600, frequency=10, **WINDOW)
    assert end == now + dt.timedelta(hours=1)


def test_calls_beyond_the_window_continue_next_morning() -> None:
    now = dt.datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 20:00 in Hanoi: one hour left today
    end = dialling_end(now, calls=1200, frequency=10, **WINDOW)  # two hours of calls
    assert end == dt.datetime(2026, 3, 3, 9, 0, tzinfo=VIETNAM_TIME)


def test_before_the_window_dialling_starts_when_it_opens() -> None:
    now = dt.datetime(2026, 3, 2, 22, 30, tzinfo=VIETNAM_TIME)
    end = dialling_end(now, calls=10, frequency=10, **WINDOW)
    assert end == dt.datetime(2026, 3, 3, 8, 1, tzinfo=VIETNAM_TIME)


def test_days_switched_off_are_skipped() -> None:
    friday_evening = dt.datetime(2026, 3, 6, 20, 59, tzinfo=VIETNAM_TIME)
    weekdays = (True, True, True, True, True, False, False)
    end = dialling_end(friday_evening, calls=20, frequency=10, weekdays=weekdays, **WINDOW)
    assert end == dt.datetime(2026, 3, 9, 8, 1, tzinfo=VIETNAM_TIME)  # Monday


def test_not_before_the_starting_date() -> None:
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TIME)
    starting = dt.datetime(2026, 3, 5, 10, 0, tzinfo=VIETNAM_TIME)
    end = dialling_end(now, calls=10, frequency=10, starting=starting, **WINDOW)
    assert end == dt.datetime(2026, 3, 5, 10, 1, tzinfo=VIETNAM_TIME)


def test_calls_that_do_not_fit_before_expiry_have_no_end() -> None:
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TIME)
    expiration = dt.datetime(2026, 3, 3, 12, 0, tzinfo=VIETNAM_TIME)
    assert dialling_end(now, calls=10_000, frequency=10, expiration=expiration, **WINDOW) is None
    fits = dialling_end(now, calls=60, frequency=10, expiration=expiration, **WINDOW)
    assert fits == dt.datetime(2026, 3, 2, 9, 6, tzinfo=VIETNAM_TIME)


def test_nothing_left_ends_now() -> None:
    now = dt.datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    assert dialling_end(now, calls=0, frequency=10, **WINDOW) == now


def test_a_zone_by_name_or_object() -> None:
    assert time_zone(None) is VIETNAM_TIME
    assert time_zone(UTC) is UTC
    assert str(time_zone("Europe/Paris")) == "Europe/Paris"
    for bad in ("Nowhere/Atlantis", 7, ""):
        with pytest.raises(InvalidInputError) as caught:
            time_zone(bad)
        assert caught.value.field == "tz"
