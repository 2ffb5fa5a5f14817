"""Enum bases that tolerate values no document lists.

``SubscriberStatus(42)`` does not raise: it returns a pseudo-member named ``UNKNOWN_42`` whose
value is 42, so a response carrying a new status never crashes a pull. Pseudo-members are not
listed when iterating the enum, and client-side validation refuses them as input.
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["OpenIntEnum", "OpenStrEnum", "is_known_member"]


class OpenIntEnum(enum.IntEnum):
    """An ``IntEnum`` whose unknown values become ``UNKNOWN_<n>`` pseudo-members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                return cls(int(value))
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member


class OpenStrEnum(str, enum.Enum):
    """A string enum whose unknown values become pseudo-members named after the value."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
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
