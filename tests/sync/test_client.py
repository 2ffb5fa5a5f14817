"""The sync client: same calls, same models and errors, and a lifecycle that stops its thread."""

from __future__ import annotations

import threading

import pytest

import alice_async
from alice_async import (
    ClientStateError,
    Contact,
    ContactStatus,
    InvalidInputError,
    NotFoundError,
    Phonebook,
    Response,
)
from alice_async.emulator import Emulator, Faults
from alice_sync import AliceClient

from .conftest import make_sync_client, portal_threads, wait_until


def test_resources_return_alice_async_models(client: AliceClient) -> None:
    book = client.phonebooks.create(name="Khách hàng", description="Q4")
    contact = client.contacts.create(phonebook=book.id, contact="0934 890 883", first_name="Linh")

    assert type(book) is Phonebook
    assert client.phonebooks.get(book.id) == book
    assert type(contact) is Contact
    assert contact.contact == "0934890883"
    assert contact.status is ContactStatus.ACTIVE
    renamed = client.phonebooks.update(book.id, name="VIP")
    assert renamed.name == "VIP"
    client.contacts.delete(contact.id)
    client.phonebooks.delete(book.id)


def test_api_errors_are_the_alice_async_exceptions(client: AliceClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.phonebooks.get(999_999)

    assert caught.value.status_code == 404
    assert alice_async.NotFoundError is NotFoundError


def test_invalid_input_is_refused_when_the_method_is_called(
    client: AliceClient, emulator: Emulator
) -> None:
    emulator.stats.reset()

    with pytest.raises(InvalidInputError, match="phonebook"):
        client.contacts.list(phonebook=-1)
    with pytest.raises(InvalidInputError, match="contact"):
        client.contacts.create(phonebook=1, contact="not a number")

    assert not emulator.stats.requests


def test_request_is_the_escape_hatch_of_the_async_client(client: AliceClient) -> None:
    created = client.request("POST", "phonebook/", json={"name": "raw"})
    fetched = client.request("GET", f"phonebook/{created.data['id']}/")

    assert isinstance(fetched, Response)
    assert fetched.data["name"] == "raw"


def test_configuration_is_read_from_the_async_client(emulator: Emulator) -> None:
    with make_sync_client(emulator, max_retries=1, timeout=7.5, max_connections=3) as client:
        assert str(client.base_url) == emulator.url
        assert client.username == emulator.username
        assert client.max_retries == 1
        assert client.timeout.total == 7.5
        assert client.max_connections == 3
        assert client.retries == 0
        assert client.retry_policy.initial_delay == 0.001
        assert client.max_response_bytes > 0


def test_repr_shows_the_state_and_never_the_password(emulator: Emulator) -> None:
    client = make_sync_client(emulator)
    assert repr(client).endswith("open>")
    client.close()

    assert emulator.password not in repr(client)
    assert repr(client).endswith("closed>")


def test_a_refused_constructor_argument_leaves_no_thread() -> None:
    before = len(portal_threads())

    with pytest.raises(InvalidInputError, match="max_retries"):
        AliceClient("http://127.0.0.1:9/rest-api/", token="t", max_retries=-1)

    assert len(portal_threads()) == before


def test_close_stops_the_thread_and_later_calls_fail(emulator: Emulator) -> None:
    client = make_sync_client(emulator)
    client.phonebooks.list().to_list()
    assert portal_threads() == []  # calls run the loop in the caller's thread
    assert list(client.phonebooks.list()) == []
    assert len(portal_threads()) == 1  # a pull runs it in a thread of its own meanwhile

    client.close()
    client.close()  # idempotent

    assert client.is_closed
    assert portal_threads() == []
    with pytest.raises(ClientStateError, match="closed"):
        client.phonebooks.get(1)


def test_the_with_block_closes_the_client_even_on_error(emulator: Emulator) -> None:
    with pytest.raises(NotFoundError), make_sync_client(emulator) as client:
        client.phonebooks.get(424242)

    assert client.is_closed


def test_an_unclosed_client_warns_and_still_stops_its_thread(emulator: Emulator) -> None:
    client = make_sync_client(emulator)
    client.phonebooks.list().first_page()

    with pytest.warns(ResourceWarning, match="unclosed"):
        del client  # the last reference: CPython finalizes it here

    assert portal_threads() == []


def test_closing_cancels_a_call_waiting_in_another_thread(emulator: Emulator) -> None:
    client = make_sync_client(emulator)
    book = client.phonebooks.create(name="slow")
    emulator.configure(faults=Faults(rate=1.0, kinds=("slow",), slow_seconds=10.0))
    errors: list[BaseException] = []

    def wait_for_slow_call() -> None:
        try:
            client.phonebooks.get(book.id)
        except BaseException as exc:
            errors.append(exc)

    waiter = threading.Thread(target=wait_for_slow_call)
    waiter.start()
    wait_until(lambda: emulator.stats.faults["slow"] == 1)  # the call is at the server
    client.close()
    waiter.join()

    # Not cancelled, the call would have returned the phonebook after the 10 s fault.
    assert len(errors) == 1
    assert isinstance(errors[0], ClientStateError)


def test_deadline_rate_limit_and_their_state_work_through_the_sync_client(
    emulator: Emulator,
) -> None:
    emulator.configure(faults=Faults(rate=1.0, kinds=("502",), paths=("phonebook/",)))
    with make_sync_client(emulator, max_retries=10_000, deadline=0.2, rate_limit=1000.0) as client:
        assert client.deadline == 0.2
        with pytest.raises(alice_async.APITimeoutError, match="deadline passed"):
            client.phonebooks.list().first_page()
        with pytest.raises(alice_async.APITimeoutError, match="deadline passed"):
            client.request("GET", "phonebook/", deadline=0.1)
        state = client.rate_limit_state
        assert state.rate_limit == 1000.0
        assert state.throttled == 0
    with make_sync_client(emulator, max_retries=200) as client:
        # Without the scope the call would end in ServerError after its 200 retries: the
        # scope set in this thread reaches the task in the client's loop.
        with client.within(0.1), pytest.raises(alice_async.APITimeoutError, match="deadline"):
            client.phonebooks.get(1)
