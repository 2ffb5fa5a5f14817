"""``alice campaigns|phonebooks|gateways``: tables, ``--json``, state changes, exit codes."""

from __future__ import annotations

import asyncio
import json

from alice_async import AliceClient, CampaignStatus, __version__
from alice_async.emulator import Emulator
from tests.cli._helpers import (
    assert_one_line_error,
    base_env,
    closed_port,
    create_campaign,
    emulator_env,
    run_cli,
)


async def test_gateways_list_json_is_the_only_stdout(emulator: Emulator) -> None:
    result = await run_cli("--verbose", "gateways", "list", "--json", env=emulator_env(emulator))

    assert result.code == 0, result.stderr
    gateways = json.loads(result.stdout)
    assert isinstance(gateways, list)
    assert gateways
    assert {"id", "name", "status"} <= set(gateways[0])
    assert "GET" in result.stderr  # the DEBUG log went to stderr, not into the JSON


async def test_phonebooks_create_then_list(emulator: Emulator, client: AliceClient) -> None:
    env = emulator_env(emulator)
    created = await run_cli("phonebooks", "create", "Khách hàng Hà Nội", "--json", env=env)
    assert created.code == 0, created.stderr
    book = json.loads(created.stdout)
    assert book["name"] == "Khách hàng Hà Nội"
    assert (await client.phonebooks.get(book["id"])).name == "Khách hàng Hà Nội"

    listed = await run_cli("phonebooks", "list", "--json", env=env)
    assert [b["id"] for b in json.loads(listed.stdout)] == [book["id"]]

    table = await run_cli("phonebooks", "list", env=env)
    assert table.code == 0
    assert "Khách hàng Hà Nội" in table.stdout
    assert "Phonebooks" in table.stdout


async def test_campaigns_start_pause_end_change_state(
    still_emulator: Emulator, still_client: AliceClient
) -> None:
    campaign = await create_campaign(still_client)
    env = emulator_env(still_emulator)
    cid = str(campaign.id)

    started = await run_cli("campaigns", "start", cid, "--json", env=env)
    assert started.code == 0, started.stderr
    shown = json.loads(started.stdout)
    assert (shown["status"], shown["status_code"]) == ("STARTED", CampaignStatus.STARTED.value)
    assert (await still_client.campaigns.get(campaign.id)).status is CampaignStatus.STARTED
    enrolled = await still_client.subscribers.list(campaign=campaign.id).to_list()
    assert len(enrolled) == 3

    paused = await run_cli("campaigns", "pause", cid, env=env)
    assert paused.code == 0, paused.stderr
    assert paused.stdout.strip() == f"campaign {cid} (Chiến dịch thử): paused"
    assert (await still_client.campaigns.get(campaign.id)).status is CampaignStatus.PAUSED

    ended = await run_cli("campaigns", "end", cid, env=env)
    assert ended.code == 0, ended.stderr
    assert (await still_client.campaigns.get(campaign.id)).status is CampaignStatus.ENDED

    listed = await run_cli("campaigns", "list", "--status", "ended", "--json", env=env)
    assert [c["id"] for c in json.loads(listed.stdout)] == [campaign.id]

    # An ended campaign cannot start again: the server's 400, in one line.
    again = await run_cli("campaigns", "start", cid, env=env)
    line = assert_one_line_error(again)
    assert "refused" in line


async def test_campaigns_abort(still_emulator: Emulator, still_client: AliceClient) -> None:
    campaign = await create_campaign(still_client, "Hủy bỏ")
    env = emulator_env(still_emulator)
    result = await run_cli("campaigns", "abort", str(campaign.id), env=env)
    assert result.code == 0, result.stderr
    assert (await still_client.campaigns.get(campaign.id)).status is CampaignStatus.ENDED

    shown = await run_cli("campaigns", "show", str(campaign.id), env=env)
    assert shown.code == 0, shown.stderr
    assert "Hủy bỏ" in shown.stdout
    assert "ended" in shown.stdout


async def test_not_found_is_one_line(emulator: Emulator) -> None:
    result = await run_cli("campaigns", "show", "9999", env=emulator_env(emulator))
    assert "not found" in assert_one_line_error(result)


async def test_bad_credentials_exit_1_without_the_password(emulator: Emulator) -> None:
    secret = "Sai-mat-khau-9f3b7c"
    env = emulator_env(emulator, ALICE_PASSWORD=secret)
    result = await run_cli("--verbose", "campaigns", "list", env=env)

    line = assert_one_line_error(result, verbose=True)
    assert "authentication failed" in line
    assert secret not in result.output


def _env_of_a_server_that_is_down() -> dict[str, str]:
    return base_env(
        ALICE_BASE_URL=f"http://127.0.0.1:{closed_port()}/rest-api/",
        ALICE_USERNAME="alice",
        ALICE_PASSWORD="wonderland",
    )


async def test_connection_refused_is_one_line() -> None:
    env = _env_of_a_server_that_is_down()
    result = await run_cli("--max-retries", "0", "gateways", "list", env=env)
    line = assert_one_line_error(result)
    assert "cannot reach the server" in line
    assert "wonderland" not in result.output


async def test_each_retry_is_announced_on_stderr_before_the_one_line_error() -> None:
    env = _env_of_a_server_that_is_down()
    result = await run_cli("--max-retries", "2", "gateways", "list", env=env)
    assert result.code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[:2] == [
        line
        for line in lines[:2]
        if line.startswith("retrying POST get-token/ in ") and ": cannot connect" in line
    ]
    assert "(attempt 2 of 3)" in lines[0]
    assert "(attempt 3 of 3)" in lines[1]
    assert lines[2].startswith("alice: cannot reach the server")
    assert len(lines) == 3
    assert "wonderland" not in result.output


