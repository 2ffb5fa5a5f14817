"""What each endpoint is: writable fields, filters, relations, allowed actions.

These declarations drive the generic handlers in ``_handlers.py``; the few behaviours
that do not fit a declaration (campaign rules, bulk upload, status actions, dialer side
effects) live there as hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._errors import ValidationError
from ._store import Row, Store
from ._time import micros, parse_datetime
from ._validation import Field

__all__ = ["SPECS", "Filter", "ResourceSpec", "row_filters"]

Predicate = Callable[[Row], bool]

LIST, CREATE, RETRIEVE, UPDATE, DELETE = "list", "create", "retrieve", "update", "delete"
READ_ONLY = frozenset({LIST, RETRIEVE})
CRUD = frozenset({LIST, CREATE, RETRIEVE, UPDATE, DELETE})
APPEND_ONLY = frozenset({LIST, CREATE, RETRIEVE})


@attrs.frozen
class Filter:
    """A query parameter: ``icontains`` over fields, ``int``/``str``/``bool`` equality,
    ``int_in`` (a list field holds the id), ``user_id`` (owner's user id)."""

    kind: str
    fields: tuple[str, ...]


@attrs.frozen
class ResourceSpec:
    name: str
    fields: Mapping[str, Field] = attrs.field(factory=dict)
    actions: frozenset[str] = CRUD
    filters: Mapping[str, Filter] = attrs.field(factory=dict)
    #: field -> resource it points at (rendered as a URL in the hyperlinked variant)
    relations: Mapping[str, str] = attrs.field(factory=dict)
    owned: bool = False  # has a ``user`` field (the owner's username)
    dated: bool = True  # has ``created_date``/``updated_date``
    read_only: Mapping[str, Any] = attrs.field(factory=dict)  # RO fields and initial values


def _str(max_length: int | None = None, *, required: bool = False) -> Field:
    return Field("str", required=required, max_length=max_length, default="")


def _fk(target: str, *, required: bool = True) -> Field:
    return Field("fk", required=required, target=target, nullable=not required, default=None)


def _int_filter(*fields: str) -> Filter:
    return Filter("int", fields)


_CONTACT_FIELDS = {
    "phonebook": _fk("phonebook"),
    "contact": _str(90, required=True),
    "status": Field("choice", required=True, choices=(0, 1)),
    "last_name": _str(120),
    "first_name": _str(120),
    "email": Field("email", default="", max_length=254),
    "country": _str(2),
    "description": _str(),
    "additional_vars": Field("json_text", default=None, nullable=True),
}

_CAMPAIGN_FIELDS = {
    "name": _str(100, required=True),
    "description": _str(),
    "callerid": _str(80),
    "phonebook": Field("fk_list", required=True, target="phonebook"),
    "aleg_gateway": _fk("gateway"),
    "object_id": _fk("survey-template"),
    "frequency": Field(
        "int",
        required=True,
        min_value=1,
        max_value=100,
        max_message="Frequency limit of 100 exceeded.",
    ),
    "startingdate": Field("datetime", required=True),
    "expirationdate": Field("datetime", required=True),
    "daily_start_time": Field("time", required=True),
    "daily_stop_time": Field("time", required=True),
    # Lineage fields the vendor does not document: accepted, defaulted, rendered.
    "callmaxduration": Field("int", default=1800, min_value=0),
    "maxretry": Field("int", default=0, min_value=0, max_value=5),
    "intervalretry": Field("int", default=300, min_value=0),
    "calltimeout": Field("int", default=45, min_value=1),
    **{
        day: Field("bool", default=True)
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    },
    "extra_data": _str(),
    "dnc": Field("fk", target="dnc-list", nullable=True, default=None),
}

_SECTION_TYPES = tuple(range(1, 11))

SPECS: dict[str, ResourceSpec] = {
    spec.name: spec
    for spec in (
        ResourceSpec(
            "phonebook",
            {"name": _str(90, required=True), "description": _str()},
            filters={"search": Filter("icontains", ("name",))},
            owned=True,
        ),
        ResourceSpec(
            "contact",
            _CONTACT_FIELDS,
            filters={
                "phonebook": _int_filter("phonebook"),
                "search": Filter("icontains", ("contact", "first_name", "last_name")),
            },
            relations={"phonebook": "phonebook"},
        ),
        ResourceSpec(
            "campaigns",
            _CAMPAIGN_FIELDS,
            filters={
                "name": Filter("icontains", ("name",)),
                "phonebook": Filter("int_in", ("phonebook",)),
                "status": _int_filter("status"),
            },
            relations={
                "phonebook": "phonebook",
                "aleg_gateway": "gateway",
                "object_id": "survey-template",
                "dnc": "dnc-list",
            },
            read_only={"status": 2, "campaign_code": ""},
        ),
        ResourceSpec(
            "survey-template",
            {
                "name": _str(90, required=True),
                "tts_language": Field("choice", choices=("vi", "en"), default="en"),
                "description": _str(),
            },
            filters={
                "search": Filter("icontains", ("name",)),
                "description": Filter("icontains", ("description",)),
                "is_onboarding": Filter("bool", ("is_onboarding",)),
                "user": Filter("user_id", ("user",)),
            },
            owned=True,
            read_only={"is_onboarding": False},
        ),
        ResourceSpec(
            "section-template",
            {
                "type": Field("choice", choices=_SECTION_TYPES, default=1),
                "survey": _fk("survey-template"),
                "question": _str(500, required=True),
                "script": _str(1000),
            },
            filters={"survey": _int_filter("survey")},
            relations={"survey": "survey-template"},
            read_only={"order": 1},
            dated=False,
        ),
        ResourceSpec(
            "gateway",
            actions=READ_ONLY,
            filters={"status": _int_filter("status")},
        ),
        ResourceSpec(
            "survey-list",
            actions=READ_ONLY,
            filters={
                "search": Filter("icontains", ("name",)),
                "tts_language": Filter("str", ("tts_language",)),
                "description": Filter("icontains", ("description",)),
                "campaign": _int_filter("campaign"),
            },
            relations={"campaign": "campaigns"},
        ),
        ResourceSpec(
            "dnc-list",
            {"name": _str(50, required=True), "description": _str()},
            filters={"search": Filter("icontains", ("name",))},
            owned=True,
        ),
        ResourceSpec(
            "dnc-contact",
            {"phone_number": _str(120, required=True), "dnc": _fk("dnc-list")},
            filters={
                "dnc": _int_filter("dnc"),
                "phone_number": Filter("str", ("phone_number",)),
            },
            relations={"dnc": "dnc-list"},
        ),
        ResourceSpec(
            "cdr",
            actions=READ_ONLY,
            filters={
                **{name: Filter("str", (name,)) for name in ("callid", "callerid", "phone_number")},
                "duration": _int_filter("duration"),
                "billsec": _int_filter("billsec"),
                **{
                    name: Filter("str", (name,))
                    for name in (
                        "disposition",
                        "hangup_cause",
                        "sip_term_status",
                        "sip_term_cause",
                        "endpoint_disposition",
                    )
                },
                "campaign": _int_filter("campaign"),
                "alarm": Filter("bool", ("alarm",)),
                "otp": Filter("bool", ("otp",)),
            },
            relations={"campaign": "campaigns", "subscriber": "subscriber-list"},
            dated=False,
        ),
        ResourceSpec(
            "subscriber-list",
            actions=READ_ONLY,
            filters={
                "campaign": _int_filter("campaign"),
                "contact": Filter("str", ("phone_number",)),
                "status": _int_filter("status"),
                "duration": _int_filter("duration"),
                "billsec": _int_filter("billsec"),
            },
            relations={"contact": "contact", "campaign": "campaigns"},
        ),
        ResourceSpec(
            "calendar-setting",
            {
                "label": _str(80, required=True),
                "callerid": _str(80),
                "caller_name": _str(80),
                "call_timeout": Field("int", required=True, min_value=1),
                "survey": _fk("survey-list"),
                "aleg_gateway": _fk("gateway"),
            },
            actions=APPEND_ONLY,
            relations={"survey": "survey-list", "aleg_gateway": "gateway"},
        ),
        ResourceSpec(
            "calendar-user",
            {
                "username": _str(30, required=True),
                "password": _str(128, required=True),
                "calendar_setting": _fk("calendar-setting"),
            },
            actions=APPEND_ONLY,
            relations={"calendar_setting": "calendar-setting"},
            dated=False,
        ),
        ResourceSpec(
            "calendar",
            {"name": _str(200, required=True), "user": _fk("calendar-user")},
            actions=APPEND_ONLY,
            filters={"user": _int_filter("user")},
            relations={"user": "calendar-user"},
        ),
        ResourceSpec(
            "event",
            {
                "title": _str(255, required=True),
                "description": _str(),
                "start": Field("datetime", required=True),
                "end": Field("datetime", required=True),
                "creator": _fk("calendar-user"),
                "calendar": _fk("calendar"),
            },
            actions=APPEND_ONLY,
            filters={"calendar": _int_filter("calendar"), "status": _int_filter("status")},
            relations={"creator": "calendar-user", "calendar": "calendar"},
            read_only={"status": 1},
        ),
        ResourceSpec(
            "alarm",
            {
                "alarm_phonenumber": _str(50, required=True),
                "date_start_notice": Field("datetime"),
                "phonenumber_transfer": _str(50),
                "event": _fk("event"),
            },
            actions=APPEND_ONLY,
            filters={"event": _int_filter("event"), "status": _int_filter("status")},
            relations={"event": "event"},
            read_only={"status": 1, "result": 0, "method": 1},
        ),
    )
}


def _int_param(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: ["Enter a number."]}) from None


