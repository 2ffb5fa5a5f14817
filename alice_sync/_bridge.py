"""The bridge from blocking code to ``alice_async``: one event loop, run by its callers.

A :class:`Bridge` owns one asyncio event loop, and the ``alice_async`` client lives in it.
There is no thread of its own: a thread that waits for a call runs the loop itself until
its call is done (it becomes the loop's *driver*). If another thread drives the loop at
that moment, the waiting thread sleeps until its call is done or the loop is free again
(leader/follower), so any number of threads share one loop, one connection pool, one token
and one rate limit. A single-threaded program never switches threads at all: a call costs
what ``loop.run_until_complete`` costs, where a hand-over to a loop thread costs two thread
wake-ups (benchmarks/RESULTS.md, "Sync facade (issue 15)", measured both).

Work is handed to the loop with ``loop.call_soon_threadsafe``, whose callback runs in a copy
of the caller's ``contextvars`` context: ``client.within()`` in the calling thread bounds
the call. Ctrl-C while the main thread drives the loop cancels the call's task (the way
``asyncio.run`` handles SIGINT), lets it unwind, then raises ``KeyboardInterrupt``; an
exception raised by the call is raised in the caller as is, with its traceback.

Between calls nothing runs, exactly as nothing else runs in an ``async`` program while it
computes between two ``await``, with one exception: while a pull is open (a paginator being
iterated) and its reader has not run the loop for ``BACKGROUND_GRACE_SECONDS``, the bridge's
own thread runs it, so that pages fetched ahead keep coming (and their requests do not time
out) while the reader is busy; the next caller takes the loop back.

:class:`SyncResource` is the base of the generated resource classes in ``_resources.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar, cast

from alice_async import ClientStateError

try:
    # The C functions that ``signal`` wraps: its enum conversions cost 5 µs a call, and a
    # call sets and restores the SIGINT handler.
    import _signal as _c_signal  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - an interpreter without it
    _c_signal = signal

__all__ = [
    "CANCEL_GRACE_SECONDS",
    "THREAD_NAME",
    "Bridge",
    "Call",
    "SyncResource",
    "open_bridge",
]

T = TypeVar("T")
R = TypeVar("R")

CANCEL_GRACE_SECONDS = 5.0
"""How long an interrupted or closing call may take to unwind after its cancellation."""

BACKGROUND_GRACE_SECONDS = 0.02
"""How long the loop thread leaves the loop to a pull's reader before running it itself."""

THREAD_NAME = "alice_sync-event-loop"
"""The name of the thread that runs the loop for pulls while their reader is busy."""

_OWN_LOOP = (
    "alice_sync.AliceClient was called from its own event loop (for example from a progress "
    "callback); this would wait for itself forever. Record what you need in the callback and "
    "make the call after the operation returns."
)


