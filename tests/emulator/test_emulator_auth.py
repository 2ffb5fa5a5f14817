"""get-token/, bearer checks and their variants."""

from __future__ import annotations

import base64
import json

import anyio
import pytest

from alice_async.emulator import EmulatorConfig, Variants

from ._helpers import Api
from .conftest import Factory

pytestmark = pytest.mark.anyio


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    return decoded


async def test_token_is_a_jwt_with_the_configured_lifetime(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(token_ttl=120, dialer=False))
    assert api.token is not None
    claims = _claims(api.token)
    assert claims["username"] == "alice"
    assert claims["user_id"] == 1
    assert claims["exp"] == pytest.approx(claims["iat"] + 120, abs=0.002)  # type: ignore[operator]
    assert {"jti", "exp", "iat"} <= claims.keys()
    assert api.emu.stats.tokens_issued == 1
    assert api.emu.stats.token_requests == 1


async def test_email_login_and_second_account(api: Api) -> None:
    reply = await api.login("bob@example.com", "builder")
    assert reply.status == 200
    assert api.token is not None
    assert _claims(api.token)["username"] == "bob"


async def test_token_expires(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(token_ttl=0.3, dialer=False))
    assert (await api.get("phonebook/")).status == 200
    await anyio.sleep(0.4)
    reply = await api.get("phonebook/")
    assert reply.status == 401
    assert reply.body == {"detail": "Given token not valid or expired."}
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert api.emu.stats.auth_failures == 1


async def test_bad_credentials_default_is_400(api: Api) -> None:
    reply = await api.login("alice", "wrong")
    assert reply.status == 400
    assert reply.body == {"non_field_errors": ["Unable to log in with provided credentials."]}
    reply = await api.call("POST", "get-token/", json={}, auth=False)
    assert reply.body == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }
    assert api.emu.stats.token_requests == 3
    assert api.emu.stats.tokens_issued == 1
    assert api.emu.stats.token_outcomes == {"issued": 1, "bad_credentials": 1, "invalid": 1}


async def test_bad_credentials_variant_is_401(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(variants=Variants(bad_credentials_401=True)), login=False)
    reply = await api.login("nobody", "x")
    assert reply.status == 401
    assert isinstance(reply.body["detail"], str)


async def test_missing_and_invalid_token_default_401(api: Api) -> None:
    reply = await api.call("GET", "phonebook/", auth=False)
    assert reply.status == 401
    assert reply.body == {"detail": "Authentication credentials were not provided."}
    assert "Bearer" in reply.headers["WWW-Authenticate"]
    reply = await api.call("GET", "phonebook/", auth=False, headers={"Authorization": "Bearer x"})
    assert reply.status == 401
    assert reply.body == {"detail": "Given token not valid or expired."}


async def test_auth_errors_as_403_variant(make_api: Factory) -> None:
    api = await make_api(EmulatorConfig(variants=Variants(auth_errors_as_403=True)))
    reply = await api.call("GET", "phonebook/", auth=False)
    assert (reply.status, reply.body) == (
        403,
        {"detail": "Authentication credentials were not provided."},
    )
    assert "WWW-Authenticate" not in reply.headers
    reply = await api.call("GET", "phonebook/", auth=False, headers={"Authorization": "Bearer x"})
    assert (reply.status, reply.body) == (403, {"detail": "Invalid token"})


async def test_token_signed_with_another_secret_is_refused(make_api: Factory) -> None:
    first = await make_api()
    second = await make_api()
    second.token = first.token
    assert (await second.get("phonebook/")).status == 401


@pytest.mark.parametrize("key", ["token", "access", "access_token"])
async def test_opaque_token_variant(make_api: Factory, key: str) -> None:
    config = EmulatorConfig(variants=Variants(opaque_token=True, token_key=key), token_ttl=60)
    api = await make_api(config, login=False)
    reply = await api.login()
    assert reply.status == 200
    assert set(reply.body) == {key, "expires_in"}
    assert reply.body["expires_in"] == 60
    assert "." not in reply.body[key]
    assert (await api.get("phonebook/")).status == 200


async def test_get_token_only_accepts_post(api: Api) -> None:
    reply = await api.call("GET", "get-token/", auth=False)
    assert reply.status == 405
    assert reply.body == {"detail": 'Method "GET" not allowed.'}


async def test_user_agent_is_recorded(api: Api) -> None:
    await api.call("GET", "phonebook/", headers={"User-Agent": "alice-sdk/9"})
    assert api.emu.stats.last_headers["User-Agent"] == "alice-sdk/9"
    assert api.emu.stats.requests[("GET", "phonebook/")] == 1
