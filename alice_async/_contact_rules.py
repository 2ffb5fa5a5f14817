"""The validation rules of one contact, shared by ``contacts.create`` and the bulk upload.

:func:`contact_body_full` applies the rules of :mod:`alice_async._validation` field by field;
:func:`contact_body` is what callers use: a fast path for the common shapes (a digit string, a
0/1 status, short ASCII names) that falls back to the full rules for anything else. Both must
give equal bodies or equal errors; ``tests/test_contact_rules.py`` proves it with Hypothesis on
generated rows, odd values included.

Text fields are stored in Unicode NFC (names pasted from a Mac arrive decomposed). Phone
numbers are read by :class:`~alice_async._phone.PhoneRules` when given (canonical key and
stored form), else by :func:`~alice_async._validation.phone_number` (digits as written).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any
from unicodedata import is_normalized

from ._phone import PhoneRules, phone_key
from ._validation import additional_vars, country, email, enum_value, phone_number, require, text
from .models.contacts import ContactStatus

__all__ = ["CONTACT_FIELDS", "contact_body", "contact_body_full", "keyed_contact_body", "nfc"]

CONTACT_FIELDS = (
    "contact",
    "status",
    "email",
    "first_name",
    "last_name",
    "description",
    "additional_vars",
    "country",
)
"""The fields of one contact besides its phonebook, in the order the API documents them."""

_NAME_LIMIT = 120
_VN_MOBILE_FIRST = frozenset("35789")
_ACTIVE = ContactStatus.ACTIVE
_INACTIVE = ContactStatus.INACTIVE
_VN_KEY = 284 * 10**9
"""The key of ``0XXXXXXXXX`` is ``int("284" + "XXXXXXXXX")``: this plus ``int(number)``."""


def nfc(value: str) -> str:
    """``value`` in Unicode normal form C (composed), unchanged when it already is."""
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def contact_body(
    fields: Mapping[str, Any], *, partial: bool = False, phones: PhoneRules | None = None
) -> dict[str, Any]:
    """Validate one contact's fields into the JSON object the API expects.

    ``None`` values are left out. Without ``partial``, ``contact`` is required and ``status``
    defaults to active. With ``phones`` the number is read in its region and stored in the
    chosen form; without, it is kept as written minus spaces, dots and dashes.

    Raises:
        InvalidInputError: naming the first bad field and its value.

    Example::

        body = contact_body({"contact": "+84 934 890 883"}, phones=PhoneRules())
        assert body == {"contact": "0934890883", "status": 1}
    """
    return _fast(fields, partial, phones)[0]


def keyed_contact_body(
    fields: Mapping[str, Any], phones: PhoneRules | None
) -> tuple[dict[str, Any], int]:
    """:func:`contact_body` for a new contact, plus the canonical key of its number."""
    return _fast(fields, False, phones)


def contact_body_full(
    fields: Mapping[str, Any], *, partial: bool = False, phones: PhoneRules | None = None
) -> tuple[dict[str, Any], int | None]:
    """The full rules, field by field: the reference :func:`contact_body` must equal."""
    body: dict[str, Any] = {}
    key: int | None = None
    number = fields.get("contact")
    if number is None:
        if not partial:
            require("contact", number)
    else:
        body["contact"], key = _read_number(number, phones)
    status = fields.get("status")
    if status is not None:
        body["status"] = enum_value("status", status, ContactStatus)
    elif not partial:
        body["status"] = 1
    for name in ("first_name", "last_name"):
        value = fields.get(name)
        if value is not None:
            body[name] = nfc(text(name, value, max_length=_NAME_LIMIT))
    value = fields.get("email")
    if value is not None:
        body["email"] = email("email", value)
    value = fields.get("description")
    if value is not None:
        body["description"] = nfc(text("description", value))
    value = fields.get("additional_vars")
    if value is not None:
        body["additional_vars"] = nfc(additional_vars("additional_vars", value))
    value = fields.get("country")
    if value is not None:
        body["country"] = country("country", value)
    return body, key


def _read_number(value: Any, phones: PhoneRules | None) -> tuple[str, int]:
    if phones is None:
        number = phone_number("contact", value, max_length=90)
        return number, phone_key(number)
    read = phones.read("contact", value)
    return read.stored, read.key


def _fast(
    fields: Mapping[str, Any], partial: bool, phones: PhoneRules | None
) -> tuple[dict[str, Any], int]:
    body: dict[str, Any] = {}
    get = fields.get
    key = 0
    number = get("contact")
    if number is None:
        if not partial:
            require("contact", number)
    elif (
        phones is None
        and type(number) is str
        and number.isdigit()
        and number.isascii()
        and len(number) <= 90
    ):
        body["contact"] = number
        key = int("1" + number)
    elif (
        type(number) is str
        and len(number) == 10
        and number[0] == "0"
        and number[1] in _VN_MOBILE_FIRST
        and phones is not None
        and phones.region == "VN"
        and phones.phone_format == "national"
        and number.isascii()
        and number.isdigit()
    ):
        body["contact"] = number  # already the stored form of a Vietnamese mobile number
        key = _VN_KEY + int(number)  # int("284" + number[1:]), without the slice
    else:
        body["contact"], key = _read_number(number, phones)
    status = get("status")
    if status is None:
        if not partial:
            body["status"] = 1
    elif type(status) is int and (status == 1 or status == 0):
        body["status"] = status
    elif status is _ACTIVE:  # the methods' default
        body["status"] = 1
    elif status is _INACTIVE:
        body["status"] = 0
    else:
        body["status"] = enum_value("status", status, ContactStatus)
    # The two names, unrolled (a loop costs more than either check).
    value = get("first_name")
    if value is not None:
        if (
            type(value) is str
            and len(value) <= _NAME_LIMIT
            and (value.isascii() or is_normalized("NFC", value))
        ):
            body["first_name"] = value
        else:
            body["first_name"] = nfc(text("first_name", value, max_length=_NAME_LIMIT))
    value = get("last_name")
    if value is not None:
        if (
            type(value) is str
            and len(value) <= _NAME_LIMIT
            and (value.isascii() or is_normalized("NFC", value))
        ):
            body["last_name"] = value
        else:
            body["last_name"] = nfc(text("last_name", value, max_length=_NAME_LIMIT))
    from_fields = len(body) - (status is None and not partial)  # a defaulted status is ours
    if len(fields) == from_fields:
        return body, key  # every given key is handled already: skip the optional fields
    mail, about, extra, land = (
        get("email"),
        get("description"),
        get("additional_vars"),
        get("country"),
    )
    if mail is None and about is None and extra is None and land is None:
        return body, key  # the optional fields given as None (a method's defaults)
    rest, _ = contact_body_full(
        {"email": mail, "description": about, "additional_vars": extra, "country": land},
        partial=True,
    )
    body.update(rest)
    return body, key