class Call:
    """One piece of work handed to the loop, and its outcome.

    Created by :meth:`Bridge.start`. :meth:`wait` blocks (running the loop if no other
    thread does) until the work is done and returns its result or raises its exception;
    :meth:`cancel` asks the loop to cancel it without waiting.
    """

    __slots__ = (
        "_bridge",
        "_cancelled",
        "_error",
        "_fn",
        "_pending",
        "_result",
        "_scheduled",
        "_started",
        "_task",
        "awaits",
        "background",
        "finished",
    )

    def __init__(self, bridge: Bridge, fn: Callable[[], Any], *, awaits: bool = True) -> None:
        self._bridge = bridge
        self._fn: Callable[[], Any] | None = fn
        self._task: asyncio.Task[None] | None = None
        self._pending: Awaitable[Any] | None = None  # what the task awaits, until it starts
        self._result: Any = None
        self._error: BaseException | None = None
        self._cancelled = False
        self._scheduled = False  # handed to the loop (its _run is queued or has run)
        self._started = False  # its task has taken its first step
        self.awaits = awaits
        """Whether ``fn()`` returns an awaitable (so it may be called outside the loop)."""
        self.background = False
        """Whether the loop must keep running for it while nobody waits (a pump)."""
        self.finished = False
        """Whether the outcome is there (set in the loop, read by waiting threads)."""

    # -- in the loop (or, for an awaiting call, just before its thread runs the loop) -------------

    def _run(self, refuse_when_closed: bool = True) -> None:
        fn, self._fn = self._fn, None
        if self._cancelled or fn is None or (refuse_when_closed and self._bridge.is_closed):
            self._cancelled = True
            self._bridge._completed(self)
            return
        try:
            result = fn()
        except BaseException as exc:  # a refused argument, raised where the caller sees it
            self._error = exc
            self._bridge._completed(self)
            return
        if not inspect.isawaitable(result):
            self._result = result
            self._bridge._completed(self)
            return
        self._pending = result
        self._task = self._bridge._loop.create_task(self._track(result))
        self._bridge._calls.add(self)

    async def _track(self, awaitable: Awaitable[Any]) -> None:
        # The outcome is recorded in the task's last step (no done callback: one turn of the
        # loop less per call).
        self._started = True
        self._pending = None
        try:
            self._result = await awaitable
        except asyncio.CancelledError:
            self._cancelled = True
            raise
        except BaseException as exc:  # raised in the waiting thread
            self._error = exc
        finally:
            self._bridge._calls.discard(self)
            self._bridge._completed(self)

    def _cancel(self) -> None:
        self._cancelled = True
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            if not self._started:  # a task cancelled before its first step runs no code
                pending, self._pending = self._pending, None
                if inspect.iscoroutine(pending):
                    pending.close()  # never awaited, and no warning saying so
                self._bridge._calls.discard(self)
                self._bridge._completed(self)

    # -- in the calling thread -----------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the loop to cancel the work (returns at once; a no-op once the loop is closed)."""
        self._bridge.post(self._cancel)

    def wait(self) -> Any:
        """Block until the work is done; return its result or raise its exception.

        Interrupted (``KeyboardInterrupt``), it cancels the work, lets it unwind (at most
        ``CANCEL_GRACE_SECONDS``) and re-raises.

        Raises:
            ClientStateError: the client was closed before or while the work ran.
        """
        try:
            self._bridge._wait(self)
        except ClientStateError:
            raise
        except BaseException:
            if not self.finished:
                self.cancel()
                self._bridge._wait(self, timeout=CANCEL_GRACE_SECONDS, quiet=True)
            raise
        if self._cancelled:
            raise ClientStateError("the client was closed while this call was running")
        error = self._error
        if error is not None:
            try:
                raise error
            finally:
                del error
        return self._result