def _predicate(name: str, spec: Filter, raw: str, store: Store) -> Predicate | None:
    fields = spec.fields
    if spec.kind == "icontains":
        needle = raw.casefold()
        return lambda row: any(needle in str(row.get(f) or "").casefold() for f in fields)
    if spec.kind == "int":
        wanted = _int_param(name, raw)
        return lambda row: row.get(fields[0]) == wanted
    if spec.kind == "int_in":
        member = _int_param(name, raw)
        return lambda row: member in (row.get(fields[0]) or ())
    if spec.kind == "str":
        return lambda row: str(row.get(fields[0])) == raw
    if spec.kind == "bool":
        lowered = raw.lower()
        if lowered not in ("true", "false", "1", "0"):
            return None  # django-filter's BooleanFilter ignores what it cannot read
        flag = lowered in ("true", "1")
        return lambda row: bool(row.get(fields[0])) is flag
    if spec.kind == "user_id":
        user_id = _int_param(name, raw)
        return lambda row: store.user_ids.get(row.get(fields[0]) or "") == user_id
    raise AssertionError(spec.kind)


def row_filters(spec: ResourceSpec, query: Mapping[str, str], store: Store) -> list[Predicate]:
    """The predicates of the filters present (and non-empty) in ``query``."""
    predicates = []
    for name, filter_spec in spec.filters.items():
        raw = query.get(name, "")
        if raw == "":
            continue
        predicate = _predicate(name, filter_spec, raw, store)
        if predicate is not None:
            predicates.append(predicate)
    return predicates


def date_bound(name: str, raw: str | None) -> int | None:
    """A ``from_date``/``to_date`` query value as microseconds since the epoch."""
    if not raw:
        return None
    if "T" in raw:
        raw = raw.replace(" ", "+")  # an unencoded "+HH:MM" offset arrives as a space
    parsed = parse_datetime(raw if "T" in raw or " " in raw else raw + "T00:00:00")
    if parsed is None:
        raise ValidationError({name: ["Enter a valid date/time."]})
    return micros(parsed)
