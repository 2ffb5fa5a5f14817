"""``client.gateways`` against the emulator (read-only)."""

from __future__ import annotations

import datetime as dt

import pytest

from alice_async import AliceClient, Gateway, GatewayStatus, NotFoundError


async def test_lists_the_accounts_gateway_with_every_vendor_field(client: AliceClient) -> None:
    gateways = await client.gateways.list().to_list()
    assert len(gateways) == 1
    gateway = gateways[0]
    assert isinstance(gateway, Gateway)
    assert gateway.name == "AliceDevGateway"
    assert gateway.status is GatewayStatus.ACTIVE
    assert gateway.gateways == "sofia/gateway/AliceDevGateway/"
    assert gateway.gateway_timeouts == "10"
    assert gateway.is_trial is True
    assert gateway.count_call == 0
    assert gateway.maximum_call is None
    assert gateway.created_date == dt.datetime(
        2019, 12, 26, 4, 17, 12, 673711, tzinfo=dt.timezone.utc
    )
    assert await client.gateways.get(gateway.id) == gateway


async def test_another_accounts_gateway_is_not_found(
    client: AliceClient, other_client: AliceClient
) -> None:
    mine = (await client.gateways.list().to_list())[0]
    with pytest.raises(NotFoundError):
        await other_client.gateways.get(mine.id)
