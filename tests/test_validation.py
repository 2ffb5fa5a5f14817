"""Client-side validation rules (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest

from alice_async import ContactStatus, InvalidInputError
from alice_async import _validation as v


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0934890883", "0934890883"),
        ("0934 890 883", "0934890883"),
        ("0934.890.883", "0934890883"),
        ("0934-890-883", "0934890883"),
        ("+84 934 890 883", "+84934890883"),
    ],
)
def test_phone_numbers_are_normalised(raw: str, expected: str) -> None:
    assert v.phone_number("contact", raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "abc", "09-34x", "++84", "84+9", "\uff10\uff19\uff13\uff14", "+"]
)
def test_malformed_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        v.phone_number("contact", raw)
    assert info.value.field == "contact"


def test_an_int_phone_number_is_refused_because_its_leading_zero_is_lost() -> None:
    with pytest.raises(InvalidInputError, match="leading zero"):
        v.phone_number("contact", 934890883)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="naive"):
        v.aware_datetime("startingdate", dt.datetime(2026, 1, 1, 8, 0))
    with pytest.raises(InvalidInputError, match="naive"):
        v.aware_datetime("startingdate", "2026-01-01T08:00:00")


def test_aware_datetimes_travel_as_utc_with_z() -> None:
    ict = dt.timezone(dt.timedelta(hours=7))
    assert (
        v.aware_datetime("start", dt.datetime(2026, 1, 1, 8, 0, tzinfo=ict))
        == "2026-01-01T01:00:00.000000Z"
    )
    assert v.aware_datetime("start", "2026-01-01T01:00:00Z") == "2026-01-01T01:00:00.000000Z"


def test_times_of_day_travel_as_hh_mm_ss() -> None:
    assert v.time_of_day("daily_start_time", dt.time(8, 0)) == "08:00:00"
    assert v.time_of_day("daily_start_time", "08:30") == "08:30:00"
    with pytest.raises(InvalidInputError):
        v.time_of_day("daily_start_time", "25:00")


def test_enum_values_accept_members_and_known_ints_only() -> None:
    assert v.enum_value("status", ContactStatus.ACTIVE, ContactStatus) == 1
    assert v.enum_value("status", 0, ContactStatus) == 0
    for bad in (7, True, "1", ContactStatus(7)):
        with pytest.raises(InvalidInputError):
            v.enum_value("status", bad, ContactStatus)


def test_additional_vars_must_be_str_to_str_and_become_a_json_string() -> None:
    assert v.additional_vars("additional_vars", {"a": "Nguyễn"}) == '{"a":"Nguyễn"}'
    with pytest.raises(InvalidInputError):
        v.additional_vars("additional_vars", {"a": 1})
    with pytest.raises(InvalidInputError):
        v.additional_vars("additional_vars", ["a"])


@pytest.mark.parametrize("bad", ["no-at", "a@b", "a b@c.d", "@c.d"])
def test_email_shape(bad: str) -> None:
    assert v.email("email", "linh.huynh@htklabs.com") == "linh.huynh@htklabs.com"
    with pytest.raises(InvalidInputError):
        v.email("email", bad)


def test_lengths_are_enforced() -> None:
    assert v.text("name", "x" * 90, max_length=90)
    with pytest.raises(InvalidInputError, match="at most 90"):
        v.text("name", "x" * 91, max_length=90)


def test_ids_are_positive_ints_or_numeric_strings_when_allowed() -> None:
    assert v.object_id("dnc", "343", allow_numeric_str=True) == 343
    for bad in (0, -1, True, "343", 1.0):
        with pytest.raises(InvalidInputError):
            v.object_id("dnc", bad)
    assert v.object_ids("phonebook", [1, 2]) == [1, 2]
    with pytest.raises(InvalidInputError):
        v.object_ids("phonebook", [])
