"""``client.cdr`` against the emulator (read-only): filters, time bounds, validation."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from alice_async import (
    AliceClient,
    AmdStatus,
    Cdr,
    Disposition,
    HangupCause,
    InvalidInputError,
    LegType,
    NotFoundError,
)
from alice_async.emulator import Emulator

from ._helpers import UTC

START = dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


@pytest.fixture
def seeded(emulator: Emulator) -> Emulator:
    """Thirty records one minute apart from ``START``."""
    emulator.seed_cdrs(30, start=START, interval=dt.timedelta(minutes=1), seed=7)
    return emulator


async def test_lists_records_in_starting_date_order_with_every_field(
    client: AliceClient, seeded: Emulator
) -> None:
    records = await client.cdr.list(page_size=7).to_list()
    assert len(records) == 30
    assert all(isinstance(r, Cdr) for r in records)
    dates = [r.starting_date for r in records]
    assert dates[0] == START
    for earlier, later in itertools.pairwise(dates):
        assert earlier is not None
        assert later is not None
        assert earlier <= later
    first = records[0]
    assert first.leg_type is LegType.A_LEG
    assert isinstance(first.disposition, Disposition)
    assert isinstance(first.hangup_cause, HangupCause)
    assert first.amd_status in set(AmdStatus)
    assert first.phone_number.startswith("09")
    assert first.alarm is False
    assert first.otp is False
    assert await client.cdr.get(first.id) == first


async def test_time_bounds_are_inclusive(client: AliceClient, seeded: Emulator) -> None:
    window = await client.cdr.list(
        from_date=START + dt.timedelta(minutes=10), to_date=START + dt.timedelta(minutes=14)
    ).to_list()
    assert [r.starting_date for r in window] == [
        START + dt.timedelta(minutes=m) for m in range(10, 15)
    ]


async def test_bounds_in_another_zone_mean_the_same_instant(
    client: AliceClient, seeded: Emulator
) -> None:
    ict = dt.timezone(dt.timedelta(hours=7))
    since = (START + dt.timedelta(minutes=25)).astimezone(ict)
    assert len(await client.cdr.list(from_date=since).to_list()) == 5


async def test_equal_bounds_select_one_instant(client: AliceClient, seeded: Emulator) -> None:
    moment = START + dt.timedelta(minutes=3)
    assert len(await client.cdr.list(from_date=moment, to_date=moment).to_list()) == 1


async def test_filters_by_outcome_fields(client: AliceClient, seeded: Emulator) -> None:
    records = await client.cdr.list().to_list()
    answered = [r for r in records if r.disposition is Disposition.ANSWER]
    assert answered
    sample = answered[0]
    by_disposition = await client.cdr.list(disposition=Disposition.ANSWER).to_list()
    assert [r.id for r in by_disposition] == [r.id for r in answered]
    assert [r.id for r in await client.cdr.list(callid=sample.callid).to_list()] == [sample.id]
    by_number = await client.cdr.list(phone_number=sample.phone_number).to_list()
    assert sample.id in [r.id for r in by_number]
    by_cause = await client.cdr.list(hangup_cause="NORMAL_CLEARING").to_list()
    assert [r.id for r in by_cause] == [r.id for r in answered]
    by_sip = await client.cdr.list(sip_term_status=200).to_list()
    assert [r.id for r in by_sip] == [r.id for r in answered]
    by_billsec = await client.cdr.list(billsec=sample.billsec).to_list()
    assert all(r.billsec == sample.billsec for r in by_billsec)
    by_duration = await client.cdr.list(duration=sample.duration, alarm=False, otp=False).to_list()
    assert sample.id in [r.id for r in by_duration]
    assert await client.cdr.list(otp=True).to_list() == []
    assert await client.cdr.list(campaign=1).to_list() == []
    endpoint = await client.cdr.list(endpoint_disposition=Disposition.ANSWER).to_list()
    assert len(endpoint) == len(answered)
    assert await client.cdr.list(callerid="nobody", sip_term_cause="16").to_list() == []


def test_refuses_bounds_in_the_wrong_order_like_the_vendors_example(
    offline_client: AliceClient,
) -> None:
    with pytest.raises(InvalidInputError, match="to_date") as info:
        offline_client.cdr.list(
            from_date=dt.datetime(2023, 4, 6, 10, 52, 56, 162517, tzinfo=UTC),
            to_date=dt.datetime(2023, 3, 28, 8, 5, 7, 495988, tzinfo=UTC),
        )
    assert info.value.field == "from_date"


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"from_date": dt.datetime(2026, 3, 1)}, "from_date"),
        ({"to_date": "2026-03-01T00:00:00"}, "to_date"),
        ({"phone_number": 94343434}, "phone_number"),
        ({"duration": -1}, "duration"),
        ({"billsec": "3"}, "billsec"),
        ({"disposition": "HUNG"}, "disposition"),
        ({"disposition": LegType.A_LEG}, "disposition"),
        ({"hangup_cause": ""}, "hangup_cause"),
        ({"sip_term_status": "four-oh-four"}, "sip_term_status"),
        ({"sip_term_cause": True}, "sip_term_cause"),
        ({"campaign": 0}, "campaign"),
        ({"alarm": "false"}, "alarm"),
        ({"otp": 1}, "otp"),
        ({"callid": ""}, "callid"),
    ],
)
def test_refuses_invalid_filters(
    offline_client: AliceClient, filters: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        offline_client.cdr.list(**filters)
    assert info.value.field == field


async def test_an_unknown_hangup_cause_is_accepted_as_a_filter_and_in_a_record(
    client: AliceClient, seeded: Emulator
) -> None:
    assert await client.cdr.list(hangup_cause="SOMETHING_NEW").to_list() == []
    row = seeded.store.cdrs(seeded.username).rows[0]
    row["hangup_cause"] = "SOMETHING_NEW"
    row["disposition"] = "VOICEMAIL"
    row["amd_status"] = 9
    record = (await client.cdr.list().first_page()).items[0]
    assert record.hangup_cause == "SOMETHING_NEW"
    assert record.disposition == "VOICEMAIL"
    assert record.amd_status == 9


async def test_another_accounts_record_is_not_found(
    client: AliceClient, other_client: AliceClient, seeded: Emulator
) -> None:
    mine = (await client.cdr.list().first_page()).items[0]
    with pytest.raises(NotFoundError):
        await other_client.cdr.get(mine.id)


@pytest.mark.parametrize(
    ("field", "raw", "enum_cls"),
    [
        ("amd_status", "HUMAN", AmdStatus),  # a string where integer codes are documented
        ("amd_status", 1.5, AmdStatus),
        ("leg_type", [1], LegType),
        ("disposition", 3, Disposition),  # a number where names are documented
        ("hangup_cause", {"code": 16}, HangupCause),
    ],
)
async def test_an_enum_value_of_another_json_type_is_an_unknown_member_not_a_failed_pull(
    client: AliceClient, seeded: Emulator, field: str, raw: Any, enum_cls: Any
) -> None:
    seeded.store.cdrs(seeded.username).rows[3][field] = raw
    for prefetch in (0, 4):
        records = await client.cdr.list(page_size=5, prefetch=prefetch).to_list()
        assert len(records) == 30
        odd = getattr(records[3], field)
        assert isinstance(odd, enum_cls)
        assert odd.value == raw
        assert odd.name == f"UNKNOWN_{raw}"
        assert odd not in list(enum_cls)  # a pseudo-member, never a documented one
    raw_rows = await client.cdr.list(page_size=5).as_dicts().to_list()
    assert raw_rows[3][field] == raw
