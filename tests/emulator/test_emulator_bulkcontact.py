"""bulkcontact/: in-order insert stopping at the first duplicate; refusals; atomic variant."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async.emulator import EmulatorConfig, Variants

from ._helpers import Api, phonebook, second_account
from .conftest import Factory

pytestmark = pytest.mark.anyio


def _contacts(*numbers: str) -> list[dict[str, Any]]:
    return [{"contact": n, "first_name": "Linh", "status": 1} for n in numbers]


async def test_success_saves_everything(api: Api) -> None:
    pid = await phonebook(api)
    numbers = [f"09{i:08d}" for i in range(2000)]
    reply = await api.post("bulkcontact/", {"phonebook": pid, "contacts": _contacts(*numbers)})
    assert (reply.status, reply.body) == (200, {"result": "Bulk contacts are created"})
    assert api.emu.store.contact_numbers() == numbers
    listed = await api.get("contact/", phonebook=pid, page_size=1)
    assert listed.body["count"] == 2000
    assert listed.body["results"][0]["first_name"] == "Linh"


async def test_duplicate_stops_the_request_keeping_the_prefix(api: Api) -> None:
    pid = await phonebook(api)
    other = await phonebook(api, "Other")
    await api.post("bulkcontact/", {"phonebook": other, "contacts": _contacts("0934890883")})
    reply = await api.post(
        "bulkcontact/",
        {"phonebook": pid, "contacts": _contacts("01", "02", "0934890883", "03")},
    )
    assert reply.status == 200
    assert reply.body == {"error": "The contact duplicated (0934890883)!\n"}
    assert api.emu.store.contact_numbers() == ["0934890883", "01", "02"]
    # a repeat inside one request stops it as well
    reply = await api.post("bulkcontact/", {"phonebook": pid, "contacts": _contacts("04", "04")})
    assert reply.body == {"error": "The contact duplicated (04)!\n"}
    assert api.emu.store.contact_numbers()[-1] == "04"


async def test_numbers_of_another_account_are_not_duplicates(api: Api) -> None:
    pid = await phonebook(api)
    await api.post("bulkcontact/", {"phonebook": pid, "contacts": _contacts("01")})
    bob = await second_account(api)
    bob_book = await phonebook(bob)
    reply = await bob.post("bulkcontact/", {"phonebook": bob_book, "contacts": _contacts("01")})
    assert reply.body == {"result": "Bulk contacts are created"}


async def test_refusals(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(contact_quota=3, dialer=False))
    pid = await phonebook(api)
    for body, error in [
        ({"phonebook": 999, "contacts": _contacts("1")}, "Phonebook is not valid!"),
        ({"contacts": _contacts("1")}, "Phonebook is not valid!"),
        ({"phonebook": pid, "contacts": []}, "Data set is empty"),
        ({"phonebook": pid}, "Data set is empty"),
        (
            {"phonebook": pid, "contacts": _contacts("1", "2", "3", "4")},
            "You have too many contacts per campaign. You are allowed a maximum of 3",
        ),
    ]:
        reply = await api.post("bulkcontact/", body)
        assert (reply.status, reply.body) == (200, {"error": error})
    assert api.emu.store.count("contact") == 0
    reply = await api.post("bulkcontact/", {"phonebook": pid, "contacts": [{"contact": "1"}, {}]})
    assert reply.status == 200
    assert "not valid" in reply.body["error"]
    assert api.emu.store.contact_numbers() == ["1"]  # status defaults to active in bulk
    assert api.emu.store.objects("contact")[0]["status"] == 1


async def test_atomic_variant(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(variants=Variants(bulk_atomic=True), dialer=False))
    pid = await phonebook(api)
    await api.post("bulkcontact/", {"phonebook": pid, "contacts": _contacts("09")})
    reply = await api.post(
        "bulkcontact/", {"phonebook": pid, "contacts": _contacts("01", "09", "02", "02")}
    )
    assert reply.status == 400
    assert reply.body == {
        "contacts": [
            {},
            {"contact": ["The contact duplicated (09)!"]},
            {},
            {"contact": ["The contact duplicated (02)!"]},
        ]
    }
    assert api.emu.store.contact_numbers() == ["09"]
    reply = await api.post("bulkcontact/", {"phonebook": pid, "contacts": _contacts("01", "02")})
    assert (reply.status, reply.body) == (201, {"result": "Bulk contacts are created"})
    reply = await api.post("bulkcontact/", {"phonebook": 999, "contacts": _contacts("03")})
    assert (reply.status, reply.body) == (400, {"phonebook": ["Phonebook is not valid!"]})
    assert api.emu.store.contact_numbers() == ["09", "01", "02"]
