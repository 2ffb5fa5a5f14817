"""Request-body validation with Django REST Framework's rules and messages.

A resource declares its writable fields as :class:`Field` specs; :func:`validate` turns a
JSON body into clean values or raises :class:`ValidationError` with DRF's
``{"field": ["message"]}`` mapping. Relations are checked against the caller's account
through the ``exists`` callback (ids, numeric strings and hyperlinks are all accepted).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._errors import ValidationError
from ._time import DATETIME_ERROR, TIME_ERROR, format_datetime, parse_datetime, parse_time

__all__ = ["NO_DEFAULT", "Exists", "Field", "FieldError", "clean_value", "validate"]

REQUIRED = "This field is required."
NO_DEFAULT: Any = object()

#: ``exists(resource, id)``: does the caller's account own that row?
Exists = Callable[[str, int], bool]

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}$")
_URL_ID_RE = re.compile(r"/([0-9]+)/?$")
_TRUE = {"true", "True", "TRUE", "t", "T", "yes", "y", "on", "1"}
_FALSE = {"false", "False", "FALSE", "f", "F", "no", "n", "off", "0"}


class FieldError(Exception):
    """One field's message."""


@attrs.frozen
class Field:
    """A writable field: its kind, whether it is required, and its limits.

    Kinds: ``str``, ``int``, ``bool``, ``choice``, ``email``, ``datetime``, ``time``,
    ``fk`` (id of ``target``), ``fk_list`` (non-empty list of ids), ``json_text``.
    """

    kind: str
    required: bool = False
    default: Any = NO_DEFAULT
    max_length: int | None = None
    choices: tuple[Any, ...] = ()
    target: str = ""
    min_value: int | None = None
    max_value: int | None = None
    max_message: str | None = None
    nullable: bool = False


def _clean_str(value: Any, field: Field, exists: Exists) -> Any:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldError("Not a valid string.")
    text = str(value).strip()
    if not text and field.required:
        raise FieldError("This field may not be blank.")
    if field.max_length is not None and len(text) > field.max_length:
        raise FieldError(f"Ensure this field has no more than {field.max_length} characters.")
    return text


def _clean_int(value: Any, field: Field, exists: Exists) -> Any:
    number = _to_int(value)
    if number is None:
        raise FieldError("A valid integer is required.")
    if field.min_value is not None and number < field.min_value:
        raise FieldError(f"Ensure this value is greater than or equal to {field.min_value}.")
    if field.max_value is not None and number > field.max_value:
        raise FieldError(
            field.max_message or f"Ensure this value is less than or equal to {field.max_value}."
        )
    return number


def _to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]+(\.0*)?\s*", value):
        return int(float(value)) if "." in value else int(value)
    return None


def _clean_bool(value: Any, field: Field, exists: Exists) -> Any:
    if value is True or value is False:
        return value
    if value in (0, 1) or str(value) in _TRUE | _FALSE:
        return value == 1 or str(value) in _TRUE
    raise FieldError("Must be a valid boolean.")


def _clean_choice(value: Any, field: Field, exists: Exists) -> Any:
    for choice in field.choices:
        if str(choice) == str(value) and not isinstance(value, (bool, dict, list)):
            return choice
    raise FieldError(f'"{value}" is not a valid choice.')


def _clean_email(value: Any, field: Field, exists: Exists) -> Any:
    text = _clean_str(value, attrs.evolve(field, max_length=field.max_length or 254), exists)
    if text and not _EMAIL_RE.match(text):
        raise FieldError("Enter a valid email address.")
    return text


def _clean_datetime(value: Any, field: Field, exists: Exists) -> Any:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise FieldError(DATETIME_ERROR)
    return format_datetime(parsed)


def _clean_time(value: Any, field: Field, exists: Exists) -> Any:
    parsed = parse_time(value) if isinstance(value, str) else None
    if parsed is None:
        raise FieldError(TIME_ERROR)
    return parsed


def _clean_fk(value: Any, field: Field, exists: Exists) -> Any:
    if isinstance(value, str) and "/" in value:
        match = _URL_ID_RE.search(value)
        if match is None or f"/{field.target}/" not in value:
            raise FieldError("Invalid hyperlink - No URL match.")
        value = match.group(1)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise FieldError(f"Incorrect type. Expected pk value, received {type(value).__name__}.")
    pk = _to_int(value)
    if pk is None:
        raise FieldError(f"Incorrect type. Expected pk value, received {type(value).__name__}.")
    if not exists(field.target, pk):
        raise FieldError(f'Invalid pk "{value}" - object does not exist.')
    return pk


def _clean_fk_list(value: Any, field: Field, exists: Exists) -> Any:
    if not isinstance(value, list):
        raise FieldError(f'Expected a list of items but got type "{type(value).__name__}".')
    if not value and field.required:
        raise FieldError("This list may not be empty.")
    ids = [_clean_fk(item, field, exists) for item in value]
    return list(dict.fromkeys(ids))


def _clean_json_text(value: Any, field: Field, exists: Exists) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return value
        try:
            json.loads(value)
        except ValueError:
            raise FieldError("Value must be valid JSON.") from None
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    raise FieldError("Value must be valid JSON.")


_CLEANERS: dict[str, Callable[[Any, Field, Exists], Any]] = {
    "str": _clean_str,
    "int": _clean_int,
    "bool": _clean_bool,
    "choice": _clean_choice,
    "email": _clean_email,
    "datetime": _clean_datetime,
    "time": _clean_time,
    "fk": _clean_fk,
    "fk_list": _clean_fk_list,
    "json_text": _clean_json_text,
}


def clean_value(field: Field, value: Any, exists: Exists) -> Any:
    """The clean value of one field, or :class:`FieldError`."""
    if value is None:
        if field.nullable:
            return None
        raise FieldError("This field may not be null.")
    return _CLEANERS[field.kind](value, field, exists)


def validate(
    fields: Mapping[str, Field], data: Any, *, partial: bool, exists: Exists
) -> dict[str, Any]:
    """Clean ``data`` against ``fields`` (unknown keys ignored) or raise ValidationError.

    On create (``partial=False``) missing required fields are errors and missing optional
    fields take their defaults; on update only the given fields are cleaned.
    """
    if not isinstance(data, dict):
        kind = "list" if isinstance(data, list) else type(data).__name__
        raise ValidationError(
            {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}
        )
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in data:
            if partial:
                continue
            if field.required:
                errors[name] = [REQUIRED]
            elif field.default is not NO_DEFAULT:
                clean[name] = field.default() if callable(field.default) else field.default
            continue
        try:
            clean[name] = clean_value(field, data[name], exists)
        except FieldError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return clean
