"""Configuration of the emulator: accounts, variants, faults, latency, limits.

Everything here is a frozen attrs class with defaults, so a test can say
``EmulatorConfig(variants=Variants(hyperlinked=True))`` and change it later with
``emulator.configure(faults=Faults(rate=0.1))``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import NamedTuple

import attrs

__all__ = ["FAULT_KINDS", "Account", "EmulatorConfig", "Faults", "Latency", "Variants"]

#: Every fault kind :class:`Faults` understands.
FAULT_KINDS = ("502", "503", "500_after", "reset_after", "reset_before", "429", "slow")


class Account(NamedTuple):
    """One user of the emulated server (a Django user of the real one)."""

    username: str
    password: str


@attrs.frozen
class Variants:
    """Switches for the behaviours docs/API.md marks **(variant)**; all off by default."""

    opaque_token: bool = False
    token_key: str = attrs.field(
        default="token", validator=attrs.validators.in_(("token", "access", "access_token"))
    )
    bad_credentials_401: bool = False
    auth_errors_as_403: bool = False
    ignore_page_size: bool = False
    hyperlinked: bool = False
    bulk_atomic: bool = False
    """``bulkcontact/`` in one transaction: 201 on success, 400 with per-contact errors."""
    bulk_atomic_echo: bool = False
    """With ``bulk_atomic``: a success answers 201 with the created rows (the serializer's
    data, as a DRF ``CreateAPIView`` does) instead of ``{"result": ...}``."""
    bulk_drf_errors: bool = False
    """In-order ``bulkcontact/``: a refused row is worded as a DRF server words it,
    ``Contact #N is not valid: {'email': [ErrorDetail(...)]}`` (N counted from 1)."""
    calendar_user_unpaginated: bool = False


def _kinds_tuple(kinds: Iterable[str]) -> tuple[str, ...]:
    return tuple(kinds)


def _optional_tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def _check_kinds(_: object, __: object, kinds: tuple[str, ...]) -> None:
    unknown = [kind for kind in kinds if kind not in FAULT_KINDS]
    if unknown:
        raise ValueError(f"unknown fault kinds {unknown}; known: {', '.join(FAULT_KINDS)}")


@attrs.frozen
class Faults:
    """Random failure injection, decided by ``random.Random(seed)`` request after request.

    ``rate`` is the fraction of eligible requests that get a fault, drawn from ``kinds``.
    ``paths`` restricts eligibility to path prefixes relative to ``/rest-api/``;
    ``get-token/`` is never faulted unless ``exclude_token`` is False. ``limit`` caps the
    faults injected in all (``Faults(rate=1.0, kinds=("502",), limit=1)``: one 502, then
    every request succeeds).
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = attrs.field(
        default=("502", "503", "500_after", "reset_after"),
        converter=_kinds_tuple,
        validator=_check_kinds,
    )
    seed: int = 0
    paths: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    exclude_token: bool = True
    slow_seconds: float = 5.0
    limit: int | None = None


@attrs.frozen
class Latency:
    """Artificial server time: per request, plus per contact uploaded or row served."""

    per_request: float = 0.0
    per_item: float = 0.0


def _random_secret() -> str:
    return secrets.token_urlsafe(32)


@attrs.frozen
class EmulatorConfig:
    """Everything that shapes one emulator instance.

    Args:
        accounts: ``(username, password)`` pairs; the first is the default account.
        token_ttl: lifetime of issued tokens, seconds.
        secret: HS256 key for the JWTs (random per instance by default).
        throttle_rate: requests per second per account (token bucket, burst ``max(1, rate)``).
        throttle_retry_after: a fixed ``Retry-After`` for throttled answers.
        time_factor: how much faster than real time the dialer places and ends calls.
        dialer: run the background dialer task (``advance()`` drives it either way).
        campaign_clock: stamp calls with each campaign's own clock instead of the wall clock:
            it starts with the campaign and runs ``time_factor`` times faster, skips to the
            next opening of the daily window (read at ``campaign_utc_offset``, on the
            campaign's weekdays, not before ``startingdate``) and ENDs the campaign at its
            ``expirationdate``. Calls then spread over the hours of the day as on a real
            server, and their ``starting_date`` may be ahead of the wall clock.
        campaign_utc_offset: hours east of UTC of the daily windows (Vietnam: 7).
        call_retries: calls again a failed subscriber this many times (after the campaign's
            ``intervalretry`` seconds of campaign time) when the campaign's own ``maxretry``
            is 0.
        seed: seed of the dialer's and the CDR generator's random values.
        request_ids: send an ``X-Request-ID`` header with every response, as a proxy or
            gateway in front of the server does (the request's own ``X-Request-ID`` when it
            has a sane one, else a new id); off, responses carry none, as a bare DRF
            server's do.
    """

    accounts: tuple[tuple[str, str], ...] = (("alice", "wonderland"), ("bob", "builder"))
    token_ttl: float = 300.0
    secret: str = attrs.field(factory=_random_secret, repr=False)
    variants: Variants = Variants()
    faults: Faults = Faults()
    throttle_rate: float | None = None
    throttle_retry_after: int | None = None
    latency: Latency = Latency()
    max_page_size: int = 1000
    default_page_size: int = 10
    contact_quota: int = 1_000_000
    time_factor: float = 60.0
    dialer: bool = True
    campaign_clock: bool = False
    campaign_utc_offset: float = 7.0
    call_retries: int = 0
    max_body_bytes: int = 50 * 1024 * 1024
    seed: int = 0
    request_ids: bool = True
