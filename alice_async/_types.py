"""Small shared types: the ``NOT_GIVEN`` sentinel, :class:`Timeout` and ``StrOrInt``."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs

from ._exceptions import InvalidInputError

__all__ = ["NOT_GIVEN", "Headers", "NotGiven", "Query", "StrOrInt", "Timeout", "TimeoutTypes"]

StrOrInt = str | int | None
"""A field some servers render as a username and others as an id."""


class NotGiven(enum.Enum):
    """The type of :data:`NOT_GIVEN`: "use the default", where ``None`` means something else."""

    NOT_GIVEN = enum.auto()

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN
"""Sentinel for an argument that was not given (``None`` may be meaningful)."""


def _no_limit_if_infinite(value: Any) -> Any:
    if isinstance(value, float) and value == math.inf:
        return None
    return value


def _seconds_or_none(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidInputError(
            f"timeout.{attribute.name}", value, "must be a positive number of seconds or None"
        )


@attrs.frozen
class Timeout:
    """Time limits of one request, in seconds.

    Args:
        total: the whole request, from sending to the last byte of the response
            (``None`` or ``math.inf``: no limit).
        connect: opening a connection, including waiting for a free one in the pool.

    Example::

        AliceClient(timeout=Timeout(total=30, connect=5))
        await client.cdr.list(timeout=120).pages()   # per call: a float is the total
    """

    total: float | None = attrs.field(
        default=60.0, converter=_no_limit_if_infinite, validator=_seconds_or_none
    )
    connect: float | None = attrs.field(
        default=10.0, converter=_no_limit_if_infinite, validator=_seconds_or_none
    )


TimeoutTypes = Timeout | float | None
"""What ``timeout=`` accepts: a :class:`Timeout`, a total in seconds, or ``None`` (no limit)."""


def as_timeout(value: TimeoutTypes, default: Timeout) -> Timeout:
    """Normalise a ``timeout=`` argument (a float keeps the default's connect limit)."""
    if isinstance(value, Timeout):
        return value
    if value is None or (isinstance(value, float) and value == math.inf):
        return Timeout(total=None, connect=default.connect)
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidInputError("timeout", value, "must be a positive number of seconds")
    return Timeout(total=float(value), connect=default.connect)


Headers = Mapping[str, str]
"""What ``extra_headers=`` and ``default_headers=`` accept: header names to string values."""

Query = Mapping[str, "str | int | float"]
"""What ``extra_query=`` accepts: query parameter names to values (sent as text)."""
