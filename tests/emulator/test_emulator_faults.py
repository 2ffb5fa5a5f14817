"""Fault injection, throttling and latency."""

from __future__ import annotations

import time

import aiohttp
import pytest

from alice_async.emulator import EmulatorConfig, Faults, Latency

from ._helpers import Api, phonebook
from .conftest import Factory

pytestmark = pytest.mark.anyio


def _always(kind: str, **extra: object) -> Faults:
    return Faults(rate=1.0, kinds=(kind,), **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "status"), [("502", 502), ("503", 503)])
async def test_proxy_pages_before_processing(api: Api, kind: str, status: int) -> None:
    api.emu.configure(faults=_always(kind))
    reply = await api.post("phonebook/", {"name": "x"})
    assert reply.status == status
    assert reply.headers["Content-Type"].startswith("text/html")
    assert f"<h1>{status} " in reply.text
    if kind == "503":
        assert reply.headers["Retry-After"] == "1"
    assert api.emu.store.count("phonebook") == 0
    assert api.emu.stats.faults[kind] == 1


async def test_500_after_stores_then_fails(api: Api) -> None:
    api.emu.configure(faults=_always("500_after"))
    reply = await api.post("phonebook/", {"name": "x"})
    assert reply.status == 500
    assert "Server Error (500)" in reply.text
    assert [row["name"] for row in api.emu.store.objects("phonebook")] == ["x"]
    reply = await api.get("phonebook/")
    assert reply.status == 502  # a GET is not processed


async def test_reset_after_stores_then_cuts_the_connection(api: Api) -> None:
    pid = await phonebook(api)
    api.emu.configure(faults=_always("reset_after", paths=("bulkcontact/",)))
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.post(
            "bulkcontact/",
            {"phonebook": pid, "contacts": [{"contact": f"0{i}"} for i in range(50)]},
        )
    assert len(api.emu.store.contact_numbers()) == 50
    assert (await api.get("phonebook/")).status == 200  # other paths are not faulted
    assert api.emu.stats.faults["reset_after"] == 1


@pytest.mark.parametrize(("kind", "stored"), [("reset_before", 0), ("reset_after", 1)])
async def test_resets_cut_writes_and_reads(api: Api, kind: str, stored: int) -> None:
    api.emu.configure(faults=_always(kind))
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.post("phonebook/", {"name": "x"})
    assert api.emu.store.count("phonebook") == stored
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.get("phonebook/")  # reads are cut before processing
    assert api.emu.stats.faults[kind] >= 2  # aiohttp retries an idempotent GET once


async def test_injected_429_and_slow(api: Api) -> None:
    api.emu.configure(faults=_always("429"))
    reply = await api.get("phonebook/")
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "1"
    assert reply.body["detail"].startswith("Request was throttled.")
    api.emu.configure(faults=_always("slow", slow_seconds=0.3))
    started = time.monotonic()
    assert (await api.get("phonebook/")).status == 200
    assert time.monotonic() - started >= 0.3


async def test_token_is_excluded_and_rate_is_deterministic(api: Api) -> None:
    api.emu.configure(faults=Faults(rate=0.5, seed=7))
    assert (await api.login()).status == 200
    first = [(await api.get("gateway/")).status for _ in range(30)]
    api.emu.configure(faults=Faults(rate=0.5, seed=7))
    second = [(await api.get("gateway/")).status for _ in range(30)]
    assert first == second
    assert 200 in first
    assert set(first) - {200}
    api.emu.configure(faults=Faults(rate=1.0, kinds=("502",), exclude_token=False))
    assert (await api.login()).status == 502


async def test_throttle(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(throttle_rate=2.0, dialer=False))
    statuses = [(await api.get("gateway/")).status for _ in range(4)]
    assert statuses[:2] == [200, 200]
    assert 429 in statuses
    reply = await api.get("gateway/")
    assert reply.status == 429
    assert int(reply.headers["Retry-After"]) >= 1
    assert reply.body["detail"].startswith("Request was throttled. Expected available in ")
    assert api.emu.stats.throttled >= 2
    assert (await api.login()).status == 200  # get-token is never throttled
    api.emu.configure(throttle_rate=None)
    assert (await api.get("gateway/")).status == 200


async def test_throttle_retry_after_override(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(throttle_rate=1.0, throttle_retry_after=7, dialer=False))
    await api.get("gateway/")
    reply = await api.get("gateway/")
    assert (reply.status, reply.headers["Retry-After"]) == (429, "7")
    assert reply.body == {"detail": "Request was throttled. Expected available in 7 seconds."}


async def test_latency(api: Api) -> None:
    pid = await phonebook(api)
    api.emu.configure(latency=Latency(per_request=0.1, per_item=0.001))
    started = time.monotonic()
    await api.post(
        "bulkcontact/", {"phonebook": pid, "contacts": [{"contact": str(i)} for i in range(200)]}
    )
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await api.get("contact/", page_size=100)
    assert time.monotonic() - started >= 0.2


async def test_a_fault_limit_injects_that_many_faults_then_none(api: Api) -> None:
    api.emu.configure(faults=_always("502", limit=2))
    statuses = [(await api.get("phonebook/")).status for _ in range(4)]
    assert statuses == [502, 502, 200, 200]
    assert api.emu.stats.faults["502"] == 2


async def test_the_headers_of_recent_requests_are_kept_in_order(api: Api) -> None:
    for n in range(3):
        await api.call("GET", "phonebook/", headers={"X-Probe": str(n)})
    probes = [h.get("X-Probe") for h in api.emu.stats.recent_headers]
    assert probes[-3:] == ["0", "1", "2"]
    assert api.emu.stats.last_headers["X-Probe"] == "2"
