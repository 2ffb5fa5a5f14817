"""One input row to one wire body: validation with :func:`contact_body` and the compact keys
of the de-duplication set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .._bodies import contact_body
from .._exceptions import InvalidInputError
from ._result import ContactInput

__all__ = ["MalformedRow", "number_key", "row_body"]


@attrs.frozen
class MalformedRow:
    """An input row that could not even be parsed (a CSV line with the wrong shape).

    :func:`~alice_async.read_contacts_csv` yields one in place of the row, and a bulk upload
    reports it in ``BulkResult.invalid`` with field ``"row"``.
    """

    message: str


def number_key(number: str) -> int:
    """A compact, exact key for a normalised number (``"+84..."`` and ``"84..."`` differ).

    An int of a dozen digits takes 32 bytes where the string takes about 60, which keeps the
    set of a million numbers well under 100 MB.
    """
    if number[0] == "+":
        return int("2" + number[1:])
    return int("1" + number)


def row_body(item: Any) -> dict[str, Any]:
    """Validate one input row into the body the API expects.

    Raises:
        InvalidInputError: naming the field at fault (``"row"`` for an unusable row).
    """
    if type(item) is dict:
        fields: Mapping[str, Any] = item
    elif isinstance(item, ContactInput):
        fields = item.as_fields()
    elif isinstance(item, Mapping):
        fields = item
    elif isinstance(item, MalformedRow):
        raise InvalidInputError("row", None, item.message)
    else:
        raise InvalidInputError(
            "row", type(item).__name__, "expected a ContactInput or a mapping of contact fields"
        )
    return contact_body(fields)
