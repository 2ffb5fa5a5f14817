"""Proxies (_client.py ``proxy=``, ``trust_env=``) through a small forward proxy on 127.0.0.1
(tests/_forward_proxy.py) that passes absolute-form requests on to the emulator."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import aiohttp
import pytest
import trustme

from alice_async import AliceClient, APIConnectionError, InvalidInputError
from alice_async.emulator import Emulator
from tests._forward_proxy import ForwardProxy, connect_proxy, forward_proxy
from tests.conftest import make_client


@pytest.fixture(name="forward_proxy")
async def forward_proxy_fixture() -> AsyncIterator[ForwardProxy]:
    async with forward_proxy() as proxy:
        yield proxy


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


async def test_proxy_argument_sends_every_request_through_the_proxy(
    emulator: Emulator, forward_proxy: ForwardProxy, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    async with make_client(emulator, proxy=forward_proxy.url) as client:
        gateways = await client.gateways.list().to_list()
    assert gateways
    assert forward_proxy.targets == [
        f"{emulator.url}get-token/",
        f"{emulator.url}gateway/",
    ]


async def test_proxy_credentials_travel_to_the_proxy_and_are_never_shown(
    emulator: Emulator, forward_proxy: ForwardProxy, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    with_credentials = forward_proxy.url.replace("http://", "http://scott:t%40ger@")
    async with make_client(emulator, proxy=with_credentials) as client:
        await client.gateways.list().first_page()
        shown = f"{client!r} {client.proxy}"
    assert forward_proxy.credentials == ["Basic c2NvdHQ6dEBnZXI="] * 2  # scott:t@ger
    assert "t@ger" not in shown
    assert "t%40ger" not in shown
    assert "scott" not in str(client.proxy)


async def test_a_dead_proxy_fails_without_showing_its_credentials(
    emulator: Emulator, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    async with make_client(emulator, proxy="http://scott:tiger@127.0.0.1:9", max_retries=0) as c:
        with pytest.raises(APIConnectionError) as info:
            await c.gateways.list().first_page()
    assert "tiger" not in str(info.value)


async def test_http_proxy_from_the_environment_is_used_by_default(
    emulator: Emulator, forward_proxy: ForwardProxy, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    clean_proxy_env.setenv("HTTP_PROXY", forward_proxy.url)
    async with make_client(emulator) as client:
        await client.gateways.list().first_page()
    assert len(forward_proxy.targets) == 2


async def test_no_proxy_lets_the_api_host_bypass_the_environment_proxy(
    emulator: Emulator, forward_proxy: ForwardProxy, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    clean_proxy_env.setenv("HTTP_PROXY", forward_proxy.url)
    clean_proxy_env.setenv("NO_PROXY", "localhost,127.0.0.1")
    async with make_client(emulator) as client:
        await client.gateways.list().first_page()
        assert client.proxy is None
    assert forward_proxy.targets == []


async def test_trust_env_false_ignores_the_environment(
    emulator: Emulator, forward_proxy: ForwardProxy, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    clean_proxy_env.setenv("HTTP_PROXY", forward_proxy.url)
    async with make_client(emulator, trust_env=False) as client:
        await client.gateways.list().first_page()
    assert forward_proxy.targets == []


async def test_an_explicit_proxy_beats_no_proxy(
    emulator: Emulator, forward_proxy: ForwardProxy, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    clean_proxy_env.setenv("NO_PROXY", "127.0.0.1")
    async with make_client(emulator, proxy=forward_proxy.url) as client:
        await client.gateways.list().first_page()
    assert len(forward_proxy.targets) == 2


def test_a_bad_proxy_url_is_refused_naming_where_it_came_from(
    clean_proxy_env: pytest.MonkeyPatch,
) -> None:
    url = "http://127.0.0.1:9/rest-api/"
    with pytest.raises(InvalidInputError) as info:
        AliceClient(url, token="t", proxy="socks5://user:secret@127.0.0.1:1080")
    assert info.value.field == "proxy"
    assert "secret" not in str(info.value)
    clean_proxy_env.setenv("HTTP_PROXY", "ftp://127.0.0.1:21")
    with pytest.raises(InvalidInputError) as info:
        AliceClient(url, token="t")
    assert info.value.field == "HTTP_PROXY"
    with pytest.raises(InvalidInputError) as info:
        AliceClient(url, token="t", trust_env="no")  # type: ignore[arg-type]
    assert info.value.field == "trust_env"


async def test_a_callers_session_still_sends_the_sdks_user_agent_and_accept(
    emulator: Emulator,
) -> None:
    from alice_async._client import USER_AGENT

    async with (
        aiohttp.ClientSession(headers={"X-Corp": "1"}) as session,
        make_client(emulator, session=session) as client,
    ):
        await client.gateways.list().first_page()
    assert emulator.stats.last_headers["User-Agent"] == USER_AGENT
    assert emulator.stats.last_headers["Accept"] == "application/json"
    assert emulator.stats.last_headers["X-Corp"] == "1"


@pytest.fixture
async def tls_emulator() -> AsyncIterator[tuple[Emulator, ssl.SSLContext]]:
    """The emulator over HTTPS with a certificate of a test CA, and a context trusting it."""
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    async with Emulator(ssl_context=server_context) as emu:
        yield emu, client_context


async def test_https_goes_through_a_connect_tunnel_with_the_proxy_credentials(
    tls_emulator: tuple[Emulator, ssl.SSLContext], clean_proxy_env: pytest.MonkeyPatch
) -> None:
    emulator, trusted = tls_emulator
    assert emulator.url.startswith("https://127.0.0.1:")
    async with connect_proxy() as proxy:
        with_credentials = proxy.url.replace("http://", "http://scott:tiger@")
        async with make_client(emulator, proxy=with_credentials, verify=trusted) as client:
            gateways = await client.gateways.list().to_list()
    assert gateways
    host_port = emulator.url.split("/")[2]
    assert proxy.targets
    assert set(proxy.targets) == {host_port}
    assert set(proxy.credentials) == {"Basic c2NvdHQ6dGlnZXI="}  # scott:tiger


async def test_https_proxy_from_the_environment_tunnels_https(
    tls_emulator: tuple[Emulator, ssl.SSLContext], clean_proxy_env: pytest.MonkeyPatch
) -> None:
    emulator, trusted = tls_emulator
    async with connect_proxy() as proxy:
        clean_proxy_env.setenv("HTTPS_PROXY", proxy.url)
        clean_proxy_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # not for https
        async with make_client(emulator, verify=trusted) as client:
            await client.gateways.list().first_page()
    assert proxy.targets
