"""The alice-sdk pytest plugin: an Alice emulator and clients opened on it, as fixtures.

Installing ``alice-sdk`` registers this plugin (entry point ``pytest11``), so a project's tests
can use the fixtures without any set-up::

    async def test_my_import_job(alice_client):
        book = await alice_client.phonebooks.create(name="Customers")
        ...

    def test_my_sync_script(alice_sync_client):
        assert alice_sync_client.gateways.list().first_page().count == 0

Fixtures (each test gets fresh ones):

- ``alice_emulator`` (async): a running :class:`alice_async.emulator.Emulator` on a free
  loopback port, in the test's own event loop.
- ``alice_emulator_url``: the base URL of an emulator running in a background thread, for
  blocking code (``requests``, ``alice_sync``, a subprocess); ``alice_emulator_thread`` gives
  the emulator itself and runs calls on its loop.
- ``alice_client`` (async) and ``alice_sync_client``: clients logged in as the emulator's first
  account, with a short retry back-off (``alice_client_options`` changes any option).
- ``alice_emulator_config``: the :class:`~alice_async.emulator.EmulatorConfig` used; override
  the fixture, or mark a test ``@pytest.mark.alice_emulator(**fields)`` to change variants,
  faults, throttling or latency for that test.

Async tests run on AnyIO's pytest plugin with the asyncio backend: a test that uses an async
fixture of this plugin needs no marker. The SDK runs on asyncio only, so under another AnyIO
backend the async fixtures skip the test.

This module imports the SDK only when a fixture is used, so loading the plugin costs nothing
for projects that never ask for these fixtures.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal

    import alice_async
    import alice_sync
    from alice_async.emulator import Emulator, EmulatorConfig

__all__ = [
    "EmulatorThread",
    "alice_client",
    "alice_client_options",
    "alice_emulator",
    "alice_emulator_config",
    "alice_emulator_thread",
    "alice_emulator_url",
    "alice_sync_client",
]

T = TypeVar("T")

MARKER = "alice_emulator"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``alice_emulator`` marker (for ``--strict-markers``)."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**fields): EmulatorConfig fields for this test's Alice emulator "
        "(variants=, faults=, throttle_rate=, latency=, token_ttl=...); "
        "a dict for variants/faults/latency is accepted.",
    )


def _config_from_marker(base: EmulatorConfig, fields: Mapping[str, Any]) -> EmulatorConfig:
    import attrs

    from alice_async.emulator import Faults, Latency, Variants

    nested = {"variants": Variants, "faults": Faults, "latency": Latency}
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        kind = nested.get(name)
        changes[name] = kind(**value) if kind is not None and isinstance(value, Mapping) else value
    known = {field.name for field in attrs.fields(type(base))}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER}: unknown EmulatorConfig field(s) {unknown}; "
            f"known: {', '.join(sorted(known))}"
        )
    return attrs.evolve(base, **changes)


@pytest.fixture
def alice_emulator_config(request: pytest.FixtureRequest) -> EmulatorConfig:
    """The emulator's configuration: the defaults, changed by ``@pytest.mark.alice_emulator``.

    Override this fixture in a ``conftest.py`` to change every test's emulator::

        @pytest.fixture
        def alice_emulator_config():
            return EmulatorConfig(variants=Variants(bulk_atomic=True))
    """
    from alice_async.emulator import EmulatorConfig

    config = EmulatorConfig()
    for marker in reversed(list(request.node.iter_markers(MARKER))):
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes keyword arguments only, got {marker.args!r}"
            )
        config = _config_from_marker(config, marker.kwargs)
    return config


@pytest.fixture
def alice_client_options() -> dict[str, Any]:
    """Extra keyword arguments for the clients of ``alice_client`` and ``alice_sync_client``.

    The default is a short retry back-off (milliseconds), so tests that inject faults stay
    fast. Override it to test with other options::

        @pytest.fixture
        def alice_client_options():
            return {"max_retries": 0}
    """
    from alice_async import RetryPolicy

    return {"retry_policy": RetryPolicy(initial_delay=0.001, max_delay=0.01, max_retry_after=1)}


def _require_asyncio(anyio_backend: object) -> None:
    name = anyio_backend[0] if isinstance(anyio_backend, tuple) else anyio_backend
    if name != "asyncio":
        pytest.skip(f"alice_async runs on asyncio, not on the {name!r} AnyIO backend")


@pytest.fixture
async def alice_emulator(
    anyio_backend: object, alice_emulator_config: EmulatorConfig
) -> AsyncIterator[Emulator]:
    """A running emulator in the test's event loop; ``emu.url`` is its base URL.

    Example::

        async def test_reads_what_it_wrote(alice_emulator, alice_client):
            await alice_client.phonebooks.create(name="A")
            assert alice_emulator.stats.token_requests == 1
    """
    _require_asyncio(anyio_backend)
    from alice_async.emulator import Emulator

    async with Emulator(alice_emulator_config) as emulator:
        yield emulator


@pytest.fixture
async def alice_client(
    alice_emulator: Emulator, alice_client_options: dict[str, Any]
) -> AsyncIterator[alice_async.AliceClient]:
    """An ``alice_async.AliceClient`` logged in as the emulator's first account."""
    from alice_async import AliceClient

    options: dict[str, Any] = {
        "username": alice_emulator.username,
        "password": alice_emulator.password,
        **alice_client_options,
    }
    async with AliceClient(alice_emulator.url, **options) as client:
        yield client


