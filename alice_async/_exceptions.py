"""Every exception the SDK raises.

All of them derive from :class:`AliceError`, so ``except AliceError`` catches anything the SDK
raises on purpose. The tree::

    AliceError
    ├── InvalidInputError (also ValueError)    bad input, caught before any request is sent
    ├── ClientStateError (also RuntimeError)   closed client, or used from another event loop
    ├── MissingDependencyError (also ImportError)  an optional extra is not installed
    ├── WaitTimeoutError (also TimeoutError)   ``campaigns.wait`` ran out of time; ``.progress``
    ├── APIError                               something went wrong talking to the server
    │   ├── APIConnectionError                 no usable response (refused, reset, DNS, ...)
    │   │   └── APITimeoutError                connect or total timeout expired
    │   ├── APIResponseValidationError         a response we cannot trust or understand
    │   └── APIStatusError                     the server answered with an error status
    │       ├── BadRequestError          400   ``.errors`` holds the field errors
    │       ├── AuthenticationError      401   (and bad credentials, and auth-403 variants)
    │       ├── PermissionDeniedError    403
    │       ├── NotFoundError            404
    │       ├── ConflictError            409
    │       ├── RateLimitError           429   ``.retry_after`` in seconds, when given
    │       └── ServerError              5xx
    └── BulkUploadError                        (``alice_async.bulk``) a fatal bulk-upload condition

Status errors carry the HTTP ``method``, the ``url`` (never a token), the ``status_code``, the
parsed ``body`` and the server's ``request_id`` (also shown at the end of the message). No
message ever contains the password or the token.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AliceError",
    "AuthenticationError",
    "BadRequestError",
    "ClientStateError",
    "ConflictError",
    "InvalidInputError",
    "MissingDependencyError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "WaitTimeoutError",
]


class AliceError(Exception):
    """Root of every exception raised by alice-sdk."""


class InvalidInputError(AliceError, ValueError):
    """A value handed to the SDK was refused before any request was sent.

    Attributes:
        field: the API field name the value was meant for (``"contact"``, ``"frequency"``...).
        value: the refused value (``"<redacted>"`` for secrets).
        reason: why it was refused.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"invalid {field}={value!r}: {reason}")


class MissingDependencyError(AliceError, ImportError):
    """An optional dependency of the feature asked for is not installed.

    Attributes:
        extra: the ``alice-sdk[...]`` extra that installs it (``"parquet"``, ``"cli"``).
    """

    def __init__(self, message: str, *, extra: str, name: str | None = None) -> None:
        super().__init__(message, name=name)
        self.extra = extra


class ClientStateError(AliceError, RuntimeError):
    """The client cannot be used in its current state (closed, or on another event loop)."""


class APIError(AliceError):
    """A problem talking to the Alice server.

    Attributes:
        method: HTTP method of the request (``"GET"``...).
        url: the request URL (never carries a secret).
        request_id: the id the server (or a proxy in front of it) gave the response, from
            the first of its ``X-Request-ID``, ``Request-Id`` or ``X-Amzn-Trace-Id``
            headers; ``None`` without a response or without such a header. Quote it when
            reporting a problem to the server's operators.
    """

    def __init__(
        self, message: str, *, method: str, url: str, request_id: str | None = None
    ) -> None:
        self.method = method
        self.url = url
        self.request_id = request_id
        super().__init__(message)


class APIConnectionError(APIError):
    """No usable response: connection refused, reset, closed mid-body, DNS failure...

    Attributes:
        request_sent: False only when the request provably never reached the server (the
            connection could not be opened); True when it may have been processed.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        request_sent: bool,
        request_id: str | None = None,
    ) -> None:
        self.request_sent = request_sent
        super().__init__(message, method=method, url=url, request_id=request_id)


class APITimeoutError(APIConnectionError):
    """The connect or the total timeout of a request expired."""


class APIResponseValidationError(APIError):
    """The server's response cannot be trusted or understood.

    Raised for a body that is not the JSON expected (an HTML page with status 200, truncated
    JSON, wrong types), a body over the size cap, and a ``next`` link or redirect to another
    origin (the token is never sent elsewhere).
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        super().__init__(message, method=method, url=url, request_id=request_id)


class APIStatusError(APIError):
    """The server answered with an error status.

    Attributes:
        status_code: the HTTP status.
        body: the parsed JSON body, or a short text excerpt when it was not JSON.
        retry_after: the server's ``Retry-After`` in seconds, when it sent one.
        detail: the ``detail`` message of DRF error bodies, when there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        body: Any = None,
        retry_after: float | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.retry_after = retry_after
        detail = body.get("detail") if isinstance(body, dict) else None
        self.detail: str | None = detail if isinstance(detail, str) else None
        super().__init__(message, method=method, url=url, request_id=request_id)


class BadRequestError(APIStatusError):
    """400: the server refused the request's data.

    ``errors`` maps field names (and ``"non_field_errors"``) to lists of messages, as Django
    REST Framework renders them.
    """

    @property
    def errors(self) -> dict[str, Any]:
        """Field errors as sent by the server (empty when the body was not a JSON object)."""
        return dict(self.body) if isinstance(self.body, dict) else {}


class AuthenticationError(APIStatusError):
    """401 (or an authentication 403): bad credentials, or a token refused after a refresh."""


class PermissionDeniedError(APIStatusError):
    """403: the account may not do this."""


class NotFoundError(APIStatusError):
    """404: no such object in this account (or an invalid page)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the server's state."""


class RateLimitError(APIStatusError):
    """429: throttled. ``retry_after`` is the server's ``Retry-After`` in seconds, if any."""


class ServerError(APIStatusError):
    """5xx: the server or a proxy in front of it failed (often with an HTML page)."""


class WaitTimeoutError(AliceError, TimeoutError):
    """``client.campaigns.wait()`` gave up before the campaign finished.

    Attributes:
        progress: the last :class:`~alice_async.CampaignProgress` seen (``None`` if the time
            ran out before the first snapshot).
    """

    def __init__(self, message: str, *, progress: Any) -> None:
        super().__init__(message)
        self.progress = progress
