"""phonebook/ and contact/: CRUD, filters, DRF validation, accounts, variants, routing."""

from __future__ import annotations

import json

import pytest

from alice_async.emulator import EmulatorConfig, Variants

from ._helpers import Api, phonebook, second_account
from .conftest import Factory

pytestmark = pytest.mark.anyio


async def test_phonebook_crud(api: Api) -> None:
    created = await api.create("phonebook/", {"name": "  VIP  ", "description": "Khách hàng"})
    assert created["name"] == "VIP"
    assert created["description"] == "Khách hàng"
    assert created["user"] == "alice"
    assert created["created_date"].endswith("Z")
    pid = created["id"]
    assert (await api.get(f"phonebook/{pid}/")).body == created
    updated = await api.put(f"phonebook/{pid}/", {"name": "VIP 2"})
    assert (updated.status, updated.body["name"]) == (200, "VIP 2")
    assert updated.body["description"] == "Khách hàng"
    assert (await api.get("phonebook/", search="vip")).body["count"] == 1
    assert (await api.get("phonebook/", search="nope")).body["count"] == 0
    deleted = await api.delete(f"phonebook/{pid}/")
    assert (deleted.status, deleted.text) == (204, "")
    missing = await api.get(f"phonebook/{pid}/")
    assert (missing.status, missing.body) == (404, {"detail": "Not found."})
    assert (await api.get("phonebook/abc/")).status == 404


async def test_phonebook_validation(api: Api) -> None:
    reply = await api.post("phonebook/", {"description": 1})
    assert (reply.status, reply.body) == (400, {"name": ["This field is required."]})
    reply = await api.post("phonebook/", {"name": "x" * 91})
    assert reply.body == {"name": ["Ensure this field has no more than 90 characters."]}
    reply = await api.post("phonebook/", {"name": ""})
    assert reply.body == {"name": ["This field may not be blank."]}
    reply = await api.post("phonebook/", [1, 2])
    assert reply.body == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


