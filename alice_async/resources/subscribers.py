"""``client.subscribers``: the read-only ``subscriber-list/`` endpoint (REFERENCE §5.10)."""

from __future__ import annotations

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import enum_value, int_range, object_id, phone_number
from ..models.subscribers import Subscriber, SubscriberStatus
from ._base import Resource

__all__ = ["Subscribers"]


class Subscribers(Resource):
    """Subscribers (read-only): the contacts a started campaign enrolled, with their progress.

    Example::

        async for sub in client.subscribers.list(
            campaign=campaign.id, status=SubscriberStatus.COMPLETED
        ):
            print(sub.phone_number, sub.count_attempt, sub.billsec)
    """

    _path = "subscriber-list/"

    def list(
        self,
        *,
        campaign: int | None = None,
        contact: str | None = None,
        status: SubscriberStatus | int | None = None,
        duration: int | None = None,
        billsec: int | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Subscriber]:
        """Subscribers, optionally by ``campaign`` id, ``contact`` (the phone number, a
        string), :class:`SubscriberStatus`, exact ``duration`` or ``billsec`` seconds."""
        filters = {
            "campaign": None if campaign is None else object_id("campaign", campaign),
            "contact": None if contact is None else phone_number("contact", contact),
            "status": None if status is None else enum_value("status", status, SubscriberStatus),
            "duration": None if duration is None else int_range("duration", duration, 0),
            "billsec": None if billsec is None else int_range("billsec", billsec, 0),
        }
        return self._paginate(
            Subscriber, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Subscriber:
        """One subscriber by id."""
        return await self._retrieve(id, Subscriber, timeout=timeout, max_retries=max_retries)
