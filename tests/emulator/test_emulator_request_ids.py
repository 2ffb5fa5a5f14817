"""The emulator's ``X-Request-ID`` on every response, and its switch."""

from __future__ import annotations

import aiohttp

from alice_async.emulator import Emulator, EmulatorConfig


async def test_every_response_has_a_distinct_request_id(emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        ids = []
        for path in ("get-token/", "phonebook/", "no-such-thing/"):
            async with http.get(emulator.url + path) as response:
                ids.append(response.headers.get("X-Request-ID"))
    assert all(ids)
    assert len(set(ids)) == 3


async def test_a_sane_incoming_request_id_is_passed_on_and_a_strange_one_replaced(
    emulator: Emulator,
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(emulator.url + "phonebook/", headers={"X-Request-ID": "abc-1"}) as r:
            assert r.headers["X-Request-ID"] == "abc-1"
        async with http.get(emulator.url + "phonebook/", headers={"X-Request-ID": "<x>"}) as r:
            assert r.headers["X-Request-ID"] not in ("<x>", "")


async def test_request_ids_can_be_switched_off() -> None:
    async with Emulator(EmulatorConfig(request_ids=False)) as emu, aiohttp.ClientSession() as http:
        async with http.get(emu.url + "phonebook/") as response:
            assert response.status == 401
            assert "X-Request-ID" not in response.headers
