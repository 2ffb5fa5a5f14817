"""``python -m alice_async.emulator`` as a process."""

from __future__ import annotations

import asyncio
import re
import signal
import sys

import aiohttp
import pytest

pytestmark = pytest.mark.anyio


async def test_cli_serves_until_terminated() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "alice_async.emulator",
        "--port",
        "0",
        "--users",
        "carol:secret",
        "--variant",
        "hyperlinked",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        match = re.search(r"on (http://\S+/rest-api/) \(user carol, password secret\)", line)
        assert match, line
        url = match.group(1)
        async with aiohttp.ClientSession() as session:
            credentials = {"username": "carol", "password": "secret"}
            async with session.post(url + "get-token/", json=credentials) as response:
                token = (await response.json())["token"]
            headers = {"Authorization": f"Bearer {token}"}
            async with session.get(url + "gateway/", headers=headers) as response:
                body = await response.json()
        assert body["results"][0]["url"].endswith("/rest-api/gateway/23/")
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), 20)
    assert returncode == 0


async def test_cli_can_seed_call_records_before_serving() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "alice_async.emulator",
        "--port",
        "0",
        "--seed-cdrs",
        "250",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        match = re.search(r"on (http://\S+/rest-api/) \(user (\S+), password (\S+)\)", line)
        assert match, line
        url, user, password = match.groups()
        async with aiohttp.ClientSession() as session:
            credentials = {"username": user, "password": password}
            async with session.post(url + "get-token/", json=credentials) as response:
                token = (await response.json())["token"]
            headers = {"Authorization": f"Bearer {token}"}
            async with session.get(url + "cdr/", headers=headers) as response:
                body = await response.json()
        assert body["count"] == 250
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), 20)
    assert returncode == 0
