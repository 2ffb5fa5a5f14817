"""What the account already holds, by canonical key: its numbers, and its do-not-call numbers.

The server compares numbers as exact strings, so a number stored as ``+84934890883`` by another
tool is not a duplicate of ``0934890883`` to it. The upload reads the account's numbers once
(1,000 a page) into a set of canonical keys and reports a row whose key is there as
``already_in_account`` without sending it; the do-not-call numbers of every list are read the
same way for ``skip_dnc``. A stored value that the phone rules cannot read is keyed as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._exceptions import InvalidInputError
from .._phone import PhoneRules, phone_key

if TYPE_CHECKING:
    from .._client import AliceClient

__all__ = ["PAGE_SIZE", "account_keys", "dnc_keys", "key_of"]

PAGE_SIZE = 1000


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
    async for contact in client.contacts.list(page_size=PAGE_SIZE):
        if contact.phonebook == phonebook and contact.id > watermark:
            continue
        key = key_of(contact.contact, phones)
        if key is not None:
            keys.add(key)
    return keys


async def dnc_keys(client: AliceClient, phones: PhoneRules | None) -> set[int]:
    """Keys of the numbers on every do-not-call list of the account."""
    keys: set[int] = set()
    async for entry in client.dnc_contacts.list(page_size=PAGE_SIZE):
        key = key_of(entry.phone_number, phones)
        if key is not None:
            keys.add(key)
    return keys
