"""Tokens: HS256 JWTs built with the standard library, or opaque tokens (variant).

The token lifetime is measured on the wall clock, not on the emulator's advanced clock,
so ``Emulator.advance()`` moves the dialer without logging every client out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from typing import Any

import attrs

__all__ = ["TokenAuthority", "decode_jwt", "encode_jwt"]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(message: bytes, secret: str) -> str:
    return _b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest())


def encode_jwt(claims: dict[str, Any], secret: str) -> str:
    """Encode ``claims`` as a compact HS256 JWT."""
    header = _b64encode(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    payload = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}"
    return f"{signing_input}.{_sign(signing_input.encode(), secret)}"


def decode_jwt(token: str, secret: str) -> dict[str, Any] | None:
    """The claims of a well-formed, correctly signed HS256 JWT, else None (expiry unchecked)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, payload, signature = parts
    expected = _sign(f"{header}.{payload}".encode(), secret)
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        claims = json.loads(_b64decode(payload))
        alg = json.loads(_b64decode(header)).get("alg")
    except (ValueError, AttributeError):
        return None
    if alg != "HS256" or not isinstance(claims, dict):
        return None
    return claims


@attrs.define
class _Opaque:
    username: str
    expires_at: float


class TokenAuthority:
    """Issues tokens and tells which account a bearer token belongs to."""

    def __init__(self) -> None:
        self._opaque: dict[str, _Opaque] = {}

    def issue(
        self, username: str, user_id: int, *, ttl: float, secret: str, opaque: bool
    ) -> tuple[str, int]:
        """A new token for ``username`` and its lifetime in whole seconds."""
        now = time.time()
        lifetime = max(1, round(ttl))
        if opaque:
            token = secrets.token_hex(20)
            self._opaque[token] = _Opaque(username, now + ttl)
            return token, lifetime
        claims = {
            "token_type": "access",
            "user_id": user_id,
            "username": username,
            # Millisecond NumericDates (RFC 7519 allows fractions): whole seconds would cut
            # up to a second off the lifetime, which short test ttls cannot afford.
            "iat": round(now, 3),
            "exp": round(now + ttl, 3),
            "jti": uuid.uuid4().hex,
        }
        return encode_jwt(claims, secret), lifetime

    def verify(self, token: str, secret: str) -> str | None:
        """The username a valid, unexpired token belongs to, else None."""
        now = time.time()
        opaque = self._opaque.get(token)
        if opaque is not None:
            if opaque.expires_at <= now:
                del self._opaque[token]
                return None
            return opaque.username
        claims = decode_jwt(token, secret)
        if claims is None:
            return None
        exp, username = claims.get("exp"), claims.get("username")
        if not isinstance(exp, (int, float)) or exp <= now or not isinstance(username, str):
            return None
        return username