async def test_missing_credentials_without_a_terminal_is_a_usage_error(emulator: Emulator) -> None:
    env = base_env(ALICE_BASE_URL=emulator.url, ALICE_USERNAME=emulator.username)
    result = await run_cli("gateways", "list", env=env)
    assert "ALICE_PASSWORD" in assert_one_line_error(result, code=2)


async def test_bad_base_url_is_a_usage_error() -> None:
    env = base_env(ALICE_USERNAME="alice", ALICE_PASSWORD="wonderland")
    result = await run_cli("--base-url", "ftp://example.com/", "gateways", "list", env=env)
    assert "--base-url" in assert_one_line_error(result, code=2)


async def test_usage_errors_exit_2() -> None:
    cases = [
        ("campaigns", "show", "not-a-number"),
        ("no-such-command",),
        ("cdr", "export", "--from", "yesterday", "--to", "2024-01-01", "-o", "x.csv"),
    ]
    results = await asyncio.gather(*(run_cli(*args, env=base_env()) for args in cases))
    for args, result in zip(cases, results, strict=True):
        assert result.code == 2, (args, result)
        assert "Traceback" not in result.output
        assert result.stdout == ""


async def test_help_describes_every_command() -> None:
    cases = [(), ("demo",), ("contacts", "import")]
    results = await asyncio.gather(*(run_cli(*args, "--help") for args in cases))
    for args, result in zip(cases, results, strict=True):
        assert result.code == 0, (args, result)
        assert "Usage" in result.stdout
    top = results[0].stdout
    for command in ("demo", "campaigns", "phonebooks", "gateways", "contacts", "cdr", "emulator"):
        assert command in top
    for result in results:
        assert "<bool>" not in result.stdout  # flags show as flags


async def test_version_prints_the_sdk_version() -> None:
    result = await run_cli("--version")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(f"alice {__version__} ")


async def test_global_options_are_accepted_after_the_command(emulator: Emulator) -> None:
    env = emulator_env(emulator)
    del env["ALICE_BASE_URL"]
    result = await run_cli(
        "gateways", "list", "--json", "-v", "--base-url", emulator.url, "--timeout", "5", env=env
    )
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)  # the JSON alone on stdout
    assert "GET" in result.stderr  # --verbose, given after the command, logged the requests


async def test_a_plain_http_base_url_names_the_command_line_option() -> None:
    env = base_env(ALICE_USERNAME="alice", ALICE_PASSWORD="wonderland")
    result = await run_cli(
        "gateways", "list", "--base-url", "http://alice.example/rest-api/", env=env
    )
    line = assert_one_line_error(result, code=2)
    assert "--allow-insecure-http" in line
    assert "allow_insecure_http=True" not in line
    assert "wonderland" not in result.output


async def test_json_prints_enum_names_with_the_code_beside_them(
    still_emulator: Emulator, still_client: AliceClient
) -> None:
    campaign = await create_campaign(still_client)
    env = emulator_env(still_emulator)
    shown, gateways = await asyncio.gather(
        run_cli("campaigns", "show", str(campaign.id), "--json", env=env),
        run_cli("gateways", "list", "--json", env=env),
    )
    data = json.loads(shown.stdout)
    assert (data["status"], data["status_code"]) == ("WAITING", CampaignStatus.WAITING.value)
    assert data["startingdate"].endswith("Z")
    gateway = json.loads(gateways.stdout)[0]
    assert (gateway["status"], gateway["status_code"]) in (("ACTIVE", 1), ("INACTIVE", 0))


async def test_enum_options_take_any_case(
    still_emulator: Emulator, still_client: AliceClient
) -> None:
    campaign = await create_campaign(still_client, "Mọi kiểu chữ")
    await still_client.campaigns.start(campaign.id)
    env = emulator_env(still_emulator)
    spellings = ("STARTED", "started", "Started")
    results = await asyncio.gather(
        *(run_cli("campaigns", "list", "--status", s, "--json", env=env) for s in spellings),
        run_cli("campaigns", "list", "--status", "PAUSED", "--json", env=env),
    )
    for spelling, result in zip(spellings, results, strict=False):
        assert result.code == 0, (spelling, result.stderr)
        assert [c["id"] for c in json.loads(result.stdout)] == [campaign.id]
    assert json.loads(results[-1].stdout) == []


async def test_contacts_list_prints_a_table_or_json(
    still_emulator: Emulator, still_client: AliceClient
) -> None:
    book = await still_client.phonebooks.create(name="Danh bạ")
    await still_client.contacts.create(phonebook=book.id, contact="0901000001", first_name="Lan")
    await still_client.contacts.create(phonebook=book.id, contact="0901000002", first_name="Huệ")
    env = emulator_env(still_emulator)
    as_json, table = await asyncio.gather(
        run_cli("contacts", "list", "--phonebook", str(book.id), "--json", env=env),
        run_cli("contacts", "list", "--phonebook", str(book.id), "--limit", "1", env=env),
    )
    contacts = json.loads(as_json.stdout)
    assert sorted(c["contact"] for c in contacts) == ["0901000001", "0901000002"]
    assert {(c["status"], c["status_code"]) for c in contacts} == {("ACTIVE", 1)}
    assert table.code == 0, table.stderr
    assert "Contacts" in table.stdout
    assert table.stdout.count("090100000") == 1  # --limit 1
