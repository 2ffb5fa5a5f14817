"""The converter turns what servers really send into typed models without crashing."""

from __future__ import annotations

import datetime as dt
import typing

import attrs
import pytest

import alice_async.models as models
from alice_async import Contact, ContactStatus, Phonebook
from alice_async._converter import converter, format_datetime, parse_datetime, structure_id

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-02-11T02:36:39.045000Z", dt.datetime(2020, 2, 11, 2, 36, 39, 45000, UTC)),
        ("2013-12-02T07:48:27Z", dt.datetime(2013, 12, 2, 7, 48, 27, tzinfo=UTC)),
        ("2020-02-12T02:49:33.572Z", dt.datetime(2020, 2, 12, 2, 49, 33, 572000, UTC)),
        ("2020-02-11T09:36:39+07:00", dt.datetime(2020, 2, 11, 2, 36, 39, tzinfo=UTC)),
        ("2020-02-11T02:36:39.1Z", dt.datetime(2020, 2, 11, 2, 36, 39, 100000, UTC)),
        ("2020-02-11T02:36:39.1234567Z", dt.datetime(2020, 2, 11, 2, 36, 39, 123456, UTC)),
        ("2020-02-11T02:36:39", dt.datetime(2020, 2, 11, 2, 36, 39, tzinfo=UTC)),
    ],
)
def test_parses_server_datetimes_to_aware_utc(text: str, expected: dt.datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_formats_datetimes_as_utc_with_z() -> None:
    local = dt.datetime(2020, 2, 11, 9, 36, 39, 45000, dt.timezone(dt.timedelta(hours=7)))
    assert format_datetime(local) == "2020-02-11T02:36:39.045000Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (293, 293),
        ("293", 293),
        ("https://alice.antbuddy.com/rest-api/phonebook/293/", 293),
        ("http://127.0.0.1:8080/rest-api/phonebook/7", 7),
        (293.0, 293),
    ],
)
def test_ids_come_from_ints_strings_and_hyperlinks(value: object, expected: int) -> None:
    assert structure_id(value) == expected


@pytest.mark.parametrize("value", [True, "abc", "https://h/rest-api/phonebook/x/", 1.5, None])
def test_bad_ids_are_refused(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        structure_id(value)


def test_unknown_fields_and_enum_values_never_crash() -> None:
    contact = converter.structure(
        {"id": 1, "contact": "0934890883", "status": 9, "brand_new_field": {"x": 1}}, Contact
    )
    assert contact.status == 9
    assert contact.status.name == "UNKNOWN_9"
    assert isinstance(contact.status, ContactStatus)


def test_hyperlinked_objects_get_their_id_from_url() -> None:
    book = converter.structure(
        {"url": "http://h/rest-api/phonebook/12/", "name": "x", "user": 3}, Phonebook
    )
    assert book.id == 12
    assert book.user == 3


def test_additional_vars_arrive_as_a_json_string_and_become_a_dict() -> None:
    contact = converter.structure(
        {"id": 1, "contact": "1", "additional_vars": '{"params_1":"123456"}'}, Contact
    )
    assert contact.additional_vars == {"params_1": "123456"}
    as_object = converter.structure(
        {"id": 1, "contact": "1", "additional_vars": {"k": "v"}}, Contact
    )
    assert as_object.additional_vars == {"k": "v"}


@pytest.mark.parametrize("name", models.__all__)
def test_every_model_annotation_resolves_at_runtime(name: str) -> None:
    cls = getattr(models, name)
    if attrs.has(cls):
        hints = typing.get_type_hints(cls)
        assert set(hints) == {f.name for f in attrs.fields(cls)}
