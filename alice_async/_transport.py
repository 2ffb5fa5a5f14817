"""One API request, from arguments to parsed JSON: the only module that touches aiohttp.

It adds the bearer token, sends, reads the body (capped), decodes it, maps failures to the
SDK's exceptions (chained to the aiohttp ones), replays once after a refused token, passes
every attempt through the client-wide :class:`~._throttle.Throttle`, and runs the retry loop
(the pure rules of :mod:`._retry`) within the call's deadline, showing each attempt to the
client's hooks and tracers (:mod:`._hooks`) when it has any. Each retry is logged at INFO on
the ``alice_async.retry`` logger, e.g. ``retrying GET phonebook/ in 2.1 s (attempt 2 of 4):
cannot connect``. Per-call options (``extra_headers``, ``extra_query``, a raw-response
recorder) are a transport's own defaults: a resource method given them runs on a copy of
the client (sharing the pool, the token and the throttle) whose transport carries them.
Nothing here logs or raises a secret: the Authorization header is never
logged, bodies are never logged, and the password and token are scrubbed from any text taken
from a response.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, NoReturn
from urllib.parse import urljoin

import aiohttp
import attrs
from yarl import URL

from . import _json
from ._auth import TokenManager
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from ._hooks import HookFailed, Hooks, Purpose
from ._retry import (
    RetryPolicy,
    parse_retry_after,
    retry_after_of,
    retry_delay,
    should_retry_error,
)
from ._throttle import DeadlineReached, Throttle
from ._types import NOT_GIVEN, NotGiven, Timeout
from ._validation import int_range, positive_number

__all__ = [
    "REQUEST_ID_HEADERS",
    "Exchange",
    "Response",
    "ResponseRecorder",
    "Transport",
    "deadline_scope",
    "deadline_seconds",
    "is_auth_failure",
    "request_id_of",
    "retry_reason",
    "same_origin",
]

logger = logging.getLogger("alice_async")
retry_logger = logging.getLogger("alice_async.retry")
"""One INFO record per retry; the CLI prints them on stderr."""

_URL_CACHE_SIZE = 256
"""API paths whose resolved URL a transport keeps."""

_SCOPED_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "alice_deadline", default=None
)

REQUEST_ID_HEADERS = ("X-Request-ID", "Request-Id", "X-Amzn-Trace-Id")
"""Response headers read, in this order, for a request id (case-insensitively)."""

AUTH_403_HINTS = (
    "authentication credentials were not provided",
    "invalid token",
    "token not valid",
    "given token",
    "token is invalid",
    "token has expired",
    "signature has expired",
)
EXCERPT_CHARS = 200
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@attrs.frozen
class Response:
    """A decoded answer: status, parsed JSON (``None`` for an empty body) and headers."""

    status: int
    data: Any
    headers: Mapping[str, str] = attrs.field(factory=dict, repr=False)

    @property
    def request_id(self) -> str | None:
        """The server's id for this response (see :data:`REQUEST_ID_HEADERS`), if any."""
        return request_id_of(self.headers)


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The first request-id header of a response (``headers`` case-insensitive, as aiohttp's)."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value[:200]
    return None


@attrs.frozen
class Exchange:
    """One request and the success response it got (what ``with_raw_response`` reports)."""

    method: str
    url: str
    response: Response


class ResponseRecorder:
    """Keeps the last successful authenticated exchange of a transport (``with_raw_response``)."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last: Exchange | None = None


def is_auth_failure(status: int, body: Any) -> bool:
    """Whether a response means "your token is missing, expired or invalid".

    True for every 401, and for a 403 whose ``detail`` speaks of credentials or the token (the
    lineage's session authenticator turns 401s into 403s; docs/API.md §2 variant).
    """
    if status == 401:
        return True
    if status != 403 or not isinstance(body, Mapping):
        return False
    detail = body.get("detail")
    if not isinstance(detail, str):
        return False
    lowered = detail.lower()
    return any(hint in lowered for hint in AUTH_403_HINTS)


def same_origin(a: URL, b: URL) -> bool:
    """Whether two absolute URLs share scheme, host and port."""
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def text_excerpt(raw: bytes, limit: int = EXCERPT_CHARS) -> str:
    """A short, single-line, tag-free excerpt of a non-JSON body (an HTML error page)."""
    text = raw[: limit * 20].decode("utf-8", "replace")
    text = _SPACE.sub(" ", _TAG.sub(" ", text)).strip()
    return text[:limit] + ("..." if len(text) > limit else "")


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The exception class for an error status."""
    if status >= 500:
        return ServerError
    return _STATUS_ERRORS.get(status, APIStatusError)


def describe_body(body: Any) -> str:
    """A short human description of an error body for exception messages."""
    if isinstance(body, Mapping):
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail
        parts = []
        for key, value in list(body.items())[:5]:
            if isinstance(value, list):
                value = " ".join(str(v) for v in value[:3])
            parts.append(f"{key}: {value}")
        return "; ".join(parts)[:300]
    if isinstance(body, str):
        return body
    return repr(body)[:300]


def encode_body(payload: Any) -> bytes:
    """The JSON bytes of a request body.

    Raises:
        InvalidInputError: the payload cannot travel as JSON (a lone surrogate in a string,
            an integer beyond 64 bits with orjson, a non-JSON type); nothing was sent.
    """
    try:
        return _json.dumps(payload)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError("body", "<not shown>", f"cannot be sent as JSON: {exc}") from exc


def retry_count(value: object) -> int:
    """A ``max_retries`` (client default or per call): an integer >= 0."""
    return int_range("max_retries", value, 0, None)


def deadline_seconds(value: object) -> float:
    """A ``deadline`` (client default, per call or scoped): seconds > 0."""
    return positive_number("deadline", value, "a number of seconds > 0 (or None)")


@contextlib.contextmanager
def deadline_scope(seconds: float, clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Bound every call made inside the block (in this task, or this thread with the sync
    client) to end within ``seconds`` from now, retries and waits included.

    A scope inside another keeps the earlier of the two deadlines.
    """
    expires = clock() + deadline_seconds(seconds)
    outer = _SCOPED_DEADLINE.get()
    token = _SCOPED_DEADLINE.set(expires if outer is None else min(outer, expires))
    try:
        yield
    finally:
        _SCOPED_DEADLINE.reset(token)


def may_have_reached(error: APIError) -> bool:
    """Whether the request that failed with ``error`` may have reached the server."""
    return error.request_sent if isinstance(error, APIConnectionError) else True


def retry_reason(error: BaseException) -> str:
    """What went wrong, in a few words, for a retry message (``cannot connect``, ``502``)."""
    if isinstance(error, APIStatusError):
        if isinstance(error, RateLimitError):
            return f"{error.status_code} too many requests"
        return f"{error.status_code} from the server"
    if isinstance(error, APIError):
        text = str(error)
        prefix = f"{error.method} {error.url}: "
        return text[len(prefix) :] if text.startswith(prefix) else text
    return type(error).__name__


class _LoginFailed(Exception):
    """The login a request waited for failed; carries the error shared by all its waiters."""

    def __init__(self, error: APIError) -> None:
        self.error = error
        super().__init__(str(error))


class _Call:
    """One call across its attempts (a plain slotted class: built once per call)."""

    __slots__ = (
        "_base",
        "_shown",
        "attempts",
        "expires",
        "headers",
        "last_error",
        "method",
        "purpose",
        "retries",
        "sends",
        "sent",
        "url",
    )

    def __init__(
        self,
        method: str,
        url: URL,
        base: URL,
        retries: int,
        expires: float | None,
        headers: Mapping[str, str],
        purpose: Purpose = "api",
    ) -> None:
        self.method = method
        self.url = url
        self._base = base
        self._shown: str | None = None
        self.retries = retries
        self.expires = expires
        self.headers = headers
        self.purpose: Purpose = purpose
        self.attempts = 0
        self.sends = 0
        """HTTP requests sent so far (a replay after a refused token counts): the hooks'
        attempt."""
        self.sent = False
        self.last_error: APIError | None = None

    @property
    def shown(self) -> str:
        """The URL as shown in retry messages: relative to ``base_url`` when under it (made
        when a message needs it, not per call)."""
        shown = self._shown
        if shown is None:
            plain = str(self.url.with_query(None))
            base = str(self._base)
            shown = self._shown = plain[len(base) :] if plain.startswith(base) else plain
        return shown


def _finite(seconds: float | None) -> float | None:
    # aiohttp schedules timeouts with loop.call_at: an infinite limit overflows there.
    return seconds if seconds is not None and math.isfinite(seconds) else None


class Transport:
    """Sends requests for one client. Owned by :class:`~alice_async.AliceClient`."""

    def __init__(
        self,
        *,
        base_url: URL,
        session: aiohttp.ClientSession,
        tokens: TokenManager,
        timeout: Timeout,
        max_retries: int,
        retry_policy: RetryPolicy,
        max_response_bytes: int,
        throttle: Throttle,
        deadline: float | None = None,
        secrets: tuple[str, ...] = (),
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        recorder: ResponseRecorder | None = None,
        proxy: URL | None = None,
        proxy_headers: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        hooks: Hooks | None = None,
    ) -> None:
        self.base_url = base_url
        self.session = session
        self.tokens = tokens
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_policy = retry_policy
        self.max_response_bytes = max_response_bytes
        self.throttle = throttle
        self.deadline = deadline
        self.headers: Mapping[str, str] = dict(headers or {})
        """Sent with every request (User-Agent, Accept, the client's ``default_headers``):
        per request, so that they reach the server through a ``session=`` of the caller's."""
        self.query = dict(query) if query else None
        """Added to every authenticated request's query (a per-call copy's ``extra_query``)."""
        self.recorder = recorder
        self.proxy = proxy
        self.proxy_headers = dict(proxy_headers) if proxy_headers else None
        self._secrets = tuple(s for s in secrets if s)
        self._clock = clock
        self._sleep = sleep
        self.hooks = hooks
        """Per-attempt hooks and tracers, or ``None`` (then they cost one test per attempt)."""
        self.retries = 0
        """Retries made so far (all requests); read by benchmarks and the chaos suite."""
        self._urls: dict[str, URL] = {}
        """Resolved API paths (a join per call costs more than the rest of building it)."""
        self._own_headers: dict[tuple[bool, str | None], Mapping[str, str]] = {}
        """:attr:`headers` with Content-Type and Authorization, per (body or not, token)."""
        self._timeouts: dict[Timeout, aiohttp.ClientTimeout] = {}
        """aiohttp's form of the call timeouts met without a deadline (a few)."""
        self._timeout_for: Timeout | None = None
        self._timeout_made = aiohttp.ClientTimeout()
        """The last of those, by identity (a hash of a Timeout costs more than the rest)."""

    def url_for(self, path: str | URL) -> URL:
        """Resolve an API path (``"contact/3/"``) or a server-given absolute URL.

        Raises:
            APIResponseValidationError: an absolute URL on another origin than ``base_url``.
        """
        if isinstance(path, URL) or "://" in path:
            url = path if isinstance(path, URL) else URL(path, encoded=True)
            if not same_origin(url, self.base_url):
                raise APIResponseValidationError(
                    f"refusing to follow {url.scheme}://{url.host}:{url.port}: it is not the "
                    f"origin of base_url ({self.base_url.origin()}); the token is never sent to "
                    "another origin",
                    method="GET",
                    url=str(url.with_query(None)),
                )
            return url
        resolved = self._urls.get(path)
        if resolved is None:
            resolved = URL(urljoin(str(self.base_url), path.lstrip("/")), encoded=True)
            if len(self._urls) < _URL_CACHE_SIZE:  # item paths ("contact/3/") are unbounded
                self._urls[path] = resolved
        return resolved

    def scrub(self, text: str) -> str:
        """Remove the password and the current token from text taken from a response."""
        secrets = self._secrets
        current = self.tokens.current
        if current is not None:
            secrets = (*secrets, current)
        for secret in secrets:
            if secret and secret in text:
                text = text.replace(secret, "<redacted>")
        return text

    async def request(
        self,
        method: str,
        path: str | URL,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | NotGiven | None = NOT_GIVEN,
        authenticated: bool = True,
        idempotent: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
    ) -> Response:
        """Send a request with retries; return the decoded success response.

        ``idempotent`` overrides what the method implies for the retry rules; ``deadline``
        (seconds) bounds the whole call, retries and waits included (default: the one set by
        :func:`deadline_scope`, else the client's). ``extra_headers`` and ``extra_query``
        (validated already) add to the transport's own, replacing same names; a login
        (``authenticated=False``) takes no query of the transport's.

        Raises:
            APIStatusError: (a subclass of) for error statuses, after retries.
            APIConnectionError: no response, after retries.
            APITimeoutError: the deadline passed (the message says after how many attempts).
            APIResponseValidationError: an unusable response.
        """
        url = self.url_for(path)
        if params:
            url = url.update_query(params)
        headers = self.headers
        if extra_headers:
            headers = {**headers, **extra_headers}
        query: Mapping[str, str] | None = self.query if authenticated else None
        if extra_query:
            query = {**query, **extra_query} if query else extra_query
        if query:
            url = url.update_query(query)
        body = None if json is None else encode_body(json)
        limits = timeout or self.timeout
        retries = self.max_retries if max_retries is None else retry_count(max_retries)
        expires = self._expiry(deadline)
        # The only unauthenticated request is the client's own login (get-token/).
        purpose: Purpose = "api" if authenticated else "login"
        call = _Call(method, url, self.base_url, retries, expires, headers, purpose)
        while True:
            call.attempts += 1
            try:
                if authenticated:
                    # One attempt, plus one replay when the token was refused (inlined: a
                    # coroutine layer costs every request).
                    token = self.tokens.fresh() or await self._token()
                    try:
                        response = await self._exchange(call, body, limits, token=token)
                    except AuthenticationError:
                        if not self.tokens.can_refresh:
                            raise
                        refused = True
                    else:
                        refused = False
                    if refused:
                        response = await self._replay(call, body, limits, token)
                else:
                    response = await self._exchange(call, body, limits, token=None)
                if self.recorder is not None and authenticated:
                    self.recorder.last = Exchange(method, str(url), response)
                return response
            except _LoginFailed as failed:
                # Already retried once for every caller waiting on that login: not per caller.
                # Every waiter raises the same error; each raise starts its traceback afresh
                # (500 waiters would otherwise stack 500 tracebacks on it).
                raise failed.error.with_traceback(None) from failed.error.__cause__
            except HookFailed as failed:
                raise failed.error from failed.error.__cause__  # the hook's own, not retried
            except DeadlineReached as exc:
                call.attempts -= 1  # the attempt never went out
                raise self._deadline_error(call, str(exc)) from call.last_error
            except APIError as error:
                call.sent = call.sent or may_have_reached(error)
                if self._cut_by_deadline(call, error):
                    # The attempt's timeout was the deadline's: name the last error the server
                    # gave (when there was one), not the cut.
                    call.last_error = call.last_error or error
                    why = "the attempt in flight was cut at the deadline"
                    raise self._deadline_error(call, why) from call.last_error
                call.last_error = error
                wait = self._retry_wait(call, error, idempotent)
            if call.expires is not None and self._clock() + wait >= call.expires:
                why = f"the next retry was due in {wait:.1f} s"
                raise self._deadline_error(call, why) from call.last_error
            self.retries += 1
            retry_logger.info(
                "retrying %s %s in %.1f s (attempt %d of %d): %s",
                method,
                call.shown,
                wait,
                call.attempts + 1,
                retries + 1,
                self.scrub(retry_reason(call.last_error)),
            )
            if self.hooks is not None:
                await self.hooks.retrying(
                    method, url, call.sends + 1, call.last_error, wait, call.purpose
                )
            await self._sleep(wait)

    def _expiry(self, deadline: float | NotGiven | None) -> float | None:
        """The monotonic time a call must end by, from a per-call, scoped or client deadline."""
        if isinstance(deadline, NotGiven):
            scoped = _SCOPED_DEADLINE.get()
            if scoped is not None:
                return scoped
            deadline = self.deadline
        return None if deadline is None else self._clock() + deadline_seconds(deadline)

    def _retry_wait(self, call: _Call, error: APIError, idempotent: bool | None) -> float:
        """Seconds before the next attempt; re-raises ``error`` when it is not to be retried."""
        if call.attempts > call.retries or not should_retry_error(
            call.method, error, idempotent=idempotent
        ):
            logger.debug(
                "not retrying %s %s after %d attempt(s): %s",
                call.method,
                call.shown,
                call.attempts,
                self.scrub(str(error)),
            )
            raise error
        if isinstance(error, RateLimitError):
            # The throttle has paused the whole client until Retry-After; the next attempt
            # waits for it there, with every other request of the client.
            return self.throttle.state().paused_for
        return retry_delay(call.attempts, self.retry_policy, retry_after=retry_after_of(error))

    def _cut_by_deadline(self, call: _Call, error: APIError) -> bool:
        """Whether ``error`` is a timeout that the call's deadline (not the client's) caused."""
        return (
            isinstance(error, APITimeoutError)
            and call.expires is not None
            and self._clock() >= call.expires - 0.002
        )

    def _deadline_error(self, call: _Call, why: str) -> APITimeoutError:
        last = f"; last error: {self.scrub(str(call.last_error))}" if call.last_error else ""
        plain = str(call.url.with_query(None))
        return APITimeoutError(
            f"{call.method} {plain}: deadline passed after {call.attempts} attempt(s) ({why})"
            f"{last}",
            method=call.method,
            url=plain,
            request_sent=call.sent,
            request_id=call.last_error.request_id if call.last_error else None,
        )

    async def _replay(
        self, call: _Call, body: bytes | None, limits: Timeout, refused: str
    ) -> Response:
        """The attempt again with a new token, after the server refused ``refused``."""
        self.tokens.invalidate(refused)
        logger.debug("token refused on %s %s; re-authenticating once", call.method, call.shown)
        token = await self._token()
        return await self._exchange(call, body, limits, token=token)

    async def _token(self) -> str:
        try:
            return await self.tokens.get()
        except APIError as exc:
            raise _LoginFailed(exc) from exc

    async def _exchange(
        self, call: _Call, body: bytes | None, limits: Timeout, *, token: str | None
    ) -> Response:
        """One throttled exchange: wait for the throttle, send, read, decode, tell the
        throttle how that went (one coroutine: each layer costs every request)."""
        generation = self.throttle.try_acquire()
        if generation is None:
            generation = await self.throttle.acquire(call.expires)
        throttled = processed = False
        retry_after: float | None = None
        call.sends += 1
        method = call.method
        url = call.url
        hooks = self.hooks
        attempt = None
        if hooks is not None:
            attempt = hooks.attempt(method, url, call.sends, call.purpose, self.session.headers)
        error: BaseException | None = None
        try:
            timeout = self._client_timeout(limits, call)
            headers = self._request_headers(call.headers, body, token)
            if attempt is not None:
                headers = dict(headers)  # tracers may add headers (traceparent): a copy of ours
                await attempt.sending(headers)
            started = time.perf_counter() if logger.isEnabledFor(logging.DEBUG) else None
            try:
                async with self.session.request(
                    method,
                    url,
                    data=body,
                    headers=headers,
                    timeout=timeout,
                    allow_redirects=False,
                    proxy=self.proxy,
                    proxy_headers=self.proxy_headers,
                ) as resp:
                    length = resp.content_length
                    if length is not None and length <= self.max_response_bytes:
                        raw = await resp.read()  # the usual answer, without _read_capped
                    else:
                        raw = await self._read_capped(resp, method, url)
                    status = resp.status
                    response_headers = resp.headers
            except (asyncio.TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise self._connection_error(method, url, exc) from exc
            if started is not None:
                logger.debug(
                    "%s %s -> %d (%.3fs, %d bytes)",
                    method,
                    url,
                    status,
                    time.perf_counter() - started,
                    len(raw),
                )
            if attempt is not None:
                await attempt.received(status, response_headers)
            response = self._decode(method, url, status, raw, response_headers)
        except APIStatusError as exc:
            throttled = exc.status_code == 429
            processed = not throttled
            retry_after = exc.retry_after
            error = exc
            raise
        except BaseException as exc:
            error = exc
            raise
        else:
            processed = True
            return response
        finally:
            if processed:
                self.throttle.answered()
            else:
                self.throttle.release(
                    generation, throttled=throttled, processed=False, retry_after=retry_after
                )
            if attempt is not None:
                attempt.end(error)  # closes the tracers' spans, however the attempt ended

    def _client_timeout(self, limits: Timeout, call: _Call) -> aiohttp.ClientTimeout:
        if call.expires is None:
            if limits is self._timeout_for:
                return self._timeout_made  # the usual call: the transport's own timeout
            cached = self._timeouts.get(limits)
            if cached is None:
                cached = aiohttp.ClientTimeout(
                    total=_finite(limits.total), connect=_finite(limits.connect)
                )
                if len(self._timeouts) < 16:
                    self._timeouts[limits] = cached
            self._timeout_for, self._timeout_made = limits, cached
            return cached
        total = _finite(limits.total)
        left = max(call.expires - self._clock(), 0.001)
        total = left if total is None else min(total, left)
        return aiohttp.ClientTimeout(total=total, connect=_finite(limits.connect))

    def _connection_error(self, method: str, url: URL, exc: BaseException) -> APIError:
        """The SDK's error for an exchange that got no (whole) response."""
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return self._timeout_error(method, url, sent=False)
        if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
            return self._timeout_error(method, url, sent=True)
        plain = str(url.with_query(None))
        if isinstance(exc, aiohttp.ClientConnectorError):
            return APIConnectionError(
                f"{method} {plain}: cannot connect ({exc.os_error.strerror or exc})",
                method=method,
                url=plain,
                request_sent=False,
            )
        return APIConnectionError(
            f"{method} {plain}: connection failed after sending "
            f"({type(exc).__name__}: {self.scrub(str(exc)) or 'no detail'})",
            method=method,
            url=plain,
            request_sent=True,
        )

    def _request_headers(
        self, headers: Mapping[str, str], body: bytes | None, token: str | None
    ) -> Mapping[str, str]:
        """``headers`` plus Content-Type (with a body) and the bearer token: built once per
        token for the transport's own headers (never mutated afterwards), per request for
        a call's own."""
        if headers is self.headers:
            cache = self._own_headers
            cached = cache.get((body is not None, token))
            if cached is not None:
                return cached
        built = dict(headers)
        if body is not None:
            built["Content-Type"] = "application/json"
        if token is not None:
            built["Authorization"] = f"Bearer {token}"
        if headers is self.headers:
            if len(cache) >= 8:  # a new token: the old ones' headers are never sent again
                cache.clear()
            cache[(body is not None, token)] = built
        return built

    def _timeout_error(self, method: str, url: URL, *, sent: bool) -> APITimeoutError:
        phase = "read" if sent else "connect"
        return APITimeoutError(
            f"{method} {url.with_query(None)}: {phase} timeout",
            method=method,
            url=str(url.with_query(None)),
            request_sent=sent,
        )

    async def _read_capped(self, resp: aiohttp.ClientResponse, method: str, url: URL) -> bytes:
        cap = self.max_response_bytes
        length = resp.content_length
        if length is not None and length <= cap:
            return await resp.read()
        if length is not None:
            self._raise_too_large(method, url, resp.status)
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(65536):
            size += len(chunk)
            if size > cap:
                self._raise_too_large(method, url, resp.status)
            chunks.append(chunk)
        return b"".join(chunks)

    def _raise_too_large(self, method: str, url: URL, status: int) -> NoReturn:
        raise APIResponseValidationError(
            f"{method} {url.with_query(None)}: response larger than max_response_bytes="
            f"{self.max_response_bytes}",
            method=method,
            url=str(url.with_query(None)),
            status_code=status,
        )

    def _decode(
        self, method: str, url: URL, status: int, raw: bytes, headers: Mapping[str, str]
    ) -> Response:
        data: Any = None
        is_json = False
        if raw and not raw.isspace():  # what raw.strip() tells, without the copy
            try:
                data = _json.loads(raw)
                is_json = True
            except ValueError:
                data = None
        else:
            is_json = True  # an empty body is a valid "no content"
        if 200 <= status < 300 and is_json:
            return Response(status=status, data=data, headers=headers)
        plain_url = str(url.with_query(None))
        if 200 <= status < 300:
            if not is_json:
                content_type = headers.get("Content-Type", "?")
                request_id = request_id_of(headers)
                raise APIResponseValidationError(
                    f"{method} {plain_url} -> {status}: expected JSON, got {content_type}: "
                    f"{self.scrub(text_excerpt(raw))!r}{_id_suffix(request_id)}",
                    method=method,
                    url=plain_url,
                    status_code=status,
                    request_id=request_id,
                )
            return Response(status=status, data=data, headers=headers)
        request_id = request_id_of(headers)
        if 300 <= status < 400:
            location = headers.get("Location", "?")
            raise APIResponseValidationError(
                f"{method} {plain_url} -> {status}: unexpected redirect to {location} "
                f"(redirects are not followed: the token must not travel){_id_suffix(request_id)}",
                method=method,
                url=plain_url,
                status_code=status,
                request_id=request_id,
            )
        body: Any = data if is_json else self.scrub(text_excerpt(raw))
        retry_after = parse_retry_after(headers.get("Retry-After"))
        cls = AuthenticationError if is_auth_failure(status, body) else status_error_class(status)
        description = self.scrub(describe_body(body)) if body else "(empty body)"
        raise cls(
            f"{method} {plain_url} -> {status}: {description}{_id_suffix(request_id)}",
            method=method,
            url=plain_url,
            status_code=status,
            body=body,
            retry_after=retry_after,
            request_id=request_id,
        )


def _id_suffix(request_id: str | None) -> str:
    return f" (request id: {request_id})" if request_id else ""
