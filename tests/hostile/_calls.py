"""Every public create, update, get and filter call of every resource, with valid arguments.

:func:`valid_calls` maps ``(resource, method)`` to keyword arguments that succeed against a
:class:`World` of real objects. The hostile tests start from these and replace some of them
with hostile values (input side), or call them against a rogue server (response side).
``tests/hostile/test_input.py`` checks that this table covers every public method and every
parameter, so a new method cannot go unfuzzed.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import os
import tempfile
import typing
from pathlib import Path
from typing import Any

import attrs

from alice_async import (
    AliceClient,
    CampaignAction,
    CampaignStatus,
    ContactInput,
    ContactStatus,
    Disposition,
    HangupCause,
    SectionType,
    SubscriberStatus,
    TtsLanguage,
)
from alice_async.resources._base import Resource
from alice_async.sinks import ParquetDataset

__all__ = ["NOT_FUZZED", "World", "build_world", "public_methods", "valid_calls"]

START = dt.datetime(2030, 3, 1, 1, 30, tzinfo=dt.timezone.utc)

NOT_FUZZED = frozenset(
    {
        "delete",
        "timeout",
        "max_retries",
        "deadline",
        "checkpoint",
        "path",
        "csv_path",
        "request_timeout",
        "extra_headers",
        "extra_query",
    }
)
"""Methods and parameters outside the property: ``delete`` would consume the shared objects;
``timeout``/``max_retries``/``deadline``/``request_timeout`` have their own tests (a tiny timeout
legitimately times out), and so do ``extra_headers``/``extra_query``
(tests/resources/test_call_options.py: a caller's header may legitimately change what the
server answers); a hostile ``checkpoint``, export ``path`` or report ``csv_path``
would write files wherever it points."""

EXPORT_DIRECTORY = Path(tempfile.gettempdir())

_SYNC_DIRECTORIES = itertools.count()


def _fresh_directory(feed: str) -> Path:
    """A dataset directory no earlier call used (a sync state belongs to one server)."""
    return EXPORT_DIRECTORY / f"alice-hostile-{feed}-{os.getpid()}-{next(_SYNC_DIRECTORIES)}"


@attrs.frozen
class World:
    """Ids of one object of every kind, in one account."""

    phonebook: int = 1
    contact: int = 1
    gateway: int = 1
    template: int = 1
    section: int = 1
    campaign: int = 1
    ended_campaign: int = 2
    survey: int = 1
    dnc: int = 1
    dnc_contact: int = 1
    cdr: int = 1
    subscriber: int = 1
    setting: int = 1
    calendar_user: int = 1
    calendar: int = 1
    event: int = 1
    alarm: int = 1


async def build_world(client: AliceClient, seed_cdrs: Any) -> World:
    """Create one object of every kind (and a CDR through ``seed_cdrs(n)``)."""
    book = await client.phonebooks.create(name="Danh bạ")
    contact = await client.contacts.create(phonebook=book.id, contact="0934890883")
    gateway = (await client.gateways.list().first_page()).items[0]
    template = await client.survey_templates.create(name="Khảo sát", tts_language="vi")
    section = await client.section_templates.create(survey=template.id, question="Chào")
    campaign = await client.campaigns.create(
        name="Chiến dịch", **campaign_fields(book.id, gateway.id, template.id)
    )
    await client.campaigns.start(campaign.id)
    ended = await client.campaigns.create(
        name="Chiến dịch đã xong", **campaign_fields(book.id, gateway.id, template.id)
    )
    await client.campaigns.end(ended.id)
    survey = (await client.surveys.list().first_page()).items[0]
    dnc = await client.dnc_lists.create(name="Opted out")
    dnc_contact = await client.dnc_contacts.create(phone_number="0900000000", dnc=dnc.id)
    seed_cdrs(3)
    cdr = (await client.cdr.list().first_page()).items[0]
    subscriber = (await client.subscribers.list().first_page()).items[0]
    setting = await client.calendar_settings.create(
        label="Phòng khám", call_timeout=30, survey=survey.id, aleg_gateway=gateway.id
    )
    user = await client.calendar_users.create(
        username="clinic", password="calendar-pw-1", calendar_setting=setting.id
    )
    calendar = await client.calendars.create(name="Lịch", user=user.id)
    event = await client.events.create(
        title="Tái khám",
        start=START,
        end=START + dt.timedelta(hours=1),
        creator=user.id,
        calendar=calendar.id,
    )
    alarm = await client.alarms.create(alarm_phonenumber="0934890883", event=event.id)
    return World(
        phonebook=book.id,
        contact=contact.id,
        gateway=gateway.id,
        template=template.id,
        section=section.id,
        campaign=campaign.id,
        ended_campaign=ended.id,
        survey=survey.id,
        dnc=dnc.id,
        dnc_contact=dnc_contact.id,
        cdr=cdr.id,
        subscriber=subscriber.id,
        setting=setting.id,
        calendar_user=user.id,
        calendar=calendar.id,
        event=event.id,
        alarm=alarm.id,
    )


def campaign_fields(phonebook: int, gateway: int, template: int) -> dict[str, Any]:
    return {
        "phonebook": [phonebook],
        "aleg_gateway": gateway,
        "object_id": template,
        "frequency": 10,
        "startingdate": START,
        "expirationdate": START + dt.timedelta(days=30),
        "daily_start_time": dt.time(8, 0),
        "daily_stop_time": "20:00:00",
        "description": "Nhắc lịch",
        "callerid": "0281234567",
    }


def contact_fields() -> dict[str, Any]:
    return {
        "contact": "0934 890 883",
        "status": ContactStatus.ACTIVE,
        "email": "linh@example.vn",
        "first_name": "Linh",
        "last_name": "Nguyễn",
        "description": "khách quen",
        "additional_vars": {"order": "A-1"},
        "country": "VN",
    }


def cdr_field_filters(w: World) -> dict[str, Any]:
    """A valid value for every key of ``CdrFieldFilters`` (the CDR filters but the dates)."""
    return {
        "callid": "abc",
        "callerid": "alice-cdr",
        "phone_number": "0934890883",
        "duration": 10,
        "billsec": 5,
        "disposition": Disposition.ANSWER,
        "hangup_cause": HangupCause.NORMAL_CLEARING,
        "sip_term_status": 200,
        "sip_term_cause": "16",
        "endpoint_disposition": "ANSWER",
        "campaign": w.campaign,
        "alarm": False,
        "otp": True,
    }


def valid_calls(w: World) -> dict[tuple[str, str], dict[str, Any]]:
    """Arguments that succeed, for every fuzzed method (``page_size`` added to lists)."""
    campaign = campaign_fields(w.phonebook, w.gateway, w.template)
    calls: dict[tuple[str, str], dict[str, Any]] = {
        ("phonebooks", "list"): {"search": "Danh"},
        ("phonebooks", "get"): {"id": w.phonebook},
        ("phonebooks", "create"): {"name": "Danh bạ 2", "description": "mới", "settle": True},
        ("phonebooks", "update"): {"id": w.phonebook, "name": "Danh bạ", "description": "x"},
        ("contacts", "list"): {"phonebook": w.phonebook, "search": "0934"},
        ("contacts", "get"): {"id": w.contact},
        ("contacts", "create"): {
            "phonebook": w.phonebook,
            "settle": True,
            **contact_fields(),
            "region": "VN",
            "phone_format": "e164",
        },
        ("contacts", "update"): {"id": w.contact, "phonebook": w.phonebook, **contact_fields()},
        ("contacts", "bulk_create"): {
            "phonebook": w.phonebook,
            "contacts": [ContactInput(contact="0911000001"), {"contact": "0911 000 002"}],
            "chunk_size": 10,
            "concurrency": 2,
            "on_progress": lambda done, total, rate: None,
            "region": "VN",
            "phone_format": "national",
            "skip_dnc": True,
        },
        ("campaigns", "list"): {
            "name": "Chiến",
            "phonebook": w.phonebook,
            "status": CampaignStatus.STARTED,
        },
        ("campaigns", "get"): {"id": w.campaign},
        ("campaigns", "create"): {"name": "Chiến dịch mới", "settle": True, **campaign},
        ("campaigns", "update"): {"id": w.campaign, "name": "Chiến dịch", **campaign},
        ("campaigns", "set_status"): {"id": w.campaign, "action": CampaignAction.PAUSE},
        ("campaigns", "start"): {"id": w.campaign},
        ("campaigns", "pause"): {"id": w.campaign},
        ("campaigns", "abort"): {"id": w.campaign},
        ("campaigns", "end"): {"id": w.campaign},
        ("campaigns", "progress"): {
            "id": w.campaign,
            "tz": "Asia/Ho_Chi_Minh",
            "dnc": True,
            "dnc_lookup_limit": 10,
        },
        ("campaigns", "watch"): {
            "id": w.ended_campaign,
            "every": 0.05,
            "tz": dt.timezone.utc,
            "dnc": False,
            "dnc_lookup_limit": 10,
        },
        ("campaigns", "wait"): {
            "id": w.ended_campaign,
            "timeout": 10.0,  # an ended campaign returns at once; room for a loaded machine
            "every": 0.05,
            "tz": None,
            "dnc": False,
            "dnc_lookup_limit": 0,
            "request_timeout": 30,
        },
        ("campaigns", "report"): {
            "id": w.ended_campaign,
            "path": EXPORT_DIRECTORY / "alice-hostile-report.html",
            "csv_path": EXPORT_DIRECTORY / "alice-hostile-report.csv",
            "tz": "UTC",
        },
        ("survey_templates", "list"): {
            "search": "Khảo",
            "description": "x",
            "is_onboarding": False,
            "user": 1,
        },
        ("survey_templates", "get"): {"id": w.template},
        ("survey_templates", "create"): {
            "name": "Khảo sát 2",
            "tts_language": TtsLanguage.VI,
            "description": "d",
            "settle": True,
        },
        ("section_templates", "list"): {},
        ("section_templates", "get"): {"id": w.section},
        ("section_templates", "create"): {
            "survey": w.template,
            "question": "Bạn có đến không?",
            "type": SectionType.MULTI_CHOICE,
            "script": "Xin chào {first_name}",
        },
        ("section_templates", "update"): {
            "id": w.section,
            "survey": w.template,
            "question": "Chào",
            "type": SectionType.PLAY_MESSAGE,
            "script": "Vui lòng đợi",
        },
        ("gateways", "list"): {},
        ("gateways", "get"): {"id": w.gateway},
        ("surveys", "list"): {
            "search": "Appointment",
            "tts_language": TtsLanguage.VI,
            "description": "Sealed",
            "campaign": w.campaign,
        },
        ("surveys", "get"): {"id": w.survey},
        ("dnc_lists", "list"): {},
        ("dnc_lists", "get"): {"id": w.dnc},
        ("dnc_lists", "create"): {"name": "DNC 2", "description": "d", "settle": True},
        ("dnc_contacts", "list"): {"dnc": w.dnc},
        ("dnc_contacts", "get"): {"id": w.dnc_contact},
        ("dnc_contacts", "create"): {
            "phone_number": "0324 324 343",
            "dnc": str(w.dnc),
            "settle": True,
        },
        ("cdr", "list"): {
            "from_date": START - dt.timedelta(days=3650),
            "to_date": START,
            **cdr_field_filters(w),
            "prefetch": 2,
            "as_dicts": False,
        },
        ("cdr", "iter_windows"): {
            "from_date": START - dt.timedelta(days=3650),
            "to_date": START,
            "window": dt.timedelta(days=365),
            "concurrency": 2,
            **cdr_field_filters(w),
            "page_size": 10,
            "as_dicts": False,
            "prefetch": 2,
        },
        ("cdr", "export"): {
            "path": EXPORT_DIRECTORY / "alice-hostile-cdr.csv",
            "format": "csv",
            "from_date": START - dt.timedelta(days=3650),
            "to_date": START,
            **cdr_field_filters(w),
            "page_size": 10,
            "prefetch": 2,
            "on_progress": lambda done, total: None,
        },
        ("cdr", "get"): {"id": w.cdr},
        # pipelines (issue 14): **filters methods; the filters given are a valid subset.
        ("cdr", "sync"): {
            "destination": ParquetDataset(_fresh_directory("cdr")),
            "since": START - dt.timedelta(days=1),
            "lateness": dt.timedelta(hours=2),
            "commit_every": 100,
            "on_progress": lambda written, skipped: None,
            **cdr_field_filters(w),
        },
        ("cdr", "plan"): {
            "start": START - dt.timedelta(days=1),
            "stop": START,
            "window": dt.timedelta(hours=6),
            **cdr_field_filters(w),
        },
        ("subscribers", "sync"): {
            "destination": ParquetDataset(_fresh_directory("subscribers")),
            "commit_every": 100,
            "on_progress": lambda written, skipped: None,
            "campaign": w.campaign,
            "contact": "0934890883",
            "status": SubscriberStatus.PENDING,
            "duration": 0,
            "billsec": 0,
        },
        ("subscribers", "list"): {
            "campaign": w.campaign,
            "contact": "0934890883",
            "status": SubscriberStatus.PENDING,
            "duration": 0,
            "billsec": 0,
            "as_dicts": False,
            "prefetch": 2,
        },
        ("subscribers", "get"): {"id": w.subscriber},
        ("subscribers", "export"): {
            "path": EXPORT_DIRECTORY / "alice-hostile-subscribers.jsonl",
            "format": "jsonl",
            "campaign": w.campaign,
            "contact": "0934890883",
            "status": SubscriberStatus.PENDING,
            "duration": 0,
            "billsec": 0,
            "page_size": 10,
            "prefetch": 2,
            "on_progress": lambda done, total: None,
        },
        ("calendar_settings", "list"): {},
        ("calendar_settings", "get"): {"id": w.setting},
        ("calendar_settings", "create"): {
            "label": "Nha khoa",
            "call_timeout": 45,
            "survey": w.survey,
            "aleg_gateway": w.gateway,
            "callerid": "0281234567",
            "caller_name": "Nha khoa",
        },
        ("calendar_users", "list"): {},
        ("calendar_users", "get"): {"id": w.calendar_user},
        ("calendar_users", "create"): {
            "username": "clinic-2",
            "password": "calendar-pw-2",
            "calendar_setting": w.setting,
        },
        ("calendars", "list"): {},
        ("calendars", "get"): {"id": w.calendar},
        ("calendars", "create"): {"name": "Lịch 2", "user": w.calendar_user},
        ("events", "list"): {},
        ("events", "get"): {"id": w.event},
        ("events", "create"): {
            "title": "Khám",
            "start": START,
            "end": START + dt.timedelta(minutes=30),
            "creator": w.calendar_user,
            "calendar": w.calendar,
            "description": "d",
        },
        ("alarms", "list"): {},
        ("alarms", "get"): {"id": w.alarm},
        ("alarms", "create"): {
            "alarm_phonenumber": "0934890883",
            "event": w.event,
            "date_start_notice": START - dt.timedelta(hours=2),
            "phonenumber_transfer": "0935000000",
        },
    }
    for (_, method), arguments in calls.items():
        if method == "list":
            arguments.setdefault("page_size", 10)
    return calls


def accepted_parameters(method: Any) -> set[str]:
    """The names a method accepts: its parameters, ``**filters: Unpack[X]`` spelled out."""
    names = set()
    hints = typing.get_type_hints(method)
    for parameter in inspect.signature(method).parameters.values():
        if parameter.kind is not inspect.Parameter.VAR_KEYWORD:
            names.add(parameter.name)
            continue
        (filters,) = typing.get_args(hints[parameter.name])  # Unpack[SomeFilters]
        names |= set(typing.get_type_hints(filters))
    return names


def public_methods(client: AliceClient) -> dict[tuple[str, str], Any]:
    """Every public method of every resource of ``client``."""
    found = {}
    for name, resource in vars(client).items():
        if not isinstance(resource, Resource):
            continue
        for method in dir(type(resource)):
            if not method.startswith("_"):
                found[(name, method)] = getattr(resource, method)
    return found
