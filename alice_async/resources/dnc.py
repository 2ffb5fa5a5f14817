"""``client.dnc_lists`` and ``client.dnc_contacts``: do-not-call lists and their numbers
(``dnc-list/``, ``dnc-contact/``, docs/API.md §5.8)."""

from __future__ import annotations

from typing import Any

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import boolean, object_id, phone_number, require, text
from ..models.dnc import DncContact, DncList
from ._base import Resource, bounded, per_call
from ._settle import dnc_entry_identity, named

__all__ = ["DncContacts", "DncLists"]


class DncLists(Resource):
    """Do-not-call lists: campaigns never enrol a number found in the account's lists.

    Example::

        dnc = await client.dnc_lists.create(name="Opted out")
        await client.dnc_contacts.create(phone_number="0934890883", dnc=dnc.id)
    """

    _path = "dnc-list/"

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[DncList]:
        """Do-not-call lists of the account."""
        return self._paginate(
            DncList, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> DncList:
        """One do-not-call list by id."""
        return await self._retrieve(id, DncList, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        name: str,
        description: str | None = None,
        settle: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> DncList:
        """Create a do-not-call list (``name`` up to 50 characters).

        ``settle=True`` (default): after an ambiguous failure the list is looked up by name
        before the request is sent again; ``False`` raises instead.
        """
        body: dict[str, Any] = {
            "name": text("name", require("name", name), max_length=50, required=True)
        }
        if description is not None:
            body["description"] = text("description", description)
        identity = (
            named("do-not-call list", body["name"], filter=None)
            if boolean("settle", settle)
            else None
        )
        return await self._create(
            body, DncList, timeout=timeout, max_retries=max_retries, identity=identity
        )


class DncContacts(Resource):
    """Numbers in do-not-call lists.

    Example::

        entry = await client.dnc_contacts.create(phone_number="0324 324 343", dnc="343")
        async for entry in client.dnc_contacts.list(dnc=343):
            print(entry.phone_number)
    """

    _path = "dnc-contact/"

    @per_call
    def list(
        self,
        *,
        dnc: int | str | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[DncContact]:
        """Do-not-call numbers, optionally of one list (``dnc`` id)."""
        filters = {
            "dnc": None if dnc is None else object_id("dnc", dnc, allow_numeric_str=True),
        }
        return self._paginate(
            DncContact, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> DncContact:
        """One do-not-call number by id."""
        return await self._retrieve(id, DncContact, timeout=timeout, max_retries=max_retries)

    @bounded
    async def create(
        self,
        *,
        phone_number: str,
        dnc: int | str,
        settle: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> DncContact:
        """Add a number to a do-not-call list.

        Args:
            phone_number: the number as a string (up to 120 characters; an ``int`` is refused).
            dnc: the list id, an int or a numeric string such as ``"343"`` (sent as an int).
            settle: after an ambiguous failure, look the number up in the list before
                sending again or giving up; ``False`` raises instead.
        """
        body = {
            "phone_number": _phone("phone_number", phone_number, 120),
            "dnc": object_id("dnc", require("dnc", dnc), allow_numeric_str=True),
        }
        identity = dnc_entry_identity(body) if boolean("settle", settle) else None
        return await self._create(
            body, DncContact, timeout=timeout, max_retries=max_retries, identity=identity
        )


def _phone(field: str, value: Any, max_length: int) -> str:
    return phone_number(field, require(field, value), max_length=max_length)
