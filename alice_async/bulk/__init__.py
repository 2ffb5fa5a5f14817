"""Bulk contact upload: fast, exactly-once, resumable (``client.contacts.bulk_create``).

Modules: ``_upload`` (the engine: input to chunks, chunks to requests, the run's state),
``_answers`` (what each answer of ``bulkcontact/`` means for a chunk), ``_resume`` (settling
the chunks an earlier run may have sent), ``_reconcile`` (the lookups that settle ambiguous
outcomes), ``_account`` (the account's numbers and do-not-call numbers by canonical key),
``_chunks`` (a chunk, its fingerprint, the retry budget), ``_checkpoint`` (the resumable
state, written durably), ``_limiter`` (chunks in flight), ``_readers`` and ``_csv``
(:func:`read_contacts`, :func:`read_contacts_csv`), ``_rows`` (input rows to fields),
``_result`` (the result types and :class:`BulkUploadError`).

How it works
------------
The input is streamed: rows are validated one by one with the same rules as
``contacts.create`` (:func:`~alice_async._contact_rules.contact_body`), numbers read by the
phone rules (:mod:`alice_async._phone`) into a canonical key; invalid rows and numbers
repeated within the upload are reported, never sent. With a region, the account's numbers
are read once into a set of canonical keys, and rows already there (in any written form) are
reported ``already_in_account`` without being sent; with ``skip_dnc`` the do-not-call
numbers are read the same way and matching rows reported ``do_not_call``. Both screens are
applied when a chunk is sent, so the chunks themselves depend only on the input. The valid,
distinct rows form chunks of ``chunk_size`` in input order, which ``concurrency`` workers send to
``POST bulkcontact/``. At most ``concurrency + 1`` chunks are held in memory, plus the set of
numbers seen (about 70 bytes per number).

``bulkcontact/`` saves the contacts of a request in order, without a transaction, stops at
the first number already in the account, and has no idempotency key (docs/API.md §5.5). A request
whose answer is lost (a reset after sending, a timeout, a 500/502/504) may have saved any prefix
of its contacts. Sending it again blindly would not store copies (the server refuses numbers it
has), but every contact saved by the lost request would then come back as "already in the
account", one request each: the result would lie and the upload would crawl. Both the store and
the result must be exactly-once; this is how.

Exactly-once, the argument
--------------------------
1. *Watermark.* Before anything is sent, the highest contact id of the account is read (the
   last item of the last page of ``GET contact/``; ids ascend). Every contact that existed
   before has an id at or below it; every contact this upload creates gets a higher one. It is
   stored in the checkpoint, so a resumed run uses the same one.
2. *One number, one request at a time.* A number is in exactly one chunk (repeats are dropped
   client-side), and a chunk has at most one request in flight. So "number N exists in our
   phonebook with an id above the watermark" means "this upload created N" (barring another
   writer adding the same number to the same phonebook during the upload).
3. *Unambiguous answers* are applied as they come: ``{"result": ...}`` (or 201) means every
   contact of the request was saved; ``{"error": "The contact duplicated (N)!"}`` means the
   ones before N were saved, N was refused (reported ``already_in_account``) and the rest is
   sent again; any other ``{"error": ...}`` (a refused row, in whatever words) is settled
   like an ambiguous failure (point 4) and the refusal attributed to the first row not saved;
   a 400 of the all-or-nothing variant saved nothing: the refused numbers are
   reported and the rest is sent again. 429 and 503 are given before any work: the same
   request is sent again after ``Retry-After``, and a 429 pauses and slows the whole client.
4. *Ambiguous failures* are settled by lookups, not by guessing. Since the request was
   processed in order, the numbers this upload created form a prefix of it (all or nothing in
   the atomic variant), so a search over the request (:func:`._reconcile.find_frontier`: one
   lookup when all was saved, two when nothing was, ~log2(chunk) otherwise) finds the boundary.
   The prefix is counted as created and only the rest is sent again, which therefore can never
   create a second copy. A number found in the account but not created by us is a duplicate.
5. *Late writes.* A request that timed out may still be running on the server when its rest is
   sent again; the server then calls our own number a duplicate. So after an ambiguous failure,
   every "duplicated" answer for that chunk is checked with a lookup and counted as created
   when the contact is ours.

Resuming (``checkpoint=path``)
------------------------------
Before a chunk is sent, the checkpoint durably records that chunks up to some index may be
started (write-ahead, a batch of ``max(8, 2 * concurrency)`` chunks per write); finished chunks
are recorded with their outcome. A rerun with the same input and checkpoint re-reads the input,
rebuilds the same chunks, skips the finished ones (their counts come from the checkpoint), and
settles each possibly-started one with the search of point 4 before sending what is left.

*Deviation from a plain binary search on resume:* a chunk may have gone through several
requests before the crash (each "duplicated" answer starts a new request for the rest), so
its created numbers are the prefix *skipping the duplicates the server stopped at*, and those
duplicates (already in the account, below the watermark) may not have been saved to the
checkpoint. The search therefore treats numbers found to be someone else's as holes; then the
total it claims is checked against the phonebook's size (``count`` now minus ``count`` at the
watermark, also in the checkpoint). When the totals differ, a hole was missed: every number
counted without a lookup of its own is looked up. The common case stays at one or two lookups
per chunk; the fallback is exact.

Guarantees: each valid, distinct number is created at most once by the upload, and all of
them are created or reported; ``created + len(duplicates) + len(invalid) + len(do_not_call)
== rows_read``. The
upload assumes nobody else adds the same numbers to the same phonebook while it runs.
"""

from ._csv import read_contacts_csv as read_contacts_csv
from ._limiter import AdaptiveLimit as AdaptiveLimit
from ._readers import ContactReader as ContactReader
from ._readers import read_contacts as read_contacts
from ._result import BulkDoNotCall as BulkDoNotCall
from ._result import BulkDuplicate as BulkDuplicate
from ._result import BulkInvalidRow as BulkInvalidRow
from ._result import BulkResult as BulkResult
from ._result import BulkUploadError as BulkUploadError
from ._result import ContactInput as ContactInput
from ._result import DuplicateReason as DuplicateReason
from ._rows import MalformedRow as MalformedRow
from ._upload import ContactRows as ContactRows
from ._upload import ProgressCallback as ProgressCallback
from ._upload import bulk_create as bulk_create

__all__ = [
    "AdaptiveLimit",
    "BulkDoNotCall",
    "BulkDuplicate",
    "BulkInvalidRow",
    "BulkResult",
    "BulkUploadError",
    "ContactInput",
    "ContactRows",
    "ContactReader",
    "DuplicateReason",
    "MalformedRow",
    "ProgressCallback",
    "bulk_create",
    "read_contacts",
    "read_contacts_csv",
]
