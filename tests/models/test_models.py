"""Response models: annotations resolve, defaults tolerate sparse objects, and values no
document lists (new enum members, extra fields, hyperlinks) never crash structuring."""

from __future__ import annotations

import datetime as dt
import enum
import typing
from typing import Any

import attrs
import pytest

import alice_async
from alice_async import (
    Alarm,
    AlarmMethod,
    AlarmResult,
    AlarmStatus,
    AmdStatus,
    Campaign,
    CampaignAction,
    CampaignStatus,
    Cdr,
    Disposition,
    Event,
    EventStatus,
    Gateway,
    GatewayStatus,
    HangupCause,
    LegType,
    SectionTemplate,
    SectionType,
    Subscriber,
    SubscriberStatus,
    Survey,
    SurveyTemplate,
    TtsLanguage,
)
from alice_async import models as models_package
from alice_async._converter import converter

MODELS = [
    getattr(models_package, name)
    for name in models_package.__all__
    if attrs.has(getattr(models_package, name))
]
ENUMS = [
    getattr(models_package, name)
    for name in models_package.__all__
    if isinstance(getattr(models_package, name), enum.EnumMeta)
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_annotations_resolve_at_runtime(model: type[Any]) -> None:
    hints = typing.get_type_hints(model)
    assert set(hints) == set(attrs.fields_dict(model))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_object_with_only_an_id_structures_with_defaults(model: type[Any]) -> None:
    instance = converter.structure({"id": "7", "a_field_no_document_lists": [1]}, model)
    assert instance.id == 7


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_models_are_frozen(model: type[Any]) -> None:
    instance = converter.structure({"id": 1}, model)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        instance.id = 2


def test_every_model_and_enum_is_exported_from_the_package() -> None:
    for thing in (*MODELS, *ENUMS):
        assert getattr(alice_async, thing.__name__) is thing
        assert thing.__name__ in alice_async.__all__


@pytest.mark.parametrize(
    ("model", "data", "field", "expected"),
    [
        (Campaign, {"status": 42}, "status", 42),
        (Subscriber, {"status": 9}, "status", 9),
        (SectionTemplate, {"type": 11}, "type", 11),
        (Gateway, {"status": 2}, "status", 2),
        (Event, {"status": 4}, "status", 4),
        (Alarm, {"status": 6, "result": 4, "method": 4}, "method", 4),
        (Cdr, {"leg_type": 3, "amd_status": 4}, "amd_status", 4),
        (Cdr, {"disposition": "VOICEMAIL"}, "disposition", "VOICEMAIL"),
        (Cdr, {"hangup_cause": "MEDIA_TIMEOUT"}, "hangup_cause", "MEDIA_TIMEOUT"),
        (SurveyTemplate, {"tts_language": "fr"}, "tts_language", "fr"),
        (Survey, {"tts_language": "ja"}, "tts_language", "ja"),
    ],
)
def test_unknown_enum_values_from_the_server_do_not_crash(
    model: type[Any], data: dict[str, Any], field: str, expected: object
) -> None:
    instance = converter.structure({"id": 1, **data}, model)
    value = getattr(instance, field)
    assert value == expected
    assert isinstance(value, enum.Enum)
    assert value not in list(type(value))


def test_campaign_states_and_actions_are_distinct_enums() -> None:
    assert CampaignStatus(2) is CampaignStatus.WAITING
    assert CampaignAction(2) is CampaignAction.PAUSE
    assert not isinstance(CampaignAction.PAUSE, CampaignStatus)


def test_a_campaign_with_lineage_fields_and_hyperlinks_structures() -> None:
    campaign = converter.structure(
        {
            "url": "https://alice.antbuddy.com/rest-api/campaigns/31/",
            "name": "rest-api-cp-2",
            "phonebook": ["https://alice.antbuddy.com/rest-api/phonebook/293/", 294],
            "aleg_gateway": "https://alice.antbuddy.com/rest-api/gateway/23/",
            "object_id": 351,
            "frequency": "10",
            "startingdate": "2020-02-11T02:36:39.045000Z",
            "expirationdate": "2020-02-12T02:36:39Z",
            "daily_start_time": "08:00:00",
            "daily_stop_time": "21:00:00",
            "status": 1,
            "maxretry": 2,
            "monday": "true",
            "sunday": False,
            "extra_data": "",
            "dnc": None,
            "brand_new_field": {"x": 1},
        },
        Campaign,
    )
    assert campaign.id == 31
    assert campaign.phonebook == [293, 294]
    assert campaign.aleg_gateway == 23
    assert campaign.frequency == 10
    assert campaign.startingdate == dt.datetime(
        2020, 2, 11, 2, 36, 39, 45000, tzinfo=dt.timezone.utc
    )
    assert campaign.daily_stop_time == dt.time(21, 0)
    assert campaign.status is CampaignStatus.STARTED
    assert (campaign.maxretry, campaign.monday, campaign.sunday) == (2, True, False)
    assert campaign.callmaxduration is None


def test_the_vendors_gateway_example_structures_field_for_field() -> None:
    gateway = converter.structure(
        {
            "id": 23,
            "name": "AliceDevGateway",
            "status": 1,
            "description": "AliceDevGateway",
            "addprefix": "",
            "removeprefix": "",
            "gateways": "sofia/gateway/AliceDevGateway/",
            "subdomain": "company",
            "gateway_codecs": "",
            "gateway_timeouts": "10",
            "gateway_retries": "",
            "originate_dial_string": "",
            "secondused": None,
            "created_date": "2019-12-26T04:17:12.673711Z",
            "updated_date": "2020-01-14T03:12:27.079710Z",
            "addparameter": "",
            "count_call": 0,
            "count_in_use": None,
            "maximum_call": None,
            "is_trial": True,
            "failover": None,
        },
        Gateway,
    )
    assert gateway.status is GatewayStatus.ACTIVE
    assert gateway.is_trial is True
    assert gateway.updated_date == dt.datetime(
        2020, 1, 14, 3, 12, 27, 79710, tzinfo=dt.timezone.utc
    )


def test_a_cdr_with_every_documented_field_structures() -> None:
    cdr = converter.structure(
        {
            "id": 5,
            "callid": "res232-fsf3-sfdsf",
            "callerid": "admin",
            "phone_number": "0943434340",
            "starting_date": "2023-03-28T08:05:07.495988Z",
            "duration": 34,
            "billsec": 3,
            "progresssec": 2,
            "answersec": 29,
            "waitsec": 29,
            "disposition": "FAILED",
            "hangup_cause": "UNALLOCATED_NUMBER",
            "hangup_cause_q850": 1,
            "sip_term_status": 404,
            "sip_term_cause": "2",
            "endpoint_disposition": "ANSWER",
            "leg_type": 2,
            "amd_status": None,
            "campaign": 23,
            "subscriber": None,
            "alarm": False,
            "otp": True,
        },
        Cdr,
    )
    assert cdr.disposition is Disposition.FAILED
    assert cdr.hangup_cause is HangupCause.UNALLOCATED_NUMBER
    assert cdr.sip_term_status == "404"
    assert cdr.leg_type is LegType.B_LEG
    assert cdr.amd_status is None
    assert (cdr.campaign, cdr.subscriber, cdr.alarm, cdr.otp) == (23, None, False, True)
    assert cdr.starting_date is not None
    assert cdr.starting_date.tzinfo is not None


def test_documented_enum_members_match_the_reference() -> None:
    assert [m.value for m in SubscriberStatus] == list(range(1, 9))
    assert [m.value for m in SectionType] == list(range(1, 11))
    assert [m.value for m in AlarmStatus] == [1, 2, 3, 4, 5]
    assert [m.value for m in AlarmResult] == [0, 1, 2, 3]
    assert [m.value for m in AlarmMethod] == [1, 2, 3]
    assert [m.value for m in EventStatus] == [1, 2, 3]
    assert [m.value for m in AmdStatus] == [1, 2, 3]
    assert [m.value for m in TtsLanguage] == ["vi", "en"]
    assert {m.value for m in Disposition} == {
        "ANSWER",
        "BUSY",
        "NOANSWER",
        "CANCEL",
        "CONGESTION",
        "FAILED",
    }
