"""The filters of the big lists are declared once (``resources/_filters.py``) and applied there."""

from __future__ import annotations

import datetime as dt
import inspect
import typing
from typing import Annotated, Any

import pytest

import alice_sync
from alice_async import AliceClient, CdrFilters, InvalidInputError, SubscriberFilters
from alice_async._compat import Unpack
from alice_async._validation import int_range
from alice_async.resources._filters import CdrFieldFilters, Rule, cdr_query, rules_of, validated
from alice_async.resources.cdr import Cdrs


def test_validated_leaves_out_nothing_and_keeps_none_for_filters_not_given() -> None:
    params = cdr_query({"campaign": 3, "alarm": True})
    assert {k: v for k, v in params.items() if v is not None} == {"campaign": 3, "alarm": True}
    assert set(params) == set(typing.get_type_hints(CdrFilters))


def test_every_filter_carries_exactly_one_rule() -> None:
    for filters in (CdrFieldFilters, CdrFilters, SubscriberFilters):
        hints = typing.get_type_hints(filters, include_extras=True)
        assert set(rules_of(filters)) == set(hints)
        for name, hint in hints.items():
            assert [m for m in hint.__metadata__ if isinstance(m, Rule)], name


def test_an_unknown_filter_name_is_refused_naming_it_and_the_known_ones(
    offline_client: AliceClient,
) -> None:
    with pytest.raises(InvalidInputError) as info:
        offline_client.cdr.list(campaing=3)  # type: ignore[call-overload]
    assert info.value.field == "campaing"
    assert "campaign" in str(info.value)
    with pytest.raises(InvalidInputError, match="contact"):
        offline_client.subscribers.list(phone=3)  # type: ignore[call-overload]


def test_reversed_bounds_are_refused() -> None:
    start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
    with pytest.raises(InvalidInputError) as info:
        cdr_query({"from_date": start, "to_date": start - dt.timedelta(days=1)})
    assert info.value.field in ("from_date", "to_date")


class _Grown(CdrFilters, total=False):
    """CdrFilters with one more filter, written once (what a maintainer's one edit adds)."""

    recording: Annotated[int | None, Rule(int_range, low=0, high=1)]


def test_a_new_filter_is_one_annotated_key() -> None:
    """Adding a filter is one line: its rule comes with it, the methods take it via Unpack."""
    assert validated(_Grown, {"recording": 1})["recording"] == 1
    with pytest.raises(InvalidInputError) as info:
        validated(_Grown, {"recording": 2})
    assert info.value.field == "recording"


@pytest.mark.parametrize(
    ("method", "filters"),
    [
        ("list", CdrFilters),
        ("export", CdrFilters),
        ("iter_windows", CdrFieldFilters),
    ],
)
def test_cdr_methods_and_their_sync_twins_take_the_filters_as_one_typed_dict(
    method: str, filters: Any
) -> None:
    """The generated sync facade spells ``**filters: Unpack[...]`` too: no list to keep."""
    for cls in (Cdrs, alice_sync._resources.Cdrs):
        parameters = inspect.signature(getattr(cls, method)).parameters
        assert parameters["filters"].kind is inspect.Parameter.VAR_KEYWORD
        hints = typing.get_type_hints(getattr(cls, method))
        assert hints["filters"] == Unpack[filters]
        assert not set(typing.get_type_hints(filters)) & set(parameters)


def test_subscriber_filter_values_go_on_the_wire_validated() -> None:
    params = validated(SubscriberFilters, {"campaign": 7, "duration": 0})
    assert params["campaign"] == 7
    assert params["duration"] == 0
    with pytest.raises(InvalidInputError):
        validated(SubscriberFilters, {"duration": -1})
