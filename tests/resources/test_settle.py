"""Settled creates against the emulator's faults: N creates give exactly N objects."""

from __future__ import annotations

from typing import Any

import pytest

from alice_async import AliceClient, APIConnectionError, ServerError
from alice_async.emulator import Emulator, EmulatorConfig, Faults
from tests.conftest import fault_seed, make_client

from ._helpers import Setup

N = 12
AMBIGUOUS = ("500_after", "reset_after", "502")
"""Processed then 500; processed then the connection cut; a 502 before processing (the SDK
cannot tell it from a 502 after: the lookup finds nothing and the POST is sent again)."""


def _on_phonebooks(kinds: tuple[str, ...], pattern: str) -> Faults:
    """Faults on ``phonebook/`` requests in the order ``pattern`` gives (``F``: fault)."""
    return Faults(
        rate=0.5, kinds=kinds, seed=fault_seed(0.5, kinds, pattern), paths=("phonebook/",)
    )


async def _setup(client: AliceClient) -> Setup:
    book = await client.phonebooks.create(name="Sổ")
    gateway = (await client.gateways.list().to_list())[0]
    template = await client.survey_templates.create(name="Mẫu", tts_language="vi")
    return Setup(phonebook=book.id, gateway=gateway.id, template=template.id)


async def _dnc_list(client: AliceClient) -> int:
    return (await client.dnc_lists.create(name="Chặn")).id


CASES: dict[str, tuple[str, str]] = {
    "phonebooks": ("phonebook/", "phonebook"),
    "contacts": ("contact/", "contact"),
    "campaigns": ("campaigns/", "campaigns"),
    "dnc_lists": ("dnc-list/", "dnc-list"),
    "dnc_contacts": ("dnc-contact/", "dnc-contact"),
    "survey_templates": ("survey-template/", "survey-template"),
}


async def _create(resource: str, client: AliceClient, setup: Setup, dnc: int, i: int) -> Any:
    if resource == "phonebooks":
        return await client.phonebooks.create(name=f"Sổ {i}")
    if resource == "contacts":
        return await client.contacts.create(phonebook=setup.phonebook, contact=f"09{i:08d}")
    if resource == "campaigns":
        return await client.campaigns.create(**setup.campaign_fields(name=f"Chiến dịch {i}"))
    if resource == "dnc_lists":
        return await client.dnc_lists.create(name=f"Chặn {i}")
    if resource == "dnc_contacts":
        return await client.dnc_contacts.create(phone_number=f"08{i:08d}", dnc=dnc)
    return await client.survey_templates.create(name=f"Mẫu {i}")


@pytest.mark.parametrize("resource", list(CASES))
async def test_n_creates_through_ambiguous_failures_give_exactly_n_objects(resource: str) -> None:
    path, table = CASES[resource]
    async with Emulator() as emu, make_client(emu, max_retries=20) as client:
        setup = await _setup(client)
        dnc = await _dnc_list(client)
        before = emu.store.count(table)
        emu.configure(faults=Faults(rate=0.4, kinds=AMBIGUOUS, seed=7, paths=(path,)))
        created = [await _create(resource, client, setup, dnc, i) for i in range(N)]
        emu.configure(faults=Faults())
        assert emu.store.count(table) - before == N
        assert len({item.id for item in created}) == N
        assert sum(emu.stats.faults[kind] for kind in ("500_after", "reset_after")) > 0


async def test_a_create_found_after_a_500_is_returned_as_created_once() -> None:
    kinds = ("500_after",)
    # the watermark read passes, the POST is processed then answered 500, the lookup passes
    faults = _on_phonebooks(kinds, ".F.")
    async with Emulator(EmulatorConfig(faults=faults)) as emu:
        async with make_client(emu, max_retries=0) as client:
            book = await client.phonebooks.create(name="Một lần")
        assert [b["id"] for b in emu.store.objects("phonebook")] == [book.id]
        assert book.name == "Một lần"
        assert emu.stats.requests[("POST", "phonebook/")] == 1


async def test_a_create_the_lookup_proves_absent_is_sent_again() -> None:
    kinds = ("502",)  # the emulator's 502 comes before any work
    faults = _on_phonebooks(kinds, ".F..")
    async with Emulator(EmulatorConfig(faults=faults)) as emu:
        async with make_client(emu, max_retries=1) as client:
            book = await client.phonebooks.create(name="Lại")
        assert emu.store.count("phonebook") == 1
        assert book.id == emu.store.objects("phonebook")[0]["id"]
        assert emu.stats.requests[("POST", "phonebook/")] == 2


async def test_when_the_lookup_fails_too_the_error_says_what_to_check() -> None:
    kinds = ("500_after",)
    # the watermark read passes; the POST is processed then 500; the lookup fails (no retries)
    faults = _on_phonebooks(kinds, ".FF")
    async with Emulator(EmulatorConfig(faults=faults)) as emu:
        async with make_client(emu, max_retries=0) as client:
            with pytest.raises(APIConnectionError) as info:
                await client.phonebooks.create(name="Không rõ")
        assert info.value.request_sent is True
        assert "check whether the phonebook named 'Không rõ' exists" in str(info.value)
        assert isinstance(info.value.__cause__, ServerError)
        assert emu.store.count("phonebook") == 1  # it was created: the user must look


async def test_settle_false_raises_the_ambiguous_failure_without_looking() -> None:
    faults = Faults(rate=1.0, kinds=("500_after",), paths=("phonebook/",))
    async with Emulator(EmulatorConfig(faults=faults)) as emu:
        async with make_client(emu, max_retries=3) as client:
            with pytest.raises(ServerError):
                await client.phonebooks.create(name="Không xem", settle=False)
        assert emu.stats.requests[("GET", "phonebook/")] == 0
        assert emu.store.count("phonebook") == 1


async def test_an_object_of_the_same_name_made_before_is_not_taken_for_the_new_one() -> None:
    kinds = ("502",)
    async with Emulator() as emu, make_client(emu, max_retries=1) as client:
        old = await client.phonebooks.create(name="Trùng")
        emu.configure(faults=_on_phonebooks(kinds, ".F.."))
        new = await client.phonebooks.create(name="Trùng")
        assert new.id != old.id
        assert emu.store.count("phonebook") == 2
