"""Client-side validation: every rule returns the value as it goes on the wire, or raises.

Each function takes the API field name first so that :class:`InvalidInputError` names the field
and the refused value (secrets are shown as ``<redacted>``). Rules follow docs/API.md §5: string
lengths, phone numbers as strings (an ``int`` lost its leading zero already), aware datetimes
(a naive one would dial people at the wrong hour), enum members or their values.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from ._converter import format_datetime, format_time, parse_datetime, parse_iso_datetime
from ._enums import is_known_member
from ._exceptions import InvalidInputError
from ._types import NotGiven

__all__ = [
    "RESERVED_HEADERS",
    "additional_vars",
    "aware_datetime",
    "boolean",
    "country",
    "email",
    "enum_value",
    "header_map",
    "int_range",
    "object_id",
    "object_ids",
    "open_text",
    "ordered",
    "phone_number",
    "phone_text",
    "query_map",
    "secret",
    "status_code",
    "text",
    "time_of_day",
]

E = TypeVar("E", bound=enum.Enum)

_PHONE_STRIP = str.maketrans("", "", " .-\u00a0\t")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_missing(value: object) -> bool:
    """Whether an argument was left out (``None`` or ``NOT_GIVEN``)."""
    return value is None or isinstance(value, NotGiven)


def require(field: str, value: Any) -> Any:
    """Refuse a missing required value."""
    if is_missing(value):
        raise InvalidInputError(field, value, "this field is required")
    return value


def text(field: str, value: Any, *, max_length: int | None = None, required: bool = False) -> str:
    """A string of at most ``max_length`` characters (non-blank when required)."""
    if not isinstance(value, str):
        raise InvalidInputError(field, value, f"expected a string, got {type(value).__name__}")
    if required and not value.strip():
        raise InvalidInputError(field, value, "must not be blank")
    if max_length is not None and len(value) > max_length:
        raise InvalidInputError(
            field, _shorten(value), f"at most {max_length} characters (got {len(value)})"
        )
    return value


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "..."


def phone_number(field: str, value: Any, *, max_length: int = 90) -> str:
    """A phone number as digits with an optional leading ``+``; spaces, dots, dashes removed.

    An ``int`` is refused: ``0934890883`` written as an integer has lost its leading zero.
    """
    number = phone_text(field, value).translate(_PHONE_STRIP)
    digits = number[1:] if number.startswith("+") else number
    if not digits or not digits.isascii() or not digits.isdigit():
        raise InvalidInputError(
            field, value, "expected digits with an optional leading '+' (spaces, dots, dashes ok)"
        )
    if len(number) > max_length:
        raise InvalidInputError(field, value, f"at most {max_length} characters")
    return number


def phone_text(field: str, value: Any) -> str:
    """A phone number's text as given; an ``int`` (its leading zero lost) is refused."""
    if isinstance(value, int):  # bool is an int too
        raise InvalidInputError(
            field,
            value,
            "phone numbers must be strings: as an int the leading zero is lost "
            f"(write {str(value)!r} with its leading zero, e.g. '0{value}')",
        )
    if not isinstance(value, str):
        raise InvalidInputError(field, value, f"expected a string, got {type(value).__name__}")
    return value


def email(field: str, value: Any) -> str:
    """An e-mail address of the usual ``name@host.tld`` shape (empty string allowed)."""
    address = text(field, value, max_length=254)
    if address and not _EMAIL.match(address):
        raise InvalidInputError(field, value, "not an e-mail address")
    return address


def aware_datetime(field: str, value: Any) -> str:
    """An aware datetime (or ISO-8601 text with an offset or ``Z``), sent as UTC with ``Z``."""
    if isinstance(value, str):
        try:
            value = parse_iso_datetime(value)
        except ValueError:
            raise InvalidInputError(field, value, "not an ISO-8601 datetime") from None
    if not isinstance(value, dt.datetime):
        raise InvalidInputError(
            field, value, f"expected an aware datetime, got {type(value).__name__}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError(
            field,
            value,
            "naive datetime: give it a time zone (e.g. tzinfo=timezone.utc), a wrong zone "
            "would dial people at the wrong hour",
        )
    try:
        return format_datetime(value)
    except (OverflowError, ValueError):
        raise InvalidInputError(field, value, "outside the years 1..9999 once in UTC") from None


