"""``client.contacts``: the ``contact/`` endpoint (REFERENCE §5.5), single-contact operations.

:func:`contact_body` holds the validation rules of one contact; bulk upload reuses it so a row
is accepted or refused the same way whichever endpoint carries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import (
    additional_vars as validate_additional_vars,
)
from .._validation import (
    country as validate_country,
)
from .._validation import (
    email as validate_email,
)
from .._validation import (
    enum_value,
    object_id,
    phone_number,
    require,
    text,
)
from ..models.contacts import Contact, ContactStatus
from ._base import Resource

__all__ = ["CONTACT_FIELDS", "Contacts", "contact_body"]

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
    defaults to active.

    Raises:
        InvalidInputError: naming the first bad field and its value.
    """
    body: dict[str, Any] = {}
    number = fields.get("contact")
    if number is not None:
        body["contact"] = phone_number("contact", number, max_length=90)
    elif not partial:
        require("contact", number)
    status = fields.get("status")
    if status is not None:
        body["status"] = enum_value("status", status, ContactStatus)
    elif not partial:
        body["status"] = ContactStatus.ACTIVE.value
    for name in ("first_name", "last_name"):
        value = fields.get(name)
        if value is not None:
            body[name] = text(name, value, max_length=120)
    value = fields.get("email")
    if value is not None:
        body["email"] = validate_email("email", value)
    value = fields.get("description")
    if value is not None:
        body["description"] = text("description", value)
    value = fields.get("additional_vars")
    if value is not None:
        body["additional_vars"] = validate_additional_vars("additional_vars", value)
    value = fields.get("country")
    if value is not None:
        body["country"] = validate_country("country", value)
    return body


class Contacts(Resource):
    """Contacts: phone numbers in phonebooks.

    Example::

        c = await client.contacts.create(
            phonebook=book.id, contact="0934 890 883", first_name="Linh",
            additional_vars={"order": "A-1"},
        )
        assert c.contact == "0934890883"
    """

    _path = "contact/"

    def list(
        self,
        *,
        phonebook: int | None = None,
        search: str | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Contact]:
        """Contacts, optionally of one ``phonebook`` and/or matching ``search`` (number or name)."""
        filters = {
            "phonebook": None if phonebook is None else object_id("phonebook", phonebook),
            "search": None if search is None else text("search", search),
        }
        return self._paginate(
            Contact, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Contact:
        """One contact by id."""
        return await self._retrieve(id, Contact, timeout=timeout, max_retries=max_retries)

    async def create(
        self,
        *,
        phonebook: int,
        contact: str,
        status: ContactStatus | int = ContactStatus.ACTIVE,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        description: str | None = None,
        additional_vars: Mapping[str, str] | None = None,
        country: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Contact:
        """Add one contact to a phonebook (no duplicate check on this endpoint).

        ``contact`` is the phone number as a string; spaces, dots and dashes are removed.
        For many contacts use :meth:`bulk_create`.
        """
        body = {
            "phonebook": object_id("phonebook", require("phonebook", phonebook)),
            **contact_body(
                {
                    "contact": contact,
                    "status": status,
                    "email": email,
                    "first_name": first_name,
                    "last_name": last_name,
                    "description": description,
                    "additional_vars": additional_vars,
                    "country": country,
                }
            ),
        }
        return await self._create(body, Contact, timeout=timeout, max_retries=max_retries)

    async def update(
        self,
        id: int,
        *,
        phonebook: int | None = None,
        contact: str | None = None,
        status: ContactStatus | int | None = None,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        description: str | None = None,
        additional_vars: Mapping[str, str] | None = None,
        country: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Contact:
        """Change the given fields of a contact; fields left as ``None`` are kept."""
        body = contact_body(
            {
                "contact": contact,
                "status": status,
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "description": description,
                "additional_vars": additional_vars,
                "country": country,
            },
            partial=True,
        )
        if phonebook is not None:
            body["phonebook"] = object_id("phonebook", phonebook)
        return await self._update(id, body, Contact, timeout=timeout, max_retries=max_retries)

    async def delete(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Delete a contact."""
        await self._delete(id, timeout=timeout, max_retries=max_retries)
