"""The pytest plugin, as a user's project sees it: a test project that uses only its fixtures.

The project below is run by ``pytester`` in a nested pytest session; the plugin comes from the
``pytest11`` entry point that installing alice-sdk registers, exactly as in a user's project.
"""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

USER_PROJECT = """
import json
import urllib.request

import pytest

import alice_async


async def test_async_client_reads_what_it_wrote(alice_client, alice_emulator):
    book = await alice_client.phonebooks.create(name="Danh bạ khách hàng")
    again = await alice_client.phonebooks.get(book.id)
    assert again.name == "Danh bạ khách hàng"
    assert alice_emulator.stats.token_requests == 1
    assert alice_emulator.store.count("phonebook") >= 1


def test_sync_client_in_plain_code(alice_sync_client, alice_emulator_thread):
    book = alice_sync_client.phonebooks.create(name="Sync")
    names = alice_emulator_thread.call(
        lambda emu: [row["name"] for row in emu.store.objects("phonebook")]
    )
    assert "Sync" in names
    assert alice_sync_client.phonebooks.get(book.id).name == "Sync"


def test_url_for_any_http_library(alice_emulator_url):
    request = urllib.request.Request(
        alice_emulator_url + "get-token/",
        data=json.dumps({"username": "alice", "password": "wonderland"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        assert "token" in json.loads(answer.read())


@pytest.mark.alice_emulator(variants={"bad_credentials_401": True, "opaque_token": True})
async def test_marker_switches_variants(alice_emulator):
    assert alice_emulator.config.variants.bad_credentials_401 is True
    assert alice_emulator.config.variants.opaque_token is True


@pytest.mark.alice_emulator(faults={"rate": 1.0, "kinds": ["503"], "paths": ["gateway/"]})
async def test_marker_injects_faults(alice_client, alice_emulator):
    with pytest.raises(alice_async.ServerError):
        await alice_client.gateways.list().first_page()
    assert alice_emulator.stats.faults["503"] >= 1


@pytest.fixture
def alice_client_options():
    return {"max_retries": 0}


@pytest.mark.alice_emulator(faults={"rate": 1.0, "kinds": ["503"], "paths": ["gateway/"]})
def test_client_options_fixture_is_honoured(alice_sync_client, alice_emulator_thread):
    with pytest.raises(alice_async.ServerError):
        alice_sync_client.gateways.list().first_page()
    assert alice_emulator_thread.call(lambda emu: emu.stats.faults["503"]) == 1
"""


def test_installing_the_sdk_registers_the_plugin() -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("alice") == "pytest_alice"


def test_a_project_using_only_the_fixtures_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user_project=USER_PROJECT)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", timeout=120)
    result.assert_outcomes(passed=6)


def test_an_unknown_marker_field_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bad_marker="""
import pytest

@pytest.mark.alice_emulator(variant={"bulk_atomic": True})
async def test_x(alice_emulator):
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", timeout=120)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*UsageError*unknown EmulatorConfig field(s)*variant*known:*"])


def test_the_readme_example_passes_as_a_test_file(pytester: pytest.Pytester) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Testing your code with pytest", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    pytester.makepyfile(test_readme_example=example)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", timeout=120)
    result.assert_outcomes(passed=3)
