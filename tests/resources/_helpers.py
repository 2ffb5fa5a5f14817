"""Helpers of the resource tests: valid campaign arguments, request counting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from alice_async.emulator import Emulator

UTC = dt.timezone.utc


@attrs.frozen
class Setup:
    """What a campaign needs: a phonebook, a gateway and a survey template."""

    phonebook: int
    gateway: int
    template: int

    def campaign_fields(self, **overrides: Any) -> dict[str, Any]:
        """Valid ``campaigns.create`` arguments, with ``overrides`` applied."""
        now = dt.datetime.now(UTC)
        fields: dict[str, Any] = {
            "name": "Nhắc lịch",
            "phonebook": [self.phonebook],
            "aleg_gateway": self.gateway,
            "object_id": self.template,
            "frequency": 10,
            "startingdate": now - dt.timedelta(hours=1),
            "expirationdate": now + dt.timedelta(days=1),
            "daily_start_time": dt.time(0, 0),
            "daily_stop_time": dt.time(23, 59, 59),
        }
        fields.update(overrides)
        return fields


def requests_sent(emulator: Emulator) -> int:
    """API requests the emulator has received (the token exchange excluded)."""
    return sum(n for (_, route), n in emulator.stats.requests.items() if route != "get-token/")
