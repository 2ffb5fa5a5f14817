"""Enum bases that tolerate values no document lists.

``SubscriberStatus(42)`` does not raise: it returns a pseudo-member named ``UNKNOWN_42`` whose
value is 42, so a response carrying a new status never crashes a pull. A value of another JSON
type than the enum's (``AmdStatus("HUMAN")``, a string where integer codes are documented;
``Disposition(3)``) becomes a pseudo-member too, ``UNKNOWN_HUMAN`` keeping the raw value as its
``value`` (as an ``int``, such a member of an integer enum is ``UNKNOWN_INT``, -1, which no
documented code uses). Pseudo-members are not listed when iterating the enum, and client-side
validation refuses them as input.
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["UNKNOWN_INT", "OpenIntEnum", "OpenStrEnum", "is_known_member"]

UNKNOWN_INT = -1
"""The ``int`` of an :class:`OpenIntEnum` pseudo-member whose raw value is not an integer."""


def _pseudo_member(cls: type[Any], base: type, as_base: object, raw: object) -> Any:
    member: Any = base.__new__(cls, as_base)
    member._name_ = f"UNKNOWN_{raw}"
    member._value_ = raw
    return member


class OpenIntEnum(enum.IntEnum):
    """An ``IntEnum`` whose unknown values become ``UNKNOWN_<value>`` pseudo-members."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"

    def __str__(self) -> str:
        # What IntEnum prints (the number), or the raw value of a non-integer pseudo-member.
        return str(self._value_)

    def __format__(self, spec: str) -> str:
        return format(self._value_, spec)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return cls(int(value))
        if isinstance(value, bool) or not isinstance(value, int):
            return _pseudo_member(cls, int, UNKNOWN_INT, value)
        return _pseudo_member(cls, int, value, value)


class OpenStrEnum(str, enum.Enum):
    """A string enum whose unknown values become pseudo-members named after the value."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return _pseudo_member(cls, str, str(value), value)
        member = str.__new__(cls, value)
        member._name_ = value.upper() if value.isidentifier() else f"UNKNOWN_{value}"
        member._value_ = value
        return member


def is_known_member(enum_cls: type[enum.Enum], value: Any) -> bool:
    """Whether ``value`` is a documented member of ``enum_cls`` (not a pseudo-member)."""
    try:
        return value in enum_cls._value2member_map_
    except TypeError:  # unhashable: a list, a dict...
        return False
