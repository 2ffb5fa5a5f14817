"""The rules of one contact (``alice_async._bodies``), shared by ``contacts`` and bulk upload."""

from __future__ import annotations

import pytest

from alice_async import InvalidInputError
from alice_async._bodies import contact_body


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
