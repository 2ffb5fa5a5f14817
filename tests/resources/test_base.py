"""What every resource method shares: the per-call ``deadline=`` bounds the whole call."""

from __future__ import annotations

import pytest

import alice_sync
from alice_async import APITimeoutError, InvalidInputError, ServerError
from alice_async.emulator import Emulator, EmulatorConfig, Faults, Latency
from tests.conftest import FAST_RETRIES, make_client

FAILING_PHONEBOOKS = EmulatorConfig(
    faults=Faults(rate=1.0, kinds=("502",), paths=("phonebook/",), seed=3)
)


async def test_a_per_call_deadline_bounds_a_get_across_its_retries() -> None:
    async with Emulator(FAILING_PHONEBOOKS) as emu, make_client(emu, max_retries=10_000) as client:
        with pytest.raises(APITimeoutError) as info:
            await client.phonebooks.get(1, deadline=0.3)
    attempts = emu.stats.requests[("GET", "phonebook/{id}/")]
    assert attempts >= 2
    assert f"deadline passed after {attempts} attempt(s)" in str(info.value)
    assert isinstance(info.value.__cause__, ServerError)


async def test_a_per_call_deadline_covers_the_look_ups_of_a_settled_create() -> None:
    # Every phonebook request fails: the watermark read that settling does first is bounded
    # by the same deadline as the POST that would follow.
    async with Emulator(FAILING_PHONEBOOKS) as emu, make_client(emu, max_retries=10_000) as client:
        with pytest.raises(APITimeoutError, match="deadline passed"):
            await client.phonebooks.create(name="Khách hàng", deadline=0.3)
    assert emu.store.count("phonebook") == 0


async def test_a_per_call_deadline_overrides_the_clients_default() -> None:
    slow = EmulatorConfig(latency=Latency(per_request=0.3))
    async with Emulator(slow) as emu, make_client(emu, deadline=0.05) as client:
        with pytest.raises(APITimeoutError):
            await client.gateways.list().first_page()  # the client's 0.05 s
        found = await client.surveys.get(_first_survey_id(emu), deadline=30)
    assert found.name == "Appointment reminder"


def _first_survey_id(emu: Emulator) -> int:
    return int(emu.store.objects("survey-list")[0]["id"])


async def test_without_a_deadline_the_call_is_bounded_only_by_its_retries() -> None:
    async with Emulator(FAILING_PHONEBOOKS) as emu, make_client(emu, max_retries=2) as client:
        with pytest.raises(ServerError):
            await client.phonebooks.get(1)
    assert emu.stats.requests[("GET", "phonebook/{id}/")] == 3


@pytest.mark.parametrize("value", [0, -1.5, "soon", None, True])
async def test_a_bad_per_call_deadline_is_refused_before_any_request(value: object) -> None:
    async with Emulator() as emu, make_client(emu) as client:
        with pytest.raises(InvalidInputError, match="deadline"):
            await client.phonebooks.get(1, deadline=value)  # type: ignore[arg-type]
    assert emu.stats.requests[("GET", "phonebook/{id}/")] == 0


def test_the_sync_client_takes_the_same_per_call_deadline(
    alice_emulator_thread: object,
) -> None:
    from pytest_alice import EmulatorThread

    assert isinstance(alice_emulator_thread, EmulatorThread)
    alice_emulator_thread.call(lambda emu: emu.configure(faults=FAILING_PHONEBOOKS.faults))
    emulator = alice_emulator_thread.emulator
    with alice_sync.AliceClient(
        alice_emulator_thread.url,
        username=emulator.username,
        password=emulator.password,
        retry_policy=FAST_RETRIES,
        max_retries=10_000,
    ) as client:
        with pytest.raises(APITimeoutError, match="deadline passed"):
            client.phonebooks.get(1, deadline=0.3)
