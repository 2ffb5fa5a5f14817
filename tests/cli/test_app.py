"""``alice_async.cli._app``: option choices come from the models, instants parse in one place,
global options are read after the command too, flags show as flags."""

from __future__ import annotations

import datetime as dt

import pytest
import typer

from alice_async import CampaignStatus, Disposition
from alice_async.cli._app import (
    DispositionChoice,
    FormatChoice,
    StatusChoice,
    command,
    hoist_global_options,
    parse_instant,
)
from alice_async.export import FORMATS


def test_option_choices_are_the_models_own_values() -> None:
    assert [c.value for c in StatusChoice] == [s.name.lower() for s in CampaignStatus]
    assert [c.value for c in DispositionChoice] == [d.value for d in Disposition]
    assert tuple(c.value for c in FormatChoice) == FORMATS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)),
        ("2026-03-01T08:00:00Z", dt.datetime(2026, 3, 1, 8, tzinfo=dt.timezone.utc)),
        ("2026-03-01T15:00:00+07:00", dt.datetime(2026, 3, 1, 8, tzinfo=dt.timezone.utc)),
        ("2026-03-01T08:00:00.5", dt.datetime(2026, 3, 1, 8, 0, 0, 500000, tzinfo=dt.timezone.utc)),
    ],
)
def test_an_instant_without_an_offset_is_utc(text: str, expected: dt.datetime) -> None:
    assert parse_instant(text) == expected


def test_a_bad_instant_is_a_usage_error_naming_it() -> None:
    with pytest.raises(typer.BadParameter, match="'yesterday'"):
        parse_instant("yesterday")


# -- global options after the command ------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "read_as"),
    [
        (["campaigns", "list", "-v"], ["-v", "campaigns", "list"]),
        (
            ["gateways", "list", "--json", "--base-url", "URL", "--verbose"],
            ["--base-url", "URL", "--verbose", "gateways", "list", "--json"],
        ),
        (["campaigns", "show", "4", "--timeout=3"], ["--timeout=3", "campaigns", "show", "4"]),
        # A global option given before the command keeps its place; a later one still wins.
        (
            ["--base-url", "A", "gateways", "list", "--base-url", "B"],
            ["--base-url", "A", "--base-url", "B", "gateways", "list"],
        ),
        # The value of a command's own option is left alone, even when it looks like "-v".
        (["campaigns", "list", "--name", "-v"], ["campaigns", "list", "--name", "-v"]),
        # The command's own --json is the command's; after "--" nothing moves.
        (["cdr", "export", "--json", "--", "-v"], ["cdr", "export", "--json", "--", "-v"]),
        ([], []),
    ],
)
def test_global_options_after_the_command_are_read_as_given_before_it(
    given: list[str], read_as: list[str]
) -> None:
    assert hoist_global_options(command(), given) == read_as


def test_help_shows_flags_as_flags_not_as_bool_values() -> None:
    root = command()
    stack = [root]
    flags = 0
    while stack:
        each = stack.pop()
        stack.extend(getattr(each, "commands", {}).values())
        context = typer.Context(each, help_option_names=["-h", "--help"])
        for param in [*each.params, each.get_help_option(context)]:
            if getattr(param, "is_flag", False):
                flags += 1
                assert param.display_type_rich(context) in ("", None), param.name
    assert flags > 20  # every command's --help, --json, --verbose...


def test_alice_timeout_and_max_retries_from_the_environment_set_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALICE_TIMEOUT", "7")
    monkeypatch.setenv("ALICE_MAX_RETRIES", "1")
    ctx = command().make_context("alice", ["gateways", "list"], resilient_parsing=True)
    assert (ctx.params["timeout"], ctx.params["max_retries"]) == (7.0, 1)
    given = command().make_context(
        "alice", ["--timeout", "2", "gateways", "list"], resilient_parsing=True
    )
    assert given.params["timeout"] == 2.0  # an option given wins over the environment