async def test_malformed_json_and_media_type(api: Api) -> None:
    reply = await api.call(
        "POST", "phonebook/", data=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert reply.status == 400
    assert reply.body["detail"].startswith("JSON parse error - ")
    reply = await api.call(
        "POST", "phonebook/", data=b"name=x", headers={"Content-Type": "text/plain"}
    )
    assert reply.status == 415


async def test_method_not_allowed_and_missing_slash(api: Api) -> None:
    reply = await api.call("PATCH", "phonebook/")
    assert (reply.status, reply.body) == (405, {"detail": 'Method "PATCH" not allowed.'})
    no_slash = await api.call("GET", api.emu.url + "phonebook")
    assert no_slash.status == 404
    assert no_slash.headers["Content-Type"].startswith("text/html")
    assert (await api.call("POST", api.emu.url + "phonebook", json={"name": "x"})).status == 404


async def test_contact_crud_and_filters(api: Api) -> None:
    pid = await phonebook(api)
    other = await phonebook(api, "Other")
    contact = await api.create(
        "contact/",
        {
            "phonebook": pid,
            "contact": "0934890883",
            "status": 1,
            "email": "linh.huynh@htklabs.com",
            "first_name": "Linh",
            "last_name": "Huỳnh",
            "additional_vars": '{"params_1":"123456"}',
            "country": "VN",
            "unknown_field": "ignored",
        },
    )
    assert contact["contact"] == "0934890883"
    assert contact["additional_vars"] == '{"params_1":"123456"}'
    assert "unknown_field" not in contact
    as_object = await api.create(
        "contact/",
        {
            "phonebook": str(other),
            "contact": "0934890883",
            "status": "0",
            "additional_vars": {"a": "b"},
        },
    )
    assert json.loads(as_object["additional_vars"]) == {"a": "b"}
    assert as_object["status"] == 0
    assert (await api.get("contact/")).body["count"] == 2  # no duplicate check here
    assert (await api.get("contact/", phonebook=pid)).body["count"] == 1
    assert (await api.get("contact/", search="huỳnh")).body["count"] == 1
    assert (await api.get("contact/", search="48908")).body["count"] == 2
    bad = await api.get("contact/", phonebook="x")
    assert bad.status == 400
    updated = await api.put(f"contact/{contact['id']}/", {"contact": "0934890884", "status": 0})
    assert (updated.body["contact"], updated.body["status"]) == ("0934890884", 0)
    assert sorted(api.emu.store.contact_numbers()) == ["0934890883", "0934890884"]
    await api.delete(f"phonebook/{pid}/")
    assert api.emu.store.contact_numbers() == ["0934890883"]


async def test_contact_validation_messages(api: Api) -> None:
    pid = await phonebook(api)
    reply = await api.post("contact/", {})
    assert reply.body == {
        "phonebook": ["This field is required."],
        "contact": ["This field is required."],
        "status": ["This field is required."],
    }
    reply = await api.post(
        "contact/",
        {
            "phonebook": 999,
            "contact": "1" * 91,
            "status": 9,
            "email": "not-an-email",
            "first_name": "x" * 121,
            "country": "VNM",
            "additional_vars": "{bad json",
        },
    )
    assert reply.body == {
        "phonebook": ['Invalid pk "999" - object does not exist.'],
        "contact": ["Ensure this field has no more than 90 characters."],
        "status": ['"9" is not a valid choice.'],
        "first_name": ["Ensure this field has no more than 120 characters."],
        "email": ["Enter a valid email address."],
        "country": ["Ensure this field has no more than 2 characters."],
        "additional_vars": ["Value must be valid JSON."],
    }
    reply = await api.post("contact/", {"phonebook": "abc", "contact": "1", "status": 1})
    assert reply.body == {"phonebook": ["Incorrect type. Expected pk value, received str."]}
    reply = await api.post("contact/", {"phonebook": pid, "contact": None, "status": 1})
    assert reply.body == {"contact": ["This field may not be null."]}


async def test_other_accounts_objects_are_404(api: Api) -> None:
    pid = await phonebook(api)
    bob = await second_account(api)
    assert (await bob.get(f"phonebook/{pid}/")).status == 404
    assert (await bob.put(f"phonebook/{pid}/", {"name": "mine"})).status == 404
    assert (await bob.delete(f"phonebook/{pid}/")).status == 404
    assert (await bob.get("phonebook/")).body["count"] == 0
    reply = await bob.post("contact/", {"phonebook": pid, "contact": "1", "status": 1})
    assert reply.body == {"phonebook": [f'Invalid pk "{pid}" - object does not exist.']}
    assert api.emu.store.count("phonebook", "bob") == 0
    assert api.emu.store.count("phonebook") == 1


async def test_hyperlinked_variant(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(variants=Variants(hyperlinked=True), dialer=False))
    book = await api.create("phonebook/", {"name": "B"})
    assert "id" not in book
    assert book["url"].startswith(api.emu.url + "phonebook/")
    pid = int(book["url"].rstrip("/").rsplit("/", 1)[1])
    contact = await api.create("contact/", {"phonebook": pid, "contact": "1", "status": 1})
    assert contact["phonebook"] == book["url"]
    by_url = await api.create("contact/", {"phonebook": book["url"], "contact": "2", "status": 1})
    assert by_url["phonebook"] == book["url"]
    listed = await api.get("contact/")
    assert [row["url"] for row in listed.body["results"]] == [contact["url"], by_url["url"]]


async def test_datetime_rendering(api: Api) -> None:
    row = api.emu.store.add("phonebook", name="x", created_date="2013-12-02T07:48:27Z")
    reply = await api.get(f"phonebook/{row['id']}/")
    assert reply.body["created_date"] == "2013-12-02T07:48:27Z"
    assert reply.headers["Content-Type"].startswith("application/json")
