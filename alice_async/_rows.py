"""Building models from response rows: the converter's path with API errors, and its fast twin.

:func:`structure` and :func:`structure_many` run the converter and turn what it refuses into
:class:`APIResponseValidationError` naming the model, the URL and the field. For the big
pulls (CDRs, subscribers) :func:`row_builder` makes a generated ``dict -> model`` function
that gives exactly the converter's results, proven by the property tests in
``tests/test_rows.py``; :func:`model_rows` joins both into a paginator's ``parse_items``.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
import cattrs

from ._converter import converter, parse_datetime
from ._exceptions import APIResponseValidationError

__all__ = ["model_rows", "row_builder", "structure", "structure_many"]

M = TypeVar("M")

_STRUCTURE_ERRORS = (cattrs.BaseValidationError, ValueError, TypeError, KeyError, AttributeError)


def structure(data: Any, cls: type[M], where: str, *, method: str = "GET") -> M:
    """Turn a JSON object into model ``cls``.

    Raises:
        APIResponseValidationError: it is not one (the message names the field), labelled
            with the request's ``method`` and ``where`` (its URL).
    """
    try:
        return converter.structure(data, cls)
    except _STRUCTURE_ERRORS as exc:
        raise APIResponseValidationError(
            f"{where}: the response is not a valid {cls.__name__}: {_error_summary(exc)}",
            method=method,
            url=where,
        ) from exc


def structure_many(items: Sequence[Any], cls: type[M], where: str) -> list[M]:
    """The models of one page of a list, through the converter.

    Raises:
        APIResponseValidationError: an item is not a ``cls``.
    """
    hook = converter.get_structure_hook(cls)
    try:
        return [hook(item, cls) for item in items]
    except _STRUCTURE_ERRORS as exc:
        raise APIResponseValidationError(
            f"{where}: a list item is not a valid {cls.__name__}: {_error_summary(exc)}",
            method="GET",
            url=where,
        ) from exc


def model_rows(cls: type[M]) -> Callable[[Sequence[Any], str], list[M]]:
    """A paginator's ``parse_items`` for ``cls`` on the fast path (see :func:`row_builder`).

    A row the fast path cannot build goes through the converter; a page with a row the
    converter refuses is built again by :func:`structure_many`, for its error message.
    """
    hook = converter.get_structure_hook(cls)
    build = row_builder(cls, lambda item: hook(item, cls))

    def parse(items: Sequence[Any], where: str) -> list[M]:
        try:
            return [build(item) for item in items]
        except Exception:  # the converter's path again, for its error message
            return structure_many(items, cls, where)

    return parse


def _error_summary(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc)
        return "; ".join(messages[:3])
    return f"{type(exc).__name__}: {exc}"


_MISSING = object()


def row_builder(model: type[M], slow: Callable[[Any], M]) -> Callable[[Any], M]:
    """A fast ``dict -> model`` function for big pulls, exact for what servers usually send.

    The converter's generated hooks cost about 15 µs per 22-field CDR, four times the JSON
    decoding. This builds, once per model, a function that reads every field with
    ``d[name]``, checks its plain JSON type inline (``int``, ``str``, ``bool``, ``None``, a
    documented enum value, a datetime in the server's ``...Z`` shapes) and fills the slots of
    a new instance directly (what attrs' own ``__init__`` does, minus a call per field). The
    first value that is anything else (a hyperlink, an unknown enum value, a numeric
    string, a missing key...) sends the whole row to ``slow`` (the converter), so unusual
    rows get exactly the converter's results and errors. Models the fast path cannot
    reproduce exactly (not slotted, validators, converters, init hooks, other field types)
    always use ``slow``.
    """
    fields: Any = attrs.fields(model)  # type: ignore[arg-type]
    slotted = "__slots__" in vars(model)
    hooks = ("__attrs_pre_init__", "__attrs_post_init__", "__attrs_init__")
    if not slotted or any(hasattr(model, hook) for hook in hooks):
        return slow
    hints = typing.get_type_hints(model)
    namespace: dict[str, Any] = {
        "_cls": model,
        "_new": object.__new__,
        "_slow": slow,
        "_MISSING": _MISSING,
        "_dt": parse_datetime,
    }
    lines = ["def build(d):"]
    sets = []
    for index, field in enumerate(fields):
        if field.validator is not None or field.converter is not None or not field.init:
            return slow
        check = _field_check(index, field.name, hints[field.name], namespace)
        if check is None:
            return slow
        lines.extend(check)
        slot = getattr(model, field.name, None)
        if type(slot) is not types.MemberDescriptorType:
            return slow
        namespace[f"_s{index}"] = slot.__set__
        sets.append(f"    _s{index}(o, v{index})")
    lines += ["    o = _new(_cls)", *sets, "    return o"]
    # The source is built above from field names and indexes only, never from data.
    exec("\n".join(lines), namespace)
    fast: Callable[[Any], M] = namespace["build"]

    def build(item: Any) -> M:
        try:
            return fast(item)
        except Exception:  # anything odd (not a dict, a missing key...): the full path
            return slow(item)

    return build


def _field_check(index: int, key: str, tp: Any, namespace: dict[str, Any]) -> list[str] | None:
    """Source lines setting ``v<index>`` from ``d[key]`` or returning ``_slow(d)``."""
    name = f"v{index}"
    nullable = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        nullable = len(members) < len(typing.get_args(tp))
        if len(members) != 1:
            return None
        tp = members[0]
    if not isinstance(tp, type):
        return None
    lines = [f"    {name} = d[{key!r}]"]
    guard = f"{name} is not None and " if nullable else ""
    if issubclass(tp, enum.Enum):
        namespace[f"_m{index}"] = tp._value2member_map_
        indent = "    "
        if nullable:
            lines.append(f"    if {name} is not None:")
            indent = "        "
        lines.append(f"{indent}{name} = _m{index}.get({name}, _MISSING)")
        lines.append(f"{indent}if {name} is _MISSING: return _slow(d)")
        return lines
    if tp is dt.datetime:
        lines.append(f"    if type({name}) is str: {name} = _dt({name})")
        lines.append(
            f"    elif {name} is not None: return _slow(d)"
            if nullable
            else "    else: return _slow(d)"
        )
        return lines
    if tp in (int, str, bool):
        lines.append(f"    if {guard}type({name}) is not {tp.__name__}: return _slow(d)")
        return lines
    return None
