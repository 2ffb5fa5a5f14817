"""A raw HTTP helper for the emulator's tests (no SDK: a plain ``aiohttp.ClientSession``)."""

from __future__ import annotations

from typing import Any

import aiohttp
import attrs

from alice_async.emulator import Emulator


@attrs.frozen
class Reply:
    status: int
    headers: Any
    text: str
    body: Any  # parsed JSON, or None for a non-JSON body


class Api:
    """A raw client of one emulator account: ``await api.get("phonebook/")``."""

    def __init__(self, session: aiohttp.ClientSession, emu: Emulator) -> None:
        self.session = session
        self.emu = emu
        self.token: str | None = None

    async def login(self, username: str | None = None, password: str | None = None) -> Reply:
        reply = await self.call(
            "POST",
            "get-token/",
            json={
                "username": username or self.emu.username,
                "password": password or self.emu.password,
            },
            auth=False,
        )
        if reply.status == 200:
            key = self.emu.config.variants.token_key
            self.token = reply.body[key]
        return reply

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> Reply:
        all_headers = dict(headers or {})
        if auth and self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        url = path if path.startswith("http") else self.emu.url + path
        async with self.session.request(
            method, url, json=json, params=params, headers=all_headers, data=data
        ) as response:
            text = await response.text()
            body = None
            if response.content_type == "application/json":
                body = await response.json()
            return Reply(response.status, response.headers, text, body)

    async def get(self, path: str, **params: Any) -> Reply:
        return await self.call("GET", path, params={k: str(v) for k, v in params.items()})

    async def post(self, path: str, json: Any = None) -> Reply:
        return await self.call("POST", path, json=json)

    async def put(self, path: str, json: Any = None) -> Reply:
        return await self.call("PUT", path, json=json)

    async def delete(self, path: str) -> Reply:
        return await self.call("DELETE", path)

    async def create(self, path: str, json: Any) -> dict[str, Any]:
        """POST and insist on a 201."""
        reply = await self.post(path, json)
        assert reply.status == 201, reply.text
        assert isinstance(reply.body, dict)
        return reply.body


async def second_account(api: Api) -> Api:
    """An Api on the same emulator, logged in as the second account."""
    other = Api(api.session, api.emu)
    username, password = api.emu.accounts[1]
    reply = await other.login(username, password)
    assert reply.status == 200
    return other


async def phonebook(api: Api, name: str = "Customers") -> int:
    body = await api.create("phonebook/", {"name": name})
    return int(body["id"])
