"""Per-call ``extra_headers=`` and ``extra_query=`` (resources/_base.py ``bounded``/``per_call``)
and the client's ``default_headers=``, seen from the emulator and from the wire."""

from __future__ import annotations

import contextlib
import inspect
from typing import Any

import pytest

from alice_async import AliceClient, InvalidInputError
from alice_async._client import USER_AGENT
from alice_async.emulator import Emulator
from alice_async.resources._base import Resource
from tests._recording import Sent, recording_session
from tests.conftest import make_client

from ._helpers import Setup, requests_sent

TRACE = {"X-Trace": "t-1"}


async def test_a_call_sends_its_extra_headers_and_query(
    emulator: Emulator, client: AliceClient
) -> None:
    book = await client.phonebooks.create(name="Sổ")
    await client.phonebooks.get(book.id, extra_headers=TRACE, extra_query={"tenant": 7})
    assert emulator.stats.last_headers["X-Trace"] == "t-1"
    assert emulator.stats.last_query == {"tenant": "7"}
    assert emulator.stats.last_headers["User-Agent"] == USER_AGENT


async def test_the_options_of_one_call_do_not_reach_the_next(
    emulator: Emulator, client: AliceClient
) -> None:
    book = await client.phonebooks.create(name="Sổ", extra_headers=TRACE)
    await client.phonebooks.get(book.id)
    assert "X-Trace" not in emulator.stats.last_headers
    assert emulator.stats.last_query == {}


async def test_every_page_of_a_list_carries_the_options(emulator: Emulator) -> None:
    sent: list[Sent] = []
    async with recording_session(sent) as session, make_client(emulator, session=session) as api:
        for n in range(3):
            await api.phonebooks.create(name=f"Sổ {n}")
        sent.clear()
        books = await api.phonebooks.list(
            page_size=1, extra_headers=TRACE, extra_query={"tenant": "7"}
        ).to_list()
    assert len(books) == 3
    pages = [s for s in sent if s.method == "GET" and "/phonebook/" in s.url]
    assert len(pages) == 3
    assert all(s.headers.get("X-Trace") == "t-1" and "tenant=7" in s.url for s in pages)


async def test_a_settled_create_sends_the_options_on_its_lookups_too(
    emulator: Emulator,
) -> None:
    sent: list[Sent] = []
    async with recording_session(sent) as session, make_client(emulator, session=session) as api:
        book = await api.phonebooks.create(name="Sổ")
        sent.clear()
        await api.contacts.create(phonebook=book.id, contact="0934890883", extra_headers=TRACE)
    calls = [s for s in sent if "/contact/" in s.url]
    assert [s.method for s in calls] == ["GET", "POST"]  # the settle look-up, then the create
    assert all(s.headers.get("X-Trace") == "t-1" for s in calls)


async def test_the_login_takes_neither_extra_headers_nor_extra_query(emulator: Emulator) -> None:
    sent: list[Sent] = []
    async with recording_session(sent) as session, make_client(emulator, session=session) as api:
        await api.gateways.list(extra_headers=TRACE, extra_query={"tenant": "7"}).first_page()
    login = next(s for s in sent if s.url.endswith("/get-token/"))
    assert "X-Trace" not in login.headers
    assert "tenant" not in login.url


async def test_campaign_watch_polls_carry_the_options(emulator: Emulator, setup: Setup) -> None:
    sent: list[Sent] = []
    async with recording_session(sent) as session, make_client(emulator, session=session) as api:
        campaign = await api.campaigns.create(**setup.campaign_fields())
        sent.clear()
        watch = api.campaigns.watch(campaign.id, every=0.01, extra_headers=TRACE)
        async with contextlib.aclosing(watch) as snapshots:
            first = await anext(snapshots)
    assert first.campaign.id == campaign.id
    assert len(sent) >= 4  # the campaign, its subscriber counts, its call records
    assert all(s.headers.get("X-Trace") == "t-1" for s in sent)


async def test_client_request_takes_the_options(emulator: Emulator, client: AliceClient) -> None:
    await client.request("GET", "gateway/", extra_headers=TRACE, extra_query={"page_size": 1})
    assert emulator.stats.last_headers["X-Trace"] == "t-1"
    assert emulator.stats.last_query == {"page_size": "1"}


async def test_default_headers_go_with_every_request_and_a_call_may_replace_them(
    emulator: Emulator,
) -> None:
    defaults = {"X-Tenant": "acme", "User-Agent": "my-app/2"}
    async with make_client(emulator, default_headers=defaults) as api:
        await api.gateways.list().first_page()
        assert emulator.stats.last_headers["X-Tenant"] == "acme"
        assert emulator.stats.last_headers["User-Agent"] == "my-app/2"
        await api.gateways.list(extra_headers={"X-Tenant": "globex"}).first_page()
        assert emulator.stats.last_headers["X-Tenant"] == "globex"


@pytest.mark.parametrize("name", ["Authorization", "authorization", "Host", "Content-Length"])
async def test_a_header_the_sdk_sets_itself_is_refused_without_showing_its_value(
    emulator: Emulator, client: AliceClient, name: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.gateways.get(1, extra_headers={name: "Bearer stolen-token"})
    assert info.value.field == "extra_headers"
    assert info.value.value == name
    assert "stolen-token" not in str(info.value)
    assert requests_sent(emulator) == 0


async def test_default_headers_may_not_set_authorization(emulator: Emulator) -> None:
    with pytest.raises(InvalidInputError, match="default_headers"):
        make_client(emulator, default_headers={"Authorization": "Bearer x"})


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"extra_headers": {"X-A": 1}}, "extra_headers['X-A']"),
        ({"extra_headers": {"X-A": "a\r\nX-B: b"}}, "extra_headers['X-A']"),
        ({"extra_headers": {"bad name": "a"}}, "extra_headers"),
        ({"extra_headers": ["X-A", "a"]}, "extra_headers"),
        ({"extra_query": {"a": object()}}, "extra_query['a']"),
        ({"extra_query": {"a": float("nan")}}, "extra_query['a']"),
        ({"extra_query": "a=1"}, "extra_query"),
    ],
)
async def test_bad_options_are_refused_before_sending(
    emulator: Emulator, client: AliceClient, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.gateways.list(**options).first_page()
    assert info.value.field == field
    assert requests_sent(emulator) == 0


def _resource_classes() -> list[type[Resource]]:
    import alice_async.resources as package

    found: list[type[Resource]] = []
    for name in package.__all__:
        obj = getattr(package, name)
        if isinstance(obj, type) and issubclass(obj, Resource) and obj is not Resource:
            found.append(obj)
    return found


def test_every_method_that_makes_a_call_takes_extra_headers_and_extra_query() -> None:
    local_only = {"Cdrs.plan"}  # cuts a time range into shards: no request
    missing = []
    for cls in _resource_classes():
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            qualified = f"{cls.__name__}.{name}"
            if name.startswith("_") or qualified in local_only:
                continue
            parameters = inspect.signature(fn).parameters
            if not {"extra_headers", "extra_query"} <= set(parameters):
                missing.append(qualified)
    assert not missing
    assert len(_resource_classes()) >= 10
