"""Open enums: an unknown value, or a value of another JSON type, is a pseudo-member."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import AmdStatus, Disposition, SubscriberStatus
from alice_async._enums import UNKNOWN_INT, is_known_member


@pytest.mark.parametrize("raw", ["HUMAN", 1.5, [1], {"a": 1}, None])
def test_an_int_enum_takes_a_value_of_another_type_as_an_unknown_member(raw: Any) -> None:
    member = AmdStatus(raw)
    assert isinstance(member, AmdStatus)
    assert member.name == f"UNKNOWN_{raw}"
    assert member.value == raw
    assert int(member) == UNKNOWN_INT
    assert member not in list(AmdStatus)
    assert not is_known_member(AmdStatus, member.value)
    assert repr(member) == f"<AmdStatus.UNKNOWN_{raw}: {raw!r}>"
    assert str(member) == f"{member}" == str(raw)


def test_an_int_enum_keeps_reading_numbers_and_numeric_strings() -> None:
    assert AmdStatus("2") is AmdStatus.MACHINE  # type: ignore[arg-type]
    assert (AmdStatus(9).name, AmdStatus(9).value, int(AmdStatus(9))) == ("UNKNOWN_9", 9, 9)
    assert str(SubscriberStatus.COMPLETED) == str(SubscriberStatus.COMPLETED.value)
    assert f"{AmdStatus.PERSON:>3}" == "  1"


@pytest.mark.parametrize("raw", [3, 1.5, None, ["x"]])
def test_a_str_enum_takes_a_value_of_another_type_as_an_unknown_member(raw: Any) -> None:
    member = Disposition(raw)
    assert (member.name, member.value) == (f"UNKNOWN_{raw}", raw)
    assert member not in list(Disposition)
    assert str(member) == str(raw)
