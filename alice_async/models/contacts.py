"""Contact model and its status (docs/API.md §5.5)."""

from __future__ import annotations

import datetime as dt

import attrs

from .._enums import OpenIntEnum
from ._common import PlainData

__all__ = ["Contact", "ContactStatus"]


class ContactStatus(OpenIntEnum):
    """Whether a contact is dialled by campaigns."""

    INACTIVE = 0
    ACTIVE = 1


@attrs.frozen
class Contact(PlainData):
    """One phone number in a phonebook.

    Attributes:
        id: the contact id.
        phonebook: the id of its phonebook.
        contact: the phone number, a string that keeps its leading zero.
        status: ``ContactStatus.ACTIVE`` or ``INACTIVE``.
        additional_vars: extra template variables (sent to the server as a JSON string).
    """

    id: int
    phonebook: int | None = None
    contact: str = ""
    status: ContactStatus = ContactStatus.ACTIVE
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    description: str | None = None
    additional_vars: dict[str, str] = attrs.field(factory=dict)
    country: str | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