def datetime_value(field: str, value: Any) -> dt.datetime:
    """Like :func:`aware_datetime` but returns the aware UTC datetime itself."""
    return parse_datetime(aware_datetime(field, value))


def time_of_day(field: str, value: Any) -> str:
    """A ``datetime.time`` or ``"HH:MM[:SS]"``, sent as ``HH:MM:SS``."""
    if isinstance(value, str):
        try:
            value = dt.time.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInputError(field, value, "expected a time of day HH:MM:SS") from None
    if not isinstance(value, dt.time):
        raise InvalidInputError(field, value, f"expected a time, got {type(value).__name__}")
    return format_time(value)


def enum_value(field: str, value: Any, enum_cls: type[E]) -> Any:
    """A documented member of ``enum_cls`` or its value; returns the raw value to send."""
    if isinstance(value, enum_cls) and is_known_member(enum_cls, value.value):
        return value.value
    if isinstance(value, (enum.Enum, bool)):
        raise InvalidInputError(field, value, f"expected a {enum_cls.__name__}")
    if is_known_member(enum_cls, value):
        return enum_cls(value).value
    choices = ", ".join(f"{m.name}={m.value!r}" for m in enum_cls)
    raise InvalidInputError(field, value, f"expected one of {choices}")


def object_id(field: str, value: Any, *, allow_numeric_str: bool = False) -> int:
    """A positive integer id (or, when allowed, a numeric string such as ``"343"``)."""
    if isinstance(value, str) and allow_numeric_str and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(field, value, f"expected an integer id, got {type(value).__name__}")
    if value < 1:
        raise InvalidInputError(field, value, "ids are positive integers")
    return value


def object_ids(field: str, value: Any) -> list[int]:
    """A non-empty list of ids (a single id is accepted and wrapped)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidInputError(field, value, "expected a list of integer ids")
    ids = [object_id(field, item) for item in value]
    if not ids:
        raise InvalidInputError(field, value, "at least one id is required")
    return ids


def int_range(field: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """An integer within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(field, value, f"expected an integer, got {type(value).__name__}")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{'' if low is None else low}..{'' if high is None else high}"
        raise InvalidInputError(field, value, f"must be within {bounds}")
    return value


def positive_number(field: str, value: Any, expected: str = "a number > 0") -> float:
    """A real number above zero (``NaN`` and booleans refused), as a ``float``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise InvalidInputError(field, value, f"expected {expected}")
    return float(value)


def boolean(field: str, value: Any) -> bool:
    """A real ``bool`` (filters send it as ``true``/``false``)."""
    if not isinstance(value, bool):
        raise InvalidInputError(field, value, f"expected True or False, got {type(value).__name__}")
    return value


def country(field: str, value: Any) -> str:
    """A two-letter country code (``"VN"``)."""
    code = text(field, value)
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise InvalidInputError(field, value, "expected a two-letter country code such as 'VN'")
    return code.upper()


def additional_vars(field: str, value: Any) -> str:
    """A dict of str to str, sent as a JSON-encoded string (docs/API.md §1)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidInputError(field, value, "a string must be a JSON object") from None
    if not isinstance(value, Mapping):
        raise InvalidInputError(
            field, value, f"expected a dict of str to str, got {type(value).__name__}"
        )
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise InvalidInputError(
                field, {key: item}, "keys and values must be strings (str to str)"
            )
    return json.dumps(dict(value), ensure_ascii=False, separators=(",", ":"))


