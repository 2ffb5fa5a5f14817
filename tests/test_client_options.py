"""Client options (_client.py): ``with_options`` copies, configuration from the environment,
``authenticate()``, and the hint a wrong base URL gets."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alice_async import (
    AliceClient,
    AuthenticationError,
    ClientStateError,
    InvalidInputError,
    NotFoundError,
    Timeout,
)
from alice_async.emulator import Emulator
from tests.conftest import make_client

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "http://127.0.0.1:9/rest-api/"

# -- with_options ------------------------------------------------------------------------------


async def test_a_copy_has_its_own_defaults_and_shares_login_and_pool(emulator: Emulator) -> None:
    async with make_client(emulator, timeout=30, max_retries=2) as client:
        patient = client.with_options(timeout=300, max_retries=8, deadline=60.0)
        assert (patient.timeout.total, patient.max_retries, patient.deadline) == (300.0, 8, 60.0)
        assert (client.timeout.total, client.max_retries, client.deadline) == (30.0, 2, None)
        await client.gateways.list().first_page()
        await patient.gateways.list().first_page()
        assert emulator.stats.token_requests == 1
        assert patient._ensure_transport().session is client._ensure_transport().session


async def test_closing_a_copy_leaves_the_parent_open(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        copy = client.with_options(max_retries=0)
        await copy.gateways.list().first_page()
        await copy.aclose()
        assert copy.is_closed
        assert not client.is_closed
        with pytest.raises(ClientStateError):
            await copy.gateways.list().first_page()
        gateways = await client.gateways.list().to_list()
    assert gateways


async def test_closing_the_parent_ends_its_copies(emulator: Emulator) -> None:
    client = make_client(emulator)
    copy = client.with_options(timeout=5)
    await copy.gateways.list().first_page()
    session = client._session
    await client.aclose()
    assert session is not None
    assert session.closed
    with pytest.raises(ClientStateError):
        await copy.gateways.list().first_page()


async def test_copy_headers_add_to_the_parents(emulator: Emulator) -> None:
    async with make_client(emulator, default_headers={"X-App": "a"}) as client:
        copy = client.with_options(default_headers={"X-Team": "b"})
        await copy.gateways.list().first_page()
        assert emulator.stats.last_headers["X-App"] == "a"
        assert emulator.stats.last_headers["X-Team"] == "b"
        await client.gateways.list().first_page()
        assert "X-Team" not in emulator.stats.last_headers


def test_a_copy_checks_its_options() -> None:
    client = AliceClient(LOOPBACK, token="t")
    with pytest.raises(InvalidInputError, match="max_retries"):
        client.with_options(max_retries=-1)
    with pytest.raises(InvalidInputError, match="deadline"):
        client.with_options(deadline=0)


# -- the environment ---------------------------------------------------------------------------


def test_timeout_and_retries_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALICE_TIMEOUT", "12.5")
    monkeypatch.setenv("ALICE_MAX_RETRIES", "7")
    client = AliceClient(LOOPBACK, token="t")
    assert client.timeout == Timeout(total=12.5, connect=10.0)
    assert client.max_retries == 7


def test_explicit_timeout_and_retries_beat_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALICE_TIMEOUT", "12.5")
    monkeypatch.setenv("ALICE_MAX_RETRIES", "7")
    client = AliceClient(LOOPBACK, token="t", timeout=None, max_retries=0)
    assert client.timeout.total is None
    assert client.max_retries == 0


def test_without_the_environment_the_defaults_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALICE_TIMEOUT", "ALICE_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    client = AliceClient(LOOPBACK, token="t")
    assert (client.timeout, client.max_retries) == (Timeout(total=60.0, connect=10.0), 3)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ALICE_TIMEOUT", "soon"),
        ("ALICE_TIMEOUT", "-1"),
        ("ALICE_TIMEOUT", "inf"),
        ("ALICE_MAX_RETRIES", "three"),
        ("ALICE_MAX_RETRIES", "-1"),
        ("ALICE_LOG", "loud"),
    ],
)
def test_a_bad_environment_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidInputError) as info:
        AliceClient(LOOPBACK, token="t")
    assert (info.value.field, info.value.value) == (variable, value)


def test_alice_log_sends_the_sdks_records_to_stderr(emulator_url_process: str) -> None:
    code = (
        "import asyncio\n"
        "from alice_async import AliceClient\n"
        "async def main():\n"
        "    async with AliceClient() as client:\n"
        "        await client.gateways.list().first_page()\n"
        "        AliceClient()  # a second client adds no second handler\n"
        "asyncio.run(main())\n"
    )
    env = {
        **os.environ,
        "ALICE_LOG": "debug",
        "ALICE_BASE_URL": emulator_url_process,
        "ALICE_USERNAME": "alice",
        "ALICE_PASSWORD": "wonderland",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "alice_async DEBUG" in line]
    assert any("GET " in line and "gateway/" in line and "-> 200" in line for line in lines)
    assert sum("gateway/" in line for line in lines) == 1  # one handler, one line
    assert "wonderland" not in done.stderr


@pytest.fixture
def emulator_url_process() -> object:
    """An emulator in a process of its own (the subprocess under test talks to it)."""
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks._harness import emulator_process
    finally:
        sys.path.remove(str(ROOT))
    with emulator_process() as running:
        yield running.url


# -- authenticate ------------------------------------------------------------------------------


async def test_authenticate_logs_in_once_and_tells_the_expiry(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        before = dt.datetime.now(dt.timezone.utc)
        lifetime = await client.authenticate()
        await client.authenticate()
        await client.gateways.list().first_page()
    assert emulator.stats.token_requests == 1
    assert lifetime.refreshable
    assert lifetime.expires_at is not None
    assert before < lifetime.expires_at <= before + dt.timedelta(seconds=301)
    assert "eyJ" not in repr(lifetime)  # no JWT in sight


async def test_authenticate_fails_fast_on_bad_credentials(emulator: Emulator) -> None:
    async with make_client(emulator, password="not-the-password") as client:
        with pytest.raises(AuthenticationError) as info:
            await client.authenticate()
    assert "not-the-password" not in str(info.value)
    assert emulator.stats.token_requests == 1


async def test_authenticate_with_a_fixed_token_sends_nothing(emulator: Emulator) -> None:
    async with AliceClient(emulator.url, token="opaque-token") as client:
        lifetime = await client.authenticate()
    assert (lifetime.expires_at, lifetime.refreshable) == (None, False)
    assert emulator.stats.token_requests == 0


async def test_a_404_on_login_says_the_base_url_is_probably_wrong(emulator: Emulator) -> None:
    root = emulator.url.removesuffix("rest-api/")
    async with AliceClient(root, username=emulator.username, password=emulator.password) as client:
        with pytest.raises(NotFoundError) as info:
            await client.authenticate()
    message = str(info.value)
    assert "base URL is probably wrong" in message
    assert "https://host/rest-api/" in message
    assert root in message
