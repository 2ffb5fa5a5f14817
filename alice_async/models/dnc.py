"""Do-not-call models (docs/API.md §5.8): lists and the numbers in them."""

from __future__ import annotations

import datetime as dt

import attrs

from ._common import PlainData, StrOrInt

__all__ = ["DncContact", "DncList"]


@attrs.frozen
class DncList(PlainData):
    """A named do-not-call list; campaigns skip every number in the account's lists.

    Attributes:
        id: the list id.
        name: up to 50 characters.
        user: the owner (a username or a user id, as the server renders it).
    """

    id: int
    name: str = ""
    description: str | None = None
    user: StrOrInt = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None


@attrs.frozen
class DncContact(PlainData):
    """One phone number in a do-not-call list.

    Attributes:
        id: the entry id.
        phone_number: the number, a string that keeps its leading zero.
        dnc: id of its do-not-call list.
    """

    id: int
    phone_number: str = ""
    dnc: int | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
