"""Appointments against the emulator: calendar settings, users, calendars, events, alarms."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import attrs
import pytest

from alice_async import (
    Alarm,
    AlarmMethod,
    AlarmResult,
    AlarmStatus,
    AliceClient,
    BadRequestError,
    Calendar,
    CalendarSetting,
    CalendarUser,
    Event,
    EventStatus,
    InvalidInputError,
    NotFoundError,
    RetryPolicy,
)
from alice_async.emulator import Emulator, EmulatorConfig, Variants

from ._helpers import UTC, requests_sent

PASSWORD = "correct-horse-battery-staple"
SOON = dt.datetime(2026, 3, 5, 2, 30, tzinfo=UTC)


@attrs.frozen
class Chain:
    setting: CalendarSetting
    user: CalendarUser
    calendar: Calendar
    event: Event


async def build_chain(api: AliceClient, username: str = "phong-kham-1") -> Chain:
    gateway = (await api.gateways.list().to_list())[0]
    survey = (await api.surveys.list().to_list())[0]
    setting = await api.calendar_settings.create(
        label="Phòng khám",
        call_timeout=60,
        survey=survey.id,
        aleg_gateway=gateway.id,
        callerid="0281234567",
        caller_name="Phòng khám ABC",
    )
    user = await api.calendar_users.create(
        username=username, password=PASSWORD, calendar_setting=setting.id
    )
    calendar = await api.calendars.create(name="Lịch khám", user=user.id)
    event = await api.events.create(
        title="Tái khám",
        start=SOON,
        end=SOON + dt.timedelta(minutes=30),
        creator=user.id,
        calendar=calendar.id,
        description="mang sổ khám",
    )
    return Chain(setting, user, calendar, event)


@pytest.fixture
async def chain(client: AliceClient) -> Chain:
    return await build_chain(client)


async def test_builds_the_appointment_chain_and_reads_every_link_back(
    client: AliceClient, chain: Chain
) -> None:
    assert chain.setting.call_timeout == 60
    assert chain.setting.caller_name == "Phòng khám ABC"
    assert chain.user.calendar_setting == chain.setting.id
    assert chain.calendar.user == chain.user.id
    assert chain.event.status is EventStatus.PENDING
    assert (chain.event.start, chain.event.end) == (SOON, SOON + dt.timedelta(minutes=30))
    assert await client.calendar_settings.get(chain.setting.id) == chain.setting
    assert await client.calendar_users.get(chain.user.id) == chain.user
    assert await client.calendars.get(chain.calendar.id) == chain.calendar
    assert await client.events.get(chain.event.id) == chain.event
    assert [s.id for s in await client.calendar_settings.list().to_list()] == [chain.setting.id]
    assert [u.id for u in await client.calendar_users.list().to_list()] == [chain.user.id]
    assert [c.id for c in await client.calendars.list().to_list()] == [chain.calendar.id]
    assert [e.id for e in await client.events.list().to_list()] == [chain.event.id]


async def test_an_alarm_rings_and_its_call_shows_up_as_an_alarm_cdr(
    client: AliceClient, emulator: Emulator, chain: Chain
) -> None:
    notice = dt.datetime.now(UTC) - dt.timedelta(seconds=1)
    alarm = await client.alarms.create(
        alarm_phonenumber="0934 890 883", event=chain.event.id, date_start_notice=notice
    )
    assert isinstance(alarm, Alarm)
    assert alarm.alarm_phonenumber == "0934890883"
    assert (alarm.status, alarm.result, alarm.method) == (
        AlarmStatus.PENDING,
        AlarmResult.NONE,
        AlarmMethod.CALL,
    )
    assert [a.id for a in await client.alarms.list().to_list()] == [alarm.id]
    emulator.advance(60)
    rung = await client.alarms.get(alarm.id)
    assert rung.status is not AlarmStatus.PENDING
    calls = await client.cdr.list(alarm=True).to_list()
    assert [c.phone_number for c in calls] == ["0934890883"]


async def test_an_alarm_without_a_notice_date_defaults_server_side(
    client: AliceClient, chain: Chain
) -> None:
    alarm = await client.alarms.create(
        alarm_phonenumber="0934890883", event=chain.event.id, phonenumber_transfer=""
    )
    assert alarm.date_start_notice is not None


async def test_the_password_is_never_in_a_model_a_repr_or_an_error(
    client: AliceClient, chain: Chain, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="alice_async")
    assert "password" not in attrs.fields_dict(CalendarUser)
    fetched = await client.calendar_users.get(chain.user.id)
    listed = await client.calendar_users.list().to_list()
    shown = [repr(chain.user), repr(fetched), repr(listed), str(fetched), repr(client)]
    shown.append(repr(client.calendar_users))
    with pytest.raises(BadRequestError) as duplicate:
        await client.calendar_users.create(
            username=chain.user.username, password=PASSWORD, calendar_setting=chain.setting.id
        )
    assert "username" in duplicate.value.errors
    shown += [str(duplicate.value), repr(duplicate.value), repr(duplicate.value.body)]
    for bad in (
        {"username": "x" * 31},
        {"calendar_setting": 0},
        {"password": PASSWORD + " " * 200},
    ):
        arguments: dict[str, Any] = {
            "username": "khac",
            "password": PASSWORD,
            "calendar_setting": chain.setting.id,
            **bad,
        }
        with pytest.raises(InvalidInputError) as info:
            await client.calendar_users.create(**arguments)
        shown += [str(info.value), repr(info.value), repr(info.value.value)]
    shown += [record.getMessage() for record in caplog.records]
    assert not [text for text in shown if PASSWORD in text]


@pytest.mark.parametrize("password", [None, "", "   ", 12345678])
async def test_a_bad_password_is_refused_and_shown_redacted(
    client: AliceClient, password: Any
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await client.calendar_users.create(username="u", password=password, calendar_setting=1)
    assert info.value.field == "password"
    assert info.value.value == "<redacted>"
    assert "<redacted>" in str(info.value)
    if password:
        assert str(password) not in str(info.value)


@pytest.mark.parametrize("users", [0, 1, 3])
async def test_reads_the_unpaginated_calendar_user_list_variant(users: int) -> None:
    config = EmulatorConfig(variants=Variants(calendar_user_unpaginated=True), dialer=False)
    async with (
        Emulator(config) as emu,
        AliceClient(
            emu.url,
            username=emu.username,
            password=emu.password,
            retry_policy=RetryPolicy(initial_delay=0.001, max_delay=0.01),
        ) as api,
    ):
        created: list[int] = []
        if users:
            chain = await build_chain(api, username="user-0")
            created.append(chain.user.id)
            for n in range(1, users):
                more = await api.calendar_users.create(
                    username=f"user-{n}", password=PASSWORD, calendar_setting=chain.setting.id
                )
                created.append(more.id)
        listed = await api.calendar_users.list().to_list()
        assert [u.id for u in listed] == created
        page = await api.calendar_users.list().first_page()
        assert page.count == users


NOTICE = dt.datetime(2026, 3, 5, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("resource", "arguments", "field"),
    [
        ("calendar_settings", {"label": "x" * 81}, "label"),
        ("calendar_settings", {"label": None}, "label"),
        ("calendar_settings", {"callerid": "x" * 81}, "callerid"),
        ("calendar_settings", {"caller_name": "x" * 81}, "caller_name"),
        ("calendar_settings", {"call_timeout": 0}, "call_timeout"),
        ("calendar_settings", {"call_timeout": "60"}, "call_timeout"),
        ("calendar_settings", {"survey": None}, "survey"),
        ("calendar_settings", {"aleg_gateway": True}, "aleg_gateway"),
        ("calendar_users", {"username": "x" * 31}, "username"),
        ("calendar_users", {"username": ""}, "username"),
        ("calendar_users", {"calendar_setting": None}, "calendar_setting"),
        ("calendars", {"name": "x" * 201}, "name"),
        ("calendars", {"user": "5"}, "user"),
        ("events", {"title": "x" * 256}, "title"),
        ("events", {"start": SOON.replace(tzinfo=None)}, "start"),
        ("events", {"end": SOON}, "end"),
        ("events", {"end": SOON - dt.timedelta(minutes=1)}, "end"),
        ("events", {"creator": 0}, "creator"),
        ("events", {"calendar": None}, "calendar"),
        ("alarms", {"alarm_phonenumber": 934890883}, "alarm_phonenumber"),
        ("alarms", {"alarm_phonenumber": "1" * 51}, "alarm_phonenumber"),
        ("alarms", {"phonenumber_transfer": "1" * 51}, "phonenumber_transfer"),
        ("alarms", {"phonenumber_transfer": 912}, "phonenumber_transfer"),
        ("alarms", {"date_start_notice": NOTICE.replace(tzinfo=None)}, "date_start_notice"),
        ("alarms", {"event": None}, "event"),
    ],
)
async def test_create_refuses_invalid_fields_before_sending(
    client: AliceClient,
    emulator: Emulator,
    resource: str,
    arguments: dict[str, Any],
    field: str,
) -> None:
    valid: dict[str, dict[str, Any]] = {
        "calendar_settings": {"label": "l", "call_timeout": 60, "survey": 1, "aleg_gateway": 23},
        "calendar_users": {"username": "u", "password": PASSWORD, "calendar_setting": 1},
        "calendars": {"name": "c", "user": 1},
        "events": {
            "title": "t",
            "start": SOON,
            "end": SOON + dt.timedelta(hours=1),
            "creator": 1,
            "calendar": 1,
        },
        "alarms": {"alarm_phonenumber": "0934890883", "event": 1, "date_start_notice": NOTICE},
    }
    with pytest.raises(InvalidInputError) as info:
        await getattr(client, resource).create(**{**valid[resource], **arguments})
    assert info.value.field == field
    assert requests_sent(emulator) == 0


async def test_an_invalid_username_is_a_bad_request_on_username(
    client: AliceClient, chain: Chain
) -> None:
    with pytest.raises(BadRequestError) as info:
        await client.calendar_users.create(
            username="có dấu cách", password=PASSWORD, calendar_setting=chain.setting.id
        )
    assert "username" in info.value.errors


async def test_another_accounts_appointments_are_not_found(
    client: AliceClient, other_client: AliceClient, chain: Chain
) -> None:
    alarm = await client.alarms.create(
        alarm_phonenumber="0934890883", event=chain.event.id, date_start_notice=SOON
    )
    with pytest.raises(NotFoundError):
        await other_client.calendar_settings.get(chain.setting.id)
    with pytest.raises(NotFoundError):
        await other_client.calendar_users.get(chain.user.id)
    with pytest.raises(NotFoundError):
        await other_client.calendars.get(chain.calendar.id)
    with pytest.raises(NotFoundError):
        await other_client.events.get(chain.event.id)
    with pytest.raises(NotFoundError):
        await other_client.alarms.get(alarm.id)
