"""The unit of work of a bulk upload: a :class:`Chunk`, its fingerprint, and the retry budget.

A chunk is a run of ``chunk_size`` valid, distinct rows in input order. Its fingerprint (a
digest of its rows and their bodies, plus a 16-bit hash per row) goes into the checkpoint, so
a resumed run can tell that it was given the same input, and name the first row that is not.
"""

from __future__ import annotations

import hashlib
from typing import Any

import anyio
import attrs

from .._exceptions import APIError
from .._retry import RetryPolicy, retry_after_of, retry_delay
from ._checkpoint import ChunkOutcome

__all__ = ["Attempts", "Chunk", "Fatal", "fingerprint"]


class Fatal(Exception):
    """Stops the upload; becomes a :class:`BulkUploadError` once the checkpoint is saved."""

    def __init__(self, message: str, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


@attrs.define(eq=False)
class Chunk:
    """A chunk of valid, distinct contacts (``rows[i]`` is the input row of ``bodies[i]``)."""

    index: int
    rows: list[int]
    bodies: list[dict[str, Any]]
    keys: list[int]
    """The canonical key of each body's number."""
    outcome: ChunkOutcome = attrs.field(factory=ChunkOutcome)
    pending: list[int] | None = None
    """Positions still to send, ascending; ``None`` for all of them."""
    suspect: bool = False
    """An earlier request of this chunk may still land: check "duplicated" answers."""
    unverified: list[int] = attrs.field(factory=list)
    """Resumed chunk: positions counted as created without a lookup of their own."""

    def number(self, position: int) -> str:
        number: str = self.bodies[position]["contact"]
        return number

    def duplicate(self, position: int) -> None:
        self.outcome.duplicates.append((self.rows[position], self.number(position)))

    def do_not_call(self, position: int) -> None:
        self.outcome.do_not_call.append((self.rows[position], self.number(position)))

    def server_invalid(self, position: int, field: str, message: str) -> None:
        self.outcome.invalid.append((self.rows[position], field, message))


def fingerprint(rows: list[int], bodies: list[dict[str, Any]]) -> tuple[str, str]:
    """``(digest of the whole chunk, 4 hex digits per row)`` of a chunk's rows and bodies."""
    whole = hashlib.blake2b(digest_size=12)
    per_row: list[str] = []
    for row, body in zip(rows, bodies, strict=True):
        data = f"{row}\x1f{sorted(body.items())!r}".encode()
        whole.update(data)
        per_row.append(hashlib.blake2b(data, digest_size=2).hexdigest())
    return whole.hexdigest(), "".join(per_row)


@attrs.define
class Attempts:
    """Failures in a row of one request (or lookup), and the waits between them.

    Faults are waited out with the client's retry policy (``_retry``): exponential back-off
    with jitter, or the server's ``Retry-After``. 429s have a budget ten times larger than
    other failures, since a throttle says "later", not "broken".
    """

    policy: RetryPolicy
    max_retries: int
    failures: int = 0
    throttled: int = 0

    def reset(self) -> None:
        self.failures = self.throttled = 0

    async def after_throttle(self, error: APIError) -> None:
        self.throttled += 1
        await self._wait(self.throttled, 10 * max(1, self.max_retries), error)

    async def after_failure(self, error: APIError) -> None:
        self.failures += 1
        await self._wait(self.failures, self.max_retries, error)

    def count_failure(self, error: APIError) -> None:
        """Count a failure that is settled by lookups instead of a wait."""
        self.failures += 1
        if self.failures > self.max_retries:
            raise Fatal(
                f"a chunk failed {self.failures} times in a row; last error: {error}", "retries"
            ) from error

    async def _wait(self, spent: int, budget: int, error: APIError) -> None:
        if spent > budget:
            raise Fatal(
                f"a chunk failed {spent} times in a row; last error: {error}", "retries"
            ) from error
        await anyio.sleep(retry_delay(spent, self.policy, retry_after=retry_after_of(error)))
