"""Resuming from a checkpoint: which chunks to skip, and settling the ones that may have been sent.

A rerun rebuilds the same chunks from the same input. Each rebuilt chunk is first checked
against the fingerprint the checkpoint holds (a different input is refused). Finished chunks
are skipped; chunks below ``started_upto`` may have reached the server, so they are collected
and settled together by :meth:`Resume.settle` before anything new is sent: a search over each
chunk finds what it saved, and the total is checked against the phonebook's size (see
"Deviation from a plain binary search" in :mod:`alice_async.bulk`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio

from ._checkpoint import Checkpoint, ChunkOutcome
from ._chunks import Chunk
from ._reconcile import Lookups, Presence

__all__ = ["Resume"]


class Resume:
    """The chunks an earlier run may have left half done."""

    def __init__(self, loaded: Checkpoint | None, path: Path | None) -> None:
        self.path = path
        self.upto = 0 if loaded is None else loaded.started_upto
        self.partial: dict[int, ChunkOutcome] = {} if loaded is None else loaded.partial
        self.waiting: list[Chunk] = []

    def take(self, chunk: Chunk) -> bool:
        """Keep ``chunk`` for :meth:`settle` when an earlier run may have sent it."""
        if chunk.index >= self.upto:
            return False
        known = self.partial.get(chunk.index)
        if known is not None:
            chunk.outcome = known.known()
        self.waiting.append(chunk)
        return True

    async def settle(
        self,
        lookups: Lookups,
        concurrency: int,
        state: Checkpoint,
        phonebook_count: Callable[[], Awaitable[int]],
    ) -> list[Chunk]:
        """Settle the waiting chunks; return them (``pending`` says what is left to send)."""
        chunks, self.waiting = self.waiting, []
        if not chunks:
            return []
        limiter = anyio.CapacityLimiter(concurrency)

        async def settle(chunk: Chunk) -> None:
            async with limiter:
                settled = chunk.outcome.settled_rows()
                positions = [p for p, row in enumerate(chunk.rows) if row not in settled]
                created, pending, _ = await lookups.settle(chunk, positions)
                chunk.outcome.created += len(created)
                chunk.unverified = created
                chunk.pending = pending

        async with anyio.create_task_group() as group:
            for chunk in chunks:
                group.start_soon(settle, chunk)
        claimed = sum(o.created for o in state.completed.values())
        claimed += sum(chunk.outcome.created for chunk in chunks)
        if claimed != await phonebook_count() - state.phonebook_count:
            # Some position counted as created may be a duplicate the server stopped at in
            # an earlier run (or someone else wrote to the phonebook): look each one up.
            async with anyio.create_task_group() as group:
                for chunk in chunks:
                    for position in chunk.unverified:
                        group.start_soon(_verify, lookups, chunk, position, limiter)
            for chunk in chunks:
                chunk.pending = sorted(chunk.pending or [])
        for chunk in chunks:
            chunk.unverified = []
            chunk.suspect = bool(chunk.pending)
        return chunks


async def _verify(
    lookups: Lookups, chunk: Chunk, position: int, limiter: anyio.CapacityLimiter
) -> None:
    """Look up one number counted as created; correct the count if it was not ours."""
    async with limiter:
        presence = await lookups.presence(chunk.number(position))
    if presence is Presence.OURS:
        return
    chunk.outcome.created -= 1
    if presence is Presence.OTHER:
        chunk.duplicate(position)
    else:
        chunk.pending = [*(chunk.pending or []), position]
