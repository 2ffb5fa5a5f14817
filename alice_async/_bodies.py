"""Request bodies built from a caller's fields: the rules one object must pass.

They sit below the resources and the bulk upload, which both send contacts: a row is accepted
or refused the same way whichever endpoint carries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._validation import (
    additional_vars as validate_additional_vars,
)
from ._validation import (
    country as validate_country,
)
from ._validation import (
    email as validate_email,
)
from ._validation import (
    enum_value,
    phone_number,
    require,
    text,
)
from .models.contacts import ContactStatus

__all__ = ["CONTACT_FIELDS", "contact_body"]

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


def contact_body(fields: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate one contact's fields into the JSON object the API expects.

    ``None`` values are left out. Without ``partial``, ``contact`` is required and ``status``
    defaults to active. Bulk uploads call this once per row, so the common shapes (a plain
    digit string, a 0/1 status, short names) take a fast path; anything else goes through the
    full rules of :mod:`alice_async._validation`, which decide the error.

    Raises:
        InvalidInputError: naming the first bad field and its value.
    """
    body: dict[str, Any] = {}
    get = fields.get
    number = get("contact")
    if number is None:
        if not partial:
            require("contact", number)
    elif type(number) is str and number.isdigit() and number.isascii() and len(number) <= 90:
        body["contact"] = number
    else:
        body["contact"] = phone_number("contact", number, max_length=90)
    status = get("status")
    if status is None:
        if not partial:
            body["status"] = 1
    elif type(status) is int and (status == 1 or status == 0):
        body["status"] = status
    else:
        body["status"] = enum_value("status", status, ContactStatus)
    value = get("first_name")
    if value is not None:
        if type(value) is str and len(value) <= 120:
            body["first_name"] = value
        else:
            body["first_name"] = text("first_name", value, max_length=120)
    value = get("last_name")
    if value is not None:
        if type(value) is str and len(value) <= 120:
            body["last_name"] = value
        else:
            body["last_name"] = text("last_name", value, max_length=120)
    from_fields = len(body) - (status is None and not partial)  # a defaulted status is ours
    if len(fields) == from_fields:
        return body  # every given key is handled already: skip the optional fields
    value = get("email")
    if value is not None:
        body["email"] = validate_email("email", value)
    value = get("description")
    if value is not None:
        body["description"] = value if type(value) is str else text("description", value)
    value = get("additional_vars")
    if value is not None:
        body["additional_vars"] = validate_additional_vars("additional_vars", value)
    value = get("country")
    if value is not None:
        body["country"] = validate_country("country", value)
    return body
