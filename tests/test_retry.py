"""The retry rules are pure functions: tables, no sleeping."""

from __future__ import annotations

import pytest

from alice_async import APIConnectionError, APITimeoutError, RetryPolicy, ServerError
from alice_async._exceptions import BadRequestError, RateLimitError
from alice_async._retry import (
    parse_retry_after,
    retry_delay,
    should_retry,
    should_retry_error,
)


@pytest.mark.parametrize(
    ("method", "status", "sent", "expected"),
    [
        # idempotent methods: connection problems and 429/5xx are retried
        ("GET", None, True, True),
        ("GET", None, False, True),
        ("GET", 429, True, True),
        ("GET", 500, True, True),
        ("GET", 502, True, True),
        ("GET", 503, True, True),
        ("GET", 504, True, True),
        ("GET", 400, True, False),
        ("GET", 401, True, False),
        ("GET", 404, True, False),
        ("PUT", 500, True, True),
        ("PUT", None, True, True),
        ("DELETE", 502, True, True),
        # POST: only when the server provably did not process it
        ("POST", None, False, True),  # connect failure: never sent
        ("POST", None, True, False),  # reset or timeout after sending: ambiguous
        ("POST", 429, True, True),
        ("POST", 503, True, True),
        ("POST", 500, True, False),  # processed, then failed
        ("POST", 502, True, False),
        ("POST", 504, True, False),
        ("POST", 400, True, False),
    ],
)
def test_should_retry_table(method: str, status: int | None, sent: bool, expected: bool) -> None:
    assert should_retry(method, status=status, request_sent=sent) is expected


def test_an_idempotent_post_is_retried_like_a_get() -> None:
    assert should_retry("POST", status=500, request_sent=True, idempotent=True)
    assert should_retry("POST", status=None, request_sent=True, idempotent=True)


def test_should_retry_error_reads_the_exception() -> None:
    m, u = "POST", "http://h/x/"
    assert should_retry_error("POST", APIConnectionError("x", method=m, url=u, request_sent=False))
    assert not should_retry_error("POST", APITimeoutError("x", method=m, url=u, request_sent=True))
    assert should_retry_error("GET", APITimeoutError("x", method=m, url=u, request_sent=True))
    assert not should_retry_error("POST", ServerError("x", method=m, url=u, status_code=500))
    assert should_retry_error("POST", RateLimitError("x", method=m, url=u, status_code=429))
    assert not should_retry_error("GET", BadRequestError("x", method=m, url=u, status_code=400))
    assert not should_retry_error("GET", ValueError("not ours"))


POLICY = RetryPolicy(initial_delay=0.5, max_delay=8.0, max_retry_after=60.0)


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (30, 8.0)],
)
def test_backoff_ceiling_doubles_up_to_the_cap(attempt: int, ceiling: float) -> None:
    assert retry_delay(attempt, POLICY, rand=lambda: 1.0) == ceiling
    assert retry_delay(attempt, POLICY, rand=lambda: 0.0) == 0.0
    assert retry_delay(attempt, POLICY, rand=lambda: 0.5) == ceiling / 2


def test_retry_after_is_obeyed_and_capped() -> None:
    assert retry_delay(1, POLICY, retry_after=3.0, rand=lambda: 1.0) == 3.0
    assert retry_delay(1, POLICY, retry_after=3600.0) == 60.0
    assert retry_delay(1, POLICY, retry_after=-5.0) == 0.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-1", None),
        ("soon", None),
        ("nan", None),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),  # 10 s after "now" below
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # in the past
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert parse_retry_after(header, now=now) == expected
