"""The token manager: one token for the whole client, fetched once, refreshed before expiry.

``get-token/`` answers with the token under ``token``, ``access`` or ``access_token``; its
lifetime comes from ``expires_in``, else from the JWT ``exp`` claim (the payload is decoded
here, never verified: the server verifies it), else it is unknown and assumed short.

Single flight: however many requests need a token at once, exactly one login is made; the
others wait for it and share its outcome, failure included. Bad credentials cost one
``get-token/`` request and every waiter raises the same :class:`AuthenticationError`; a
transient failure (5xx, reset) is retried by that one login under the retry policy, and if it
still fails every waiter raises that error (the transport does not retry it per waiter). When
a request is refused with 401 the transport calls :meth:`TokenManager.invalidate` with the
token it used and asks again: only the first of many concurrent refusals causes a refresh.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from ._exceptions import APIResponseValidationError, AuthenticationError

__all__ = ["TokenInfo", "TokenLifetime", "TokenManager", "jwt_expiry", "parse_token_response"]

TOKEN_KEYS = ("token", "access", "access_token")
UNKNOWN_LIFETIME = 300.0
"""Assumed lifetime (seconds) of a token whose expiry cannot be learnt."""
MAX_REFRESH_MARGIN = 30.0


@attrs.frozen(repr=False)
class TokenInfo:
    """A token and when it expires (``time.monotonic()`` clock)."""

    value: str
    expires_at: float

    def __repr__(self) -> str:
        return f"TokenInfo(value=<redacted>, expires_at={self.expires_at:.1f})"


@attrs.frozen
class TokenLifetime:
    """What :meth:`AliceClient.authenticate` tells of the client's token (never the token).

    Attributes:
        expires_at: when it expires (UTC), or ``None`` when unknown (a fixed ``token=`` that
            is not a JWT).
        refreshable: whether the client logs in again by itself (credentials were given).
    """

    expires_at: dt.datetime | None
    refreshable: bool


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (a Unix time) of a JWT, without verifying it; ``None`` if not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    return float(exp)


def parse_token_response(
    body: Any, *, now_wall: float, now_mono: float, url: str = ""
) -> TokenInfo:
    """Read a ``get-token/`` success body into a :class:`TokenInfo`.

    Raises:
        APIResponseValidationError: no token under any of the known keys.
    """
    token: object = None
    if isinstance(body, Mapping):
        for key in TOKEN_KEYS:
            token = body.get(key)
            if token:
                break
    if not isinstance(token, str) or not token:
        keys = sorted(body) if isinstance(body, Mapping) else type(body).__name__
        raise APIResponseValidationError(
            f"get-token/ answered without a token (keys: {keys})", method="POST", url=url
        )
    lifetime: float | None = None
    expires_in = body.get("expires_in") if isinstance(body, Mapping) else None
    if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool):
        lifetime = float(expires_in)
    elif isinstance(expires_in, str):
        try:
            lifetime = float(expires_in)
        except ValueError:
            lifetime = None
    if lifetime is None:
        exp = jwt_expiry(token)
        if exp is not None:
            lifetime = exp - now_wall
    if lifetime is None:
        lifetime = UNKNOWN_LIFETIME
    return TokenInfo(value=token, expires_at=now_mono + lifetime)


def refresh_margin(lifetime: float) -> float:
    """How long before expiry to refresh: a tenth of the lifetime, at most 30 seconds."""
    return max(0.0, min(MAX_REFRESH_MARGIN, lifetime * 0.1))


class TokenManager:
    """Hands out a valid bearer token; refreshes it single-flight.

    Args:
        fetch: performs ``POST get-token/`` and returns the parsed :class:`TokenInfo`; it
            raises :class:`AuthenticationError` for bad credentials.
        fixed_token: a token given by the user; it is never refreshed.
        can_refresh: whether credentials are available to fetch a token.
        clock: monotonic clock (injectable for tests).
    """

    def __init__(
        self,
        fetch: Callable[[], Awaitable[TokenInfo]],
        *,
        fixed_token: str | None = None,
        can_refresh: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._can_refresh = can_refresh
        self._login: asyncio.Future[TokenInfo] | None = None
        self._current: TokenInfo | None = None
        self._refresh_at = 0.0
        self.refreshes = 0
        if fixed_token is not None:
            self._current = TokenInfo(value=fixed_token, expires_at=float("inf"))
            self._refresh_at = float("inf")

    def __repr__(self) -> str:
        state = "valid" if self._is_fresh() else "none"
        return f"<TokenManager token={state} refreshes={self.refreshes}>"

    @property
    def can_refresh(self) -> bool:
        """Whether a refused token can be replaced (credentials were given)."""
        return self._can_refresh

    def _is_fresh(self) -> bool:
        return self._current is not None and self._clock() < self._refresh_at

    @property
    def current(self) -> str | None:
        """The token in use (fresh or not), or ``None``: for scrubbing it from text."""
        return None if self._current is None else self._current.value

    def fresh(self) -> str | None:
        """The token when :meth:`get` would return it at once (a fresh one, or a fixed one),
        else ``None``: without a coroutine."""
        current = self._current
        if current is not None and (self._clock() < self._refresh_at or not self._can_refresh):
            return current.value
        return None

    async def get(self) -> str:
        """A token that is not about to expire; logs in (once for all callers) when needed.

        Raises:
            AuthenticationError: no credentials, or the server refused them (one request,
                shared by every caller waiting on it).
            APIError: the login failed otherwise, after its retries.
        """
        current = self._current
        if current is not None and self._clock() < self._refresh_at:
            return current.value
        if not self._can_refresh:
            if current is not None:
                return current.value
            raise AuthenticationError(
                "no credentials: pass username and password (or ALICE_USERNAME and "
                "ALICE_PASSWORD), or token=",
                method="POST",
                url="get-token/",
                status_code=401,
            )
        login = self._login
        if login is None:
            login = asyncio.ensure_future(self._log_in())
            login.add_done_callback(_retrieve_exception)
            self._login = login
        # shield: one waiter being cancelled must not cancel the login the others wait on.
        info = await asyncio.shield(login)
        return info.value

    async def _log_in(self) -> TokenInfo:
        try:
            info = await self._fetch()
        finally:
            self._login = None
        now = self._clock()
        self._current = info
        self._refresh_at = info.expires_at - refresh_margin(info.expires_at - now)
        self.refreshes += 1
        return info

    def lifetime(self) -> TokenLifetime:
        """The current token's expiry on the wall clock (see :class:`TokenLifetime`)."""
        current = self._current
        expires: float | None = None
        if current is not None and current.expires_at != float("inf"):
            expires = time.time() + (current.expires_at - self._clock())
        elif current is not None:
            expires = jwt_expiry(current.value)
        return TokenLifetime(
            expires_at=None
            if expires is None
            else dt.datetime.fromtimestamp(round(expires), dt.timezone.utc),
            refreshable=self._can_refresh,
        )

    def invalidate(self, token: str) -> bool:
        """Forget ``token`` after the server refused it; True if it was the current one.

        A later :meth:`get` fetches a new token, unless another request already did.
        """
        current = self._current
        if current is None or current.value != token or not self._can_refresh:
            return False
        self._refresh_at = 0.0
        return True


def _retrieve_exception(login: asyncio.Future[TokenInfo]) -> None:
    # Every waiter may have been cancelled: mark the outcome seen so asyncio does not log it.
    if not login.cancelled():
        login.exception()
