"""One API request, from arguments to parsed JSON: the only module that touches aiohttp.

It adds the bearer token, sends, reads the body (capped), decodes it, maps failures to the
SDK's exceptions (chained to the aiohttp ones), replays once after a refused token, and runs
the retry loop (``backoff`` with the pure rules of :mod:`._retry`). Nothing here logs or raises
a secret: the Authorization header is never logged, bodies are never logged, and the password
and token are scrubbed from any text taken from a response.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Mapping
from typing import Any, NoReturn
from urllib.parse import urljoin

import aiohttp
import attrs
import backoff
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
from ._retry import RetryPolicy, parse_retry_after, should_retry_error, wait_generator
from ._types import Timeout

__all__ = ["Response", "Transport", "is_auth_failure", "same_origin"]

logger = logging.getLogger("alice_async")

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


def is_auth_failure(status: int, body: Any) -> bool:
    """Whether a response means "your token is missing, expired or invalid".

    True for every 401, and for a 403 whose ``detail`` speaks of credentials or the token (the
    lineage's session authenticator turns 401s into 403s; REFERENCE §2 variant).
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
    """A per-call ``max_retries``: an integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError("max_retries", value, "must be an integer >= 0")
    return value


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
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.base_url = base_url
        self.session = session
        self.tokens = tokens
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_policy = retry_policy
        self.max_response_bytes = max_response_bytes
        self._secrets = tuple(s for s in secrets if s)
        self.retries = 0
        """Retries made so far (all requests); read by benchmarks and the chaos suite."""

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
        return URL(urljoin(str(self.base_url), path.lstrip("/")), encoded=True)

    def scrub(self, text: str) -> str:
        """Remove the password and the current token from text taken from a response."""
        secrets = self._secrets
        current = self.tokens._current
        if current is not None:
            secrets = (*secrets, current.value)
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
        authenticated: bool = True,
        idempotent: bool | None = None,
    ) -> Response:
        """Send a request with retries; return the decoded success response.

        ``idempotent`` overrides what the method implies for the retry rules.

        Raises:
            APIStatusError: (a subclass of) for error statuses, after retries.
            APIConnectionError: no response, after retries.
            APIResponseValidationError: an unusable response.
        """
        url = self.url_for(path)
        if params:
            url = url.update_query(params)
        body = None if json is None else encode_body(json)
        limits = timeout or self.timeout
        client_timeout = aiohttp.ClientTimeout(
            total=_finite(limits.total), connect=_finite(limits.connect)
        )
        retries = self.max_retries if max_retries is None else retry_count(max_retries)

        async def attempt() -> Response:
            return await self._send_once(method, url, body, client_timeout, authenticated)

        if retries <= 0:
            return await attempt()

        def giveup(error: Exception) -> bool:
            return not should_retry_error(method, error, idempotent=idempotent)

        def on_backoff(details: Any) -> None:
            self.retries += 1
            error = details.get("exception")
            logger.debug(
                "retry %d/%d of %s %s in %.2fs after %s",
                details["tries"],
                retries,
                method,
                url.with_query(None),
                details["wait"],
                self.scrub(str(error)),
            )

        def on_giveup(details: Any) -> None:
            error = details.get("exception")
            logger.debug(
                "not retrying %s %s after %d attempt(s): %s",
                method,
                url.with_query(None),
                details["tries"],
                self.scrub(str(error)),
            )

        retrying = backoff.on_exception(
            wait_generator,
            APIError,
            max_tries=retries + 1,
            giveup=giveup,
            jitter=None,
            on_backoff=on_backoff,
            on_giveup=on_giveup,
            policy=self.retry_policy,
            logger=None,
        )(attempt)
        result: Response = await retrying()
        return result

    async def _send_once(
        self,
        method: str,
        url: URL,
        body: bytes | None,
        timeout: aiohttp.ClientTimeout,
        authenticated: bool,
    ) -> Response:
        """One attempt, plus one replay when the token was refused."""
        if not authenticated:
            return await self._exchange(method, url, body, timeout, token=None)
        token = await self.tokens.get()
        try:
            return await self._exchange(method, url, body, timeout, token=token)
        except AuthenticationError:
            if not self.tokens.can_refresh:
                raise
            self.tokens.invalidate(token)
            logger.debug("token refused on %s %s; re-authenticating once", method, url.path)
        token = await self.tokens.get()
        return await self._exchange(method, url, body, timeout, token=token)

    async def _exchange(
        self,
        method: str,
        url: URL,
        body: bytes | None,
        timeout: aiohttp.ClientTimeout,
        *,
        token: str | None,
    ) -> Response:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        try:
            async with self.session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            ) as resp:
                raw = await self._read_capped(resp, method, url)
                status = resp.status
                response_headers = resp.headers
        except APIError:
            raise
        except aiohttp.ConnectionTimeoutError as exc:
            self._raise_timeout(method, url, exc, sent=False)
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            self._raise_timeout(method, url, exc, sent=True)
        except aiohttp.ClientConnectorError as exc:
            raise APIConnectionError(
                f"{method} {url.with_query(None)}: cannot connect ({exc.os_error.strerror or exc})",
                method=method,
                url=str(url.with_query(None)),
                request_sent=False,
            ) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise APIConnectionError(
                f"{method} {url.with_query(None)}: connection failed after sending "
                f"({type(exc).__name__}: {self.scrub(str(exc)) or 'no detail'})",
                method=method,
                url=str(url.with_query(None)),
                request_sent=True,
            ) from exc
        logger.debug(
            "%s %s -> %d (%.3fs, %d bytes)",
            method,
            url,
            status,
            time.perf_counter() - started,
            len(raw),
        )
        return self._decode(method, url, status, raw, response_headers)

    def _raise_timeout(self, method: str, url: URL, exc: BaseException, *, sent: bool) -> NoReturn:
        phase = "read" if sent else "connect"
        raise APITimeoutError(
            f"{method} {url.with_query(None)}: {phase} timeout",
            method=method,
            url=str(url.with_query(None)),
            request_sent=sent,
        ) from exc

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
        if raw.strip():
            try:
                data = _json.loads(raw)
                is_json = True
            except ValueError:
                data = None
        else:
            is_json = True  # an empty body is a valid "no content"
        plain_url = str(url.with_query(None))
        if 200 <= status < 300:
            if not is_json:
                content_type = headers.get("Content-Type", "?")
                raise APIResponseValidationError(
                    f"{method} {plain_url} -> {status}: expected JSON, got {content_type}: "
                    f"{self.scrub(text_excerpt(raw))!r}",
                    method=method,
                    url=plain_url,
                    status_code=status,
                )
            return Response(status=status, data=data, headers=headers)
        if 300 <= status < 400:
            location = headers.get("Location", "?")
            raise APIResponseValidationError(
                f"{method} {plain_url} -> {status}: unexpected redirect to {location} "
                "(redirects are not followed: the token must not travel)",
                method=method,
                url=plain_url,
                status_code=status,
            )
        body: Any = data if is_json else self.scrub(text_excerpt(raw))
        retry_after = parse_retry_after(headers.get("Retry-After"))
        cls = AuthenticationError if is_auth_failure(status, body) else status_error_class(status)
        description = self.scrub(describe_body(body)) if body else "(empty body)"
        raise cls(
            f"{method} {plain_url} -> {status}: {description}",
            method=method,
            url=plain_url,
            status_code=status,
            body=body,
            retry_after=retry_after,
        )
