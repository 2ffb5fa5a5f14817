"""What a bulk upload takes and gives back: :class:`ContactInput`, :class:`BulkResult` and its
rows, and :class:`BulkUploadError` (a fatal condition, carrying the partial result).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from .._exceptions import AliceError
from ..models.contacts import ContactStatus

__all__ = [
    "BulkDoNotCall",
    "BulkDuplicate",
    "BulkInvalidRow",
    "BulkResult",
    "BulkUploadError",
    "ContactInput",
    "DuplicateReason",
]


@attrs.frozen
class ContactInput:
    """One contact to upload: the fields of ``POST contact/`` without the phonebook.

    Plain dicts with the API field names are accepted as well; both go through the same
    validation as :meth:`~alice_async.resources.contacts.Contacts.create`.

    Example::

        ContactInput(contact="0934 890 883", first_name="Linh", additional_vars={"order": "A-1"})
    """

    contact: str
    status: ContactStatus | int | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    description: str | None = None
    additional_vars: Mapping[str, str] | None = None
    country: str | None = None

    def as_fields(self) -> dict[str, object]:
        """The fields as a dict with the API's names (``None`` for the ones not given)."""
        return {
            "contact": self.contact,
            "status": self.status,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "description": self.description,
            "additional_vars": self.additional_vars,
            "country": self.country,
        }


class DuplicateReason(str, enum.Enum):
    """Why a row was not created although it was valid."""

    ALREADY_IN_ACCOUNT = "already_in_account"
    """The number is already in a phonebook of the account (the server refused it)."""
    REPEATED_IN_INPUT = "repeated_in_input"
    """The number appeared earlier in this upload; only its first row is sent."""

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class BulkDuplicate:
    """A valid row that was not created because its number is a duplicate.

    Attributes:
        row: 0-based index of the row in the input (for CSV: the data row after the header).
        number: the normalised phone number.
        reason: :class:`DuplicateReason`.
    """

    row: int
    number: str
    reason: DuplicateReason


@attrs.frozen
class BulkDoNotCall:
    """A valid row not uploaded because its number is on a do-not-call list (``skip_dnc``).

    Attributes:
        row: 0-based index of the row in the input.
        number: the number as it would have been stored.
    """

    row: int
    number: str

    @property
    def reason(self) -> str:
        """Always ``"do_not_call"`` (the reason written to a rejects file)."""
        return "do_not_call"


@attrs.frozen
class BulkInvalidRow:
    """A row refused by validation (client-side, or by the server for a row it refused).

    Attributes:
        row: 0-based index of the row in the input.
        field: the API field at fault (``"contact"``, ``"email"``...; ``"row"`` for a CSV line
            that could not be parsed).
        message: why it was refused.
    """

    row: int
    field: str
    message: str


@attrs.frozen
class BulkResult:
    """The outcome of :meth:`~alice_async.resources.contacts.Contacts.bulk_create`.

    For a finished upload ``created + len(duplicates) + len(invalid) + len(do_not_call) ==
    rows_read`` and ``pending == 0``. A partial result (carried by :class:`BulkUploadError`)
    counts the rows read but not settled in ``pending``, so the sum with ``pending`` equals
    ``rows_read``.

    Attributes:
        created: contacts created by this upload (all runs of it, when resumed).
        duplicates: rows not created because of their number, in row order.
        invalid: rows refused by validation, in row order.
        do_not_call: rows not uploaded because the number is on a do-not-call list (only with
            ``skip_dnc=True``), in row order.
        rows_read: rows taken from the input.
        pending: rows read whose outcome is not known (0 unless the upload failed).
        requests: ``bulkcontact/`` requests sent by this run.
        lookups: ``contact/`` searches this run made to settle ambiguous failures.
        already_finished: the checkpoint was of an upload that had finished: nothing was sent
            by this run and the counts are those of the earlier runs.
    """

    created: int
    duplicates: tuple[BulkDuplicate, ...] = ()
    invalid: tuple[BulkInvalidRow, ...] = ()
    rows_read: int = 0
    pending: int = 0
    requests: int = 0
    lookups: int = 0
    do_not_call: tuple[BulkDoNotCall, ...] = ()
    already_finished: bool = False

    @property
    def settled(self) -> int:
        """Rows with an outcome: created, duplicates, invalid and do-not-call."""
        return self.created + len(self.duplicates) + len(self.invalid) + len(self.do_not_call)

    @property
    def is_complete(self) -> bool:
        """Whether every row read has an outcome (the accounting equation holds)."""
        return self.pending == 0 and self.settled == self.rows_read


class BulkUploadError(AliceError):
    """A bulk upload stopped on a fatal condition; what was done is in :attr:`result`.

    Raised when the phonebook is not valid, the account's contact quota is reached, a chunk
    keeps failing after its retries, or the server answers in a way the upload cannot trust.
    The checkpoint (when one is used) is saved before this is raised, so the same call can be
    run again once the cause is fixed. The original error, if any, is ``__cause__``.

    Attributes:
        result: the partial :class:`BulkResult` (``pending`` counts the unsettled rows).
        reason: a short machine-readable cause: ``"phonebook"``, ``"quota"``, ``"retries"``
            or ``"protocol"``.
    """

    def __init__(self, message: str, *, result: BulkResult, reason: str) -> None:
        self.result = result
        self.reason = reason
        super().__init__(message)
