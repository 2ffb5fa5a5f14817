"""``client.contacts``: the ``contact/`` endpoint (docs/API.md §5.5), single-contact operations.

The validation rules of one contact live in :mod:`alice_async._contact_rules` (bulk upload uses
the same ones, so a row is accepted or refused the same way whichever endpoint carries it);
phone numbers are read by :class:`~alice_async._phone.PhoneRules`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .._contact_rules import CONTACT_FIELDS as CONTACT_FIELDS
from .._contact_rules import contact_body as contact_body
from .._pagination import AsyncPaginator
from .._phone import PhoneFormat, PhoneRules
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from .._validation import boolean, object_id, require, text
from ..bulk import BulkResult, ContactRows, ProgressCallback, bulk_create
from ..models.contacts import Contact, ContactStatus
from ._base import Resource, bounded, per_call
from ._settle import contact_identity

__all__ = ["CONTACT_FIELDS", "Contacts", "contact_body"]

_RULES: dict[tuple[str | None, str], PhoneRules] = {}
"""The phone rules met so far, by (region, phone_format) as given (a handful in practice)."""


def _phone_rules(region: object, phone_format: object) -> PhoneRules:
    """``PhoneRules(region, phone_format)``, made (and validated) once per pair of strings."""
    if (region is None or type(region) is str) and type(phone_format) is str:
        rules = _RULES.get((region, phone_format))
        if rules is None:
            rules = PhoneRules(region, phone_format)  # type: ignore[arg-type]  # checked there
            if len(_RULES) < 64:
                _RULES[(region, phone_format)] = rules
        return rules
    return PhoneRules(region, phone_format)  # type: ignore[arg-type]  # refuses it, naming it


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

    @per_call
    def list(
        self,
        *,
        phonebook: int | None = None,
        search: str | None = None,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Contact]:
        """Contacts, optionally of one ``phonebook`` and/or matching ``search`` (number or name)."""
        filters = {
            "phonebook": None if phonebook is None else object_id("phonebook", phonebook),
            "search": None if search is None else text("search", search),
        }
        return self._paginate(
            Contact, filters, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Contact:
        """One contact by id."""
        return await self._retrieve(id, Contact, timeout=timeout, max_retries=max_retries)

    @bounded
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
        region: str | None = "VN",
        phone_format: PhoneFormat = "national",
        settle: bool = True,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Contact:
        """Add one contact to a phonebook (no duplicate check on this endpoint).

        ``contact`` is the phone number as a string, read in ``region``: with ``"VN"``,
        ``0934 890 883``, ``84934890883`` and ``+84934890883`` are one number, stored as
        ``phone_format`` says (``"national"``: ``0934890883``; ``"e164"``: ``+84934890883``;
        ``"as-given"``: as written minus separators). ``region=None`` keeps the number as
        written minus spaces, dots and dashes. Text fields are stored in Unicode NFC.
        For many contacts use :meth:`bulk_create`. ``settle=True`` (default) reads the
        phonebook's matches first and, after an ambiguous failure, looks the number up before
        sending again; ``False`` saves that read and raises instead.
        """
        if (
            email is None
            and first_name is None
            and last_name is None
            and description is None
            and additional_vars is None
            and country is None
        ):
            fields: dict[str, object] = {"contact": contact, "status": status}  # the usual call
        else:
            fields = {
                "contact": contact,
                "status": status,
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "description": description,
                "additional_vars": additional_vars,
                "country": country,
            }
        body = {
            "phonebook": object_id("phonebook", require("phonebook", phonebook)),
            **contact_body(fields, phones=_phone_rules(region, phone_format)),
        }
        identity = contact_identity(body) if boolean("settle", settle) else None
        return await self._create(
            body, Contact, timeout=timeout, max_retries=max_retries, identity=identity
        )

    @bounded
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
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
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

    @bounded
    async def delete(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> None:
        """Delete a contact."""
        await self._delete(id, timeout=timeout, max_retries=max_retries)

    @bounded
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
        region: str | None = "VN",
        phone_format: PhoneFormat = "national",
        skip_dnc: bool = False,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> BulkResult:
        """Upload many contacts into a phonebook, exactly once, streaming and resumable.

        Each row is validated like :meth:`create`; invalid rows and numbers repeated in the
        input are reported, never sent. Numbers are compared by their canonical form in
        ``region`` (``0934890883``, ``84934890883`` and ``+84 934 890 883`` are one person),
        within the input, against the account (read once, so a number stored as ``+84...``
        by another tool is found) and against the do-not-call lists (``skip_dnc``). Faults
        (429, 5xx, resets, timeouts) are retried or settled by lookups so that every number
        is created at most once and reported exactly once: ``created + len(duplicates) +
        len(invalid) + len(do_not_call) == rows_read``. How it works, and why it is
        exactly-once: :mod:`alice_async.bulk`.

        Args:
            phonebook: the phonebook id.
            contacts: an iterable or async iterable of :class:`~alice_async.ContactInput` or
                dicts with the API's field names (``read_contacts_csv`` yields those). It is
                read lazily, never held whole.
            chunk_size: contacts per ``bulkcontact/`` request.
            concurrency: the most requests in flight (lowered while the server sends 429s).
            checkpoint: a file path; rerun the same call with the same input after a crash
                or Ctrl-C to resume without creating anything twice. It records a
                fingerprint of the input and options: a different input is refused.
            on_progress: ``on_progress(progress)``, called from the event loop after each
                chunk with a :class:`~alice_async.Progress` (``done``, ``total``, ``rate``,
                ``skipped``: duplicates and do-not-call numbers, ``failed``: invalid rows).
                Deprecated but kept: a callback of three positional parameters is called as
                ``on_progress(done_rows, total_rows_or_None, rows_per_second)``.
            max_retries: failures in a row one chunk may meet before the upload gives up.
            region: the country numbers without a country code belong to (``None``: keep
                numbers as written and compare them exactly, as the server does).
            phone_format: the stored form: ``"national"`` (``0934890883``), ``"e164"``
                (``+84934890883``) or ``"as-given"``.
            skip_dnc: read the account's do-not-call numbers (every list) once and report
                matching rows in ``do_not_call`` instead of uploading them.

        Returns:
            A :class:`~alice_async.BulkResult`.

        Raises:
            BulkUploadError: the phonebook is not valid, the account's contact quota is
                reached, or a chunk kept failing; ``.result`` holds the partial result and the
                checkpoint is saved.
            AuthenticationError: the credentials were refused.
            InvalidInputError: a bad argument, or a checkpoint of another upload (other
                phonebook, chunk size, options or input: the message names the first row
                that differs).

        Example::

            rows = ({"contact": n, "first_name": "Linh"} for n in numbers)
            result = await client.contacts.bulk_create(book.id, rows, checkpoint="up.ckpt")
            print(result.created, len(result.duplicates), len(result.invalid))
        """
        return await bulk_create(
            self._client,
            phonebook,
            contacts,
            chunk_size=chunk_size,
            concurrency=concurrency,
            checkpoint=checkpoint,
            on_progress=on_progress,
            max_retries=max_retries,
            region=region,
            phone_format=phone_format,
            skip_dnc=skip_dnc,
        )
