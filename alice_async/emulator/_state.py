"""The live state one emulator serves from: config, store, clock, tokens, counters.

Also the two per-request policies that keep state of their own: the fault dice
(:class:`FaultInjector`) and the per-account token buckets (:class:`Throttle`).
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, deque
from typing import Any

import attrs

from ._auth import TokenAuthority
from ._config import Account, EmulatorConfig, Faults
from ._store import Store
from ._time import Clock

__all__ = ["EmulatorState", "FaultInjector", "Stats", "Throttle"]

RECENT_HEADERS = 1000


class Stats:
    """What the emulator has seen; plain attributes, reset with :meth:`reset`.

    Attributes:
        requests: ``(METHOD, route template)`` → count, e.g. ``("POST", "bulkcontact/")``.
        token_requests: calls of ``get-token/``, successful or not.
        token_outcomes: ``get-token/`` calls by outcome: ``"issued"``, ``"bad_credentials"``,
            ``"invalid"`` (a malformed body) or an injected fault kind (``"502"``,
            ``"reset_after"``...); a token issued and then lost to a fault counts under both.
        tokens_issued: tokens handed out.
        faults: fault kind → injected count.
        throttled: requests answered 429 by the throttle.
        auth_failures: requests refused for a missing, invalid or expired token.
        last_headers: the headers of the most recent request.
        last_query: the query parameters of the most recent request.
        recent_headers: the headers of the latest requests (up to 1000), oldest first.
    """

    requests: Counter[tuple[str, str]]
    token_requests: int
    token_outcomes: Counter[str]
    tokens_issued: int
    faults: Counter[str]
    throttled: int
    auth_failures: int
    last_headers: dict[str, str]
    last_query: dict[str, str]
    recent_headers: deque[dict[str, str]]

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.requests = Counter()
        self.token_requests = 0
        self.token_outcomes = Counter()
        self.tokens_issued = 0
        self.faults = Counter()
        self.throttled = 0
        self.auth_failures = 0
        self.last_headers = {}
        self.last_query = {}
        self.recent_headers = deque(maxlen=RECENT_HEADERS)


class FaultInjector:
    """Decides, request after request, which fault (if any) to inject."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)
        self._injected = 0

    def draw(self, relative_path: str) -> str | None:
        faults = self.faults
        if faults.rate <= 0 or not faults.kinds:
            return None
        if faults.exclude_token and relative_path.startswith("get-token/"):
            return None
        if faults.paths is not None and not relative_path.startswith(faults.paths):
            return None
        if faults.limit is not None and self._injected >= faults.limit:
            return None
        if self._random.random() >= faults.rate:
            return None
        self._injected += 1
        return self._random.choice(faults.kinds)


@attrs.define
class _Bucket:
    tokens: float
    updated: float


class Throttle:
    """Token buckets per account: ``rate`` per second, burst ``max(1, rate)``."""

    def __init__(self) -> None:
        self._buckets: dict[str, _Bucket] = {}

    def reset(self) -> None:
        self._buckets.clear()

    def wait_for(self, account: str, rate: float) -> float:
        """Take a token and return 0, or return the seconds until one is available."""
        now = time.monotonic()
        burst = max(1.0, rate)
        bucket = self._buckets.setdefault(account, _Bucket(burst, now))
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate

    @staticmethod
    def retry_after(wait: float) -> int:
        return max(1, math.ceil(wait))


class EmulatorState:
    """Everything the request handlers and the dialer share."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.accounts = tuple(Account(username, password) for username, password in config.accounts)
        self.clock = Clock()
        self.store = Store(self.accounts, self.clock)
        self.stats = Stats()
        self.tokens = TokenAuthority()
        self.throttle = Throttle()
        self.faults = FaultInjector(config.faults)
        self.config = config

    def configure(self, **changes: Any) -> None:
        """Replace config fields; new faults restart their dice, a new rate its buckets."""
        new = attrs.evolve(self.config, **changes)
        if new.faults != self.config.faults or "faults" in changes:
            self.faults = FaultInjector(new.faults)
        if new.throttle_rate != self.config.throttle_rate:
            self.throttle.reset()
        self.config = new

    def find_account(self, name: str) -> Account | None:
        """The account whose username (or ``<username>@example.com``) is ``name``."""
        for account in self.accounts:
            if name in (account.username, f"{account.username}@example.com"):
                return account
        return None
