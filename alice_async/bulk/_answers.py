"""Applying the answers of ``bulkcontact/`` to a chunk, without trusting the wording of errors.

``{"result": ...}``, or any other 2xx without an ``error`` (the all-or-nothing variant
answers 201 with the created rows, as a DRF ``CreateAPIView`` does), means every contact of
the request was saved. ``{"error": "..."}`` means the server stopped the request: refusals of
the whole request (phonebook, quota, empty data) stop the upload; for the rest the answer is
read as "some prefix was saved, the next row was refused". The documented duplicate wording
(``The contact duplicated (N)!``) says where; for any other wording (``Contact #1 is not
valid: ...`` from a DRF server, or something new) the server is asked what it kept, with the
lookups of :mod:`._reconcile`, and the refusal is attributed to the first row not saved. A
400 of the all-or-nothing variant saved nothing: its refused rows are reported and the rest
is sent again.
"""

from __future__ import annotations

import re
from typing import Any

from .._exceptions import BadRequestError
from ._chunks import Chunk, Fatal
from ._reconcile import Lookups, Presence

__all__ = ["Answers", "fatal_refusal"]

_DUPLICATED = re.compile(r"The contact duplicated \((.*)\)!", re.DOTALL)
_FIRST_FIELD = re.compile(r"['\"](\w+)['\"]\s*:")
_REQUEST_REFUSALS = (
    ("phonebook", "phonebook"),
    ("too many contacts", "quota"),
    ("data set is empty", "protocol"),
)


class Answers:
    """What each answer means for a chunk; returns the positions still to send."""

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self.stops = 0
        """Requests the server stopped at a duplicate (drives reading the account's numbers)."""

    async def on_answer(
        self, chunk: Chunk, positions: list[int], status: int, data: Any
    ) -> list[int]:
        """Apply a 2xx answer."""
        error = data.get("error") if isinstance(data, dict) else None
        if error is None:
            chunk.outcome.created += len(positions)
            return []
        if not isinstance(error, str):
            raise Fatal(f"bulkcontact/ answered {status} with {str(data)[:200]!r}", "protocol")
        refusal = fatal_refusal(error)
        if refusal is not None:
            raise refusal
        duplicated = _DUPLICATED.search(error)
        if duplicated is not None:
            where = _position_of(chunk, positions, duplicated.group(1))
            if where is not None:
                self.stops += 1
                chunk.outcome.created += where
                await self.settle_duplicate(chunk, positions[where])
                return positions[where + 1 :]
        return await self._stopped(chunk, positions, error)

    async def _stopped(self, chunk: Chunk, positions: list[int], error: str) -> list[int]:
        """A stop in words we do not rely on: ask the server what it kept."""
        saved, rest, others = await self.lookups.settle(chunk, positions)
        chunk.outcome.created += len(saved)
        first_other = min(others, default=None)
        if not rest or (first_other is not None and first_other < rest[0]):
            self.stops += 1
            return rest  # stopped at a number already in the account (reported by settle)
        refused = rest[0]
        presence = await self.lookups.presence(chunk.number(refused))
        if presence is Presence.OTHER:
            self.stops += 1
            chunk.duplicate(refused)
        elif presence is Presence.OURS:
            chunk.outcome.created += 1  # saved after all (a late write): nothing was refused
        else:
            message = error.strip()
            field = _FIRST_FIELD.search(message)
            chunk.server_invalid(refused, field.group(1) if field else "row", message)
        return rest[1:]

    async def on_refused(
        self, chunk: Chunk, positions: list[int], exc: BadRequestError
    ) -> list[int]:
        """Apply a 400 of the all-or-nothing variant (nothing was saved)."""
        errors = exc.errors
        items = errors.get("contacts")
        if not isinstance(items, list) or len(items) != len(positions):
            text = " ".join(str(v) for v in errors.values()) or str(exc)
            raise fatal_refusal(text, default="protocol", cause=exc) or Fatal(text, "protocol")
        refused: set[int] = set()
        for index, item in enumerate(items):
            if not item:
                continue
            if not isinstance(item, dict):
                raise Fatal(f"the server refused the upload: {item}", "protocol") from exc
            position = positions[index]
            refused.add(position)
            field, message = next(iter(item.items()))
            text = " ".join(str(m) for m in message) if isinstance(message, list) else str(message)
            if field == "contact" and "duplicat" in text.lower():
                await self.settle_duplicate(chunk, position)
            elif await self.lookups.presence(chunk.number(position)) is Presence.OTHER:
                chunk.duplicate(position)
            else:
                chunk.server_invalid(position, str(field), text)
        if not refused:
            raise Fatal(f"the server refused the upload: {errors}", "protocol") from exc
        return [p for p in positions if p not in refused]

    async def settle_duplicate(self, chunk: Chunk, position: int) -> None:
        """A number the server called a duplicate: ours (an earlier request landed) or not."""
        if chunk.suspect:
            presence = await self.lookups.presence(chunk.number(position))
            if presence is Presence.OURS:
                chunk.outcome.created += 1
                return
        chunk.duplicate(position)


def _position_of(chunk: Chunk, positions: list[int], number: str) -> int | None:
    for where, position in enumerate(positions):
        if chunk.number(position) == number:
            return where
    return None


def fatal_refusal(
    message: str, *, default: str | None = None, cause: BaseException | None = None
) -> Fatal | None:
    """The :class:`Fatal` for a refusal of the whole request, or ``None`` for a row's."""
    lowered = message.lower()
    reason = next((r for words, r in _REQUEST_REFUSALS if words in lowered), default)
    if reason is None:
        return None
    fatal = Fatal(f"the server refused the upload: {message.strip()}", reason)
    fatal.__cause__ = cause
    return fatal
