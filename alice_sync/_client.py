"""The sync client: the generated constructor and resources plus the lifecycle.

:class:`AliceClient` owns a :class:`~alice_sync._bridge.Bridge` (an event loop in a background
thread) and an ``alice_async.AliceClient`` created and used only inside that loop.
"""

from __future__ import annotations

import contextlib
import warnings
from types import TracebackType
from typing import Any

from yarl import URL

from alice_async import RateLimitState, RetryPolicy, Timeout

from ._resources import ClientBase

__all__ = ["AliceClient"]


class AliceClient(ClientBase):
    """Blocking client of the Alice REST API: ``alice_async.AliceClient`` for sync code.

    It takes the same arguments and has the same resources and methods, which block until
    the result is there; list methods return a :class:`SyncPaginator`. One client may be
    shared by many threads. Close it (``with``, or :meth:`close`) to stop its thread.

    Its arguments are those of ``alice_async.AliceClient`` (credentials, ``timeout``,
    ``max_retries``, TLS settings...), with the same defaults and environment variables.
    A ``session=`` must not be bound to another event loop: the client's loop runs in its
    own thread, so leave it out unless you know you need it. Hooks (``on_request``,
    ``on_response``, ``on_retry``) run in that thread too; an exception a hook raises reaches
    the caller of the method that fired it.

    Example::

        with AliceClient(username="me", password="secret") as client:
            book = client.phonebooks.create(name="Customers")
            for contact in client.contacts.list(phonebook=book.id):
                print(contact.contact)
    """

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
        """Cancel calls still running, close the connection pool and stop the thread.

        Idempotent. Calls other threads are still waiting for raise ``ClientStateError``.
        """
        self._bridge.close(self._async.aclose)

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._bridge.is_closed

    def __del__(self, _warn: Any = warnings.warn) -> None:
        bridge = getattr(self, "_bridge", None)
        if bridge is None or bridge.is_closed:
            return
        try:
            _warn(
                f"unclosed {self!r}: use 'with AliceClient(...)' or 'client.close()'",
                ResourceWarning,
                source=self,
                stacklevel=2,
            )
        finally:
            # Stop the thread anyway; impossible from the loop's own thread (it would join itself).
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

    def within(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        """Bound every call made inside the block, in this thread, to end within ``seconds``.

        Example::

            with client.within(5.0):
                book = client.phonebooks.get(7)
        """
        return self._async.within(seconds)
