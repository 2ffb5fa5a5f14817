"""Models as plain data: ``to_dict``, ``to_json`` and ``from_dict`` on every public model.

The property tests build arbitrary instances of every model from its annotations (aware
datetimes in any offset, known and unknown enum members, nested models) and check that the
plain data is JSON, that the JSON reads back to the same data, and that both structure back
into an equal model through the SDK's converter.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import alice_async
from alice_async import (
    AmdStatus,
    Campaign,
    CampaignProgress,
    CampaignStatus,
    Cdr,
    Contact,
    Disposition,
    InvalidInputError,
    SubscriberStatus,
)
from alice_async._converter import converter
from alice_async._enums import OpenIntEnum
from alice_async.models._common import PlainData

UTC = dt.timezone.utc

PUBLIC_MODELS = sorted(
    (
        obj
        for name in alice_async.__all__
        if attrs.has(obj := getattr(alice_async, name))
        and obj.__module__.startswith("alice_async.models")
    ),
    key=lambda model: model.__name__,
)


def test_every_public_model_is_plain_data() -> None:
    assert len(PUBLIC_MODELS) == 18  # 16 resource models, CampaignProgress, Progress
    assert [m.__name__ for m in PUBLIC_MODELS if not issubclass(m, PlainData)] == []


# -- strategies from the annotations ------------------------------------------------------

_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
_DATETIMES = st.datetimes(
    min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=_OFFSETS
)


def _enum_members(cls: type[enum.Enum]) -> st.SearchStrategy[Any]:
    known = st.sampled_from(list(cls))
    values = {member.value for member in cls}
    if issubclass(cls, OpenIntEnum):
        unknown = st.integers(-1000, 1000).filter(lambda v: v not in values) | st.text(
            st.characters(categories=["Lu"]), min_size=1, max_size=5
        )
    else:
        unknown = st.text(min_size=1, max_size=8).filter(lambda v: v not in values)
    return known | unknown.map(cls)


def strategy_for(annotation: Any) -> st.SearchStrategy[Any]:
    """Values of ``annotation`` as the server could send them (JSON-safe numbers)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy_for(arg) for arg in args))
    if origin is list:
        return st.lists(strategy_for(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(strategy_for(args[0]), strategy_for(args[1]), max_size=3)
    if annotation is type(None):
        return st.none()
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _enum_members(annotation)
    if attrs.has(annotation):
        return model_strategy(annotation)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        bool: st.booleans(),
        int: st.integers(-(2**53), 2**53),
        float: st.floats(allow_nan=False, allow_infinity=False),
        str: st.text(max_size=20),
        dt.datetime: _DATETIMES,
        dt.date: st.dates(),
        dt.time: st.times().map(lambda t: t.replace(microsecond=0)),  # the API's HH:MM:SS
    }
    return simple[annotation]


def model_strategy(model: type[Any]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(model)
    fields = {field.name: strategy_for(hints[field.name]) for field in attrs.fields(model)}
    return st.builds(model, **fields)


def _is_json_data(value: Any) -> bool:
    if value is None or type(value) in (bool, int, float, str):
        return True
    if type(value) is list:
        return all(_is_json_data(item) for item in value)
    if type(value) is dict:
        return all(type(k) in (str, int) and _is_json_data(v) for k, v in value.items())
    return False


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_to_json_reads_back_and_round_trips_through_the_converter(
    model: type[Any], data: st.DataObject
) -> None:
    instance = data.draw(model_strategy(model))

    plain = instance.to_dict()
    assert _is_json_data(plain)
    parsed = json.loads(instance.to_json())
    assert parsed == json.loads(json.dumps(plain))  # object keys become strings, nothing else
    assert json.loads(instance.to_json(indent=2)) == parsed
    assert model.from_dict(plain) == instance
    assert converter.structure(parsed, model) == instance
    assert model.from_dict(parsed).to_dict() == plain


# -- the shapes ------------------------------------------------------------------------------


def _campaign(**changes: Any) -> Campaign:
    fields: dict[str, Any] = {
        "id": 7,
        "name": "Chiến dịch Nguyễn",
        "startingdate": dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        "daily_start_time": dt.time(8, 0),
        "status": CampaignStatus.STARTED,
        "phonebook": [3, 4],
    }
    return Campaign(**{**fields, **changes})


def test_datetimes_are_iso_8601_in_utc_with_z_and_times_hh_mm_ss() -> None:
    data = _campaign().to_dict()
    assert data["startingdate"] == "2026-03-01T01:00:00.000000Z"
    assert data["daily_start_time"] == "08:00:00"
    assert data["expirationdate"] is None


def test_enums_are_their_api_values_and_unknown_members_their_raw_value() -> None:
    assert _campaign().to_dict()["status"] == 1
    assert _campaign(status=CampaignStatus(42)).to_dict()["status"] == 42
    cdr = Cdr(id=1, disposition=Disposition.ANSWER, amd_status=AmdStatus("HUMAN"))  # type: ignore[arg-type]
    data = cdr.to_dict()
    assert (data["disposition"], data["amd_status"]) == ("ANSWER", "HUMAN")
    assert Cdr.from_dict(data).amd_status.value == "HUMAN"  # type: ignore[union-attr]


def test_nested_models_are_dicts_and_enum_keys_their_values() -> None:
    progress = CampaignProgress(
        campaign=_campaign(),
        subscribers={SubscriberStatus.PENDING: 2, SubscriberStatus.COMPLETED: 1},
        subscribers_total=3,
        calls_placed=1,
        calls_answered=1,
        talk_seconds=30,
        dnc_left_out=None,
        estimated_end=None,
        taken_at=dt.datetime(2026, 3, 1, tzinfo=UTC),
        time_zone="Asia/Ho_Chi_Minh",
        requests=4,
    )
    data = progress.to_dict()
    assert data["campaign"]["name"] == "Chiến dịch Nguyễn"
    pending, completed = SubscriberStatus.PENDING.value, SubscriberStatus.COMPLETED.value
    assert data["subscribers"] == {pending: 2, completed: 1}
    assert json.loads(progress.to_json())["subscribers"] == {str(pending): 2, str(completed): 1}
    assert CampaignProgress.from_dict(json.loads(progress.to_json())) == progress


def test_to_json_is_compact_keeps_vietnamese_and_indents_on_request() -> None:
    text = Contact(id=1, contact="0912345678", first_name="Nguyễn").to_json()
    assert isinstance(text, str)
    assert '"first_name":"Nguyễn"' in text
    assert "\n" not in text
    indented = Contact(id=1, first_name="Nguyễn").to_json(indent=2)
    assert '\n  "first_name": "Nguyễn",' in indented


def test_from_dict_reads_raw_api_objects_too() -> None:
    raw = {"id": "12", "phonebook": "https://x/rest-api/phonebook/3/", "contact": "0912"}
    assert Contact.from_dict(raw) == Contact(id=12, phonebook=3, contact="0912")


def test_from_dict_refuses_what_is_not_the_model_naming_the_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Campaign.from_dict({"id": "seven", "name": "x"})
    assert caught.value.field == "data"
    assert "Campaign" in caught.value.reason
    assert "data.id" in caught.value.reason
    with pytest.raises(InvalidInputError):
        Campaign.from_dict({"name": "no id"})