RESERVED_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "host", "content-length", "transfer-encoding"}
)
"""Headers a caller may not set: the SDK's credentials and the message framing."""
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def header_map(field: str, value: Any) -> dict[str, str] | None:
    """Extra request headers (``None`` or empty: ``None``); names are HTTP tokens, values
    strings without line breaks. ``Authorization`` and the framing headers are refused: the
    SDK sets them (a stale token in ``extra_headers`` would otherwise win silently)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidInputError(field, value, "expected a mapping of header names to strings")
    headers: dict[str, str] = {}
    for name, text_value in value.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise InvalidInputError(field, name, "not a valid HTTP header name")
        if name.lower() in RESERVED_HEADERS:
            # The value is never shown: it may be a token.
            raise InvalidInputError(
                field,
                name,
                "set by the SDK itself (credentials and framing); pass token= or "
                "username/password to authenticate",
            )
        if not isinstance(text_value, str) or "\r" in text_value or "\n" in text_value:
            raise InvalidInputError(
                f"{field}[{name!r}]", text_value, "expected a string without line breaks"
            )
        headers[name] = text_value
    return headers or None


def query_map(field: str, value: Any) -> dict[str, str] | None:
    """Extra query parameters (``None`` or empty: ``None``), values as :func:`filter_value`
    sends them (floats as written)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidInputError(field, value, "expected a mapping of parameter names to values")
    query: dict[str, str] = {}
    for name, item in value.items():
        if not isinstance(name, str) or not name:
            raise InvalidInputError(field, name, "a parameter name is a non-empty string")
        where = f"{field}[{name!r}]"
        if isinstance(item, float) and not isinstance(item, bool):
            if item != item or item in (float("inf"), float("-inf")):
                raise InvalidInputError(where, item, "expected a finite number")
            query[name] = repr(item)
        else:
            query[name] = filter_value(where, item)
    return query or None


def filter_value(field: str, value: Any) -> str:
    """A query-string value: enums by value, bools as ``true``/``false``, datetimes as UTC."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, dt.datetime):
        return aware_datetime(field, value)
    raise InvalidInputError(
        field, value, f"unsupported filter value of type {type(value).__name__}"
    )


REDACTED = "<redacted>"


def secret(field: str, value: Any, *, max_length: int | None = None) -> str:
    """A required, non-blank secret string; errors show ``<redacted>``, never the value."""
    if is_missing(value):
        raise InvalidInputError(field, REDACTED, "this field is required")
    if not isinstance(value, str):
        raise InvalidInputError(field, REDACTED, f"expected a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidInputError(field, REDACTED, "must not be blank")
    if max_length is not None and len(value) > max_length:
        raise InvalidInputError(
            field, REDACTED, f"at most {max_length} characters (got {len(value)})"
        )
    return value


def ordered(
    field: str,
    value: Any,
    other_field: str,
    other: Any,
    *,
    after: bool,
    strict: bool = True,
) -> None:
    """Refuse ``value`` unless it comes after (or, with ``after=False``, before) ``other``.

    ``value`` and ``other`` are comparable values of one kind (two datetimes, two times);
    ``strict=False`` lets them be equal (inclusive bounds).
    """
    if value == other:
        if strict:
            relation = "after" if after else "before"
            raise InvalidInputError(field, value, f"must be strictly {relation} {other_field}")
        return
    if (value > other) != after:
        relation = "after" if after else "before"
        raise InvalidInputError(field, value, f"must be {relation} {other_field} ({other})")


def open_text(field: str, value: Any, enum_cls: type[E]) -> str:
    """A member of a string enum, documented or not, or any non-blank string (filters).

    For values whose list is open-ended (hangup causes): a new value is not an error.
    """
    if isinstance(value, enum_cls):
        return str(value.value)
    if isinstance(value, enum.Enum):
        raise InvalidInputError(field, value, f"expected a {enum_cls.__name__} or a string")
    return text(field, value, required=True)


def status_code(field: str, value: Any) -> str:
    """A numeric code (``404`` or ``"404"``) as text, for SIP status and cause filters."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return value.strip()
    raise InvalidInputError(field, value, "expected a numeric code such as 404 or '404'")
