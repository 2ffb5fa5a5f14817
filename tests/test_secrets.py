"""Secrets never show: not in logs at DEBUG, reprs, exception messages or CLI output.

One journey per surface drives every code path that handles the password or the token --
login, proactive refresh after expiry, the 401 replay after the server rotated its signing
key, bad credentials, a fixed token that expired, every resource call, field errors, retries
through injected faults, bulk upload; then the sync facade and the ``alice`` CLI with
``--verbose`` against an emulator in another process -- and scans everything it produced or
touched for the account password, a calendar user's password and every token issued.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import re
import subprocess
import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import alice_sync
from alice_async import (
    AliceClient,
    APIError,
    AuthenticationError,
    ContactInput,
    InvalidInputError,
    NotFoundError,
)
from alice_async.emulator import Emulator, EmulatorConfig, Faults
from tests.conftest import FAST_RETRIES
from tests.hostile._calls import build_world, valid_calls

PASSWORD = "pw-Secret-7731-zz"
WRONG_PASSWORD = "wrong-pw-5562-qq"
CALENDAR_PASSWORDS = ("calendar-pw-1", "calendar-pw-2", "calendar-pw-3")
USER = "owner"


class Evidence:
    """Every text a user could see: reprs, messages, chained causes, log lines."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, *objects: object) -> None:
        for obj in objects:
            self.texts += [repr(obj), str(obj)]
            if isinstance(obj, BaseException):
                self.texts += [repr(arg) for arg in obj.args]
                self.texts.append("".join(traceback.format_exception(obj)))
                self.texts += [repr(value) for value in vars(obj).values()]

    def add_logs(self, records: Iterable[logging.LogRecord]) -> None:
        formatter = logging.Formatter()
        for record in records:
            self.texts.append(formatter.format(record))

    def hits(self, secrets: Iterable[str]) -> list[str]:
        return [
            f"{secret!r} in {text[:120]!r}"
            for secret in set(secrets)
            for text in self.texts
            if secret and secret in text
        ]


async def _expect_error(evidence: Evidence, call: Any) -> APIError | InvalidInputError:
    try:
        await call
    except (APIError, InvalidInputError) as error:
        evidence.add(error)
        return error
    raise AssertionError("the call was expected to fail")


async def test_no_secret_in_logs_reprs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    evidence = Evidence()
    tokens: set[str] = set()
    config = EmulatorConfig(accounts=((USER, PASSWORD),), token_ttl=2)
    async with Emulator(config) as emu:
        client = AliceClient(emu.url, username=USER, password=PASSWORD, retry_policy=FAST_RETRIES)
        async with client:

            def note_token() -> None:
                current = client._tokens.current  # which token to look for
                assert current is not None
                tokens.add(current)

            # login, then every resource call
            world = await build_world(client, emu.seed_cdrs)
            note_token()
            for (resource, method), arguments in valid_calls(world).items():
                result = getattr(getattr(client, resource), method)(**arguments)
                evidence.add(getattr(client, resource))
                try:
                    if hasattr(result, "to_list"):
                        evidence.add(result, await result.first_page(), *await result.to_list())
                    elif inspect.isasyncgen(result):  # campaigns.watch: to the end
                        evidence.add(*[snapshot async for snapshot in result])
                    elif inspect.isawaitable(result):
                        evidence.add(await result)
                    else:  # a plain value (cdr.plan's shards)
                        evidence.add(result)
                except APIError as error:  # e.g. starting the campaign a test just ended
                    evidence.add(error)
            evidence.add(*await client.calendar_users.list().to_list())

            # proactive refresh after expiry
            await asyncio.sleep(2.2)
            evidence.add(await client.phonebooks.get(world.phonebook))
            note_token()

            # the server rotates its key: 401, one re-authentication, the replay succeeds
            failures = emu.stats.auth_failures
            emu.configure(secret="rotated-signing-key")
            evidence.add(await client.contacts.get(world.contact))
            note_token()
            assert emu.stats.auth_failures > failures

            # field errors, not found, refused input (a calendar user's password)
            await _expect_error(evidence, client.phonebooks.get(999_999))
            await _expect_error(
                evidence,
                client.calendar_users.create(
                    username="clinic",
                    password=CALENDAR_PASSWORDS[2],
                    calendar_setting=world.setting,
                ),
            )
            await _expect_error(
                evidence,
                client.calendar_users.create(
                    username="x" * 40, password=CALENDAR_PASSWORDS[2], calendar_setting=1
                ),
            )
            await _expect_error(
                evidence,
                client.calendar_users.create(username="y", password=" ", calendar_setting=1),
            )

            # retries and failures through faults, bulk upload included
            emu.configure(faults=Faults(rate=0.4, kinds=("502", "503", "500_after", "429")))
            for _ in range(6):
                try:
                    evidence.add(await client.phonebooks.create(name="faulty"))
                    evidence.add(await client.contacts.list().first_page())
                except APIError as error:
                    evidence.add(error)
            rows = [ContactInput(contact=f"0977{i:06d}") for i in range(300)]
            evidence.add(await client.contacts.bulk_create(world.phonebook, rows, chunk_size=50))
            emu.configure(faults=Faults())
            note_token()
            evidence.add(client, client._tokens)

        # bad credentials, and a fixed token the server no longer accepts
        async with AliceClient(emu.url, username=USER, password=WRONG_PASSWORD) as wrong:
            refused = await _expect_error(evidence, wrong.gateways.list().first_page())
            assert isinstance(refused, AuthenticationError)
            evidence.add(wrong)
        emu.configure(secret="rotated-again")
        async with AliceClient(emu.url, token=sorted(tokens)[0], max_retries=0) as fixed:
            expired = await _expect_error(evidence, fixed.gateways.list().first_page())
            assert isinstance(expired, AuthenticationError)
            evidence.add(fixed, fixed._tokens)

    evidence.add_logs(caplog.records)
    assert len(tokens) >= 3, "login, refresh after expiry and replay each need a new token"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert re.search(r"retrying \w+ \S+ in [\d.]+ s \(attempt \d+ of \d+\)", logged), (
        "the retry path must have run (and logged)"
    )
    assert "re-authenticating once" in logged, "the 401 replay must have run (and logged)"
    secrets = {PASSWORD, WRONG_PASSWORD, *CALENDAR_PASSWORDS, *tokens}
    assert evidence.hits(secrets) == []


