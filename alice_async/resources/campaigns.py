"""``client.campaigns``: the ``campaigns/`` endpoint and its ``status/`` action (REFERENCE §5.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .._converter import format_datetime
from .._exceptions import InvalidInputError
from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import (
    boolean,
    datetime_value,
    enum_value,
    int_range,
    object_id,
    object_ids,
    ordered,
    require,
    text,
    time_of_day,
)
from ..models.campaigns import Campaign, CampaignAction, CampaignStatus
from ._base import Resource
from ._settle import named

__all__ = ["Campaigns", "campaign_body"]


def campaign_body(
    *,
    name: Any,
    phonebook: Any,
    frequency: Any,
    startingdate: Any,
    expirationdate: Any,
    daily_start_time: Any,
    daily_stop_time: Any,
    aleg_gateway: Any = None,
    object_id_: Any = None,
    description: Any = None,
    callerid: Any = None,
    require_links: bool = True,
) -> dict[str, Any]:
    """Validate a campaign's fields into the JSON body of a create or an update.

    ``require_links`` makes ``aleg_gateway`` and ``object_id`` required (create); an update
    may leave them out and the server keeps them.

    Raises:
        InvalidInputError: naming the first bad field and its value.
    """
    body: dict[str, Any] = {
        "name": text("name", require("name", name), max_length=100, required=True),
        "phonebook": object_ids("phonebook", require("phonebook", phonebook)),
    }
    if description is not None:
        body["description"] = text("description", description)
    if callerid is not None:
        body["callerid"] = text("callerid", callerid, max_length=80)
    for field, value in (("aleg_gateway", aleg_gateway), ("object_id", object_id_)):
        if value is not None:
            body[field] = object_id(field, value)
        elif require_links:
            require(field, value)
    body["frequency"] = int_range("frequency", require("frequency", frequency), 1, 100)
    starting = datetime_value("startingdate", require("startingdate", startingdate))
    expiration = datetime_value("expirationdate", require("expirationdate", expirationdate))
    ordered("expirationdate", expiration, "startingdate", starting, after=True)
    body["startingdate"] = format_datetime(starting)
    body["expirationdate"] = format_datetime(expiration)
    start_time = time_of_day("daily_start_time", require("daily_start_time", daily_start_time))
    stop_time = time_of_day("daily_stop_time", require("daily_stop_time", daily_stop_time))
    ordered("daily_stop_time", stop_time, "daily_start_time", start_time, after=True)
    body["daily_start_time"] = start_time
    body["daily_stop_time"] = stop_time
    return body


def campaign_action(value: Any) -> int:
    """The wire value of a :class:`CampaignAction`, refusing a state passed by mistake."""
    if isinstance(value, CampaignStatus):
        raise InvalidInputError(
            "action",
            value,
            "a CampaignStatus is a state, not an action: pass a CampaignAction "
            "(START, PAUSE, ABORT or END)",
        )
    action: int = enum_value("action", require("action", value), CampaignAction)
    return action


def campaign_status(value: Any) -> int:
    """The wire value of a :class:`CampaignStatus` filter, refusing an action by mistake."""
    if isinstance(value, CampaignAction):
        raise InvalidInputError(
            "status",
            value,
            "a CampaignAction is an action, not a state: filter with a CampaignStatus "
            "(STARTED, WAITING, PAUSED, ENDED or COMPLETED)",
        )
    status: int = enum_value("status", value, CampaignStatus)
    return status


class Campaigns(Resource):
    """Campaigns: who is called, through which gateway, with which survey, when.

    A new campaign is ``CampaignStatus.WAITING``; :meth:`start` enrols the active contacts of
    its phonebooks (minus the account's do-not-call numbers) as subscribers and dials them.

    Example::

        campaign = await client.campaigns.create(
            name="Nhắc lịch tháng 3", phonebook=[book.id], aleg_gateway=gateway.id,
            object_id=template.id, frequency=10,
            startingdate=datetime(2024, 3, 1, 1, 0, tzinfo=timezone.utc),
            expirationdate=datetime(2024, 3, 31, 1, 0, tzinfo=timezone.utc),
            daily_start_time=time(8, 0), daily_stop_time=time(21, 0),
        )
        campaign = await client.campaigns.start(campaign.id)
        assert campaign.status is CampaignStatus.STARTED
    """

    _path = "campaigns/"

    def list(
        self,
        *,
        name: str | None = None,
        phonebook: int | None = None,
        status: CampaignStatus | int | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Campaign]:
        """Campaigns, optionally by ``name`` (contains), ``phonebook`` id and ``status`` (state).

        ``status`` takes a :class:`CampaignStatus`; a :class:`CampaignAction` is refused.
        """
        filters = {
            "name": None if name is None else text("name", name),
            "phonebook": None if phonebook is None else object_id("phonebook", phonebook),
            "status": None if status is None else campaign_status(status),
        }
        return self._paginate(
            Campaign, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """One campaign by id. Raises ``NotFoundError`` when it is not in the account."""
        return await self._retrieve(id, Campaign, timeout=timeout, max_retries=max_retries)

    async def create(
        self,
        *,
        name: str,
        phonebook: Iterable[int],
        aleg_gateway: int,
        object_id: int,
        frequency: int,
        startingdate: dt.datetime,
        expirationdate: dt.datetime,
        daily_start_time: dt.time | str,
        daily_stop_time: dt.time | str,
        description: str | None = None,
        callerid: str | None = None,
        settle: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """Create a campaign (it starts ``WAITING``).

        Args:
            name: up to 100 characters, unique in the account.
            phonebook: ids of the phonebooks to call (at least one).
            aleg_gateway: id of the gateway that dials out (see ``client.gateways``).
            object_id: id of the survey template to play (see ``client.survey_templates``).
            frequency: calls per minute, 1..100.
            startingdate: aware datetime the campaign may start.
            expirationdate: aware datetime after ``startingdate``.
            daily_start_time: start of the daily window (``time`` or ``"HH:MM:SS"``).
            daily_stop_time: end of the daily window, after ``daily_start_time``.
            description: free text.
            callerid: the caller id shown, up to 80 characters.
            settle: after an ambiguous failure, look the campaign up by its unique name
                before sending again or giving up; ``False`` raises instead.

        Raises:
            InvalidInputError: a field is missing or invalid (nothing was sent).
            BadRequestError: the server refused it (e.g. a duplicated name).
        """
        body = campaign_body(
            name=name,
            phonebook=phonebook,
            frequency=frequency,
            startingdate=startingdate,
            expirationdate=expirationdate,
            daily_start_time=daily_start_time,
            daily_stop_time=daily_stop_time,
            aleg_gateway=aleg_gateway,
            object_id_=object_id,
            description=description,
            callerid=callerid,
        )
        identity = (
            named("campaign", body["name"], filter="name", unique=True)
            if boolean("settle", settle)
            else None
        )
        return await self._create(
            body, Campaign, timeout=timeout, max_retries=max_retries, identity=identity
        )

    async def update(
        self,
        id: int,
        *,
        name: str,
        phonebook: Iterable[int],
        frequency: int,
        startingdate: dt.datetime,
        expirationdate: dt.datetime,
        daily_start_time: dt.time | str,
        daily_stop_time: dt.time | str,
        aleg_gateway: int | None = None,
        object_id: int | None = None,
        description: str | None = None,
        callerid: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """Replace a campaign's settings (the same body as :meth:`create`).

        ``aleg_gateway`` and ``object_id`` may be left out: the server keeps their values.
        """
        body = campaign_body(
            name=name,
            phonebook=phonebook,
            frequency=frequency,
            startingdate=startingdate,
            expirationdate=expirationdate,
            daily_start_time=daily_start_time,
            daily_stop_time=daily_stop_time,
            aleg_gateway=aleg_gateway,
            object_id_=object_id,
            description=description,
            callerid=callerid,
            require_links=False,
        )
        return await self._update(id, body, Campaign, timeout=timeout, max_retries=max_retries)

    async def delete(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Delete a campaign (and its subscribers)."""
        await self._delete(id, timeout=timeout, max_retries=max_retries)

    async def set_status(
        self,
        id: int,
        action: CampaignAction | int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """Apply a :class:`CampaignAction`; returns the campaign in its new state.

        START -> STARTED, PAUSE -> PAUSED, ABORT and END -> ENDED. A :class:`CampaignStatus`
        is refused: its integers mean something else (``2`` is WAITING, not PAUSE).

        Raises:
            InvalidInputError: ``action`` is not a CampaignAction (nothing was sent).
            BadRequestError: the server refused the transition (starting an ended campaign).
        """
        body = {"status": campaign_action(action)}
        path = f"{self._item_path(id)}status/"
        return await self._create(
            body, Campaign, path=path, timeout=timeout, max_retries=max_retries
        )

    async def start(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """Start (or resume) dialling: ``set_status(id, CampaignAction.START)``."""
        return await self.set_status(
            id, CampaignAction.START, timeout=timeout, max_retries=max_retries
        )

    async def pause(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """Pause dialling: ``set_status(id, CampaignAction.PAUSE)``."""
        return await self.set_status(
            id, CampaignAction.PAUSE, timeout=timeout, max_retries=max_retries
        )

    async def abort(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """Abort the campaign (it ends): ``set_status(id, CampaignAction.ABORT)``."""
        return await self.set_status(
            id, CampaignAction.ABORT, timeout=timeout, max_retries=max_retries
        )

    async def end(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Campaign:
        """End the campaign: ``set_status(id, CampaignAction.END)``."""
        return await self.set_status(
            id, CampaignAction.END, timeout=timeout, max_retries=max_retries
        )
