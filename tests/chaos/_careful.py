"""How a careful caller finishes a write when the answer was lost: look, then decide.

The SDK never replays a POST the server may have processed (a 500, a cut connection, a
timeout after sending): it raises instead. These helpers are the caller's side of that
contract, used by the chaos tests: after an ambiguous failure they read the server's state
and repeat the write only if it did not happen. Every loop is bounded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import attrs

from alice_async import (
    AliceClient,
    APIConnectionError,
    APITimeoutError,
    Campaign,
    CampaignAction,
    CampaignStatus,
    RateLimitError,
    ServerError,
)

__all__ = ["AMBIGUOUS", "CampaignLinks", "create_campaign_once", "drive_campaign"]

AMBIGUOUS = (ServerError, RateLimitError, APIConnectionError)
"""Failures after which a write may or may not have happened."""

ATTEMPTS = 8
TARGET_STATE = {
    CampaignAction.START: CampaignStatus.STARTED,
    CampaignAction.PAUSE: CampaignStatus.PAUSED,
    CampaignAction.END: CampaignStatus.ENDED,
}


@attrs.frozen
class CampaignLinks:
    """What a campaign needs: a phonebook, a gateway and a survey template."""

    phonebook: int
    gateway: int
    template: int


async def settle(error: BaseException, slow_seconds: float) -> None:
    """Before looking: a request that timed out may still be running on the server."""
    if isinstance(error, APITimeoutError):
        await asyncio.sleep(slow_seconds + 0.1)


async def create_campaign_once(
    client: AliceClient, name: str, links: CampaignLinks, *, slow_seconds: float
) -> Campaign:
    """Create campaign ``name`` unless an earlier, unanswered attempt already did."""
    start = dt.datetime(2030, 1, 1, 1, 0, tzinfo=dt.timezone.utc)
    fields: dict[str, Any] = {
        "phonebook": [links.phonebook],
        "aleg_gateway": links.gateway,
        "object_id": links.template,
        "frequency": 10,
        "startingdate": start,
        "expirationdate": start + dt.timedelta(days=30),
        "daily_start_time": dt.time(8, 0),
        "daily_stop_time": dt.time(20, 0),
    }
    for _ in range(ATTEMPTS):
        try:
            return await client.campaigns.create(name=name, **fields)
        except AMBIGUOUS as error:
            await settle(error, slow_seconds)
        found = [c async for c in client.campaigns.list(name=name) if c.name == name]
        if found:
            return found[0]
    raise AssertionError(f"campaign {name!r} not created after {ATTEMPTS} attempts")


async def drive_campaign(
    client: AliceClient, campaign: Campaign, action: CampaignAction, *, slow_seconds: float
) -> Campaign:
    """Apply ``action``; after an ambiguous failure, read the state before trying again."""
    target = TARGET_STATE[action]
    for _ in range(ATTEMPTS):
        try:
            return await client.campaigns.set_status(campaign.id, action)
        except AMBIGUOUS as error:
            await settle(error, slow_seconds)
        current = await client.campaigns.get(campaign.id)
        if current.status is target:
            return current
    raise AssertionError(f"campaign {campaign.id} never reached {target!r}")
