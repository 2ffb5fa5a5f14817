"""What the commands print: rich tables for people, JSON for machines.

Tables and messages for people go to stdout; progress bars, live views and errors go to
stderr. With ``--json`` stdout carries exactly one JSON document and nothing else.

The JSON of every command has one shape: the API's field names; datetimes ISO-8601 in UTC
with ``Z``; every enum as its member NAME (``"status": "STARTED"``) and, where the API uses an
integer code, the code beside it under ``<field>_code`` (``"status_code": 1``). A value no
document lists prints as ``UNKNOWN_<value>`` with its raw value as the code. Counts keyed by
an enum (subscribers per status) are keyed by the NAME.
"""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

import attrs
from rich.console import Console
from rich.table import Table

from .._converter import converter
from ..models.campaigns import Campaign
from ..models.contacts import Contact
from ..models.gateways import Gateway
from ..models.phonebooks import Phonebook

__all__ = [
    "campaign_detail",
    "campaign_table",
    "contact_table",
    "enum_fields",
    "err_console",
    "gateway_table",
    "label",
    "out_console",
    "phonebook_table",
    "print_json",
    "to_json",
    "when",
]


def out_console() -> Console:
    """The console of results (stdout)."""
    return Console(highlight=False)


def err_console() -> Console:
    """The console of progress, live views and notes (stderr)."""
    return Console(stderr=True, highlight=False)


def to_json(value: Any) -> Any:
    """A model (or a list or dict of them) as the commands' JSON data (module docstring)."""
    if attrs.has(type(value)):
        data: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if isinstance(item, enum.Enum):
                data.update(enum_fields(field.name, item))
            else:
                data[field.name] = to_json(item)
        return data
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {
            key.name if isinstance(key, enum.Enum) else str(key): to_json(item)
            for key, item in value.items()
        }
    return converter.unstructure(value)


def enum_fields(name: str, member: enum.Enum) -> dict[str, Any]:
    """``{name: "STARTED", name_code: 1}`` (no ``_code`` for an enum of strings)."""
    if isinstance(member, int):
        return {name: member.name, f"{name}_code": member.value}
    return {name: member.name}


def print_json(data: Any) -> None:
    """Write ``data`` as one JSON document on stdout (UTF-8, Vietnamese kept readable)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def label(value: enum.Enum | None) -> str:
    """A readable name for an enum member (``CampaignStatus.STARTED`` -> ``started``)."""
    if value is None:
        return ""
    return value.name.lower().replace("_", " ")


def when(value: datetime | None) -> str:
    """A datetime for a table: ``2026-03-01 08:00:00 UTC`` (empty for ``None``)."""
    if value is None:
        return ""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _ids(values: Iterable[int]) -> str:
    return ", ".join(str(value) for value in values)


def campaign_table(campaigns: Sequence[Campaign], *, title: str = "Campaigns") -> Table:
    """One row per campaign: id, name, state, phonebooks, gateway, template, frequency."""
    table = Table(title=title, title_justify="left")
    table.add_column("ID", justify="right")
    table.add_column("Name")
    table.add_column("Status")
    table.add_column("Phonebooks")
    table.add_column("Gateway", justify="right")
    table.add_column("Template", justify="right")
    table.add_column("Calls/min", justify="right")
    table.add_column("Starts")
    for campaign in campaigns:
        table.add_row(
            str(campaign.id),
            campaign.name,
            label(campaign.status),
            _ids(campaign.phonebook),
            _text(campaign.aleg_gateway),
            _text(campaign.object_id),
            _text(campaign.frequency),
            when(campaign.startingdate),
        )
    return table


def campaign_detail(campaign: Campaign) -> Table:
    """Every documented field of one campaign, one per line."""
    table = Table(title=f"Campaign {campaign.id}", title_justify="left", show_header=False)
    table.add_column("Field", style="bold")
    table.add_column("Value")
    rows: list[tuple[str, str]] = [
        ("name", campaign.name),
        ("status", label(campaign.status)),
        ("description", _text(campaign.description)),
        ("callerid", _text(campaign.callerid)),
        ("phonebooks", _ids(campaign.phonebook)),
        ("gateway", _text(campaign.aleg_gateway)),
        ("survey template", _text(campaign.object_id)),
        ("calls per minute", _text(campaign.frequency)),
        ("starts", when(campaign.startingdate)),
        ("expires", when(campaign.expirationdate)),
        ("daily window", f"{_text(campaign.daily_start_time)} - {_text(campaign.daily_stop_time)}"),
        ("code", _text(campaign.campaign_code)),
        ("created", when(campaign.created_date)),
        ("updated", when(campaign.updated_date)),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def phonebook_table(phonebooks: Sequence[Phonebook]) -> Table:
    """One row per phonebook: id, name, description, created."""
    table = Table(title="Phonebooks", title_justify="left")
    table.add_column("ID", justify="right")
    table.add_column("Name")
    table.add_column("Description")
    table.add_column("Created")
    for book in phonebooks:
        table.add_row(
            str(book.id),
            book.name,
            _text(book.description),
            when(book.created_date),
        )
    return table


def contact_table(contacts: Sequence[Contact]) -> Table:
    """One row per contact: id, number, name, status, phonebook, created."""
    table = Table(title="Contacts", title_justify="left")
    table.add_column("ID", justify="right")
    table.add_column("Number")
    table.add_column("Name")
    table.add_column("Status")
    table.add_column("Phonebook", justify="right")
    table.add_column("Created")
    for contact in contacts:
        name = " ".join(part for part in (contact.last_name, contact.first_name) if part)
        table.add_row(
            str(contact.id),
            contact.contact,
            name,
            label(contact.status),
            _text(contact.phonebook),
            when(contact.created_date),
        )
    return table


def gateway_table(gateways: Sequence[Gateway]) -> Table:
    """One row per gateway: id, name, status, dial string, calls in use / maximum, trial."""
    table = Table(title="Gateways", title_justify="left")
    table.add_column("ID", justify="right")
    table.add_column("Name")
    table.add_column("Status")
    table.add_column("Dial string")
    table.add_column("In use", justify="right")
    table.add_column("Max calls", justify="right")
    table.add_column("Trial")
    for gateway in gateways:
        table.add_row(
            str(gateway.id),
            gateway.name,
            label(gateway.status),
            _text(gateway.gateways),
            _text(gateway.count_in_use),
            _text(gateway.maximum_call),
            "yes" if gateway.is_trial else "no",
        )
    return table
