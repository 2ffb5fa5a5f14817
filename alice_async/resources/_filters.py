"""The filters of the big list endpoints, each written once: its name, its type, its rule.

A filter is one key of a ``TypedDict`` (:class:`CdrFilters`, :class:`SubscriberFilters`)
whose annotation carries the rule that validates it into a query value
(``Annotated[int | None, Rule(int_range, low=0)]``). The list methods take
``**filters: Unpack[CdrFilters]``, so editors and mypy see every filter, and
:func:`validated` applies the rules. Adding a filter is one line here, then
``python scripts/gen_sync.py`` for the sync facade.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypedDict

from .._exceptions import InvalidInputError
from .._validation import (
    boolean,
    datetime_value,
    enum_value,
    int_range,
    object_id,
    open_text,
    ordered,
    phone_number,
    status_code,
    text,
)
from ..models.cdr import Disposition, HangupCause
from ..models.subscribers import SubscriberStatus

__all__ = [
    "CdrFieldFilters",
    "CdrFilters",
    "Rule",
    "SubscriberFilters",
    "cdr_query",
    "validated",
]


class Rule:
    """A validation rule of ``_validation`` with its options: ``check(field, value, **options)``."""

    __slots__ = ("check", "options")

    def __init__(self, check: Callable[..., Any], **options: Any) -> None:
        self.check = check
        self.options = options

    def __repr__(self) -> str:
        return f"Rule({self.check.__name__}, **{self.options!r})"

    def __call__(self, field: str, value: Any) -> Any:
        return self.check(field, value, **self.options)


class CdrFieldFilters(TypedDict, total=False):
    """The CDR filters on the record's own fields (all but the ``starting_date`` range)."""

    callid: Annotated[str | None, Rule(text, required=True)]
    """The call's uuid."""
    callerid: Annotated[str | None, Rule(text, required=True)]
    """The caller id shown."""
    phone_number: Annotated[str | None, Rule(phone_number, max_length=120)]
    """The number called, as a string."""
    duration: Annotated[int | None, Rule(int_range, low=0)]
    """Exact duration in seconds."""
    billsec: Annotated[int | None, Rule(int_range, low=0)]
    """Exact billed seconds."""
    disposition: Annotated[Disposition | str | None, Rule(enum_value, enum_cls=Disposition)]
    """A :class:`Disposition`."""
    hangup_cause: Annotated[HangupCause | str | None, Rule(open_text, enum_cls=HangupCause)]
    """A :class:`HangupCause` or any cause name."""
    sip_term_status: Annotated[str | int | None, Rule(status_code)]
    """A SIP status such as ``404``."""
    sip_term_cause: Annotated[str | int | None, Rule(status_code)]
    """A SIP/Q.850 cause code."""
    endpoint_disposition: Annotated[Disposition | str | None, Rule(open_text, enum_cls=Disposition)]
    """The endpoint's disposition (``"ANSWER"``)."""
    campaign: Annotated[int | None, Rule(object_id)]
    """A campaign id."""
    alarm: Annotated[bool | None, Rule(boolean)]
    """Only appointment-reminder calls (``True``) or only others (``False``)."""
    otp: Annotated[bool | None, Rule(boolean)]
    """Only voice OTP calls (``True``) or only others (``False``)."""


class CdrFilters(CdrFieldFilters, total=False):
    """Every filter of ``cdr/`` (docs/API.md §5.9): the field filters and the date range.

    Example::

        filters: CdrFilters = {"campaign": 7, "disposition": Disposition.ANSWER}
        async for call in client.cdr.list(**filters):
            print(call.phone_number)
    """

    from_date: Annotated[dt.datetime | None, Rule(datetime_value)]
    """Earliest ``starting_date`` (aware datetime, inclusive)."""
    to_date: Annotated[dt.datetime | None, Rule(datetime_value)]
    """Latest ``starting_date`` (aware datetime, inclusive; not before ``from_date``)."""


class SubscriberFilters(TypedDict, total=False):
    """Every filter of ``subscriber-list/`` (docs/API.md §5.10)."""

    campaign: Annotated[int | None, Rule(object_id)]
    """A campaign id."""
    contact: Annotated[str | None, Rule(phone_number)]
    """The phone number (a string)."""
    status: Annotated[SubscriberStatus | int | None, Rule(enum_value, enum_cls=SubscriberStatus)]
    """A :class:`SubscriberStatus`."""
    duration: Annotated[int | None, Rule(int_range, low=0)]
    """Exact seconds of the last call."""
    billsec: Annotated[int | None, Rule(int_range, low=0)]
    """Exact billed seconds of the last call."""


_RULES: dict[type, dict[str, Rule]] = {}


def rules_of(filters: type) -> dict[str, Rule]:
    """``{filter name: its rule}`` of a filters ``TypedDict``, read once from its annotations."""
    if filters not in _RULES:
        hints = typing.get_type_hints(filters, include_extras=True)
        _RULES[filters] = {
            name: next(m for m in hint.__metadata__ if isinstance(m, Rule))
            for name, hint in hints.items()
        }
    return _RULES[filters]


def validated(filters: type, given: Mapping[str, Any]) -> dict[str, Any]:
    """The filters ``given``, validated by their rules (``None`` kept for a filter not given).

    Raises:
        InvalidInputError: an unknown filter name, or a value its rule refuses.
    """
    rules = rules_of(filters)
    for name, value in given.items():
        if name not in rules:
            raise InvalidInputError(
                name, value, f"not a filter of this list; the filters are {', '.join(rules)}"
            )
    return {
        name: None if given.get(name) is None else rule(name, given[name])
        for name, rule in rules.items()
    }


def cdr_query(given: Mapping[str, Any]) -> dict[str, Any]:
    """The validated :class:`CdrFilters`, dates checked for order.

    Raises:
        InvalidInputError: a bad filter, or ``to_date`` before ``from_date``.
    """
    values = validated(CdrFilters, given)
    start, stop = values["from_date"], values["to_date"]
    if start is not None and stop is not None:
        # The vendor's own example has the two bounds reversed: say so, don't return nothing.
        ordered("from_date", start, "to_date", stop, after=False, strict=False)
    return values
