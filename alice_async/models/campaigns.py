"""Campaign model, its state and the actions that change it (docs/API.md §5.1).

Two enums that must never be confused: :class:`CampaignStatus` is what a campaign *is*
(its ``status`` field and the ``status`` filter), :class:`CampaignAction` is what you ask the
server to *do* (the body of ``campaigns/{id}/status/``). Their integers overlap with different
meanings: ``2`` is "waiting" as a state but "pause" as an action.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .._enums import OpenIntEnum
from ._common import PlainData

__all__ = ["Campaign", "CampaignAction", "CampaignStatus"]


class CampaignStatus(OpenIntEnum):
    """The state of a campaign (``Campaign.status``, the ``status`` list filter)."""

    STARTED = 1
    WAITING = 2
    PAUSED = 3
    ENDED = 4
    COMPLETED = 5


class CampaignAction(OpenIntEnum):
    """What ``set_status`` asks of a campaign; the state that results is in the docstrings."""

    START = 1
    """-> ``CampaignStatus.STARTED`` (refused once the campaign is ended or completed)."""
    PAUSE = 2
    """-> ``CampaignStatus.PAUSED``."""
    ABORT = 3
    """-> ``CampaignStatus.ENDED``."""
    END = 4
    """-> ``CampaignStatus.ENDED``."""


@attrs.frozen
class Campaign(PlainData):
    """A voice campaign: who is called (phonebooks), through what (gateway), with what script.

    Attributes:
        id: the campaign id.
        name: up to 100 characters, unique in the account.
        phonebook: ids of the phonebooks whose active contacts are called.
        aleg_gateway: id of the gateway that dials out.
        object_id: id of the survey template the calls play.
        frequency: calls per minute (1..100).
        startingdate: when the campaign may start dialling (aware UTC).
        expirationdate: when it stops for good (aware UTC).
        daily_start_time: start of the daily dialling window.
        daily_stop_time: end of the daily dialling window.
        status: the campaign's :class:`CampaignStatus`.
        callmaxduration, maxretry, intervalretry, calltimeout, monday..sunday, extra_data,
        dnc: undocumented fields of the lineage, ``None`` when the server omits them.
    """

    id: int
    name: str = ""
    description: str | None = None
    callerid: str | None = None
    phonebook: list[int] = attrs.field(factory=list)
    aleg_gateway: int | None = None
    object_id: int | None = None
    frequency: int | None = None
    startingdate: dt.datetime | None = None
    expirationdate: dt.datetime | None = None
    daily_start_time: dt.time | None = None
    daily_stop_time: dt.time | None = None
    status: CampaignStatus = CampaignStatus.WAITING
    campaign_code: str | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
    callmaxduration: int | None = None
    maxretry: int | None = None
    intervalretry: int | None = None
    calltimeout: int | None = None
    monday: bool | None = None
    tuesday: bool | None = None
    wednesday: bool | None = None
    thursday: bool | None = None
    friday: bool | None = None
    saturday: bool | None = None
    sunday: bool | None = None
    extra_data: str | None = None
    dnc: int | None = None
