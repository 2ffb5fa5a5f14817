"""The bulk-upload engine: streaming the input into chunks, sending them concurrently,
settling every outcome exactly once, and keeping the checkpoint.

The argument for exactly-once is in the package docstring (:mod:`alice_async.bulk`).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from .._contact_rules import keyed_contact_body
from .._converter import converter
from .._exceptions import (
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
from .._phone import PhoneFormat, PhoneRules
from .._progress import ProgressHandler, legacy_bulk, progress_reporter
from .._retry import should_retry_error
from .._validation import boolean, int_range, object_id
from ..models.contacts import Contact
from ._account import PAGE_SIZE, account_keys, dnc_keys
from ._answers import Answers
from ._checkpoint import Checkpoint, ChunkOutcome
from ._chunks import Attempts, Chunk, Fatal, fingerprint
from ._limiter import Gate
from ._reconcile import Lookups
from ._result import (
    BulkDoNotCall,
    BulkDuplicate,
    BulkInvalidRow,
    BulkResult,
    BulkUploadError,
    DuplicateReason,
)
from ._resume import Resume
from ._rows import row_fields

if TYPE_CHECKING:
    import os

    from .._client import AliceClient

__all__ = ["ContactRows", "ProgressCallback", "bulk_create"]

ContactRows = Iterable[Any] | AsyncIterable[Any]
"""What ``contacts=`` accepts: an iterable or async iterable of ContactInput or dicts."""

ProgressCallback = ProgressHandler | Callable[[int, "int | None", float], object]
"""``on_progress(progress)`` with a :class:`~alice_async.Progress`; deprecated but kept: a
callback of several positional parameters gets ``(done_rows, total_or_None, rows_per_second)``."""

DEFAULT_MAX_RETRIES = 10


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
    region: str | None = "VN",
    phone_format: PhoneFormat = "national",
    skip_dnc: bool = False,
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
            "on_progress", on_progress, "expected a callable (progress) or None"
        )
    upload = _Upload(
        client,
        object_id("phonebook", phonebook),
        chunk_size=int_range("chunk_size", chunk_size, 1, 100_000),
        concurrency=int_range("concurrency", concurrency, 1, 256),
        checkpoint=None if checkpoint is None else Path(checkpoint),
        on_progress=on_progress,
        max_retries=int_range("max_retries", max_retries, 0, None),
        phones=PhoneRules(region, phone_format),
        skip_dnc=boolean("skip_dnc", skip_dnc),
    )
    return await upload.run(contacts)


class _Upload:
    """One run of one upload: reading the input into chunks, sending them, keeping the state."""

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
        phones: PhoneRules,
        skip_dnc: bool,
    ) -> None:
        self.client = client
        self.phonebook = phonebook
        self.chunk_size = chunk_size
        self.concurrency = concurrency
        self.path = checkpoint
        self.progress = progress_reporter(on_progress, "bulk_create", legacy_bulk)
        self.max_retries = max_retries
        self.phones: PhoneRules | None = None if phones.region is None else phones
        self.rules = phones
        self.skip_dnc = skip_dnc
        self.options = (
            f"region={phones.region}, phone_format={phones.phone_format}, skip_dnc={skip_dnc}"
        )
        self.write_ahead = max(8, 2 * concurrency)
        self.gate = Gate(concurrency)  # throttling: the client's, shared with its other calls
        self.lookups = Lookups(client, phonebook, max_retries)
        self.answers = Answers(self.lookups)
        self.state = Checkpoint(phonebook, chunk_size, watermark=0, phonebook_count=0)
        self.loaded = False
        self.was_finished = False
        self.resume = Resume(None, checkpoint)
        self.active: dict[int, Chunk] = {}
        self.seen: set[int] = set()
        self.index: set[int] | None = None
        """Canonical keys of the numbers already in the account (when read)."""
        self.index_after = 0
        """Read the account's numbers once the server has stopped this many requests."""
        self.index_lock = anyio.Lock()
        self.blocked: set[int] = set()
        self.invalid: list[BulkInvalidRow] = []
        self.repeated: list[BulkDuplicate] = []
        self.rows_read = 0
        self.rows_done = 0
        self.rows_skipped = 0
        """Rows of finished chunks found already in the account or on a do-not-call list."""
        self.rows_failed = 0
        """Rows of finished chunks the server refused as invalid."""
        self.requests = 0
        self.next_index = 0
        self.current_rows: list[int] = []
        self.current_bodies: list[dict[str, Any]] = []
        self.current_keys: list[int] = []
        self.total: int | None = None
        self.error: Exception | None = None
        self.saved = False
        self.input_read = False
        self.task_group: TaskGroup | None = None

    # -- the run ---------------------------------------------------------------------------

    async def run(self, contacts: ContactRows) -> BulkResult:
        self.total = len(contacts) if isinstance(contacts, Sized) else None
        await self._prepare()
        send, receive = anyio.create_memory_object_stream[Chunk](0)
        try:
            async with anyio.create_task_group() as group:
                self.task_group = group
                for _ in range(self.concurrency):
                    group.start_soon(self._guard, self._work, receive.clone())
                receive.close()
                group.start_soon(self._guard, self._produce, contacts, send)
        finally:
            # Runs on success, on a fatal error and on cancellation alike: the checkpoint
            # then says which chunks are done and what is known of the unfinished ones. No
            # file is written for an input that could not be read.
            done = self.error is None and not self.active and not self.resume.waiting
            self.state.finished = self.was_finished or (done and self.input_read)
            if self.saved or self.input_read:
                self._save()
        error = self.error
        if isinstance(error, Fatal):
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
        do_not_call: list[BulkDoNotCall] = []
        created = 0
        for outcome in outcomes:
            created += outcome.created
            duplicates.extend(
                BulkDuplicate(row, number, DuplicateReason.ALREADY_IN_ACCOUNT)
                for row, number in outcome.duplicates
            )
            invalid.extend(BulkInvalidRow(row, f, message) for row, f, message in outcome.invalid)
            do_not_call.extend(BulkDoNotCall(row, number) for row, number in outcome.do_not_call)
        duplicates.sort(key=lambda item: item.row)
        invalid.sort(key=lambda item: item.row)
        do_not_call.sort(key=lambda item: item.row)
        settled = created + len(duplicates) + len(invalid) + len(do_not_call)
        return BulkResult(
            created=created,
            duplicates=tuple(duplicates),
            invalid=tuple(invalid),
            do_not_call=tuple(do_not_call),
            rows_read=self.rows_read,
            pending=self.rows_read - settled,
            requests=self.requests,
            lookups=self.lookups.count,
            already_finished=self.was_finished,
        )

    # -- checkpoint, watermark and what the account holds ----------------------------------

    async def _prepare(self) -> None:
        loaded = None if self.path is None else Checkpoint.load(self.path)
        if loaded is not None:
            assert self.path is not None
            loaded.check_matches(self.path, phonebook=self.phonebook, chunk_size=self.chunk_size)
            loaded.check_options(self.path, self.options)
            self.state = loaded
            self.loaded = True
            self.was_finished = loaded.finished
            self.resume = Resume(loaded, self.path)
            account_count = await self._account_count()
        else:
            # Independent reads: run them together (one round trip instead of two). Both
            # finish before an error of either is raised, so nothing is left running.
            highest, count = await asyncio.gather(
                self._highest_contact_id(), self._phonebook_count(), return_exceptions=True
            )
            if isinstance(highest, BaseException):
                raise highest
            if isinstance(count, BaseException):
                raise count
            watermark, account_count = highest
            self.state = Checkpoint(
                self.phonebook, self.chunk_size, watermark=watermark, phonebook_count=count
            )
        self.state.options = self.options
        self.lookups.watermark = self.state.watermark
        self.index_after = max(2, math.ceil(account_count / PAGE_SIZE))
        if self.state.finished:
            return  # nothing will be sent: the input is only checked against the checkpoint
        if self.skip_dnc:
            self.blocked = await dnc_keys(self.client, self.phones)
        if self.phones is not None and account_count:
            # The server compares exact strings: only the canonical index finds a number
            # stored in another form.
            await self._load_index()

    async def _load_index(self) -> None:
        async with self.index_lock:
            if self.index is None:
                self.index = await account_keys(
                    self.client,
                    self.phones,
                    phonebook=self.phonebook,
                    watermark=self.state.watermark,
                )

    def _save(self) -> None:
        if self.path is None:
            return
        partial = {k: v for k, v in self.resume.partial.items() if k not in self.state.completed}
        for chunk in [*self.resume.waiting, *self.active.values()]:
            partial[chunk.index] = chunk.outcome.known()
        self.state.partial = partial
        self.state.save(self.path)
        self.saved = True

    async def _highest_contact_id(self) -> tuple[int, int]:
        """The highest contact id of the account (the last item of the last page), and the
        account's number of contacts."""
        for _ in range(3):
            first = await self._list_page({"page_size": "1"})
            if first.count == 0 or not first.results:
                return 0, 0
            last_page = math.ceil(first.count / len(first.results))
            try:
                page = await self._list_page({"page_size": "1", "page": str(last_page)})
            except NotFoundError:
                continue  # contacts were deleted meanwhile: the page moved
            ids = [self._contact_id(item) for item in [*first.results, *page.results]]
            return max(ids), first.count
        raise Fatal("could not read the highest contact id (the list keeps moving)", "protocol")

    async def _account_count(self) -> int:
        return (await self._list_page({"page_size": "1"})).count

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

    async def _produce(self, contacts: ContactRows, send: MemoryObjectSendStream[Chunk]) -> None:
        async with send:
            if isinstance(contacts, AsyncIterable):
                async for item in contacts:
                    self.input_read = True
                    if self._take(item):
                        await self._emit(send)
            else:
                for item in contacts:
                    self.input_read = True
                    if self._take(item):
                        await self._emit(send)
            self.input_read = True
            if self.current_rows:
                await self._emit(send)
            await self._flush_resume(send)

    def _take(self, item: Any) -> bool:
        """Validate one row; return whether the current chunk is full."""
        row = self.rows_read
        self.rows_read = row + 1
        try:
            fields = item if type(item) is dict else row_fields(item)
            body, key = keyed_contact_body(fields, self.phones)
        except InvalidInputError as exc:
            self.invalid.append(BulkInvalidRow(row, exc.field, exc.reason))
            self.rows_done += 1
            return False
        if key in self.seen:
            number = body["contact"]
            self.repeated.append(BulkDuplicate(row, number, DuplicateReason.REPEATED_IN_INPUT))
            self.rows_done += 1
            return False
        self.seen.add(key)
        self.current_rows.append(row)
        self.current_bodies.append(body)
        self.current_keys.append(key)
        return len(self.current_rows) >= self.chunk_size

    async def _emit(self, send: MemoryObjectSendStream[Chunk]) -> None:
        chunk = Chunk(self.next_index, self.current_rows, self.current_bodies, self.current_keys)
        self.next_index += 1
        self.current_rows, self.current_bodies, self.current_keys = [], [], []
        if self.path is not None:
            print_ = fingerprint(chunk.rows, chunk.bodies)
            self.state.check_chunk(self.path, chunk.index, chunk.rows, print_)
            self.state.fingerprints[chunk.index] = print_
        if chunk.index in self.state.completed:
            self.rows_done += len(chunk.rows)  # done in an earlier run
            self._count(self.state.completed[chunk.index])
            return
        if self.was_finished:
            assert self.path is not None
            raise InvalidInputError(
                "checkpoint",
                str(self.path),
                "the input has more rows than the finished upload this checkpoint was written "
                f"for, first at data row {chunk.rows[0] + 1} (0-based row {chunk.rows[0]}); "
                "use another checkpoint file for the new rows",
            )
        if self.resume.take(chunk):
            return  # may have reached the server in an earlier run: settled all together
        await self._flush_resume(send)
        await self._submit(chunk, send)

    async def _submit(self, chunk: Chunk, send: MemoryObjectSendStream[Chunk]) -> None:
        if chunk.index >= self.state.started_upto:
            # Write-ahead: durable before any of these chunks is sent.
            self.state.started_upto = chunk.index + self.write_ahead
            self._save()
        self.active[chunk.index] = chunk
        await send.send(chunk)

    async def _flush_resume(self, send: MemoryObjectSendStream[Chunk]) -> None:
        """Settle the chunks an earlier run may have sent, then queue what is left of them."""
        chunks = await self.resume.settle(
            self.lookups, self.concurrency, self.state, self._phonebook_count
        )
        for chunk in chunks:
            if chunk.pending:
                await self._submit(chunk, send)
            else:
                self._complete(chunk)

    # -- sending ---------------------------------------------------------------------------

    async def _work(self, receive: MemoryObjectReceiveStream[Chunk]) -> None:
        async with receive:
            async for chunk in receive:
                await self._upload(chunk)
                self._complete(chunk)

    def _complete(self, chunk: Chunk) -> None:
        self.state.completed[chunk.index] = chunk.outcome
        self.active.pop(chunk.index, None)
        self.rows_done += len(chunk.rows)
        self._count(chunk.outcome)
        if self.progress is not None:
            self.progress.report(
                self.rows_done,
                self.total,
                skipped=self.rows_skipped + len(self.repeated),
                failed=self.rows_failed + len(self.invalid),
            )

    def _count(self, outcome: ChunkOutcome) -> None:
        self.rows_skipped += len(outcome.duplicates) + len(outcome.do_not_call)
        self.rows_failed += len(outcome.invalid)

    def _screen(self, chunk: Chunk, positions: list[int]) -> list[int]:
        """Report the positions on a do-not-call list or already in the account; keep the rest."""
        if not self.blocked and self.index is None:
            return positions
        index = self.index or set()
        kept: list[int] = []
        for position in positions:
            key = chunk.keys[position]
            if key in self.blocked:
                chunk.do_not_call(position)
            elif key in index:
                chunk.duplicate(position)
            else:
                kept.append(position)
        return kept

    async def _upload(self, chunk: Chunk) -> None:
        positions = list(range(len(chunk.rows))) if chunk.pending is None else chunk.pending
        positions = self._screen(chunk, positions)
        attempts = Attempts(self.client.retry_policy, self.max_retries)
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
                attempts.reset()
                positions = await self.answers.on_answer(
                    chunk, positions, response.status, response.data
                )
                positions = await self._after_stops(chunk, positions)
            elif isinstance(error, RateLimitError):
                await attempts.after_throttle(error)
            elif isinstance(error, (AuthenticationError, PermissionDeniedError)):
                raise error
            elif isinstance(error, BadRequestError):
                attempts.reset()
                positions = await self.answers.on_refused(chunk, positions, error)
            elif isinstance(error, APIStatusError) and not isinstance(error, ServerError):
                raise Fatal(
                    f"bulkcontact/ answered {error.status_code}: {error}", "protocol"
                ) from error
            elif should_retry_error("POST", error):
                await attempts.after_failure(error)  # provably not processed: send again
            else:
                attempts.count_failure(error)
                # The server may have saved any prefix of the request: find out which.
                chunk.suspect = True
                created, positions, _ = await self.lookups.settle(chunk, positions)
                chunk.outcome.created += len(created)
        chunk.pending = []

    async def _after_stops(self, chunk: Chunk, positions: list[int]) -> list[int]:
        """Once duplicates have cost more requests than reading the account would, read it."""
        if self.index is None and self.answers.stops >= self.index_after:
            await self._load_index()
        return self._screen(chunk, positions) if positions else positions
