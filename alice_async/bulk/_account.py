"""What the account already holds, by canonical key: its numbers, and its do-not-call numbers.

The server compares numbers as exact strings, so a number stored as ``+84934890883`` by another
tool is not a duplicate of ``0934890883`` to it. The upload reads the account's numbers once
(1,000 a page) into a set of canonical keys and reports a row whose key is there as
``already_in_account`` without sending it; the do-not-call numbers of every list are read the
same way for ``skip_dnc``. A stored value that the phone rules cannot read is keyed as written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import anyio

from .._converter import converter
from .._exceptions import InvalidInputError, NotFoundError
from .._pagination import RawPage, parse_envelope
from .._phone import PhoneRules, phone_key
from ..models.contacts import Contact

if TYPE_CHECKING:
    from .._client import AliceClient

__all__ = ["PAGE_SIZE", "account_keys", "dnc_keys", "key_of"]

PAGE_SIZE = 1000
_PAGES_IN_FLIGHT = 8


def key_of(number: str, phones: PhoneRules | None) -> int | None:
    """The canonical key of a stored number; ``None`` when it is not a number at all."""
    if phones is not None:
        try:
            return phones.read("contact", number).key
        except InvalidInputError:
            pass  # an odd stored value: fall back to its exact form
    compact = number.strip()
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    return phone_key(compact)


async def account_keys(
    client: AliceClient, phones: PhoneRules | None, *, phonebook: int, watermark: int
) -> set[int]:
    """Keys of the account's numbers, except the ones this upload created.

    A contact of ``phonebook`` with an id above ``watermark`` was created by this upload (an
    earlier run of it, when resumed); it is settled by the resume, not reported here.
    """
    keys: set[int] = set()

    def add(items: Sequence[Any]) -> None:
        for item in items:
            contact: Contact = converter.structure(item, Contact)
            if contact.phonebook == phonebook and contact.id > watermark:
                continue
            key = key_of(contact.contact, phones)
            if key is not None:
                keys.add(key)

    first = await _page(client, 1)
    add(first.results)
    pages = math.ceil(first.count / max(1, len(first.results))) if first.results else 0
    limiter = anyio.CapacityLimiter(_PAGES_IN_FLIGHT)

    async def fetch(number: int) -> None:
        async with limiter:
            try:
                page = await _page(client, number)
            except NotFoundError:
                return  # contacts were deleted meanwhile: the list is shorter now
        add(page.results)

    # Pages by number, several at once (read before anything is sent, so they are stable).
    async with anyio.create_task_group() as group:
        for number in range(2, pages + 1):
            group.start_soon(fetch, number)
    return keys


async def _page(client: AliceClient, number: int) -> RawPage:
    params = {"page_size": str(PAGE_SIZE), "page": str(number)}
    response = await client.request("GET", "contact/", params=params)
    return parse_envelope(response.data, url="contact/")


async def dnc_keys(client: AliceClient, phones: PhoneRules | None) -> set[int]:
    """Keys of the numbers on every do-not-call list of the account."""
    keys: set[int] = set()
    async for entry in client.dnc_contacts.list(page_size=PAGE_SIZE):
        key = key_of(entry.phone_number, phones)
        if key is not None:
            keys.add(key)
    return keys
