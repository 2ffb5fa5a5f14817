"""Per-attempt hooks: the events ``on_request``, ``on_response`` and ``on_retry`` receive, and
their dispatch.

Every HTTP request the client sends is an *attempt*: the first try of a call, each retry, the
replay after a refused token, and the ``get-token/`` login (``purpose == "login"``). For each
one the transport builds a :class:`RequestEvent` before sending and a :class:`ResponseEvent`
when an answer arrives (error statuses included); before waiting to retry it builds a
:class:`RetryEvent`. Events are frozen, carry no body and no secret: the ``Authorization``
header is left out, the password only ever travels in the login's body, and the token only in
that header.

A hook is a callable taking the event; it may be a plain function or a coroutine function (its
result is awaited). Hooks run in the client's event loop, in the order given, one after the
other: a slow hook slows the call that fired it. An exception raised by a hook propagates out
of the call that fired it, unchanged and not retried (as with httpx's ``event_hooks``); the
client stays usable.

The same per-attempt points drive tracers (:class:`Tracer`), which the OpenTelemetry
integration (:mod:`alice_async.integrations.otel`) installs: they open a span before the
request is sent, may add headers to it (``traceparent``) and close the span when the attempt
ends, however it ends; and a span around each resource method call (``@bounded`` methods of
:mod:`alice_async.resources`), parent of its attempts. A client without hooks or tracers pays
one ``is None`` test per attempt and per resource method call.
"""

from __future__ import annotations

import contextlib
import inspect
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol, TypeVar

import attrs
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from ._exceptions import APIError, InvalidInputError

__all__ = [
    "Attempt",
    "HookFailed",
    "Hooks",
    "Purpose",
    "RequestEvent",
    "RequestHook",
    "ResponseEvent",
    "ResponseHook",
    "RetryEvent",
    "RetryHook",
    "TraceSpan",
    "Tracer",
    "hook_list",
]

Purpose = Literal["api", "login"]
"""Why a request is sent: an API call, or the ``get-token/`` login the client makes itself."""

REQUEST_ID_HEADER = "X-Request-ID"
HIDDEN_HEADERS = frozenset({"authorization"})


@attrs.frozen
class RequestEvent:
    """An attempt about to be sent.

    Attributes:
        method: ``"GET"``, ``"POST"``...
        url: the full URL, query included (it never holds a secret).
        attempt: 1 for the first request of a call, then 2, 3... for each request sent again
            (a retry, or the replay after a refused token).
        headers: the headers sent, without ``Authorization`` (read-only, case-insensitive).
        purpose: ``"login"`` for the client's own ``get-token/`` request, else ``"api"``.
    """

    method: str
    url: str
    attempt: int
    headers: Mapping[str, str] = attrs.field(repr=False, hash=False)
    purpose: Purpose = "api"


@attrs.frozen
class ResponseEvent:
    """An answer to an attempt, whatever its status (a 502 fires it too, before the retry).

    Attributes:
        method, url, attempt, purpose: as in :class:`RequestEvent`.
        status: the HTTP status.
        headers: the response headers (read-only, case-insensitive).
        elapsed: seconds from sending to having read the whole body.
        request_id: the ``X-Request-ID`` response header, if the server sent one.
    """

    method: str
    url: str
    attempt: int
    status: int
    headers: Mapping[str, str] = attrs.field(repr=False, hash=False)
    elapsed: float
    request_id: str | None = None
    purpose: Purpose = "api"


@attrs.frozen
class RetryEvent:
    """A failed attempt that will be retried after ``wait`` seconds.

    Attributes:
        method, url, purpose: as in :class:`RequestEvent`.
        attempt: the number of the attempt that will be sent after the wait (2 for the first
            retry), the same number its :class:`RequestEvent` will carry.
        error: why the previous attempt failed (a ``ServerError``, ``APIConnectionError``...).
        wait: seconds the client waits before the next attempt.
    """

    method: str
    url: str
    attempt: int
    error: APIError
    wait: float
    purpose: Purpose = "api"


E = TypeVar("E")

RequestHook = Callable[[RequestEvent], Awaitable[object] | None]
"""A callable taking a :class:`RequestEvent`: a plain function or a coroutine function."""
ResponseHook = Callable[[ResponseEvent], Awaitable[object] | None]
"""A callable taking a :class:`ResponseEvent`: a plain function or a coroutine function."""
RetryHook = Callable[[RetryEvent], Awaitable[object] | None]
"""A callable taking a :class:`RetryEvent`: a plain function or a coroutine function."""


class TraceSpan(Protocol):
    """What a :class:`Tracer` opened for one attempt."""

    def end(self, status: int | None, error: BaseException | None) -> None:
        """Close it: ``status`` is the answer's (``None`` when none came), ``error`` what the
        attempt raised (``None`` on success)."""


class Tracer(Protocol):
    """Opens one span per attempt, and one around each resource method call (the
    OpenTelemetry integration is one)."""

    def operation(self, name: str) -> AbstractContextManager[object]:
        """A span around one resource method call (``alice contacts.create``), current while
        it runs: its attempts' spans become its children."""

    def start(self, event: RequestEvent, headers: MutableMapping[str, str]) -> TraceSpan:
        """Open a span for ``event``; may add headers (``traceparent``) to ``headers``."""


