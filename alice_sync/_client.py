"""The sync client: the generated constructor and resources plus the lifecycle.

:class:`AliceClient` owns a :class:`~alice_sync._bridge.Bridge` (an event loop that waiting
threads run) and an ``alice_async.AliceClient`` created and used only inside that loop.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import Any, ParamSpec, TypeVar, overload

from yarl import URL

from alice_async import (
    NOT_GIVEN,
    InvalidInputError,
    NotGiven,
    Page,
    RateLimitState,
    RawResponse,
    RetryPolicy,
    Timeout,
)
from alice_async._raw import RawResponses
from alice_async._types import Headers, TimeoutTypes

from ._bridge import Bridge, SyncResource
from ._pagination import SyncPaginator
from ._resources import ClientBase

__all__ = ["AliceClient", "SyncRawResource", "SyncRawResponses"]

P = ParamSpec("P")
T = TypeVar("T")


class AliceClient(ClientBase):
    """Blocking client of the Alice REST API: ``alice_async.AliceClient`` for sync code.

    It takes the same arguments and has the same resources and methods, which block until
    the result is there; list methods return a :class:`SyncPaginator`. One client may be
    shared by many threads. Close it (``with``, or :meth:`close`) to close its loop.

    Its arguments are those of ``alice_async.AliceClient`` (credentials, ``timeout``,
    ``max_retries``, TLS settings...), with the same defaults and environment variables.
    A ``session=`` must not be bound to another event loop: the client has a loop of its
    own, so leave it out unless you know you need it. Hooks (``on_request``,
    ``on_response``, ``on_retry``) run in that loop too (in the thread running it, usually
    the caller's); an exception a hook raises reaches the caller of the method that fired it.

    Example::

        with AliceClient(username="me", password="secret") as client:
            book = client.phonebooks.create(name="Customers")
            for contact in client.contacts.list(phonebook=book.id):
                print(contact.contact)
    """

    _owns_bridge = True
    """False for a :meth:`with_options` copy: it shares its parent's event loop and pool."""

    def __repr__(self) -> str:
        state = "closed" if self.is_closed else "open"
        return f"<alice_sync.AliceClient {self.base_url} user={self.username!r} {state}>"

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> AliceClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Cancel calls still running, close the connection pool and the event loop.

        Idempotent. Calls other threads are still waiting for raise ``ClientStateError``.
        A :meth:`with_options` copy only closes itself: the pool and the loop stay with
        the client it was made from.
        """
        if not self._owns_bridge:
            if not self._bridge.is_closed:
                self._bridge.run(self._async.aclose)
            return
        self._bridge.close(self._async.aclose)

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._bridge.is_closed or self._async.is_closed

    def __del__(self, _warn: Any = warnings.warn) -> None:
        bridge = getattr(self, "_bridge", None)
        if bridge is None or bridge.is_closed or not self._owns_bridge:
            return
        try:
            _warn(
                f"unclosed {self!r}: use 'with AliceClient(...)' or 'client.close()'",
                ResourceWarning,
                source=self,
                stacklevel=2,
            )
        finally:
            # Close the loop anyway; impossible from inside it (a callback would wait for itself).
            if not bridge.in_loop_thread():
                with contextlib.suppress(Exception):
                    self.close()

    # -- configuration (read-only views of the async client's) -------------------------------

    @property
    def base_url(self) -> URL:
        """The API root, with its trailing slash."""
        return self._async.base_url

    @property
    def username(self) -> str | None:
        """The account name the client logs in with (``None`` with a fixed token)."""
        return self._async.username

    @property
    def timeout(self) -> Timeout:
        """The default per-request time limits."""
        return self._async.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries after a retryable failure."""
        return self._async.max_retries

    @property
    def max_connections(self) -> int:
        """The size of the connection pool."""
        return self._async.max_connections

    @property
    def retry_policy(self) -> RetryPolicy:
        """Back-off and ``Retry-After`` limits."""
        return self._async.retry_policy

    @property
    def max_response_bytes(self) -> int:
        """Larger responses raise ``APIResponseValidationError``."""
        return self._async.max_response_bytes

    @property
    def retries(self) -> int:
        """How many retries this client has made so far (for monitoring)."""
        return self._async.retries

    @property
    def deadline(self) -> float | None:
        """The default bound (seconds) on one call, retries and waits included."""
        return self._async.deadline

    @property
    def rate_limit_state(self) -> RateLimitState:
        """What the client knows of the server's rate limit (a snapshot)."""
        return self._async.rate_limit_state

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers sent with every request besides the SDK's own."""
        return self._async.default_headers

    @property
    def proxy(self) -> URL | None:
        """The proxy every request goes through (without its credentials), or ``None``."""
        return self._async.proxy

    # -- copies and raw responses ---------------------------------------------------------------

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        default_headers: Headers | None = None,
    ) -> AliceClient:
        """A copy of this client with other defaults, sharing its event loop, connection pool,
        token and rate limiting (see ``alice_async.AliceClient.with_options``).

        Closing the copy leaves this client open; closing this client ends the copy too.

        Example::

            patient = client.with_options(timeout=300, max_retries=8)
            rows = patient.cdr.list(from_date=since).to_list()
        """
        copy = object.__new__(type(self))
        copy._bridge = self._bridge
        copy._owns_bridge = False
        copy._async = self._bridge.run_sync(
            partial(
                self._async.with_options,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
                default_headers=default_headers,
            )
        )
        copy._bind_resources()
        return copy

    @property
    def with_raw_response(self) -> SyncRawResponses:
        """The resources again, their methods returning a :class:`RawResponse` (status,
        headers, request id, and ``.parse()`` for the usual result); a list method gives its
        first page's.

        Example::

            raw = client.with_raw_response.phonebooks.get(7)
            print(raw.status_code, raw.request_id)
            book = raw.parse()
        """
        return SyncRawResponses(self._bridge, RawResponses(self._async))

    def within(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        """Bound every call made inside the block, in this thread, to end within ``seconds``.

        Example::

            with client.within(5.0):
                book = client.phonebooks.get(7)
        """
        return self._async.within(seconds)


class SyncRawResponses:
    """``client.with_raw_response`` of the sync client: resources as :class:`SyncRawResource`."""

    def __init__(self, bridge: Bridge, raw: RawResponses) -> None:
        self._bridge = bridge
        self._raw = raw

    def __repr__(self) -> str:
        return f"<sync {self._raw!r}>"

    def __getattr__(self, name: str) -> SyncRawResource:
        return SyncRawResource(self._bridge, self._raw, name)

    @overload
    def __call__(  # a paginator: its first page
        self, method: Callable[P, SyncPaginator[T]]
    ) -> Callable[P, RawResponse[Page[T]]]: ...

    @overload
    def __call__(self, method: Callable[P, T]) -> Callable[P, RawResponse[T]]: ...

    def __call__(self, method: Callable[P, Any]) -> Callable[P, RawResponse[Any]]:
        """``method`` (a resource's, such as ``client.phonebooks.get``) returning a
        :class:`RawResponse`, typed after it.

        Example::

            raw = client.with_raw_response(client.phonebooks.get)(7)
            book: Phonebook = raw.parse()
        """
        resource = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if not isinstance(resource, SyncResource) or name.startswith("_"):
            raise InvalidInputError(
                "with_raw_response", method, "expected a resource's method (client.phonebooks.get)"
            )
        raw_method = self._raw(getattr(resource._async, name))
        bridge = self._bridge

        def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Any]:
            return bridge.run(partial(raw_method, *args, **kwargs))

        call.__name__ = name
        call.__doc__ = method.__doc__
        return call


class SyncRawResource:
    """A resource whose methods block and return :class:`RawResponse` objects."""

    def __init__(self, bridge: Bridge, raw: RawResponses, name: str) -> None:
        self._bridge = bridge
        self._resource = getattr(raw, name)  # AttributeError for a name that is no resource

    def __repr__(self) -> str:
        return f"<sync {self._resource!r}>"

    def __getattr__(self, name: str) -> Callable[..., RawResponse[Any]]:
        method = getattr(self._resource, name)
        bridge = self._bridge

        def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            return bridge.run(partial(method, *args, **kwargs))

        call.__name__ = name
        call.__doc__ = method.__doc__
        return call
