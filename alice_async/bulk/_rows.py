"""One input row to the mapping of fields the contact rules read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .._exceptions import InvalidInputError
from ._result import ContactInput

__all__ = ["MalformedRow", "row_fields"]


@attrs.frozen
class MalformedRow:
    """An input row that could not even be parsed (a CSV line with the wrong shape).

    :func:`~alice_async.read_contacts` yields one in place of the row, and a bulk upload
    reports it in ``BulkResult.invalid`` with field ``"row"``.
    """

    message: str


def row_fields(item: Any) -> Mapping[str, Any]:
    """The fields of one input row.

    Raises:
        InvalidInputError: naming the field at fault (``"row"`` for an unusable row).
    """
    if isinstance(item, ContactInput):
        return item.as_fields()
    if isinstance(item, Mapping):
        return item
    if isinstance(item, MalformedRow):
        raise InvalidInputError("row", None, item.message)
    raise InvalidInputError(
        "row", type(item).__name__, "expected a ContactInput or a mapping of contact fields"
    )
