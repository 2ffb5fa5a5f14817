"""Small shared types: the ``NOT_GIVEN`` sentinel and :class:`Timeout`."""

from __future__ import annotations

import enum
from typing import Final, Literal

import attrs

__all__ = ["NOT_GIVEN", "NotGiven", "Timeout", "TimeoutTypes"]


class NotGiven(enum.Enum):
    """The type of :data:`NOT_GIVEN`: "use the default", where ``None`` means something else."""

    NOT_GIVEN = enum.auto()

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN
"""Sentinel for an argument that was not given (``None`` may be meaningful)."""


@attrs.frozen
class Timeout:
    """Time limits of one request, in seconds.

    Args:
        total: the whole request, from sending to the last byte of the response
            (``None``: no limit).
        connect: opening a connection, including waiting for a free one in the pool.

    Example::

        AliceClient(timeout=Timeout(total=30, connect=5))
        await client.cdr.list(timeout=120).pages()   # per call: a float is the total
    """

    total: float | None = 60.0
    connect: float | None = 10.0


TimeoutTypes = Timeout | float | None
"""What ``timeout=`` accepts: a :class:`Timeout`, a total in seconds, or ``None`` (no limit)."""


def as_timeout(value: TimeoutTypes, default: Timeout) -> Timeout:
    """Normalise a ``timeout=`` argument (a float keeps the default's connect limit)."""
    if isinstance(value, Timeout):
        return value
    if value is None:
        return Timeout(total=None, connect=default.connect)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        from ._exceptions import InvalidInputError

        raise InvalidInputError("timeout", value, "must be a positive number of seconds")
    return Timeout(total=float(value), connect=default.connect)
