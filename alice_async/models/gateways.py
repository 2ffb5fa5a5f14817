"""Gateway model (docs/API.md §5.6): read-only, every field of the vendor's example."""

from __future__ import annotations

import datetime as dt

import attrs

from .._enums import OpenIntEnum
from ._common import PlainData

__all__ = ["Gateway", "GatewayStatus"]


class GatewayStatus(OpenIntEnum):
    """Whether a gateway can place calls."""

    INACTIVE = 0
    ACTIVE = 1


@attrs.frozen
class Gateway(PlainData):
    """A SIP gateway calls go out through (a campaign's ``aleg_gateway``).

    Attributes:
        id: the gateway id.
        name: its name (``"AliceDevGateway"``).
        status: ``GatewayStatus.ACTIVE`` or ``INACTIVE``.
        gateways: the FreeSWITCH dial string prefix (``"sofia/gateway/AliceDevGateway/"``).
        is_trial: whether it is the trial gateway of a new account.

    The other fields are FreeSWITCH settings, passed through as the server renders them.
    """

    id: int
    name: str = ""
    status: GatewayStatus = GatewayStatus.ACTIVE
    description: str | None = None
    addprefix: str | None = None
    removeprefix: str | None = None
    gateways: str | None = None
    subdomain: str | None = None
    gateway_codecs: str | None = None
    gateway_timeouts: str | None = None
    gateway_retries: str | None = None
    originate_dial_string: str | None = None
    secondused: int | None = None
    created_date: dt.datetime | None = None
    updated_date: dt.datetime | None = None
    addparameter: str | None = None
    count_call: int | None = None
    count_in_use: int | None = None
    maximum_call: int | None = None
    is_trial: bool | None = None
    failover: int | None = None