class EmulatorThread:
    """An emulator running on an event loop in a background thread.

    ``url`` is its base URL; :meth:`call` runs a function on the emulator's loop (the safe way
    to touch its state from the test's thread, e.g. ``thread.call(lambda e: e.advance(60))``).
    """

    def __init__(self, portal: BlockingPortal, emulator: Emulator) -> None:
        self._portal = portal
        self.emulator = emulator

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/rest-api/``."""
        return self.emulator.url

    def call(self, function: Callable[[Emulator], T]) -> T:
        """Run ``function(emulator)`` on the emulator's loop thread and return its result."""

        async def run() -> T:
            return function(self.emulator)

        return self._portal.call(run)

    def run(self, function: Callable[[Emulator], Awaitable[T]]) -> T:
        """Await ``function(emulator)`` on the emulator's loop and return its result."""

        async def run() -> T:
            return await function(self.emulator)

        return self._portal.call(run)

    def __repr__(self) -> str:
        return f"<EmulatorThread {self.url} thread={threading.current_thread().name!r}>"


@pytest.fixture
def alice_emulator_thread(alice_emulator_config: EmulatorConfig) -> Iterator[EmulatorThread]:
    """An emulator in a background thread, for blocking code; stopped after the test."""
    from anyio.from_thread import start_blocking_portal

    from alice_async.emulator import Emulator

    with ExitStack() as stack:
        portal = stack.enter_context(start_blocking_portal(backend="asyncio"))
        emulator = Emulator(alice_emulator_config)
        stack.enter_context(portal.wrap_async_context_manager(emulator))
        yield EmulatorThread(portal, emulator)


@pytest.fixture
def alice_emulator_url(alice_emulator_thread: EmulatorThread) -> str:
    """The base URL of an emulator running in a background thread.

    Example::

        def test_script(alice_emulator_url):
            with alice_sync.AliceClient(alice_emulator_url, username="alice",
                                        password="wonderland") as client:
                client.phonebooks.create(name="A")
    """
    return alice_emulator_thread.url


@pytest.fixture
def alice_sync_client(
    alice_emulator_thread: EmulatorThread, alice_client_options: dict[str, Any]
) -> Iterator[alice_sync.AliceClient]:
    """An ``alice_sync.AliceClient`` logged in to ``alice_emulator_thread``'s emulator."""
    from alice_sync import AliceClient

    emulator = alice_emulator_thread.emulator
    options: dict[str, Any] = {
        "username": emulator.username,
        "password": emulator.password,
        **alice_client_options,
    }
    with AliceClient(alice_emulator_thread.url, **options) as client:
        yield client
