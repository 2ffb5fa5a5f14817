"""The contact rules: the fast path equals the full rules, on generated rows with odd values."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alice_async import InvalidInputError
from alice_async._contact_rules import (
    CONTACT_FIELDS,
    contact_body,
    contact_body_full,
    keyed_contact_body,
)
from alice_async._phone import PhoneRules

_numbers = st.one_of(
    st.text("0123456789", max_size=12),
    st.sampled_from(["0934890883", "+84 934 890 883", "84934890883", "9.34891E+08", "0934 ext 1"]),
    st.text("0123456789 +-.()x", max_size=16),
    st.text("0123456789", min_size=89, max_size=95),
    st.integers(),
    st.none(),
)
_texts = st.one_of(
    st.text(max_size=8),
    st.text(max_size=130),
    st.sampled_from(["Linh", unicodedata.normalize("NFD", "Nguyễn Thị"), "x" * 121, "a@b.vn"]),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.none(),
    st.lists(st.text(max_size=3), max_size=2),
)
_values: dict[str, st.SearchStrategy[Any]] = {
    "contact": _numbers,
    "status": st.one_of(st.sampled_from([0, 1, 2, "1", "active", True, None]), st.integers()),
    "first_name": _texts,
    "last_name": _texts,
    "email": st.one_of(_texts, st.sampled_from(["an@example.vn", "not-an-email", ""])),
    "description": _texts,
    "additional_vars": st.one_of(
        st.none(), st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2), _texts
    ),
    "country": st.one_of(st.sampled_from(["VN", "vn", "VNM"]), _texts),
    "unknown_column": _texts,
}
_rows = st.fixed_dictionaries({}, optional=_values)
_phones = st.one_of(
    st.none(),
    st.builds(
        PhoneRules,
        region=st.sampled_from(["VN", "US", None]),
        phone_format=st.sampled_from(["national", "e164", "as-given"]),
    ),
)


def _outcome(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return ("ok", function(*args, **kwargs))
    except InvalidInputError as exc:
        return ("error", exc.field, repr(exc.value), exc.reason)


@settings(max_examples=400)
@given(row=_rows, partial=st.booleans(), phones=_phones)
def test_the_fast_path_gives_the_body_or_the_error_of_the_full_rules(
    row: dict[str, Any], partial: bool, phones: PhoneRules | None
) -> None:
    fast = _outcome(contact_body, row, partial=partial, phones=phones)
    full = _outcome(lambda: contact_body_full(row, partial=partial, phones=phones)[0])
    assert fast == full


@settings(max_examples=200)
@given(row=_rows, phones=_phones)
def test_the_key_of_the_fast_path_is_the_key_of_the_full_rules(
    row: dict[str, Any], phones: PhoneRules | None
) -> None:
    fast = _outcome(keyed_contact_body, row, phones)
    full = _outcome(contact_body_full, row, phones=phones)
    assert fast == full


def test_text_fields_are_stored_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    body = contact_body(
        {"contact": "0934890883", "first_name": decomposed, "description": decomposed}
    )
    assert body["first_name"] == body["description"] == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", body["first_name"])


def test_every_documented_field_is_read() -> None:
    row = dict.fromkeys(CONTACT_FIELDS) | {"contact": "0934890883"}
    assert contact_body(row) == {"contact": "0934890883", "status": 1}


def test_contact_body_validates_every_field() -> None:
    body = contact_body(
        {
            "contact": "0934 890 883",
            "first_name": "Linh",
            "country": "vn",
            "additional_vars": {"k": "v"},
        }
    )
    assert body == {
        "contact": "0934890883",
        "status": 1,
        "first_name": "Linh",
        "country": "VN",
        "additional_vars": '{"k":"v"}',
    }
    with pytest.raises(InvalidInputError) as info:
        contact_body({"contact": "0934", "last_name": "x" * 121})
    assert info.value.field == "last_name"
    with pytest.raises(InvalidInputError) as info:
        contact_body({"first_name": "no number"})
    assert info.value.field == "contact"
