"""The retry policy, as pure functions.

Whether to retry is decided from the request's method and what went wrong; how long to wait
from the attempt number and the server's ``Retry-After``. Nothing here sleeps or does I/O, so
the rules are tested as tables (``tests/test_retry.py``). :mod:`._transport` drives the loop,
:mod:`._throttle` the pause after a 429, the bulk upload its chunks; none restates a rule.

The one rule that matters most: a POST creates things and the server has no idempotency keys,
so a POST is replayed only when the server provably did not process it (the connection was
never opened, or the answer was 429 or 503, which are given before any work is done). After a
timeout, a reset after sending or a 500, replaying could create a second campaign.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable

import attrs

from ._exceptions import APIConnectionError, APIStatusError

__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRYABLE_STATUSES",
    "UNPROCESSED_STATUSES",
    "RetryPolicy",
    "parse_retry_after",
    "retry_after_of",
    "retry_delay",
    "should_retry",
    "should_retry_error",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
UNPROCESSED_STATUSES = frozenset({429, 503})
"""Statuses that say the request was refused before the server did any work."""


@attrs.frozen
class RetryPolicy:
    """How long to wait between attempts.

    Args:
        initial_delay: the first back-off ceiling in seconds; it doubles per attempt.
        max_delay: the largest back-off ceiling (full jitter: the wait is uniform in
            ``[0, ceiling]``).
        max_retry_after: the longest ``Retry-After`` the client will honour; longer values are
            capped to it.
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0


def should_retry(
    method: str, *, status: int | None, request_sent: bool, idempotent: bool | None = None
) -> bool:
    """Tell whether a failed attempt may be replayed.

    Args:
        method: the HTTP method, upper case.
        status: the HTTP status received, or ``None`` when there was no response.
        request_sent: with no response: whether the request may have reached the server.
        idempotent: overrides what the method implies (``get-token/`` is a POST that is safe
            to replay).
    """
    safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
    if status is None:
        return safe or not request_sent
    if safe:
        return status in RETRYABLE_STATUSES
    return status in UNPROCESSED_STATUSES


def should_retry_error(
    method: str, error: BaseException, *, idempotent: bool | None = None
) -> bool:
    """Apply :func:`should_retry` to an exception raised by one attempt."""
    if isinstance(error, APIStatusError):
        return should_retry(
            method, status=error.status_code, request_sent=True, idempotent=idempotent
        )
    if isinstance(error, APIConnectionError):
        return should_retry(
            method, status=None, request_sent=error.request_sent, idempotent=idempotent
        )
    return False


def retry_delay(
    attempt: int,
    policy: RetryPolicy,
    *,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 for the first retry).

    A server's ``Retry-After`` is obeyed (capped at ``policy.max_retry_after``); otherwise
    exponential back-off with full jitter, capped at ``policy.max_delay``.
    """
    if retry_after is not None:
        return max(0.0, min(retry_after, policy.max_retry_after))
    ceiling = min(policy.max_delay, policy.initial_delay * (2 ** max(0, attempt - 1)))
    return float(ceiling * rand())


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Read a ``Retry-After`` header: delay-seconds or an HTTP date; ``None`` if absent/bad."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        current = time.time() if now is None else now
        return max(0.0, when.timestamp() - current)
    if seconds != seconds or seconds < 0:  # NaN or negative
        return None
    return seconds


def retry_after_of(error: BaseException) -> float | None:
    """The ``Retry-After`` carried by an error, if any."""
    return error.retry_after if isinstance(error, APIStatusError) else None
