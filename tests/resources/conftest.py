"""Fixtures for the resource tests: a second account's client, and a campaign's ingredients.

The ``emulator`` and ``client`` fixtures come from ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from alice_async import AliceClient, RetryPolicy
from alice_async.emulator import Emulator

from ._helpers import Setup


@pytest.fixture
async def other_client(emulator: Emulator) -> AsyncIterator[AliceClient]:
    """A client logged in as the emulator's second account."""
    other = emulator.accounts[1]
    async with AliceClient(
        emulator.url,
        username=other.username,
        password=other.password,
        retry_policy=RetryPolicy(initial_delay=0.001, max_delay=0.01),
    ) as api:
        yield api


@pytest.fixture
async def setup(client: AliceClient) -> Setup:
    """A phonebook, the account's gateway and a survey template, on the default account."""
    book = await client.phonebooks.create(name="Khách hàng")
    gateway = (await client.gateways.list().to_list())[0]
    template = await client.survey_templates.create(name="Kịch bản", tts_language="vi")
    return Setup(phonebook=book.id, gateway=gateway.id, template=template.id)


@pytest.fixture
def offline_client() -> AliceClient:
    """A client that is never opened: for validation that happens before any request."""
    return AliceClient("http://127.0.0.1:9/rest-api/", username="nobody", password="secret")
