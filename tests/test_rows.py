"""The fast row builder equals the converter: same models, same errors, odd rows included.

``alice_async._rows.row_builder`` generates a ``dict -> model`` function for the big pulls
(CDRs, subscribers). These property tests draw rows of every model the fast path accepts, with
the values servers send and the ones they should not (hyperlinks for ids, numeric strings,
unknown enum values, values of another JSON type, missing keys, extra keys, ``url`` for
``id``, not a dict at all), and check that the fast path and the cattrs converter give the
same model (field for field: type, name and value) or the same error.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import json
import types
import typing
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alice_async.models as models
from alice_async import APIResponseValidationError, Cdr, Subscriber
from alice_async._converter import converter
from alice_async._rows import model_rows, row_builder, structure_many

WHERE = "cdr/?page=2"


def _slow(model: type[Any]) -> Any:
    hook = converter.get_structure_hook(model)
    return lambda item: hook(item, model)


def _takes_the_fast_path(model: type[Any]) -> bool:
    slow = _slow(model)
    return row_builder(model, slow) is not slow


FAST_MODELS = [
    model for _, model in inspect.getmembers(models, attrs.has) if _takes_the_fast_path(model)
]
"""Every model the fast path can build (it hands the others straight to the converter)."""


def test_the_big_list_models_take_the_fast_path() -> None:
    assert {Cdr, Subscriber} <= set(FAST_MODELS)


# -- rows ------------------------------------------------------------------------------------

ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
"""A value of any JSON type: what a field should never hold, and sometimes does."""

_DATETIMES = st.datetimes(
    min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1)
).flatmap(
    lambda moment: st.sampled_from(
        [
            moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),  # the server's own shapes
            moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",  # milliseconds
            moment.strftime("%Y-%m-%dT%H:%M:%S+07:00"),  # an offset
            moment.strftime("%Y-%m-%d %H:%M:%S"),  # naive
            moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ ").upper(),  # trailing space
        ]
    )
)


def _values(tp: Any) -> st.SearchStrategy[Any]:
    """Values of a field of type ``tp``: right ones, near misses and any JSON value."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return st.one_of(*(_values(arg) for arg in typing.get_args(tp)))
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        known = [member.value for member in tp]
        unknown = st.integers(-5, 99) if issubclass(tp, int) else st.text(max_size=12)
        other_type = st.text(max_size=6) if issubclass(tp, int) else st.integers(-5, 99)
        numeric = st.sampled_from([str(v) for v in known])
        return st.one_of(st.sampled_from(known), unknown, other_type, numeric, ODD)
    if tp is bool:
        words = st.sampled_from(["true", "false", "1", "0", "True", "yes"])
        return st.one_of(st.booleans(), words, st.sampled_from([0, 1, 2]), ODD)
    if tp is int:
        ids = st.integers(0, 10**9)
        links = ids.map(lambda n: f"https://alice.example/rest-api/campaign/{n}/")
        return st.one_of(ids, ids.map(str), links, ids.map(lambda n: f" {n} "), ODD)
    if tp is str:
        return st.one_of(st.text(max_size=20), st.integers(), ODD)
    if tp is dt.datetime:
        return st.one_of(_DATETIMES, st.text(max_size=10), ODD)
    if tp == dict[str, str]:  # additional_vars: an object, JSON text, or numbers inside
        objects = st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3)
        return st.one_of(objects, objects.map(json.dumps), st.just(""), ODD)
    return ODD


def _typical(tp: Any) -> st.SearchStrategy[Any]:
    """What a server usually sends for a field of type ``tp`` (the fast path's own ground)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return st.one_of(*(_typical(arg) for arg in typing.get_args(tp)))
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([member.value for member in tp])
    if tp is dt.datetime:
        moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1))
        return moments.map(lambda m: m.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    if tp in (bool, str):
        return st.from_type(tp)
    if tp is int:
        return st.integers(0, 10**9)
    if tp == dict[str, str]:
        return st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3)
    return ODD


@st.composite
def rows(draw: st.DrawFn, model: type[Any]) -> Any:
    """A row of ``model``: a typical one, or one with a few odd fields, missing or stray keys
    (or, now and then, not a dict at all)."""
    if draw(st.integers(0, 40)) == 0:
        return draw(ODD)
    hints = typing.get_type_hints(model)
    names = [field.name for field in attrs.fields(model)]
    row = {name: draw(_typical(hints[name]), name) for name in names}
    if draw(st.booleans()):  # half the rows stay typical: the fast path builds them itself
        return row
    for name in draw(st.sets(st.sampled_from(names), min_size=1, max_size=3), "odd fields"):
        if draw(st.integers(0, 4)) == 0:
            del row[name]
        else:
            row[name] = draw(_values(hints[name]), name)
    if "id" in row and draw(st.booleans()):
        row["url"] = f"https://alice.example/rest-api/x/{row.pop('id')}/"
    row.update(draw(st.dictionaries(st.sampled_from(["extra", "note"]), ODD, max_size=2)))
    return row


# -- comparing -------------------------------------------------------------------------------


def _fingerprint(value: Any) -> Any:
    """What must be equal, field for field: the type, and the repr (names pseudo-members)."""
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return (type(value), tuple(_fingerprint(getattr(value, f.name)) for f in fields))
    if isinstance(value, dt.datetime):
        return (dt.datetime, value.isoformat(), value.utcoffset())
    return (type(value), repr(value))


def outcome(build: Any, *args: Any) -> Any:
    """``("ok", fingerprint)`` or ``("error", type, message)``."""
    try:
        return ("ok", _fingerprint(build(*args)))
    except Exception as exc:
        return ("error", type(exc), str(exc))


@pytest.mark.parametrize("model", FAST_MODELS, ids=lambda m: m.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_one_row_fast_equals_the_converter(model: type[Any], data: st.DataObject) -> None:
    row = data.draw(rows(model))
    slow = _slow(model)
    assert outcome(row_builder(model, slow), row) == outcome(slow, row)


@pytest.mark.parametrize("model", FAST_MODELS, ids=lambda m: m.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_page_fast_equals_the_converter_or_the_same_api_error(
    model: type[Any], data: st.DataObject
) -> None:
    page = data.draw(st.lists(rows(model), max_size=4))
    fast = outcome(model_rows(model), page, WHERE)
    assert fast == outcome(structure_many, page, model, WHERE)
    if fast[0] == "error":
        assert fast[1] is APIResponseValidationError  # never a raw TypeError or KeyError


def test_an_enum_value_of_another_json_type_is_an_unknown_member_on_both_paths() -> None:
    row = {"id": 1, "amd_status": "HUMAN", "disposition": 3, "leg_type": [2]}
    for build in (row_builder(Cdr, _slow(Cdr)), _slow(Cdr)):
        call = build(row)
        assert call.amd_status is not None
        assert (call.amd_status.name, call.amd_status.value) == ("UNKNOWN_HUMAN", "HUMAN")
        assert call.disposition is not None
        assert (call.disposition.name, call.disposition.value) == ("UNKNOWN_3", 3)
        assert (call.leg_type.name, call.leg_type.value) == ("UNKNOWN_[2]", [2])
