"""Token manager: parsing get-token answers, single-flight refresh, replay after a refusal."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time

import anyio
import pytest

from alice_async import AuthenticationError, NotFoundError, ServerError
from alice_async._auth import TokenInfo, TokenManager, jwt_expiry, parse_token_response
from alice_async.emulator import Emulator, EmulatorConfig, Faults, Variants
from tests.conftest import fault_seed, make_client


def _jwt(claims: dict[str, object]) -> str:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part(claims)}.c2lnbmF0dXJl"


@pytest.mark.parametrize("key", ["token", "access", "access_token"])
def test_reads_the_token_under_any_known_key(key: str) -> None:
    info = parse_token_response({key: "abc", "expires_in": 60}, now_wall=0, now_mono=100)
    assert info.value == "abc"
    assert info.expires_at == 160


def test_learns_the_lifetime_from_the_jwt_exp_claim() -> None:
    token = _jwt({"exp": 1_000_300})
    info = parse_token_response({"token": token}, now_wall=1_000_000, now_mono=50)
    assert info.expires_at == pytest.approx(350)


def test_assumes_a_short_lifetime_for_an_opaque_token_without_expires_in() -> None:
    info = parse_token_response({"token": "opaque"}, now_wall=0, now_mono=0)
    assert 0 < info.expires_at <= 300


def test_jwt_expiry_ignores_garbage() -> None:
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry("a.!!!.c") is None
    assert jwt_expiry(_jwt({"exp": "tomorrow"})) is None
    assert jwt_expiry(_jwt({"exp": 12})) == 12.0


def test_a_body_without_token_is_a_validation_error() -> None:
    from alice_async import APIResponseValidationError

    with pytest.raises(APIResponseValidationError, match="without a token"):
        parse_token_response({"detail": "ok"}, now_wall=0, now_mono=0)


def test_token_info_repr_hides_the_token() -> None:
    assert "s3cr3t" not in repr(TokenInfo(value="s3cr3t", expires_at=1.0))


async def test_fetches_one_token_for_500_concurrent_callers() -> None:
    calls = 0
    entered = asyncio.Event()
    release = asyncio.Event()

    async def fetch() -> TokenInfo:
        nonlocal calls
        calls += 1
        entered.set()
        await release.wait()  # held until every caller is waiting
        return TokenInfo(value=f"t{calls}", expires_at=time.monotonic() + 300)

    manager = TokenManager(fetch)
    callers = asyncio.gather(*(manager.get() for _ in range(500)))
    await asyncio.wait_for(entered.wait(), 10)  # the one login has started
    for _ in range(5):  # a few turns of the loop: every caller reaches its wait
        await asyncio.sleep(0)
    assert calls == 1
    release.set()
    tokens = await callers
    assert calls == 1
    assert set(tokens) == {"t1"}


async def test_invalidating_a_stale_token_does_not_refresh_twice() -> None:
    calls = 0

    async def fetch() -> TokenInfo:
        nonlocal calls
        calls += 1
        return TokenInfo(value=f"t{calls}", expires_at=time.monotonic() + 300)

    manager = TokenManager(fetch)
    first = await manager.get()
    assert manager.invalidate(first)
    second = await manager.get()
    assert second == "t2"
    assert not manager.invalidate(first)  # someone already replaced it
    assert await manager.get() == "t2"
    assert calls == 2


async def test_refreshes_shortly_before_expiry() -> None:
    now = 1000.0
    calls = 0

    async def fetch() -> TokenInfo:
        nonlocal calls
        calls += 1
        return TokenInfo(value=f"t{calls}", expires_at=now + 100)

    manager = TokenManager(fetch, clock=lambda: now)
    assert await manager.get() == "t1"
    now += 85  # 10 % margin: still fresh before 90 s
    assert await manager.get() == "t1"
    now += 6
    assert await manager.get() == "t2"


# -- against the emulator ---------------------------------------------------------------------


async def test_500_concurrent_requests_across_a_token_expiry_cause_one_token_request() -> None:
    async with Emulator(EmulatorConfig(token_ttl=1.0)) as emu:
        async with make_client(emu) as client:
            await client.phonebooks.create(name="warm-up")
            assert emu.stats.token_requests == 1
            await anyio.sleep(1.1)  # the token is now expired
            emu.configure(token_ttl=300.0)  # the next one outlives the 500 calls, however slow
            results = await asyncio.gather(
                *(client.phonebooks.list().first_page() for _ in range(500))
            )
            assert all(page.count == 1 for page in results)
            assert emu.stats.token_requests == 2


async def test_a_refused_token_is_replaced_once_and_the_request_replayed() -> None:
    async with Emulator(EmulatorConfig(token_ttl=300.0)) as emu:
        async with make_client(emu) as client:
            await client.phonebooks.create(name="a")
            # The client believes its token is fresh; the server no longer accepts it.
            emu.configure(secret="rotated-secret")
            books = await client.phonebooks.list().to_list()
            assert [b.name for b in books] == ["a"]
            assert emu.stats.token_requests == 2


@pytest.mark.parametrize("variant", [Variants(), Variants(auth_errors_as_403=True)])
async def test_replays_after_401_and_after_the_403_variant(variant: Variants) -> None:
    async with Emulator(EmulatorConfig(variants=variant)) as emu:
        async with make_client(emu) as client:
            await client.phonebooks.create(name="a")
            emu.configure(secret="rotated")
            assert (await client.phonebooks.list().first_page()).count == 1
            assert emu.stats.token_requests == 2


async def test_a_second_refusal_raises_authentication_error() -> None:
    async with Emulator(EmulatorConfig(token_ttl=-60.0)) as emu:  # tokens are born expired
        async with make_client(emu) as client:
            with pytest.raises(AuthenticationError):
                await client.phonebooks.list().first_page()
            assert emu.stats.token_requests == 2


@pytest.mark.parametrize(
    "variant", [Variants(), Variants(bad_credentials_401=True)], ids=["400", "401"]
)
async def test_bad_credentials_raise_at_once_and_are_never_retried(variant: Variants) -> None:
    async with Emulator(EmulatorConfig(variants=variant)) as emu:
        async with make_client(emu, password="wrong-password") as client:
            with pytest.raises(AuthenticationError) as info:
                await client.phonebooks.list().first_page()
            assert "wrong-password" not in str(info.value)
            assert emu.stats.token_requests == 1


@pytest.mark.parametrize(
    "variant", [Variants(), Variants(bad_credentials_401=True)], ids=["400", "401"]
)
async def test_500_concurrent_calls_with_bad_credentials_make_one_login_and_all_raise_it(
    variant: Variants,
) -> None:
    async with Emulator(EmulatorConfig(variants=variant)) as emu:
        async with make_client(emu, password="wrong-password") as client:
            results = await asyncio.gather(
                *(client.phonebooks.get(1) for _ in range(500)), return_exceptions=True
            )
        assert emu.stats.token_requests == 1
        assert emu.stats.token_outcomes == {"bad_credentials": 1}
        errors = {id(error) for error in results if isinstance(error, AuthenticationError)}
        assert len(errors) == 1  # the same error, raised by every waiter
        assert all(isinstance(error, AuthenticationError) for error in results)
        assert emu.stats.requests[("GET", "phonebook/{id}/")] == 0


async def test_a_transient_login_failure_is_retried_once_for_all_waiters() -> None:
    kinds = ("502",)
    faults = Faults(
        rate=0.5,
        kinds=kinds,
        paths=("get-token/",),
        exclude_token=False,
        seed=fault_seed(0.5, kinds, "F."),
    )
    async with Emulator(EmulatorConfig(faults=faults)) as emu:
        async with make_client(emu) as client:
            await client.phonebooks.create(name="one")
            results = await asyncio.gather(
                *(client.phonebooks.list().first_page() for _ in range(500))
            )
        assert all(page.count == 1 for page in results)
        assert emu.stats.token_outcomes == {"502": 1, "issued": 1}


async def test_a_login_that_keeps_failing_raises_for_every_waiter_after_one_retry_run() -> None:
    faults = Faults(rate=1.0, kinds=("502",), paths=("get-token/",), exclude_token=False)
    async with Emulator(EmulatorConfig(faults=faults)) as emu:
        async with make_client(emu, max_retries=2) as client:
            results = await asyncio.gather(
                *(client.phonebooks.get(1) for _ in range(500)), return_exceptions=True
            )
        assert all(isinstance(error, ServerError) for error in results)
        assert emu.stats.token_outcomes == {"502": 3}  # one login: the first try and 2 retries


@pytest.mark.parametrize("key", ["token", "access", "access_token"])
async def test_works_with_opaque_tokens_under_any_key(key: str) -> None:
    variant = Variants(opaque_token=True, token_key=key)
    async with Emulator(EmulatorConfig(variants=variant)) as emu:
        async with make_client(emu) as client:
            book = await client.phonebooks.create(name="x")
            assert (await client.phonebooks.get(book.id)).name == "x"


async def test_a_fixed_token_works_without_credentials(emulator: Emulator) -> None:
    async with make_client(emulator) as login:
        await login.phonebooks.create(name="shared")
        token = await login._tokens.get()
    async with make_client(emulator, username=None, password=None, token=token) as client:
        assert (await client.phonebooks.list().first_page()).count == 1
        with pytest.raises(NotFoundError):
            await client.phonebooks.get(999_999)


async def test_a_refused_fixed_token_raises_without_refreshing(emulator: Emulator) -> None:
    async with make_client(emulator, username=None, password=None, token="bogus") as client:
        with pytest.raises(AuthenticationError):
            await client.phonebooks.list().first_page()
    assert emulator.stats.token_requests == 0


async def test_no_secret_reaches_the_logs_at_debug(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with make_client(emulator) as client:
        await client.phonebooks.create(name="logged")
        emulator.configure(secret="rotated")
        await client.phonebooks.list().to_list()
        token = await client._tokens.get()
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "phonebook/" in text  # the requests were logged...
    assert emulator.password not in text  # ...without the password
    assert token not in text  # ...or the token
