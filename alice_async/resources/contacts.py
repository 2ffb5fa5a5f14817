"""``client.contacts``: the ``contact/`` endpoint (REFERENCE §5.5), single-contact operations.

:func:`contact_body` holds the validation rules of one contact; bulk upload reuses it so a row
is accepted or refused the same way whichever endpoint carries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import (
    additional_vars as validate_additional_vars,
)
from .._validation import (
    boolean,
    enum_value,
    object_id,
    phone_number,
    require,
    text,
)
from .._validation import (
    country as validate_country,
)
from .._validation import (
    email as validate_email,
)
from ..models.contacts import Contact, ContactStatus
from ._base import Resource
from ._settle import contact_identity

if TYPE_CHECKING:
    import os

    from ..bulk import BulkResult, ProgressCallback
    from ..bulk._upload import ContactRows

__all__ = ["CONTACT_FIELDS", "Contacts", "contact_body"]

CONTACT_FIELDS = (
    "contact",
    "status",
    "email",
    "first_name",
    "last_name",
    "description",
    "additional_vars",
    "country",
)
"""The fields of one contact besides its phonebook, in the order the API documents them."""


def contact_body(fields: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate one contact's fields into the JSON object the API expects.

    ``None`` values are left out. Without ``partial``, ``contact`` is required and ``status``
    defaults to active. Bulk uploads call this once per row, so the common shapes (a plain
    digit string, a 0/1 status, short names) take a fast path; anything else goes through the
    full rules of :mod:`alice_async._validation`, which decide the error.

    Raises:
        InvalidInputError: naming the first bad field and its value.
    """
    body: dict[str, Any] = {}
    get = fields.get
    number = get("contact")
    if number is None:
        if not partial:
            require("contact", number)
    elif type(number) is str and number.isdigit() and number.isascii() and len(number) <= 90:
        body["contact"] = number
    else:
        body["contact"] = phone_number("contact", number, max_length=90)
    status = get("status")
    if status is None:
        if not partial:
            body["status"] = 1
    elif type(status) is int and (status == 1 or status == 0):
        body["status"] = status
    else:
        body["status"] = enum_value("status", status, ContactStatus)
    value = get("first_name")
    if value is not None:
        if type(value) is str and len(value) <= 120:
            body["first_name"] = value
        else:
            body["first_name"] = text("first_name", value, max_length=120)
    value = get("last_name")
    if value is not None:
        if type(value) is str and len(value) <= 120:
            body["last_name"] = value
        else:
            body["last_name"] = text("last_name", value, max_length=120)
    from_fields = len(body) - (status is None and not partial)  # a defaulted status is ours
    if len(fields) == from_fields:
        return body  # every given key is handled already: skip the optional fields
    value = get("email")
    if value is not None:
        body["email"] = validate_email("email", value)
    value = get("description")
    if value is not None:
        body["description"] = value if type(value) is str else text("description", value)
    value = get("additional_vars")
    if value is not None:
        body["additional_vars"] = validate_additional_vars("additional_vars", value)
    value = get("country")
    if value is not None:
        body["country"] = validate_country("country", value)
    return body