# -- the sync facade and the CLI, against an emulator in another process -----------------------


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """``python -m alice_async.emulator`` on a free port; yields its base URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alice_async.emulator",
            "--port",
            "0",
            "--token-ttl",
            "2",
            "--users",
            f"{USER}:{PASSWORD}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        match = re.search(r"http://\S+/rest-api/", banner)
        assert match, f"no URL in the emulator's banner: {banner!r}"
        yield match.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_the_sync_facade_shows_no_secret(served: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    evidence = Evidence()
    with alice_sync.AliceClient(
        served, username=USER, password=PASSWORD, retry_policy=FAST_RETRIES
    ) as client:
        book = client.phonebooks.create(name="sync")
        evidence.add(client, client.phonebooks, book, client.phonebooks.list().to_list())
        try:
            client.phonebooks.get(999_999)
        except NotFoundError as error:
            evidence.add(error)
    with alice_sync.AliceClient(served, username=USER, password=WRONG_PASSWORD) as wrong:
        try:
            wrong.gateways.list().first_page()
        except AuthenticationError as error:
            evidence.add(error, wrong)
        else:
            raise AssertionError("bad credentials were accepted")
    evidence.add_logs(caplog.records)
    assert evidence.hits([PASSWORD, WRONG_PASSWORD]) == []


def _alice(served: str, password: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ALICE_BASE_URL": served,
        "ALICE_USERNAME": USER,
        "ALICE_PASSWORD": password,
    }
    return subprocess.run(
        [sys.executable, "-m", "alice_async.cli", "--verbose", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_the_cli_shows_no_secret_even_when_verbose(served: str, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text("contact,first_name\n0911222333,Linh\n0911222334,An\n", encoding="utf-8")
    runs = [
        _alice(served, PASSWORD, "phonebooks", "create", "CLI book", cwd=tmp_path),
        _alice(served, PASSWORD, "phonebooks", "list", "--json", cwd=tmp_path),
        _alice(served, PASSWORD, "contacts", "import", str(csv), "--phonebook", "1", cwd=tmp_path),
        _alice(served, PASSWORD, "campaigns", "show", "999999", cwd=tmp_path),
        _alice(served, WRONG_PASSWORD, "gateways", "list", cwd=tmp_path),
    ]
    assert [run.returncode for run in runs] == [0, 0, 0, 1, 1], [run.stderr for run in runs]
    assert "GET" in runs[1].stderr, "--verbose must log the requests"
    output = "\n".join(run.stdout + run.stderr for run in runs)
    for secret in (PASSWORD, WRONG_PASSWORD):
        assert secret not in output
    # Tokens: every one the CLI could have shown is a JWT; none may appear.
    assert not re.search(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", output)
