"""``alice_async.cli._app``: option choices come from the models, instants parse in one place."""

from __future__ import annotations

import datetime as dt

import pytest
import typer

from alice_async import CampaignStatus, Disposition
from alice_async.cli._app import DispositionChoice, FormatChoice, StatusChoice, parse_instant
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
