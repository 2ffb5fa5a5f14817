"""Client configuration and lifecycle."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings

import pytest

from alice_async import AliceClient, ClientStateError, InvalidInputError, Timeout
from alice_async._client import DEFAULT_BASE_URL
from alice_async.emulator import Emulator
from tests.conftest import make_client


def test_defaults_to_the_public_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALICE_BASE_URL", raising=False)
    client = AliceClient(token="t")
    assert str(client.base_url) == DEFAULT_BASE_URL


def test_reads_base_url_and_credentials_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALICE_BASE_URL", "http://127.0.0.1:9/rest-api")
    monkeypatch.setenv("ALICE_USERNAME", "env-user")
    monkeypatch.setenv("ALICE_PASSWORD", "env-pass")
    client = AliceClient()
    assert str(client.base_url) == "http://127.0.0.1:9/rest-api/"
    assert client.username == "env-user"
    assert "env-pass" not in repr(client)


def test_explicit_arguments_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALICE_USERNAME", "env-user")
    client = AliceClient("http://127.0.0.1:9/rest-api/", username="me", password="pw")
    assert client.username == "me"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base_url": "ftp://x/"}, "base_url"),
        ({"base_url": "not a url"}, "base_url"),
        ({"base_url": "http://h/rest-api/?x=1"}, "base_url"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_connections": 0}, "max_connections"),
        ({"timeout": -3}, "timeout"),
        ({"username": "only-user"}, "password"),
    ],
)
def test_bad_configuration_is_an_input_error(kwargs: dict[str, object], field: str) -> None:
    kwargs.setdefault("base_url", "http://127.0.0.1:9/rest-api/")
    with pytest.raises(InvalidInputError) as info:
        AliceClient(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_timeout_accepts_a_float_or_a_timeout() -> None:
    assert AliceClient(token="t", timeout=5).timeout == Timeout(total=5.0, connect=10.0)
    assert AliceClient(token="t", timeout=Timeout(30, 2)).timeout == Timeout(30, 2)
    assert AliceClient(token="t", timeout=None).timeout.total is None


def test_repr_never_shows_secrets() -> None:
    client = AliceClient("http://127.0.0.1:9/rest-api/", username="me", password="hunter2-secret")
    assert "hunter2-secret" not in repr(client)
    assert "hunter2-secret" not in repr(client._tokens)
    fixed = AliceClient("http://127.0.0.1:9/rest-api/", token="tok-secret")
    assert "tok-secret" not in repr(fixed) + repr(fixed._tokens)


async def test_a_closed_client_refuses_requests(emulator: Emulator) -> None:
    client = make_client(emulator)
    async with client:
        await client.phonebooks.list().first_page()
    assert client.is_closed
    with pytest.raises(ClientStateError, match="closed"):
        await client.phonebooks.list().first_page()
    await client.aclose()  # idempotent


async def test_an_unclosed_client_emits_a_resource_warning(emulator: Emulator) -> None:
    client = make_client(emulator)
    await client.phonebooks.list().first_page()
    session = client._session
    assert session is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.__del__()
    assert any(issubclass(w.category, ResourceWarning) for w in caught)
    await client.aclose()
    del client
    gc.collect()


async def test_using_a_client_from_another_event_loop_is_a_clear_error(
    emulator: Emulator,
) -> None:
    client = make_client(emulator)
    await client.phonebooks.list().first_page()
    errors: list[BaseException] = []

    def other_thread() -> None:
        async def use() -> None:
            await client.phonebooks.list().first_page()

        try:
            asyncio.run(use())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    await client.aclose()
    assert len(errors) == 1
    assert isinstance(errors[0], ClientStateError)
    assert "another event loop" in str(errors[0])


async def test_a_user_session_is_used_and_left_open(emulator: Emulator) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with make_client(emulator, session=session) as client:
            await client.phonebooks.create(name="via user session")
        assert not session.closed
    assert emulator.store.count("phonebook") == 1


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/rest-api/", "http://localhost/rest-api/", "http://[::1]:9/rest-api/"],
)
def test_plain_http_is_fine_on_loopback(url: str) -> None:
    assert AliceClient(url, token="t").base_url.scheme == "http"


def test_plain_http_elsewhere_needs_an_explicit_opt_in() -> None:
    with pytest.raises(InvalidInputError, match="clear text") as info:
        AliceClient("http://alice.example.com/rest-api/", token="t")
    assert info.value.field == "base_url"
    client = AliceClient("http://10.0.0.5/rest-api/", token="t", allow_insecure_http=True)
    assert client.base_url.host == "10.0.0.5"


def test_credentials_in_the_base_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(InvalidInputError) as info:
        AliceClient("https://me:pa55word@alice.example.com/rest-api/", token="t")
    assert "pa55word" not in str(info.value)


def test_tls_verification_is_on_by_default_and_configurable(tmp_path: object) -> None:
    import ssl

    assert AliceClient(token="t")._ssl is True
    context = ssl.create_default_context()
    assert AliceClient(token="t", verify=context)._ssl is context
    assert AliceClient(token="t", verify=False)._ssl is False
    with pytest.raises(InvalidInputError) as info:
        AliceClient(token="t", verify="/nonexistent/ca.pem")
    assert info.value.field == "verify"
