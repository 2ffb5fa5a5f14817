"""The blocking ``campaigns.watch/wait/progress``: an iterator that leaves nothing running."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator

import pytest
from anyio.from_thread import BlockingPortal

from alice_async import CampaignProgress, CampaignStatus, WaitTimeoutError
from alice_async.emulator import Emulator, EmulatorConfig
from alice_sync import AliceClient

UTC = dt.timezone.utc


@pytest.fixture
def emulator(emulator_portal: BlockingPortal) -> Iterator[Emulator]:
    """A fast dialer (x600), served from the emulator's thread."""
    config = EmulatorConfig(time_factor=600, seed=3)
    with emulator_portal.wrap_async_context_manager(Emulator(config)) as emu:
        yield emu


def _campaign(client: AliceClient, contacts: int = 40, *, start: bool = True) -> int:
    book = client.phonebooks.create(name="Đồng bộ")
    client.contacts.bulk_create(book.id, [{"contact": f"09{i:08d}"} for i in range(contacts)])
    template = client.survey_templates.create(name="Kịch bản")
    gateway = client.gateways.list().to_list()[0]
    now = dt.datetime.now(UTC)
    campaign = client.campaigns.create(
        name="Theo dõi",
        phonebook=[book.id],
        aleg_gateway=gateway.id,
        object_id=template.id,
        frequency=100,
        startingdate=now - dt.timedelta(hours=1),
        expirationdate=now + dt.timedelta(days=1),
        daily_start_time=dt.time(0, 0),
        daily_stop_time=dt.time(23, 59, 59),
    )
    if start:
        client.campaigns.start(campaign.id)
    return campaign.id


def test_watch_is_an_iterator_that_ends_with_the_campaign(client: AliceClient) -> None:
    cid = _campaign(client)
    stream = client.campaigns.watch(cid, every=0.05)
    assert inspect.isgenerator(client.campaigns.watch(cid))  # ``close()`` ends it early
    snapshots = list(stream)
    assert all(isinstance(p, CampaignProgress) for p in snapshots)
    assert snapshots[-1].status is CampaignStatus.COMPLETED
    assert snapshots[-1].calls_placed == client.cdr.list(campaign=cid).first_page().count
    assert client.campaigns.wait(cid, every=0.05).change_key() == snapshots[-1].change_key()


def test_leaving_the_loop_closes_the_async_watch(client: AliceClient) -> None:
    cid = _campaign(client, start=False)
    client.campaigns.start(cid)
    stream = client.campaigns.watch(cid, every=0.05)
    for progress in stream:
        assert progress.status is CampaignStatus.STARTED
        frame = getattr(stream, "gi_frame", None)
        assert frame is not None
        inner = frame.f_locals["stream"]  # the async generator running in the client's loop
        assert inner.ag_frame is not None  # suspended after its first snapshot
        break
    stream.close()  # what leaving the ``for`` does on CPython, made explicit
    assert inner.ag_frame is None, "the async watch is still suspended in the client's loop"
    assert not inner.ag_running


def test_wait_times_out_in_blocking_code(client: AliceClient) -> None:
    cid = _campaign(client, contacts=2, start=False)
    with pytest.raises(WaitTimeoutError) as caught:
        client.campaigns.wait(cid, timeout=0.2, every=0.05)
    assert caught.value.progress.status is CampaignStatus.WAITING
    assert client.campaigns.progress(cid).subscribers_total == 0
