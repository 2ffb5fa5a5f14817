"""What ``mypy --strict`` sees through the sync facade (CI runs mypy over ``tests/``).

Each ``assert_type`` is checked statically by mypy and is a no-op at run time; the test at
the end also runs the same lines against the emulator, so the types are the real ones.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from alice_async import Campaign, Cdr, Contact, Page, Phonebook
from alice_async.emulator import Emulator
from alice_sync import AliceClient, CdrFilters, SyncPaginator

if sys.version_info >= (3, 11):
    from typing import assert_type
else:
    from typing_extensions import assert_type


def check_types(client: AliceClient, phonebook: int) -> None:
    assert_type(client.phonebooks.get(phonebook), Phonebook)
    assert_type(client.contacts.list(), SyncPaginator[Contact])
    assert_type(iter(client.contacts.list()), Iterator[Contact])
    for contact in client.contacts.list(phonebook=phonebook):
        assert_type(contact, Contact)
    assert_type(client.contacts.list().first_page(), Page[Contact])
    assert_type(client.contacts.list().to_list(limit=3), list[Contact])
    for page in client.phonebooks.list().pages():
        assert_type(page, Page[Phonebook])
    assert_type(client.cdr.list(), SyncPaginator[Cdr])
    assert_type(client.cdr.list(as_dicts=True), SyncPaginator[dict[str, Any]])
    assert_type(client.cdr.list(campaign=7).as_dicts(), SyncPaginator[dict[str, Any]])
    filters: CdrFilters = {"campaign": 7, "alarm": False}
    assert_type(client.cdr.list(**filters), SyncPaginator[Cdr])
    assert_type(client.subscribers.list(campaign=7).prefetch, int)


def check_campaign_types(client: AliceClient) -> None:
    assert_type(client.campaigns.get(1), Campaign)
    assert_type(client.campaigns.list(), SyncPaginator[Campaign])


def test_the_checked_lines_run(emulator: Emulator) -> None:
    with AliceClient(emulator.url, username=emulator.username, password=emulator.password) as c:
        book = c.phonebooks.create(name="typed")
        c.contacts.create(phonebook=book.id, contact="0934890883")
        check_types(c, book.id)