class Bridge:
    """Runs callables in one event loop, from any number of threads (see the module doc).

    Created by :func:`open_bridge`; closed by :meth:`close` (idempotent).
    """

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._calls: set[Call] = set()  # calls with a task in the loop (only touched there)
        self._state = threading.Condition(threading.RLock())  # re-entered by a __del__ close
        self._driver: int | None = None  # the thread running the loop (under _state)
        self._followers = 0  # threads sleeping on _state until their call is done
        self._target: Call | None = None  # the call the driver runs the loop for
        self._background = 0  # open pumps: work that must go on while nobody waits
        self._background_thread: threading.Thread | None = None
        self._released_at = 0.0  # when a calling thread last stopped running the loop
        self._closed = False

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def loop_is_closed(self) -> bool:
        """Whether the event loop has been closed for good (by :meth:`close`)."""
        return self._loop.is_closed()

    def in_loop_thread(self) -> bool:
        """Whether the current thread is running the loop (a callback of the SDK)."""
        return self._driver == threading.get_ident()

    def run(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Await ``fn()`` in the event loop and return its result (or raise its exception).

        Raises:
            ClientStateError: the bridge is closed (or gets closed during the call), or this
                thread is running the loop (a callback of the SDK calling the client).
        """
        return cast(T, self._new_call(fn).wait())

    def run_sync(self, fn: Callable[[], T]) -> T:
        """Call ``fn()`` in the event loop and return its result (same errors as :meth:`run`)."""
        return cast(T, self._new_call(fn, awaits=False).wait())

    def start(self, fn: Callable[[], Any], *, background: bool = False) -> Call:
        """Hand ``fn()`` (awaited if it returns an awaitable) to the loop; do not wait.

        It runs the next time a thread runs the loop (:meth:`Call.wait` does). With
        ``background``, the loop keeps running until it ends even while no thread waits
        (a pull fetching ahead while its reader is busy): the bridge's own loop thread runs
        it then.

        Raises:
            ClientStateError: as :meth:`run`.
        """
        call = self._new_call(fn, awaits=False)
        if background:
            call.background = True
            self._background_started()
        try:
            self._schedule_threadsafe(call)
        except ClientStateError:
            if background:
                with self._state:
                    self._background -= 1
            raise
        return call

    def _new_call(self, fn: Callable[[], Any], *, awaits: bool = True) -> Call:
        if self._closed:
            raise _closed_error()
        if self._driver == threading.get_ident():
            raise ClientStateError(_OWN_LOOP)
        return Call(self, fn, awaits=awaits)

    def _schedule_threadsafe(self, call: Call) -> None:
        call._scheduled = True
        try:
            self._loop.call_soon_threadsafe(call._run)
        except RuntimeError:  # the loop was closed between the check and the call
            raise _closed_error() from None

    def post(self, callback: Callable[[], object]) -> None:
        """Run ``callback()`` in the loop soon; return at once (nothing once closed)."""
        with contextlib.suppress(RuntimeError):  # a closed loop: nothing left to tell
            self._loop.call_soon_threadsafe(callback)

    # -- waiting: drive the loop, or sleep while another thread does ----------------------------

    def _completed(self, call: Call) -> None:
        """In the loop: ``call`` has its outcome; wake whoever waits for it."""
        with self._state:
            if call.finished:
                return
            call.finished = True
            if self._followers:
                self._state.notify_all()
            idle = False
            if call.background:
                self._background -= 1
                idle = self._background == 0
        if call is self._target:
            self._loop.stop()
        elif idle and self._driver == self._background_ident():
            self._loop.stop()  # the loop thread has nothing left to run the loop for

    def _background_ident(self) -> int | None:
        thread = self._background_thread
        return None if thread is None else thread.ident

    def _wait(self, call: Call, timeout: float | None = None, *, quiet: bool = False) -> None:
        """Return when ``call`` is finished (or ``timeout`` passed, or the loop is closed).

        Raises:
            ClientStateError: the loop was closed before the call ran (not when ``quiet``).
        """
        me = threading.get_ident()
        if self._driver == me:
            raise ClientStateError(_OWN_LOOP)
        if _loop_running_here():
            # This thread runs a loop of its own (Jupyter): ours must run in another thread.
            self._wait_in_helper_thread(call, timeout, quiet)
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._state:
            while True:
                if call.finished:
                    return
                if self._loop.is_closed():
                    if quiet:
                        return
                    raise _closed_error()
                if self._driver is None:
                    self._driver = me
                    break
                if not call._scheduled:
                    self._schedule_threadsafe(call)  # the driver will run it
                if self._driver == self._background_ident():
                    # The loop thread runs the loop only while nobody else would: take over.
                    self.post(self._loop.stop)
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return
                self._followers += 1
                try:
                    self._state.wait(left)
                finally:
                    self._followers -= 1
        try:
            if not call._scheduled:
                # This thread runs the loop next: no wake-up through the loop's self-pipe, and
                # an awaiting call gets its task at once (one turn of the loop less).
                call._scheduled = True
                if call.awaits:
                    call._run()
                else:
                    self._loop.call_soon(call._run)
            while not call.finished:  # a stale stop() may end a run early: run on
                if deadline is not None and time.monotonic() >= deadline:
                    break
                self._drive(call, deadline)
        finally:
            with self._state:
                self._driver = None
                self._released_at = time.monotonic()
                if self._followers:
                    self._state.notify_all()

    def _drive(self, call: Call, deadline: float | None) -> None:
        """Run the loop in this thread until ``call`` is finished (or ``deadline``)."""
        loop = self._loop
        stop_at = None
        if deadline is not None:
            stop_at = loop.call_at(loop.time() + max(0.0, deadline - time.monotonic()), loop.stop)
        self._target = call
        try:
            with self._ctrl_c_cancels(call):
                loop.run_forever()
        finally:
            self._target = None
            if stop_at is not None:
                stop_at.cancel()

    @contextmanager
    def _ctrl_c_cancels(self, call: Call) -> Iterator[None]:
        """In the main thread, make SIGINT cancel ``call`` and raise ``KeyboardInterrupt`` once
        it has unwound (as ``asyncio.run`` does), instead of interrupting whatever callback
        the loop is running at that instant."""
        if (
            threading.current_thread() is not threading.main_thread()
            or _c_signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        ):
            yield
            return
        interrupted = False

        def on_sigint(signum: int, frame: object) -> None:
            nonlocal interrupted
            if interrupted:  # a second Ctrl-C: stop waiting for the unwinding
                raise KeyboardInterrupt
            interrupted = True
            call._cancel()
            self._loop.call_soon_threadsafe(_nothing)  # wake the selector

        _c_signal.signal(signal.SIGINT, on_sigint)
        try:
            yield
        finally:
            _c_signal.signal(signal.SIGINT, signal.default_int_handler)
        if interrupted:
            raise KeyboardInterrupt

    def _wait_in_helper_thread(self, call: Call, timeout: float | None, quiet: bool) -> None:
        errors: list[BaseException] = []

        def wait() -> None:
            try:
                self._wait(call, timeout, quiet=quiet)
            except BaseException as exc:
                errors.append(exc)

        helper = threading.Thread(target=wait, name="alice_sync-waiter", daemon=True)
        helper.start()
        helper.join()
        if errors:
            raise errors[0]

    # -- background work: pulls that go on while their reader is busy ---------------------------

    def _background_started(self) -> None:
        """A background call opened: the loop must run while no caller runs it, until it ends.

        The first one starts the bridge's loop thread (``THREAD_NAME``), which runs the loop
        only while background calls are open and no caller has run it for
        ``BACKGROUND_GRACE_SECONDS`` (a reader busy with its rows); a caller that comes back
        asks it to hand the loop over and runs it itself.
        """
        with self._state:
            self._background += 1
            self._released_at = time.monotonic()  # its reader comes to run the loop first
            if self._background_thread is None:
                self._background_thread = threading.Thread(
                    target=self._drive_in_background, name=THREAD_NAME, daemon=True
                )
                self._background_thread.start()
            elif self._followers:
                self._state.notify_all()

    def _drive_in_background(self) -> None:
        me = threading.get_ident()
        while True:
            with self._state:
                while True:
                    if self._loop.is_closed():
                        return
                    left = None  # wait for a background call, and for the loop to be free
                    if self._background and self._driver is None:
                        # ...and for its reader to stay away: a reader that comes back soon
                        # runs the loop itself, without a thread hand-over.
                        left = self._released_at + BACKGROUND_GRACE_SECONDS - time.monotonic()
                        if left <= 0:
                            break
                    self._followers += 1
                    try:
                        self._state.wait(left)
                    finally:
                        self._followers -= 1
                self._driver = me
            try:
                self._loop.run_forever()  # until no background call is left, or a caller is back
            finally:
                with self._state:
                    self._driver = None
                    if self._followers:
                        self._state.notify_all()

    # -- closing -------------------------------------------------------------------------------

    def close(self, finalizer: Callable[[], Awaitable[None]] | None = None) -> None:
        """Cancel the calls in flight, await ``finalizer()``, then close the loop.

        Idempotent. Calls still waiting in other threads raise ``ClientStateError``.
        """
        if self.in_loop_thread():
            raise ClientStateError(
                "alice_sync.AliceClient.close() was called from its own event loop"
            )
        with self._state:
            if self._closed:
                return
            self._closed = True  # from now on the loop refuses new work (Call._run)
        shutdown = Call(self, lambda: self._shutdown(finalizer))
        shutdown._scheduled = True
        try:
            self._loop.call_soon_threadsafe(shutdown._run, False)
            self._wait(shutdown)
        finally:
            with self._state:
                while self._driver is not None:  # let a driver see its call cancelled
                    self._followers += 1
                    try:
                        self._state.wait()
                    finally:
                        self._followers -= 1
                self._loop.close()
                self._state.notify_all()
            if self._background_thread is not None:
                self._background_thread.join(CANCEL_GRACE_SECONDS)

    async def _shutdown(self, finalizer: Callable[[], Awaitable[None]] | None) -> None:
        me = asyncio.current_task()
        calls = [call for call in self._calls if call._task is not me]
        tasks = [call._task for call in calls if call._task is not None]
        for call in calls:
            call._cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=CANCEL_GRACE_SECONDS)
        try:
            if finalizer is not None:
                await finalizer()
        finally:
            await self._loop.shutdown_asyncgens()
            await self._loop.shutdown_default_executor()


def _nothing() -> None:
    return None


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def open_bridge(factory: Callable[[], T]) -> tuple[Bridge, T]:
    """Open a bridge and build an object inside its event loop (an async client).

    The bridge is closed again if ``factory`` raises (a refused constructor argument).
    """
    bridge = Bridge()
    try:
        return bridge, bridge.run_sync(factory)
    except BaseException:
        with contextlib.suppress(Exception):  # the factory's error is the one to report
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
