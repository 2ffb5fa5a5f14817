"""Phonebook model (docs/API.md §5.4)."""

from __future__ import annotations

import datetime as dt

import attrs

from ._common import PlainData, StrOrInt

__all__ = ["Phonebook"]


@attrs.frozen
class Phonebook(PlainData):
    """A named list of contacts.

    Attributes:
        id: the phonebook id.
        name: up to 90 characters.
        description: free text.
        user: the owner (a username or a user id, as the server renders it).
        created_date: aware UTC datetime.
        updated_date: aware UTC datetime.
    """

    id: int
    name: str = ""
    description: str | None = None
    user: StrOrInt = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
