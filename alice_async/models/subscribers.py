"""Subscriber model and its status (docs/API.md §5.10)."""

from __future__ import annotations

import datetime as dt

import attrs

from .._enums import OpenIntEnum
from ._common import PlainData

__all__ = ["Subscriber", "SubscriberStatus"]


class SubscriberStatus(OpenIntEnum):
    """Where one contact stands in one campaign."""

    PENDING = 1
    PAUSE = 2
    ABORT = 3
    FAIL = 4
    SENT = 5
    IN_PROCESS = 6
    NOT_AUTHORIZED = 7
    COMPLETED = 8


@attrs.frozen
class Subscriber(PlainData):
    """One contact enrolled in one campaign (created when the campaign starts).

    Attributes:
        id: the subscriber id (a CDR's ``subscriber``).
        contact: id of the contact.
        campaign: id of the campaign.
        phone_number: the number dialled, a string that keeps its leading zero.
        last_attempt: when it was last called (aware UTC), or ``None``.
        count_attempt: calls placed so far.
        status: a :class:`SubscriberStatus`.
        duration: seconds of the last call.
        billsec: seconds billed of the last call.
    """

    id: int
    contact: int | None = None
    campaign: int | None = None
    phone_number: str = ""
    last_attempt: dt.datetime | None = None
    count_attempt: int = 0
    completion_count_attempt: int = 0
    status: SubscriberStatus = SubscriberStatus.PENDING
    duration: int | None = None
    billsec: int | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
