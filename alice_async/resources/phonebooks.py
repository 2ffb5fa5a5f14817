"""``client.phonebooks``: the ``phonebook/`` endpoint (docs/API.md §5.4)."""

from __future__ import annotations

from typing import Any

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import boolean, is_missing, require, text
from ..models.phonebooks import Phonebook
from ._base import Resource, bounded, per_call
from ._settle import named

__all__ = ["Phonebooks"]


class Phonebooks(Resource):
    """Phonebooks: named lists of contacts that campaigns dial.

    Example::

        book = await client.phonebooks.create(name="Khách hàng Q4")
        async for book in client.phonebooks.list(search="Q4"):
            print(book.id, book.name)
    """

    _path = "phonebook/"

    @per_call
    def list(
        self,
        *,
        search: str | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Phonebook]:
        """Phonebooks of the account, optionally those whose name contains ``search``."""
        return self._paginate(
            Phonebook,
            {"search": search},
            page_size=page_size,
            timeout=timeout,
            max_retries=max_retries,
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
    ) -> Phonebook:
        """One phonebook by id. Raises ``NotFoundError`` when it is not in the account."""
        return await self._retrieve(id, Phonebook, timeout=timeout, max_retries=max_retries)

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
    ) -> Phonebook:
        """Create a phonebook (``name`` up to 90 characters).

        ``settle=True`` (default): after an ambiguous failure the phonebook is looked up by
        name before the request is sent again; ``False`` raises instead.
        """
        body: dict[str, Any] = {
            "name": text("name", require("name", name), max_length=90, required=True)
        }
        if description is not None:
            body["description"] = text("description", description)
        identity = named("phonebook", body["name"]) if boolean("settle", settle) else None
        return await self._create(
            body, Phonebook, timeout=timeout, max_retries=max_retries, identity=identity
        )

    @bounded
    async def update(
        self,
        id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Phonebook:
        """Change a phonebook's name and/or description; fields not given are kept."""
        body: dict[str, Any] = {}
        if not isinstance(name, NotGiven):
            body["name"] = text("name", name, max_length=90, required=True)
        if not isinstance(description, NotGiven):
            body["description"] = (
                "" if is_missing(description) else text("description", description)
            )
        return await self._update(id, body, Phonebook, timeout=timeout, max_retries=max_retries)

    @bounded
    async def delete(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> None:
        """Delete a phonebook and its contacts."""
        await self._delete(id, timeout=timeout, max_retries=max_retries)
