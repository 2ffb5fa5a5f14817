"""campaigns/, their status actions and enrolment; survey and section templates."""

from __future__ import annotations

from typing import Any

import pytest

from ._helpers import Api, phonebook, second_account

pytestmark = pytest.mark.anyio


async def _template(api: Api, name: str = "Survey") -> int:
    body = await api.create("survey-template/", {"name": name, "tts_language": "vi"})
    return int(body["id"])


async def _campaign_body(api: Api, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "rest-api-cp-2",
        "description": "rest api for campaign",
        "callerid": "lh",
        "phonebook": [await phonebook(api)],
        "aleg_gateway": 23,
        "object_id": await _template(api),
        "frequency": 10,
        "startingdate": "2020-02-11T02:36:39.045000Z",
        "expirationdate": "2020-02-12T09:36:39+07:00",
        "daily_start_time": "08:00:00",
        "daily_stop_time": "21:00",
    }
    body.update(overrides)
    return body


async def test_create_campaign_and_its_sealed_survey(api: Api) -> None:
    body = await _campaign_body(api)
    campaign = await api.create("campaigns/", body)
    assert campaign["status"] == 2
    assert campaign["campaign_code"]
    assert campaign["startingdate"] == "2020-02-11T02:36:39.045000Z"
    assert campaign["expirationdate"] == "2020-02-12T02:36:39Z"
    assert campaign["daily_stop_time"] == "21:00:00"
    assert campaign["phonebook"] == body["phonebook"]
    surveys = await api.get("survey-list/", campaign=campaign["id"])
    assert surveys.body["count"] == 1
    assert surveys.body["results"][0]["name"] == "Survey"
    assert (await api.get("campaigns/", name="REST-API")).body["count"] == 1
    assert (await api.get("campaigns/", status=2)).body["count"] == 1
    assert (await api.get("campaigns/", phonebook=body["phonebook"][0])).body["count"] == 1
    assert (await api.get("campaigns/", phonebook=99999)).body["count"] == 0


async def test_campaign_validation(api: Api) -> None:
    reply = await api.post("campaigns/", {})
    assert set(reply.body) == {
        "name",
        "phonebook",
        "aleg_gateway",
        "object_id",
        "frequency",
        "startingdate",
        "expirationdate",
        "daily_start_time",
        "daily_stop_time",
    }
    body = await _campaign_body(api, frequency=101, phonebook=[], startingdate="yesterday")
    reply = await api.post("campaigns/", body)
    assert reply.body["frequency"] == ["Frequency limit of 100 exceeded."]
    assert reply.body["phonebook"] == ["This list may not be empty."]
    assert reply.body["startingdate"][0].startswith("Datetime has wrong format.")
    body = await _campaign_body(api, expirationdate="2020-02-10T00:00:00Z")
    reply = await api.post("campaigns/", body)
    assert list(reply.body) == ["expirationdate"]
    body = await _campaign_body(api, daily_stop_time="07:00:00", aleg_gateway=24)
    reply = await api.post("campaigns/", body)
    assert reply.body["aleg_gateway"] == ['Invalid pk "24" - object does not exist.']
    await api.create("campaigns/", await _campaign_body(api))
    reply = await api.post("campaigns/", await _campaign_body(api))
    assert reply.body == {"non_field_errors": ["The Campaign name duplicated!"]}


async def test_put_keeps_gateway_and_template(api: Api) -> None:
    body = await _campaign_body(api)
    campaign = await api.create("campaigns/", body)
    del body["aleg_gateway"], body["object_id"]
    body["frequency"] = 3
    reply = await api.put(f"campaigns/{campaign['id']}/", body)
    assert reply.status == 200
    assert (reply.body["frequency"], reply.body["aleg_gateway"]) == (3, 23)
    assert reply.body["object_id"] == campaign["object_id"]
    assert (await api.delete(f"campaigns/{campaign['id']}/")).status == 204


async def test_status_actions_and_enrolment(api: Api) -> None:
    body = await _campaign_body(api)
    pid = body["phonebook"][0]
    contacts = [{"contact": f"0{i}", "status": 1} for i in range(5)] + [
        {"contact": "099", "status": 0}
    ]
    await api.post("bulkcontact/", {"phonebook": pid, "contacts": contacts})
    dnc = await api.create("dnc-list/", {"name": "Blocked"})
    await api.create("dnc-contact/", {"phone_number": "03", "dnc": str(dnc["id"])})
    campaign = await api.create("campaigns/", body)
    path = f"campaigns/{campaign['id']}/status/"
    reply = await api.post(path, {"status": 9})
    assert reply.body == {"status": ['"9" is not a valid choice.']}
    reply = await api.post(path, {"status": 1})
    assert (reply.status, reply.body["status"]) == (200, 1)
    subscribers = await api.get("subscriber-list/", campaign=campaign["id"])
    assert sorted(s["phone_number"] for s in subscribers.body["results"]) == [
        "00",
        "01",
        "02",
        "04",
    ]
    assert {s["status"] for s in subscribers.body["results"]} == {1}
    assert (await api.get("subscriber-list/", contact="01")).body["count"] == 1
    assert (await api.post(path, {"status": 2})).body["status"] == 3
    assert (await api.post(path, {"status": 1})).body["status"] == 1
    assert api.emu.store.count("subscriber-list") == 4  # restarting does not enrol twice
    assert (await api.post(path, {"status": 3})).body["status"] == 4
    reply = await api.post(path, {"status": 1})
    assert reply.status == 400
    assert list(reply.body) == ["status"]
    assert (await api.post(path, {"status": 4})).body["status"] == 4
    bob = await second_account(api)
    assert (await bob.post(path, {"status": 1})).status == 404


async def test_survey_template_filters(api: Api) -> None:
    await api.create("survey-template/", {"name": "Khảo sát", "description": "Hello world"})
    await api.create("survey-template/", {"name": "Other", "tts_language": "en"})
    assert (await api.get("survey-template/", search="khảo")).body["count"] == 1
    assert (await api.get("survey-template/", description="WORLD")).body["count"] == 1
    assert (await api.get("survey-template/", is_onboarding="false")).body["count"] == 2
    assert (await api.get("survey-template/", is_onboarding="true")).body["count"] == 0
    assert (await api.get("survey-template/", user=1)).body["count"] == 2
    assert (await api.get("survey-template/", user=2)).body["count"] == 0
    reply = await api.post("survey-template/", {"name": "x", "tts_language": "fr"})
    assert reply.body == {"tts_language": ['"fr" is not a valid choice.']}


async def test_section_templates(api: Api) -> None:
    survey = await _template(api)
    first = await api.create("section-template/", {"survey": survey, "question": "Hello"})
    second = await api.create(
        "section-template/", {"survey": survey, "question": "Q2", "type": 3, "script": "Xin chào"}
    )
    assert (first["order"], first["type"], second["order"]) == (1, 1, 2)
    reply = await api.put(f"section-template/{first['id']}/", {"script": "Vui lòng đợi."})
    assert (reply.status, reply.body["script"], reply.body["question"]) == (
        200,
        "Vui lòng đợi.",
        "Hello",
    )
    reply = await api.post("section-template/", {"survey": survey, "question": "q", "type": 11})
    assert reply.body == {"type": ['"11" is not a valid choice.']}
    reply = await api.post("section-template/", {"survey": survey, "question": "q" * 501})
    assert reply.body == {"question": ["Ensure this field has no more than 500 characters."]}
    await api.delete(f"survey-template/{survey}/")
    assert api.emu.store.count("section-template") == 0