class HookFailed(Exception):
    """Carries an exception a hook raised through the transport's retry loop, which re-raises
    it unchanged (so that a hook raising, say, a ``ServerError`` is not taken for a failed
    attempt and retried)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        super().__init__(repr(error))


def hook_list(name: str, value: object) -> tuple[Any, ...]:
    """The hooks given as ``name=``: ``None``, one callable or a sequence of callables.

    Raises:
        InvalidInputError: something that is not callable.
    """
    if value is None:
        return ()
    items: Iterable[object] = (
        value if isinstance(value, Sequence) and not isinstance(value, str) else (value,)
    )
    hooks = tuple(items)
    for hook in hooks:
        if not callable(hook):
            raise InvalidInputError(
                name, hook, "expected a callable (or a list of callables) taking the event"
            )
    return hooks


async def _dispatch(hooks: Sequence[Callable[[E], object]], event: E) -> None:
    for hook in hooks:
        result = hook(event)
        if inspect.isawaitable(result):
            await result


async def _dispatch_wrapped(hooks: Sequence[Callable[[E], object]], event: E) -> None:
    try:
        await _dispatch(hooks, event)
    except Exception as exc:
        raise HookFailed(exc) from exc


@attrs.frozen
class Hooks:
    """The hooks and tracers of one client (``None`` on the transport when there are none)."""

    on_request: tuple[RequestHook, ...] = ()
    on_response: tuple[ResponseHook, ...] = ()
    on_retry: tuple[RetryHook, ...] = ()
    tracers: tuple[Tracer, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether there is nothing to call."""
        return not (self.on_request or self.on_response or self.on_retry or self.tracers)

    def operation(self, name: str) -> AbstractContextManager[object]:
        """Every tracer's span around one resource method call."""
        stack = contextlib.ExitStack()
        for tracer in self.tracers:
            stack.enter_context(tracer.operation(name))
        return stack

    def attempt(
        self, method: str, url: URL, number: int, purpose: Purpose, defaults: Mapping[str, str]
    ) -> Attempt:
        """The hooks' view of one attempt; ``defaults`` are the session's own headers."""
        return Attempt(self, method, str(url), number, purpose, defaults)

    async def retrying(
        self, method: str, url: URL, attempt: int, error: APIError, wait: float, purpose: Purpose
    ) -> None:
        """Call the ``on_retry`` hooks (their exceptions propagate as they are)."""
        if self.on_retry:
            event = RetryEvent(method, str(url), attempt, error, wait, purpose)
            await _dispatch(self.on_retry, event)


def _shown_headers(
    defaults: Mapping[str, str], headers: Mapping[str, str]
) -> CIMultiDictProxy[str]:
    merged: CIMultiDict[str] = CIMultiDict(defaults)
    merged.update(headers)
    for name in HIDDEN_HEADERS:
        merged.popall(name, None)
    return CIMultiDictProxy(merged)


class Attempt:
    """One attempt as hooks and tracers see it: sending, answered, ended."""

    __slots__ = (
        "_defaults",
        "_hooks",
        "_spans",
        "_started",
        "method",
        "number",
        "purpose",
        "status",
        "url",
    )

    def __init__(
        self,
        hooks: Hooks,
        method: str,
        url: str,
        number: int,
        purpose: Purpose,
        defaults: Mapping[str, str],
    ) -> None:
        self._hooks = hooks
        self._defaults = defaults
        self._spans: list[TraceSpan] = []
        self._started = 0.0
        self.method = method
        self.url = url
        self.number = number
        self.purpose = purpose
        self.status: int | None = None

    def _request_event(self, headers: Mapping[str, str]) -> RequestEvent:
        shown = _shown_headers(self._defaults, headers)
        return RequestEvent(self.method, self.url, self.number, shown, self.purpose)

    async def sending(self, headers: MutableMapping[str, str]) -> None:
        """Open the tracers' spans (they may add headers), then call ``on_request``."""
        hooks = self._hooks
        if hooks.tracers:
            event = self._request_event(headers)
            for tracer in hooks.tracers:
                self._spans.append(tracer.start(event, headers))
        if hooks.on_request:
            await _dispatch_wrapped(hooks.on_request, self._request_event(headers))
        self._started = time.perf_counter()

    async def received(self, status: int, headers: Mapping[str, str]) -> None:
        """The answer's status and headers are in (and its body read): call ``on_response``."""
        self.status = status
        hooks = self._hooks
        if hooks.on_response:
            event = ResponseEvent(
                self.method,
                self.url,
                self.number,
                status,
                headers,
                time.perf_counter() - self._started,
                headers.get(REQUEST_ID_HEADER),
                self.purpose,
            )
            await _dispatch_wrapped(hooks.on_response, event)

    def end(self, error: BaseException | None) -> None:
        """Close the spans: the attempt succeeded (``error`` is ``None``) or raised ``error``."""
        if isinstance(error, HookFailed):
            error = error.error
        for span in self._spans:
            span.end(self.status, error)
