"""The bridge from blocking code to ``alice_async``: an event loop in a background thread.

A :class:`Bridge` owns an anyio ``BlockingPortal`` started with
``anyio.from_thread.start_blocking_portal``: asyncio runs in a daemon thread of its own, which
the portal starts and stops. Every call of the sync facade is one task in that loop, created
with ``loop.call_soon_threadsafe`` (one wake-up of the loop per call, where the portal's
``start_task_soon`` takes a blocking round trip more; that halves the facade's overhead).

The calling thread blocks on the task's future; if that wait is interrupted (Ctrl-C raises
``KeyboardInterrupt`` in the main thread), the task is cancelled and the bridge waits for it
to unwind before re-raising, so no request is left running behind the caller's back.

:class:`SyncResource` is the base of the generated resource classes in ``_resources.py``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, cast

from anyio.from_thread import BlockingPortal, start_blocking_portal

from alice_async import ClientStateError

__all__ = ["CANCEL_GRACE_SECONDS", "Bridge", "SyncResource", "open_bridge"]

T = TypeVar("T")
R = TypeVar("R")

CANCEL_GRACE_SECONDS = 5.0
"""How long an interrupted or closing call may take to unwind after its cancellation."""


class Bridge:
    """Runs callables in an event loop of its own, from any number of threads.

    Created by :func:`open_bridge`; closed by :meth:`close` (idempotent).
    """

    def __init__(self) -> None:
        self._portal_cm = start_blocking_portal("asyncio", name="alice_sync-event-loop")
        self._portal: BlockingPortal = self._portal_cm.__enter__()
        self._loop_thread = self._portal.call(threading.get_ident)
        self._loop = self._portal.call(asyncio.get_running_loop)
        self._lock = threading.Lock()
        self._inflight: dict[concurrent.futures.Future[Any], threading.Event] = {}
        self._closed = False

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def in_loop_thread(self) -> bool:
        """Whether the current thread is the bridge's event-loop thread."""
        return threading.get_ident() == self._loop_thread

    def run(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Await ``fn()`` in the event loop and return its result (or raise its exception).

        Raises:
            ClientStateError: the bridge is closed (or gets closed during the call), or this
                is the event-loop thread itself (a callback of the SDK calling the client).
        """
        return cast(T, self._call(fn))

    def run_sync(self, fn: Callable[[], T]) -> T:
        """Call ``fn()`` in the event-loop thread and return its result (same errors as
        :meth:`run`)."""
        return cast(T, self._call(fn))

    def _call(self, fn: Callable[[], Any]) -> Any:
        self._check_usable()
        finished = threading.Event()
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        async def task() -> None:
            try:
                result = fn()
                if inspect.isawaitable(result):
                    result = await result
            except asyncio.CancelledError:
                future.cancel()
            except BaseException as exc:
                with contextlib.suppress(concurrent.futures.InvalidStateError):
                    future.set_exception(exc)
            else:
                with contextlib.suppress(concurrent.futures.InvalidStateError):
                    future.set_result(result)
            finally:
                finished.set()

        def start() -> None:
            if future.cancelled():
                finished.set()
                return
            running = self._loop.create_task(task())

            def cancel_if_cancelled(done: concurrent.futures.Future[Any]) -> None:
                if done.cancelled():
                    with contextlib.suppress(RuntimeError):  # the loop is already closed
                        self._loop.call_soon_threadsafe(running.cancel)

            future.add_done_callback(cancel_if_cancelled)

        try:
            # One wake-up of the loop per call (the portal's start_task_soon takes two).
            self._loop.call_soon_threadsafe(start)
        except RuntimeError:
            # The loop stopped between the check and the call: close() won the race.
            raise _closed_error() from None
        with self._lock:
            if self._closed:
                future.cancel()
            else:
                self._inflight[future] = finished
        try:
            return future.result()
        except concurrent.futures.CancelledError:
            raise ClientStateError("the client was closed while this call was running") from None
        except BaseException:
            # Interrupted while waiting (KeyboardInterrupt, SystemExit from a signal handler):
            # cancel the task and let it unwind, so that nothing runs on in the background.
            if future.cancel():
                finished.wait(CANCEL_GRACE_SECONDS)
            raise
        finally:
            with self._lock:
                self._inflight.pop(future, None)

    def _check_usable(self) -> None:
        if self._closed:
            raise _closed_error()
        if self.in_loop_thread():
            raise ClientStateError(
                "alice_sync.AliceClient was called from its own event-loop thread (for example "
                "from a progress callback); this would wait for itself forever. Record what "
                "you need in the callback and make the call after the operation returns."
            )

    def close(self, finalizer: Callable[[], Awaitable[None]] | None = None) -> None:
        """Cancel the calls in flight, await ``finalizer()``, then stop the loop and its thread.

        Idempotent. Calls still waiting in other threads raise ``ClientStateError``.
        """
        if self.in_loop_thread():
            raise ClientStateError(
                "alice_sync.AliceClient.close() was called from its own event-loop thread"
            )
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pending = list(self._inflight.items())
        for future, _ in pending:
            future.cancel()
        for _, finished in pending:
            finished.wait(CANCEL_GRACE_SECONDS)
        try:
            if finalizer is not None:
                self._portal.call(finalizer)
        finally:
            self._portal.call(self._portal.stop, True)
            self._portal_cm.__exit__(None, None, None)


def open_bridge(factory: Callable[[], T]) -> tuple[Bridge, T]:
    """Start a bridge and build an object inside its event loop (an async client).

    The bridge is closed again if ``factory`` raises (a refused constructor argument).
    """
    bridge = Bridge()
    try:
        return bridge, bridge.run_sync(factory)
    except BaseException:
        with contextlib.suppress(Exception):
            bridge.close()
        raise


def _closed_error() -> ClientStateError:
    return ClientStateError("this alice_sync.AliceClient is closed; create a new one")


class SyncResource(Generic[R]):
    """Base of the generated sync resources: the bridge and the async resource they adapt."""

    def __init__(self, bridge: Bridge, resource: R) -> None:
        self._bridge = bridge
        self._async = resource

    def __repr__(self) -> str:
        return f"<sync {self._async!r}>"
