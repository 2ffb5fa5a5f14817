"""What every model shares: the ``StrOrInt`` field type and plain data (``to_dict``/``to_json``).

:class:`PlainData` is the base of every public model. Its methods go through the SDK's one
converter (:mod:`alice_async._converter`), so a model reads and writes the shapes the API uses:
datetimes as ISO-8601 in UTC with ``Z``, times as ``HH:MM:SS``, enums as their API values
(an unknown member as the raw value the server sent), nested models as dicts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import cattrs

from .._compat import Self
from .._converter import converter
from .._exceptions import InvalidInputError
from .._types import StrOrInt

__all__ = ["PlainData", "StrOrInt"]


class PlainData:
    """``to_dict()``, ``to_json()`` and ``from_dict()`` for an attrs model.

    Example::

        campaign = await client.campaigns.get(7)
        campaign.to_dict()["status"]      # 1 (the API's code for STARTED)
        campaign.to_json(indent=2)        # a str
        Campaign.from_dict(campaign.to_dict()) == campaign  # True
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready plain data, field names and values as the API has them.

        Datetimes are ISO-8601 strings in UTC ending in ``Z``, dates ``YYYY-MM-DD``, times
        ``HH:MM:SS``, enums their API value (an unknown member its raw value), nested models
        dicts. ``json.dumps`` takes the result as it is.
        """
        data: dict[str, Any] = converter.unstructure(self)
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        """:meth:`to_dict` as a JSON document: compact unless ``indent`` is given, non-ASCII
        characters kept as they are (``"Nguyễn"``, not ``"Nguy\\u1ec5n"``)."""
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, separators=separators)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """A model from plain data: what :meth:`to_dict` gave, or a raw API object.

        Raises:
            InvalidInputError: ``data`` does not describe this model (the field named is
                ``data``; the message says what is wrong).
        """
        try:
            return converter.structure(dict(data), cls)
        except Exception as exc:  # what cattrs raises: one error, or a group of field errors
            raise InvalidInputError("data", _short(data), _reason(cls, exc)) from exc


def _short(data: object) -> str:
    text = repr(data)
    return text if len(text) <= 200 else text[:197] + "..."


def _reason(cls: type, exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        details = "; ".join(cattrs.transform_error(exc, path="data"))
    else:
        details = f"{type(exc).__name__}: {exc}"
    return f"is not a {cls.__name__} ({details})"