class Contacts(Resource):
    """Contacts: phone numbers in phonebooks.

    Example::

        c = await client.contacts.create(
            phonebook=book.id, contact="0934 890 883", first_name="Linh",
            additional_vars={"order": "A-1"},
        )
        assert c.contact == "0934890883"
    """

    _path = "contact/"

    def list(
        self,
        *,
        phonebook: int | None = None,
        search: str | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Contact]:
        """Contacts, optionally of one ``phonebook`` and/or matching ``search`` (number or name)."""
        filters = {
            "phonebook": None if phonebook is None else object_id("phonebook", phonebook),
            "search": None if search is None else text("search", search),
        }
        return self._paginate(
            Contact, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Contact:
        """One contact by id."""
        return await self._retrieve(id, Contact, timeout=timeout, max_retries=max_retries)

    async def create(
        self,
        *,
        phonebook: int,
        contact: str,
        status: ContactStatus | int = ContactStatus.ACTIVE,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        description: str | None = None,
        additional_vars: Mapping[str, str] | None = None,
        country: str | None = None,
        settle: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Contact:
        """Add one contact to a phonebook (no duplicate check on this endpoint).

        ``contact`` is the phone number as a string; spaces, dots and dashes are removed.
        For many contacts use :meth:`bulk_create`. ``settle=True`` (default) reads the
        phonebook's matches first and, after an ambiguous failure, looks the number up before
        sending again; ``False`` saves that read and raises instead.
        """
        body = {
            "phonebook": object_id("phonebook", require("phonebook", phonebook)),
            **contact_body(
                {
                    "contact": contact,
                    "status": status,
                    "email": email,
                    "first_name": first_name,
                    "last_name": last_name,
                    "description": description,
                    "additional_vars": additional_vars,
                    "country": country,
                }
            ),
        }
        identity = contact_identity(body) if boolean("settle", settle) else None
        return await self._create(
            body, Contact, timeout=timeout, max_retries=max_retries, identity=identity
        )

    async def update(
        self,
        id: int,
        *,
        phonebook: int | None = None,
        contact: str | None = None,
        status: ContactStatus | int | None = None,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        description: str | None = None,
        additional_vars: Mapping[str, str] | None = None,
        country: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Contact:
        """Change the given fields of a contact; fields left as ``None`` are kept."""
        body = contact_body(
            {
                "contact": contact,
                "status": status,
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "description": description,
                "additional_vars": additional_vars,
                "country": country,
            },
            partial=True,
        )
        if phonebook is not None:
            body["phonebook"] = object_id("phonebook", phonebook)
        return await self._update(id, body, Contact, timeout=timeout, max_retries=max_retries)

    async def delete(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Delete a contact."""
        await self._delete(id, timeout=timeout, max_retries=max_retries)

    async def bulk_create(
        self,
        phonebook: int,
        contacts: ContactRows,
        *,
        chunk_size: int = 500,
        concurrency: int = 8,
        checkpoint: str | os.PathLike[str] | None = None,
        on_progress: ProgressCallback | None = None,
        max_retries: int = 10,
    ) -> BulkResult:
        """Upload many contacts into a phonebook, exactly once, streaming and resumable.

        Each row is validated like :meth:`create`; invalid rows and numbers repeated in the
        input are reported, never sent. Faults (429, 5xx, resets, timeouts) are retried or
        settled by lookups so that every number is created at most once and reported exactly
        once: ``created + len(duplicates) + len(invalid) == rows_read``. How it works, and
        why it is exactly-once: :mod:`alice_async.bulk`.

        Args:
            phonebook: the phonebook id.
            contacts: an iterable or async iterable of :class:`~alice_async.ContactInput` or
                dicts with the API's field names (``read_contacts_csv`` yields those). It is
                read lazily, never held whole.
            chunk_size: contacts per ``bulkcontact/`` request.
            concurrency: the most requests in flight (lowered while the server sends 429s).
            checkpoint: a file path; rerun the same call with the same input after a crash
                or Ctrl-C to resume without creating anything twice.
            on_progress: ``on_progress(done_rows, total_rows_or_None, rows_per_second)``,
                called from the event loop after each chunk.
            max_retries: failures in a row one chunk may meet before the upload gives up.

        Returns:
            A :class:`~alice_async.BulkResult`.

        Raises:
            BulkUploadError: the phonebook is not valid, the account's contact quota is
                reached, or a chunk kept failing; ``.result`` holds the partial result and the
                checkpoint is saved.
            AuthenticationError: the credentials were refused.
            InvalidInputError: a bad argument, or a checkpoint of another upload.

        Example::

            rows = ({"contact": n, "first_name": "Linh"} for n in numbers)
            result = await client.contacts.bulk_create(book.id, rows, checkpoint="up.ckpt")
            print(result.created, len(result.duplicates), len(result.invalid))
        """
        from ..bulk import bulk_create

        return await bulk_create(
            self._client,
            phonebook,
            contacts,
            chunk_size=chunk_size,
            concurrency=concurrency,
            checkpoint=checkpoint,
            on_progress=on_progress,
            max_retries=max_retries,
        )
