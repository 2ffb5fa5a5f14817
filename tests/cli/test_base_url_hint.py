"""``alice`` with a base URL missing ``/rest-api/``: the login's 404 is explained."""

from __future__ import annotations

from alice_async.emulator import Emulator

from ._helpers import emulator_env, run_cli


async def test_a_base_url_without_rest_api_is_called_probably_wrong(emulator: Emulator) -> None:
    root = emulator.url.removesuffix("rest-api/")
    result = await run_cli("gateways", "list", env=emulator_env(emulator, ALICE_BASE_URL=root))
    assert result.code != 0
    assert "base URL is probably wrong" in result.stderr
    assert "https://host/rest-api/" in result.stderr
    assert "Not Found Not Found" not in result.output
    assert emulator.password not in result.output
