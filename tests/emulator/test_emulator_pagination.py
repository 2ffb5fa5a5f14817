"""The DRF list envelope, page and page_size, and their variant."""

from __future__ import annotations

import pytest
from yarl import URL

from alice_async.emulator import EmulatorConfig, Variants

from ._helpers import Api
from .conftest import Factory

pytestmark = pytest.mark.anyio


def _fill(api: Api, count: int) -> None:
    for index in range(count):
        api.emu.store.add("phonebook", name=f"book {index:02d}")


async def test_envelope_and_links_keep_other_params(api: Api) -> None:
    _fill(api, 25)
    first = await api.get("phonebook/", search="book")
    assert first.status == 200
    assert first.body["count"] == 25
    assert len(first.body["results"]) == 10
    assert first.body["previous"] is None
    next_url = URL(first.body["next"])
    assert next_url.origin() == URL(api.emu.url).origin()
    assert dict(next_url.query) == {"search": "book", "page": "2"}
    second = await api.call("GET", first.body["next"])
    assert next(r["name"] for r in second.body["results"]) == "book 10"
    assert dict(URL(second.body["previous"]).query) == {"search": "book"}
    third = await api.call("GET", second.body["next"])
    assert len(third.body["results"]) == 5
    assert third.body["next"] is None


async def test_page_size_is_honoured_and_clamped(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(max_page_size=20, dialer=False))
    _fill(api, 25)
    assert len((await api.get("phonebook/", page_size=7)).body["results"]) == 7
    assert len((await api.get("phonebook/", page_size=500)).body["results"]) == 20
    assert len((await api.get("phonebook/", page_size="x")).body["results"]) == 10
    last = await api.get("phonebook/", page_size=20, page=2)
    assert len(last.body["results"]) == 5


async def test_ignore_page_size_variant(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(variants=Variants(ignore_page_size=True), dialer=False))
    _fill(api, 25)
    reply = await api.get("phonebook/", page_size=100)
    assert len(reply.body["results"]) == 10
    assert "page_size=100" in reply.body["next"]


@pytest.mark.parametrize("page", ["0", "4", "abc", "-1"])
async def test_invalid_page_is_404(api: Api, page: str) -> None:
    _fill(api, 25)
    reply = await api.get("phonebook/", page=page)
    assert (reply.status, reply.body) == (404, {"detail": "Invalid page."})


async def test_empty_list_page_one_and_last(api: Api) -> None:
    reply = await api.get("dnc-list/")
    assert reply.body == {"count": 0, "next": None, "previous": None, "results": []}
    assert (await api.get("dnc-list/", page=2)).status == 404
    _fill(api, 15)
    assert len((await api.get("phonebook/", page="last")).body["results"]) == 5


async def test_ordering_is_ascending_id(api: Api) -> None:
    _fill(api, 12)
    reply = await api.get("phonebook/", page_size=100)
    ids = [row["id"] for row in reply.body["results"]]
    assert ids == sorted(ids)
