"""Settled creates: after an ambiguous failure, look before sending again or giving up.

A ``POST`` that failed after it may have reached the server (a 500 or 502 page, a reset or a
timeout after sending) may or may not have created the object. The server has no idempotency
keys, so the transport never replays it blindly. :func:`create_settled` finds out instead, using
what identifies the object (its :class:`Identity`): the filters that narrow the list down to
it, the fields it must have, and whether only objects created after the attempt began count.

- **found** → the object is returned, exactly once (the lowest matching id);
- **provably absent** → the POST was not processed: it is sent again (at most ``max_retries``
  times);
- **unknowable** (the lookup itself failed) → :class:`~alice_async.APIConnectionError` with
  ``request_sent=True`` and a message that says what to check.

Which objects count as "created by this call": those matching the identity with an id above a
*watermark*, the highest id among the matches read just before the first POST (ids grow; lists
are in ascending id order, as for the bulk upload's watermark). A campaign name is unique in the
account, so a campaign needs no watermark and costs no read before its POST. The assumption,
as for the bulk upload: nobody else creates the same object in the same account meanwhile, and
the server had finished with the failed request when the lookup runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .._exceptions import APIConnectionError, APIError, APIStatusError, NotFoundError
from .._pagination import RawPage, parse_envelope
from .._types import NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from ._base import Resource

__all__ = [
    "Identity",
    "contact_identity",
    "create_settled",
    "dnc_entry_identity",
    "is_ambiguous",
    "named",
]

LOOKUP_PAGE = 100
"""Items per page when reading the tail of a filtered list."""
MAX_TAIL_PAGES = 10


M = TypeVar("M")


@attrs.frozen
class Identity:
    """What identifies the object a create makes.

    Args:
        what: the object in words, for messages (``"phonebook named 'Q4'"``).
        params: list filters that narrow the collection down to it.
        matches: whether a listed object is it (exact comparison of the identifying fields).
        watermark: only objects with an id above the highest one before the POST count.
    """

    what: str
    params: Mapping[str, str]
    matches: Callable[[Any], bool]
    watermark: bool = True


def named(what: str, name: str, *, filter: str | None = "search", unique: bool = False) -> Identity:
    """An object identified by its exact ``name``, narrowed by the ``filter`` (contains) query.

    ``unique``: the server refuses a second object of that name, so no watermark is needed.
    """
    return Identity(
        what=f"{what} named {name!r}",
        params={} if filter is None else {filter: name},
        matches=lambda item: getattr(item, "name", None) == name,
        watermark=not unique,
    )


def contact_identity(body: Mapping[str, Any]) -> Identity:
    """A contact: its phonebook and its (normalised) number."""
    phonebook, number = body["phonebook"], body["contact"]
    return Identity(
        what=f"contact {number} in phonebook {phonebook}",
        params={"phonebook": str(phonebook), "search": number},
        matches=lambda item: item.phonebook == phonebook and item.contact == number,
    )


def dnc_entry_identity(body: Mapping[str, Any]) -> Identity:
    """A do-not-call entry: its list and its number."""
    dnc, number = body["dnc"], body["phone_number"]
    return Identity(
        what=f"number {number} in do-not-call list {dnc}",
        params={"dnc": str(dnc)},
        matches=lambda item: item.dnc == dnc and item.phone_number == number,
    )


def is_ambiguous(error: APIError) -> bool:
    """Whether a failed POST may have been processed (a 429 or 503 says it was not)."""
    if isinstance(error, APIConnectionError):
        return error.request_sent
    if isinstance(error, APIStatusError):
        return error.status_code >= 500 and error.status_code != 503
    return False


async def create_settled(
    resource: Resource,
    body: Mapping[str, Any],
    cls: type[M],
    identity: Identity,
    *,
    timeout: TimeoutTypes | NotGiven,
    max_retries: int | NotGiven,
) -> M:
    """``POST`` ``body``; after an ambiguous failure, look the object up and decide."""
    client = resource._client
    watermark = await _highest_id(resource, cls, identity) if identity.watermark else 0
    resends = client.max_retries if isinstance(max_retries, NotGiven) else max_retries
    while True:
        try:
            return await resource._create(body, cls, timeout=timeout, max_retries=max_retries)
        except APIError as exc:
            if not is_ambiguous(exc):
                raise
            error = exc
        try:
            found = await _created_since(resource, cls, identity, watermark)
        except APIError as lookup_error:
            raise APIConnectionError(
                f"{error}; the SDK then could not tell whether it was created ({lookup_error}): "
                f"check whether the {identity.what} exists before creating it again",
                method="POST",
                url=error.url,
                request_sent=True,
            ) from error
        if found is not None:
            return found
        if resends <= 0:
            raise error  # provably not created, and no resend left
        resends -= 1


async def _tail(resource: Resource, cls: type[Any], identity: Identity, above: int) -> list[Any]:
    """The objects of the filtered list with an id above ``above``, read from its end."""
    params = {**identity.params, "page_size": str(LOOKUP_PAGE)}
    first = await _page(resource, params)
    if first.count == 0 or not first.results:
        return []
    size = len(first.results)  # a server may ignore page_size (variant)
    found: list[Any] = []
    page_number = math.ceil(first.count / size)
    for _ in range(MAX_TAIL_PAGES):
        page = first
        if page_number > 1:
            page = await _page(resource, {**params, "page": str(page_number)})
        built = resource._build_many(page.results, cls, resource._path)
        newer = [item for item in built if item.id > above]
        found = newer + found
        if len(newer) < len(built) or page_number == 1:
            break
        page_number -= 1
    return found


async def _highest_id(resource: Resource, cls: type[Any], identity: Identity) -> int:
    return max((item.id for item in await _tail(resource, cls, identity, above=0)), default=0)


async def _created_since(
    resource: Resource, cls: type[M], identity: Identity, watermark: int
) -> M | None:
    for item in await _tail(resource, cls, identity, above=watermark):
        if identity.matches(item):
            found: M = item
            return found
    return None


async def _page(resource: Resource, params: Mapping[str, str]) -> RawPage:
    for _ in range(3):
        try:
            response = await resource._client.request("GET", resource._path, params=params)
        except NotFoundError:
            continue  # objects were deleted meanwhile: the last page moved
        return parse_envelope(response.data, url=resource._path, allow_bare=False)
    raise APIConnectionError(
        f"GET {resource._path}: the list kept moving while it was read",
        method="GET",
        url=resource._path,
        request_sent=True,
    )
