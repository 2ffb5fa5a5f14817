"""gateway/, survey-list/, dnc-*, and the appointment chain (calendar-setting → alarm)."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async.emulator import EmulatorConfig, Variants

from ._helpers import Api, second_account
from .conftest import Factory

pytestmark = pytest.mark.anyio


async def test_gateway_is_read_only(api: Api) -> None:
    listed = await api.get("gateway/")
    gateway = listed.body["results"][0]
    assert (gateway["id"], gateway["name"], gateway["is_trial"]) == (23, "AliceDevGateway", True)
    assert (await api.get("gateway/23/")).body == gateway
    assert (await api.post("gateway/", {"name": "x"})).status == 405
    bob = await second_account(api)
    assert (await bob.get("gateway/23/")).status == 404
    assert (await bob.get("gateway/")).body["results"][0]["id"] == 24


async def test_survey_list_is_seeded_and_filterable(api: Api) -> None:
    listed = await api.get("survey-list/")
    assert listed.body["count"] == 1
    survey = listed.body["results"][0]
    assert survey["campaign"] is None
    assert (await api.get("survey-list/", tts_language="vi")).body["count"] == 1
    assert (await api.get("survey-list/", tts_language="en")).body["count"] == 0
    assert (await api.get("survey-list/", search="REMINDER")).body["count"] == 1
    assert (await api.get("survey-list/", description="sealed")).body["count"] == 1
    assert (await api.post("survey-list/", {"name": "x"})).status == 405


async def test_dnc(api: Api) -> None:
    dnc = await api.create("dnc-list/", {"name": "name dnc", "description": "test"})
    assert dnc["user"] == "alice"
    reply = await api.post("dnc-list/", {"name": "x" * 51})
    assert reply.body == {"name": ["Ensure this field has no more than 50 characters."]}
    contact = await api.create(
        "dnc-contact/", {"phone_number": "0324324343", "dnc": str(dnc["id"])}
    )
    assert contact["dnc"] == dnc["id"]
    reply = await api.post("dnc-contact/", {"phone_number": "1", "dnc": "999"})
    assert reply.body == {"dnc": ['Invalid pk "999" - object does not exist.']}
    assert (await api.get("dnc-contact/", dnc=dnc["id"])).body["count"] == 1
    assert (await api.get("dnc-contact/", dnc=dnc["id"] + 1)).body["count"] == 0


async def _appointment_chain(api: Api) -> dict[str, Any]:
    survey = (await api.get("survey-list/")).body["results"][0]["id"]
    setting = await api.create(
        "calendar-setting/",
        {
            "label": "rest-api-cp-2",
            "callerid": "mantest",
            "caller_name": "",
            "call_timeout": 60,
            "survey": survey,
            "aleg_gateway": 23,
        },
    )
    user = await api.create(
        "calendar-user/",
        {"username": "cal-rest-user", "password": "12345678", "calendar_setting": setting["id"]},
    )
    calendar = await api.create("calendar/", {"name": "linh-calendar", "user": user["id"]})
    event = await api.create(
        "event/",
        {
            "title": "today",
            "start": "2020-02-15T09:30:39.177000Z",
            "end": "2020-02-15T10:13:39.177000Z",
            "creator": user["id"],
            "calendar": calendar["id"],
        },
    )
    return {"setting": setting, "user": user, "calendar": calendar, "event": event}


async def test_appointment_chain(api: Api) -> None:
    chain = await _appointment_chain(api)
    assert "password" not in chain["user"]
    assert chain["event"]["status"] == 1
    alarm = await api.create(
        "alarm/", {"alarm_phonenumber": "0934890883", "event": chain["event"]["id"]}
    )
    assert (alarm["status"], alarm["result"], alarm["method"]) == (1, 0, 1)
    assert alarm["date_start_notice"].endswith("Z")
    for resource in ("calendar-setting", "calendar-user", "calendar", "event", "alarm"):
        listed = await api.get(f"{resource}/")
        assert listed.body["count"] == 1, resource
        one = await api.get(f"{resource}/{listed.body['results'][0]['id']}/")
        assert one.status == 200
    assert "password" not in (await api.get("calendar-user/")).body["results"][0]
    assert (await api.delete(f"event/{chain['event']['id']}/")).status == 405


async def test_appointment_validation(api: Api) -> None:
    chain = await _appointment_chain(api)
    reply = await api.post(
        "calendar-user/",
        {"username": "cal-rest-user", "password": "x", "calendar_setting": chain["setting"]["id"]},
    )
    assert reply.body == {"username": ["A user with that username already exists."]}
    bob = await second_account(api)
    reply = await bob.post("calendar-user/", {"username": "cal-rest-user"})
    assert reply.body["password"] == ["This field is required."]
    reply = await api.post(
        "event/",
        {
            "title": "t",
            "start": "2020-02-15T10:00:00Z",
            "end": "2020-02-15T09:00:00Z",
            "creator": chain["user"]["id"],
            "calendar": chain["calendar"]["id"],
        },
    )
    assert list(reply.body) == ["end"]
    reply = await api.post("calendar-setting/", {"label": "x", "call_timeout": "abc"})
    assert reply.body["call_timeout"] == ["A valid integer is required."]
    assert reply.body["survey"] == ["This field is required."]
    reply = await api.post("alarm/", {"alarm_phonenumber": "1", "event": 999})
    assert reply.body == {"event": ['Invalid pk "999" - object does not exist.']}


async def test_calendar_user_unpaginated_variant(make_api: Factory) -> None:
    config = EmulatorConfig(variants=Variants(calendar_user_unpaginated=True), dialer=False)
    api = await make_api(config)
    assert (await api.get("calendar-user/")).body == {"note": "no calendar-user found"}
    chain = await _appointment_chain(api)
    single = (await api.get("calendar-user/")).body
    assert single == chain["user"]
    await api.create(
        "calendar-user/",
        {"username": "second", "password": "x", "calendar_setting": chain["setting"]["id"]},
    )
    several = (await api.get("calendar-user/")).body
    assert [row["username"] for row in several] == ["cal-rest-user", "second"]
