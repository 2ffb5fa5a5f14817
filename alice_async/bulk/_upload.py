"""The bulk-upload engine: streaming the input into chunks, sending them concurrently,
settling every outcome exactly once, and keeping the checkpoint.

The argument for exactly-once is in the package docstring (:mod:`alice_async.bulk`).
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import attrs
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from .._converter import converter
from .._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from .._pagination import RawPage, parse_envelope
from .._retry import retry_delay
from .._validation import int_range, object_id
from ..models.contacts import Contact
from ..resources.contacts import contact_body
from ._checkpoint import Checkpoint, ChunkOutcome
from ._limiter import Gate
from ._reconcile import Presence, find_frontier, presence_of
from ._result import BulkDuplicate, BulkInvalidRow, BulkResult, BulkUploadError, DuplicateReason
from ._rows import number_key, row_body

if TYPE_CHECKING:
    import os

    from .._client import AliceClient

__all__ = ["ContactRows", "ProgressCallback", "bulk_create"]

ContactRows = Iterable[Any] | AsyncIterable[Any]
"""What ``contacts=`` accepts: an iterable or async iterable of ContactInput or dicts."""

ProgressCallback = Callable[[int, "int | None", float], object]
"""``on_progress(done_rows, total_rows_or_None, rows_per_second)``."""

DEFAULT_MAX_RETRIES = 10
_DUPLICATED = re.compile(r"The contact duplicated \((.*)\)!", re.DOTALL)
_ROW_NOT_VALID = re.compile(r"Contact (\d+) is not valid: (.*)", re.DOTALL)
_FIRST_FIELD = re.compile(r"['\"](\w+)['\"]\s*:")
_QUOTA = "too many contacts"
_PHONEBOOK = "phonebook is not valid"


class _Fatal(Exception):
    """Stops the upload; becomes a :class:`BulkUploadError` once the checkpoint is saved."""

    def __init__(self, message: str, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


@attrs.define(eq=False)
class _Chunk:
    """A chunk of valid, distinct contacts (``rows[i]`` is the input row of ``bodies[i]``)."""

    index: int
    rows: list[int]
    bodies: list[dict[str, Any]]
    outcome: ChunkOutcome = attrs.field(factory=ChunkOutcome)
    pending: list[int] | None = None
    """Positions still to send, ascending; ``None`` for all of them."""
    suspect: bool = False
    """An earlier request of this chunk may still land: check "duplicated" answers."""
    unverified: list[int] = attrs.field(factory=list)
    """Resumed chunk: positions counted as created without a lookup of their own."""


async def bulk_create(
    client: AliceClient,
    phonebook: int,
    contacts: ContactRows,
    *,
    chunk_size: int = 500,
    concurrency: int = 8,
    checkpoint: str | os.PathLike[str] | None = None,
    on_progress: ProgressCallback | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
) -> BulkResult:
    """Upload ``contacts`` into ``phonebook`` exactly once; see ``Contacts.bulk_create``."""
    if isinstance(contacts, (str, bytes, Mapping)) or not isinstance(
        contacts, (Iterable, AsyncIterable)
    ):
        raise InvalidInputError(
            "contacts", type(contacts).__name__, "expected an iterable or async iterable of rows"
        )
    if on_progress is not None and not callable(on_progress):
        raise InvalidInputError(
            "on_progress", on_progress, "expected a callable (done, total, rate) or None"
        )
    upload = _Upload(
        client,
        object_id("phonebook", phonebook),
        chunk_size=int_range("chunk_size", chunk_size, 1, 100_000),
        concurrency=int_range("concurrency", concurrency, 1, 256),
        checkpoint=None if checkpoint is None else Path(checkpoint),
        on_progress=on_progress,
        max_retries=int_range("max_retries", max_retries, 0, None),
    )
    return await upload.run(contacts)


class _Upload:
    """One run of one upload."""

    def __init__(
        self,
        client: AliceClient,
        phonebook: int,
        *,
        chunk_size: int,
        concurrency: int,
        checkpoint: Path | None,
        on_progress: ProgressCallback | None,
        max_retries: int,
    ) -> None:
        self.client = client
        self.phonebook = phonebook
        self.chunk_size = chunk_size
        self.concurrency = concurrency
        self.path = checkpoint
        self.on_progress = on_progress
        self.max_retries = max_retries
        self.write_ahead = max(8, 2 * concurrency)
        self.gate = Gate(concurrency)  # throttling: the client's, shared with its other calls
        self.state = Checkpoint(phonebook, chunk_size, watermark=0, phonebook_count=0)
        self.resume_upto = 0
        self.resume_partial: dict[int, ChunkOutcome] = {}
        self.resume_set: list[_Chunk] = []
        self.active: dict[int, _Chunk] = {}
        self.seen: set[int] = set()
        self.invalid: list[BulkInvalidRow] = []
        self.repeated: list[BulkDuplicate] = []
        self.rows_read = 0
        self.rows_done = 0
        self.requests = 0
        self.lookups = 0
        self.next_index = 0
        self.current_rows: list[int] = []
        self.current_bodies: list[dict[str, Any]] = []
        self.total: int | None = None
        self.started = time.monotonic()
        self.error: Exception | None = None
        self.task_group: TaskGroup | None = None

    # -- the run ---------------------------------------------------------------------------

    async def run(self, contacts: ContactRows) -> BulkResult:
        self.total = len(contacts) if isinstance(contacts, Sized) else None
        await self._prepare()
        send, receive = anyio.create_memory_object_stream[_Chunk](0)
        try:
            async with anyio.create_task_group() as group:
                self.task_group = group
                for _ in range(self.concurrency):
                    group.start_soon(self._guard, self._work, receive.clone())
                receive.close()
                group.start_soon(self._guard, self._produce, contacts, send)
        finally:
            # Runs on success, on a fatal error and on cancellation alike: the checkpoint
            # then says which chunks are done and what is known of the unfinished ones.
            self.state.finished = self.error is None and not self.active and not self.resume_set
            self._save()
        error = self.error
        if isinstance(error, _Fatal):
            raise BulkUploadError(
                str(error), result=self.result(), reason=error.reason
            ) from error.__cause__
        if error is not None:
            raise error
        return self.result()

    async def _guard(self, function: Callable[..., Any], *args: Any) -> None:
        try:
            await function(*args)
        except Exception as exc:
            if self.error is None:
                self.error = exc
            assert self.task_group is not None
            self.task_group.cancel_scope.cancel()

    def result(self) -> BulkResult:
        """The result so far (complete once every chunk is done)."""
        outcomes = [*self.state.completed.values(), *(c.outcome for c in self.active.values())]
        duplicates = list(self.repeated)
        invalid = list(self.invalid)
        created = 0
        for outcome in outcomes:
            created += outcome.created
            duplicates.extend(
                BulkDuplicate(row, number, DuplicateReason.ALREADY_IN_ACCOUNT)
                for row, number in outcome.duplicates
            )
            invalid.extend(BulkInvalidRow(row, f, message) for row, f, message in outcome.invalid)
        duplicates.sort(key=lambda item: item.row)
        invalid.sort(key=lambda item: item.row)
        return BulkResult(
            created=created,
            duplicates=tuple(duplicates),
            invalid=tuple(invalid),
            rows_read=self.rows_read,
            pending=self.rows_read - created - len(duplicates) - len(invalid),
            requests=self.requests,
            lookups=self.lookups,
        )

    # -- checkpoint and watermark ----------------------------------------------------------

    async def _prepare(self) -> None:
        loaded = None if self.path is None else Checkpoint.load(self.path)
        if loaded is not None:
            assert self.path is not None
            loaded.check_matches(self.path, phonebook=self.phonebook, chunk_size=self.chunk_size)
            self.state = loaded
            self.resume_upto = loaded.started_upto
            self.resume_partial = loaded.partial
            return
        # Independent reads: run them together (one round trip instead of two). Both finish
        # before an error of either is raised, so nothing is left running.
        watermark, count = await asyncio.gather(
            self._highest_contact_id(), self._phonebook_count(), return_exceptions=True
        )
        if isinstance(watermark, BaseException):
            raise watermark
        if isinstance(count, BaseException):
            raise count
        self.state = Checkpoint(
            self.phonebook, self.chunk_size, watermark=watermark, phonebook_count=count
        )
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        partial = {k: v for k, v in self.resume_partial.items() if k not in self.state.completed}
        for chunk in [*self.resume_set, *self.active.values()]:
            partial[chunk.index] = ChunkOutcome(
                duplicates=list(chunk.outcome.duplicates), invalid=list(chunk.outcome.invalid)
            )
        self.state.partial = partial
        self.state.save(self.path)

    async def _highest_contact_id(self) -> int:
        """The highest contact id of the account: the last item of the last page."""
        for _ in range(3):
            first = await self._list_page({"page_size": "1"})
            if first.count == 0 or not first.results:
                return 0
            last_page = math.ceil(first.count / len(first.results))
            try:
                page = await self._list_page({"page_size": "1", "page": str(last_page)})
            except NotFoundError:
                continue  # contacts were deleted meanwhile: the page moved
            ids = [self._contact_id(item) for item in [*first.results, *page.results]]
            return max(ids)
        raise _Fatal("could not read the highest contact id (the list keeps moving)", "protocol")

    async def _phonebook_count(self) -> int:
        page = await self._list_page({"phonebook": str(self.phonebook), "page_size": "1"})
        return page.count

    async def _list_page(self, params: dict[str, str]) -> RawPage:
        response = await self.client.request("GET", "contact/", params=params)
        return parse_envelope(response.data, url="contact/")

    @staticmethod
    def _contact_id(item: Any) -> int:
        contact: Contact = converter.structure(item, Contact)
        return contact.id

    # -- reading the input -----------------------------------------------------------------

    async def _produce(self, contacts: ContactRows, send: MemoryObjectSendStream[_Chunk]) -> None:
        async with send:
            if isinstance(contacts, AsyncIterable):
                async for item in contacts:
                    if self._take(item):
                        await self._emit(send)
            else:
                for item in contacts:
                    if self._take(item):
                        await self._emit(send)
            if self.current_rows:
                await self._emit(send)
            await self._flush_resume(send)

    def _take(self, item: Any) -> bool:
        """Validate one row; return whether the current chunk is full."""
        row = self.rows_read
        self.rows_read = row + 1
        try:
            body = contact_body(item) if type(item) is dict else row_body(item)
        except InvalidInputError as exc:
            self.invalid.append(BulkInvalidRow(row, exc.field, exc.reason))
            self.rows_done += 1
            return False
        number = body["contact"]
        key = number_key(number)
        if key in self.seen:
            self.repeated.append(BulkDuplicate(row, number, DuplicateReason.REPEATED_IN_INPUT))
            self.rows_done += 1
            return False
        self.seen.add(key)
        self.current_rows.append(row)
        self.current_bodies.append(body)
        return len(self.current_rows) >= self.chunk_size

    async def _emit(self, send: MemoryObjectSendStream[_Chunk]) -> None:
        chunk = _Chunk(self.next_index, self.current_rows, self.current_bodies)
        self.next_index += 1
        self.current_rows, self.current_bodies = [], []
        if chunk.index in self.state.completed:
            self.rows_done += len(chunk.rows)  # done in an earlier run
            return
        if chunk.index < self.resume_upto:
            # May have reached the server in an earlier run: settled all together below.
            known = self.resume_partial.get(chunk.index)
            if known is not None:
                chunk.outcome = ChunkOutcome(
                    duplicates=list(known.duplicates), invalid=list(known.invalid)
                )
            self.resume_set.append(chunk)
            return
        await self._flush_resume(send)
        await self._submit(chunk, send)

    async def _submit(self, chunk: _Chunk, send: MemoryObjectSendStream[_Chunk]) -> None:
        if chunk.index >= self.state.started_upto:
            # Write-ahead: durable before any of these chunks is sent.
            self.state.started_upto = chunk.index + self.write_ahead
            self._save()
        self.active[chunk.index] = chunk
        await send.send(chunk)

    # -- resuming --------------------------------------------------------------------------

    async def _flush_resume(self, send: MemoryObjectSendStream[_Chunk]) -> None:
        """Settle the chunks an earlier run may have sent, then queue what is left of them."""
        if not self.resume_set:
            return
        chunks = self.resume_set
        limiter = anyio.CapacityLimiter(self.concurrency)

        async def settle(chunk: _Chunk) -> None:
            async with limiter:
                await self._reconcile_resumed(chunk)

        async with anyio.create_task_group() as group:
            for chunk in chunks:
                group.start_soon(settle, chunk)
        claimed = sum(o.created for o in self.state.completed.values())
        claimed += sum(chunk.outcome.created for chunk in chunks)
        saved = await self._phonebook_count() - self.state.phonebook_count
        if claimed != saved:
            # Some position counted as created may be a duplicate the server stopped at in
            # an earlier run (or someone else wrote to the phonebook): look each one up.
            async with anyio.create_task_group() as group:
                for chunk in chunks:
                    for position in chunk.unverified:
                        group.start_soon(self._verify, chunk, position, limiter)
            for chunk in chunks:
                chunk.unverified = []
                chunk.pending = sorted(chunk.pending or [])
        self.resume_set = []
        for chunk in chunks:
            if chunk.pending:
                chunk.suspect = True
                await self._submit(chunk, send)
            else:
                self._complete(chunk)

    async def _reconcile_resumed(self, chunk: _Chunk) -> None:
        settled_rows = {row for row, _ in chunk.outcome.duplicates}
        settled_rows.update(row for row, _, _ in chunk.outcome.invalid)
        positions = [p for p, row in enumerate(chunk.rows) if row not in settled_rows]
        created, pending, _ = await self._settle(chunk, positions)
        chunk.outcome.created += len(created)
        chunk.unverified = created
        chunk.pending = pending

    async def _verify(self, chunk: _Chunk, position: int, limiter: anyio.CapacityLimiter) -> None:
        """Look up one number counted as created; correct the count if it was not ours."""
        async with limiter:
            presence = await self._presence(chunk.bodies[position]["contact"])
        if presence is Presence.OURS:
            return
        chunk.outcome.created -= 1
        if presence is Presence.OTHER:
            self._duplicate(chunk, position)
        else:
            chunk.pending = [*(chunk.pending or []), position]

    # -- sending ---------------------------------------------------------------------------

    async def _work(self, receive: MemoryObjectReceiveStream[_Chunk]) -> None:
        async with receive:
            async for chunk in receive:
                await self._upload(chunk)
                self._complete(chunk)

    def _complete(self, chunk: _Chunk) -> None:
        self.state.completed[chunk.index] = chunk.outcome
        self.active.pop(chunk.index, None)
        self.rows_done += len(chunk.rows)
        if self.on_progress is not None:
            elapsed = max(time.monotonic() - self.started, 1e-9)
            self.on_progress(self.rows_done, self.total, self.rows_done / elapsed)

    async def _upload(self, chunk: _Chunk) -> None:
        positions = list(range(len(chunk.rows))) if chunk.pending is None else chunk.pending
        failures = throttled = 0
        while positions:
            chunk.pending = positions
            payload = {
                "phonebook": self.phonebook,
                "contacts": [chunk.bodies[p] for p in positions],
            }
            await self.gate.acquire()
            try:
                self.requests += 1
                response = await self.client.request(
                    "POST", "bulkcontact/", json=payload, max_retries=0
                )
            except APIError as exc:
                error: APIError | None = exc
            else:
                error = None
            finally:
                self.gate.release()  # before any sleep or lookup below
            if error is None:
                failures = throttled = 0
                positions = await self._on_answer(chunk, positions, response.status, response.data)
            elif isinstance(error, RateLimitError):
                throttled += 1
                self._check_budget(throttled, 10 * max(1, self.max_retries), error)
                await anyio.sleep(self._delay(throttled, error))
            elif isinstance(error, (AuthenticationError, PermissionDeniedError)):
                raise error
            elif isinstance(error, BadRequestError):
                failures = throttled = 0
                positions = await self._on_refused(chunk, positions, error)
            elif isinstance(error, APIStatusError) and not isinstance(error, ServerError):
                raise _Fatal(
                    f"bulkcontact/ answered {error.status_code}: {error}", "protocol"
                ) from error
            else:
                failures += 1
                self._check_budget(failures, self.max_retries, error)
                if _unprocessed(error):
                    await anyio.sleep(self._delay(failures, error))
                    continue
                # The server may have saved any prefix of the request: find out which.
                chunk.suspect = True
                created, positions, _ = await self._settle(chunk, positions)
                chunk.outcome.created += len(created)
        chunk.pending = []

    def _check_budget(self, spent: int, budget: int, exc: APIError) -> None:
        if spent > budget:
            raise _Fatal(
                f"a chunk failed {spent} times in a row; last error: {exc}", "retries"
            ) from exc

    def _delay(self, attempt: int, exc: APIError) -> float:
        retry_after = exc.retry_after if isinstance(exc, APIStatusError) else None
        return retry_delay(attempt, self.client.retry_policy, retry_after=retry_after)

    async def _on_answer(
        self, chunk: _Chunk, positions: list[int], status: int, data: Any
    ) -> list[int]:
        """Apply a 2xx answer; return the positions still to send."""
        if isinstance(data, dict) and "result" in data and "error" not in data:
            chunk.outcome.created += len(positions)
            return []
        error = data.get("error") if isinstance(data, dict) else None
        if not isinstance(error, str):
            raise _Fatal(f"bulkcontact/ answered {status} with {str(data)[:200]!r}", "protocol")
        duplicated = _DUPLICATED.search(error)
        if duplicated is not None:
            number = duplicated.group(1)
            where = self._position_of(chunk, positions, number)
            chunk.outcome.created += where
            await self._settle_duplicate(chunk, positions[where])
            return positions[where + 1 :]
        not_valid = _ROW_NOT_VALID.search(error)
        if not_valid is not None and int(not_valid.group(1)) < len(positions):
            where = int(not_valid.group(1))
            chunk.outcome.created += where
            message = not_valid.group(2).strip()
            field = _FIRST_FIELD.search(message)
            self._server_invalid(
                chunk, positions[where], field.group(1) if field else "row", message
            )
            return positions[where + 1 :]
        raise _fatal_refusal(error)

    async def _on_refused(
        self, chunk: _Chunk, positions: list[int], exc: BadRequestError
    ) -> list[int]:
        """Apply a 400 of the all-or-nothing variant (nothing was saved)."""
        errors = exc.errors
        items = errors.get("contacts")
        if not isinstance(items, list) or len(items) != len(positions):
            text = " ".join(str(v) for v in errors.values()) or str(exc)
            raise _fatal_refusal(text, cause=exc)
        refused: set[int] = set()
        for index, item in enumerate(items):
            if not item:
                continue
            if not isinstance(item, dict):
                raise _fatal_refusal(str(item), cause=exc)
            position = positions[index]
            refused.add(position)
            messages = item.get("contact") or []
            if any("duplicated" in str(message) for message in messages):
                await self._settle_duplicate(chunk, position)
            else:
                field, message = next(iter(item.items()))
                text = " ".join(str(m) for m in message) if isinstance(message, list) else message
                self._server_invalid(chunk, position, str(field), str(text))
        if not refused:
            raise _fatal_refusal(str(errors), cause=exc)
        return [p for p in positions if p not in refused]

    async def _settle_duplicate(self, chunk: _Chunk, position: int) -> None:
        """A number the server called a duplicate: ours (an earlier request landed) or not."""
        if chunk.suspect:
            presence = await self._presence(chunk.bodies[position]["contact"])
            if presence is Presence.OURS:
                chunk.outcome.created += 1
                return
        self._duplicate(chunk, position)

    def _duplicate(self, chunk: _Chunk, position: int) -> None:
        chunk.outcome.duplicates.append((chunk.rows[position], chunk.bodies[position]["contact"]))

    def _server_invalid(self, chunk: _Chunk, position: int, field: str, message: str) -> None:
        chunk.outcome.invalid.append((chunk.rows[position], field, message))

    @staticmethod
    def _position_of(chunk: _Chunk, positions: list[int], number: str) -> int:
        for where, position in enumerate(positions):
            if chunk.bodies[position]["contact"] == number:
                return where
        raise _Fatal(f"the server called {number!r} a duplicate but it was not sent", "protocol")

    # -- settling ambiguous outcomes -------------------------------------------------------

    async def _settle(
        self, chunk: _Chunk, positions: list[int]
    ) -> tuple[list[int], list[int], list[int]]:
        """Split ``positions`` (sent in this order) into (saved, still to send, duplicates).

        Duplicates found on the way are recorded in the chunk's outcome.
        """
        known: dict[int, Presence] = {}

        async def probe(index: int) -> Presence:
            return await self._presence(chunk.bodies[positions[index]]["contact"])

        boundary = await find_frontier(len(positions), probe, known)
        saved: list[int] = []
        rest: list[int] = []
        others: list[int] = []
        for index, position in enumerate(positions):
            if known.get(index) is Presence.OTHER:
                others.append(position)
                self._duplicate(chunk, position)
            elif index < boundary:
                saved.append(position)
            else:
                rest.append(position)
        return saved, rest, others

    async def _presence(self, number: str) -> Presence:
        """Look a number up; throttling and faults are waited out like a chunk's."""
        failures = throttled = 0
        while True:
            self.lookups += 1
            try:
                return await presence_of(
                    self.client,
                    number,
                    phonebook=self.phonebook,
                    watermark=self.state.watermark,
                )
            except (AuthenticationError, PermissionDeniedError):
                raise
            except RateLimitError as exc:
                throttled += 1
                self._check_budget(throttled, 10 * max(1, self.max_retries), exc)
                await anyio.sleep(self._delay(throttled, exc))
            except APIError as exc:
                failures += 1
                self._check_budget(failures, self.max_retries, exc)
                await anyio.sleep(self._delay(failures, exc))


def _unprocessed(exc: APIError) -> bool:
    """Whether the server provably did not process the request (safe to send again)."""
    if isinstance(exc, APIConnectionError):
        return not exc.request_sent
    return isinstance(exc, ServerError) and exc.status_code == 503


def _fatal_refusal(message: str, *, cause: BaseException | None = None) -> _Fatal:
    lowered = message.lower()
    if _PHONEBOOK in lowered or "phonebook" in lowered:
        reason = "phonebook"
    elif _QUOTA in lowered:
        reason = "quota"
    else:
        reason = "protocol"
    fatal = _Fatal(f"the server refused the upload: {message.strip()}", reason)
    fatal.__cause__ = cause
    return fatal
