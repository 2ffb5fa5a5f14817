"""The SDK's one cattrs converter, built like cattrs' ``preconf`` converters.

Hooks, all tolerant of what docs/API.md says servers really send:

- ``datetime``: ISO-8601 with ``Z``, an offset, milli- or microseconds -> aware UTC;
- ``time``: ``HH:MM:SS``; ``date``: ``YYYY-MM-DD``;
- ``int``: an int, a numeric string, or an absolute hyperlink whose last path segment is the
  id (the hyperlinked variant renders relations as URLs);
- attrs models: an object carrying ``url`` instead of ``id`` gets its ``id`` from the URL;
  unknown keys are ignored;
- ``dict[str, str]`` (``additional_vars``): a JSON-encoded string or an object;
- unstructuring (``Model.to_dict()``) gives JSON data back: datetimes ISO-8601 in UTC with
  ``Z``, enums their API value (an unknown member the raw value the server sent).

Never use ``cattrs.global_converter``: users may have configured it for their own classes.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from ._enums import OpenIntEnum, OpenStrEnum
from ._types import StrOrInt

__all__ = [
    "converter",
    "format_datetime",
    "format_time",
    "iso_z_datetime",
    "make_converter",
    "parse_datetime",
    "parse_iso_datetime",
    "parse_time",
    "structure_id",
]

T = TypeVar("T")

UTC = dt.timezone.utc


_from_iso = dt.datetime.fromisoformat

if sys.version_info >= (3, 11):
    _from_iso_z = _from_iso  # reads the trailing Z itself, as timezone.utc
else:  # pragma: no cover - exercised on Python 3.10

    def _from_iso_z(text: str) -> dt.datetime:
        return _from_iso(text[:-1] + "+00:00")


iso_z_datetime = _from_iso_z
"""The aware UTC datetime of ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` (ValueError for anything else
of that length); :func:`parse_datetime`'s fast branch, inlined by the row builders."""


def parse_datetime(value: Any, _: Any = None) -> dt.datetime:
    """An aware UTC datetime from the server's ISO-8601 text (``...Z`` or ``...+07:00``)."""
    if type(value) is str and len(value) in (20, 27) and value[-1] == "Z":
        # The server's own shapes, ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``, straight to an aware
        # datetime (no ``replace``/``astimezone``, 10x faster than the general path below):
        # million-row CDR pulls parse one per row.
        try:
            return _from_iso_z(value)
        except ValueError:
            value = value.strip()  # not quite that shape: the general path below decides
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = parse_iso_datetime(value)
    else:
        raise TypeError(f"expected an ISO-8601 string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_iso_datetime(value: str) -> dt.datetime:
    """A datetime from ISO-8601 text, as written: naive when the text has no offset.

    The one parser of the SDK's datetimes (responses, arguments, the CLI): ``Z`` or ``z`` for
    UTC, any number of fractional digits (Python 3.10's ``fromisoformat`` takes 3 or 6).

    Raises:
        ValueError: not an ISO-8601 datetime.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.fromisoformat(_normalise_fraction(text))


def _normalise_fraction(text: str) -> str:
    """Pad or cut fractional seconds to 6 digits (Python 3.10's fromisoformat needs 3 or 6)."""
    head, dot, rest = text.partition(".")
    if not dot:
        raise ValueError(f"not an ISO-8601 datetime: {text!r}")
    digits = ""
    for ch in rest:
        if not ch.isdigit():
            break
        digits += ch
    tail = rest[len(digits) :]
    return f"{head}.{(digits + '000000')[:6]}{tail}"


def format_datetime(value: dt.datetime) -> str:
    """ISO-8601 in UTC with microseconds and ``Z`` (the server's own format).

    Raises:
        OverflowError: the instant, moved to UTC, falls outside years 1..9999.
    """
    utc = value.astimezone(UTC)
    # isoformat pads the year to four digits on every platform; strftime("%Y") does not.
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_time(value: Any, _: Any = None) -> dt.time:
    """A time of day from ``HH:MM[:SS[.ffffff]]``."""
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected HH:MM:SS, got {type(value).__name__}")
    return dt.time.fromisoformat(value.strip())


def _structure_date(value: Any, _: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected YYYY-MM-DD, got {type(value).__name__}")
    return dt.date.fromisoformat(value.strip())


def format_time(value: dt.time) -> str:
    """``HH:MM:SS``."""
    return value.strftime("%H:%M:%S")


def structure_id(value: Any, _: Any = None) -> int:
    """An integer id from an int, a numeric string or a hyperlink (``.../phonebook/293/``)."""
    if type(value) is int:
        return value
    if isinstance(value, bool):
        raise TypeError("expected an integer, got a bool")
    if isinstance(value, str):
        text = value.strip()
        if "://" in text or text.startswith("/"):
            segments = [s for s in text.split("?")[0].split("/") if s]
            text = segments[-1] if segments else ""
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"expected an integer id, got {value!r}") from None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _structure_enum(value: Any, cls: type[enum.Enum]) -> Any:
    # Open enums turn unknown values into pseudo-members instead of raising.
    return cls(value)


def _enum_value(member: enum.Enum) -> Any:
    # The raw value, also for a pseudo-member of a value no document lists.
    return member._value_


def _structure_str_or_int(value: Any, _: Any) -> str | int | None:
    if value is None or isinstance(value, (str, int)):
        return value
    raise TypeError(f"expected a string or an integer, got {type(value).__name__}")


def _structure_str_dict(value: Any, _: Any) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise TypeError(f"expected a boolean, got {value!r}")


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _model_hook_factory(conv: cattrs.Converter) -> Callable[[type[Any]], Callable[..., Any]]:
    def factory(cls: type[Any]) -> Callable[..., Any]:
        base = make_dict_structure_fn(cls, conv)
        if "id" not in attrs.fields_dict(cls):
            return base

        def structure(data: Any, cl: Any) -> Any:
            if type(data) is dict and "id" not in data and "url" in data:
                data = {**data, "id": data["url"]}
            return base(data, cl)

        return structure

    return factory


def make_converter() -> cattrs.Converter:
    """Build the converter the SDK uses for every response model."""
    conv = cattrs.Converter(forbid_extra_keys=False)
    conv.register_structure_hook(dt.datetime, parse_datetime)
    conv.register_structure_hook(dt.time, parse_time)
    # Hooks on int/str/bool are found through the MRO: enums need their own, more specific ones.
    conv.register_structure_hook(int, structure_id)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(OpenIntEnum, _structure_enum)
    conv.register_structure_hook(OpenStrEnum, _structure_enum)
    conv.register_structure_hook(enum.Enum, _structure_enum)
    conv.register_structure_hook_func(lambda t: t == StrOrInt, _structure_str_or_int)
    conv.register_structure_hook_func(lambda t: t == dict[str, str], _structure_str_dict)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    # A datetime is a date: dispatch follows the MRO, so it finds its own hook first.
    conv.register_unstructure_hook(dt.datetime, format_datetime)
    conv.register_unstructure_hook(dt.time, format_time)
    # An enum member is an int or a str too, and those hooks come first in its MRO: without
    # these, unstructuring would hand back the member itself, not its API value.
    conv.register_unstructure_hook(OpenIntEnum, _enum_value)
    conv.register_unstructure_hook(OpenStrEnum, _enum_value)
    conv.register_unstructure_hook(enum.Enum, _enum_value)
    conv.register_structure_hook_factory(attrs.has, _model_hook_factory(conv))
    return conv


converter = make_converter()
