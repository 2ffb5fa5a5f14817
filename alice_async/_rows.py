"""Building models from response rows: the converter's path with API errors, and its fast twin.

:func:`structure` and :func:`structure_many` build models and turn what the converter refuses
into :class:`APIResponseValidationError` naming the model, the URL and the field.
:func:`row_builder` makes a generated ``dict -> model`` function (used by :func:`structure`)
and :func:`page_builder` a generated ``page -> models`` loop (the big pulls: CDRs,
subscribers) that give exactly the converter's results, proven by the property tests in
``tests/test_rows.py``; :func:`model_rows` joins the page builder and the converter's path
into a paginator's ``parse_items``.
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

from ._converter import converter, iso_z_datetime, parse_datetime
from ._exceptions import APIResponseValidationError

__all__ = ["model_rows", "page_builder", "page_keys", "row_builder", "structure", "structure_many"]

M = TypeVar("M")

_STRUCTURE_ERRORS = (cattrs.BaseValidationError, ValueError, TypeError, KeyError, AttributeError)


_ONE_ROW: dict[type[Any], Callable[[Any], Any]] = {}
"""The row builder of each model :func:`structure` has built (the converter's twin)."""


def structure(data: Any, cls: type[M], where: str, *, method: str = "GET") -> M:
    """Turn a JSON object into model ``cls``.

    Raises:
        APIResponseValidationError: it is not one (the message names the field), labelled
            with the request's ``method`` and ``where`` (its URL).
    """
    build = _ONE_ROW.get(cls)
    if build is None:
        hook = converter.get_structure_hook(cls)

        def slow(item: Any) -> Any:
            return hook(item, cls)

        build = _ONE_ROW[cls] = row_builder(cls, slow) if attrs.has(cls) else slow
    try:
        built: M = build(data)
    except _STRUCTURE_ERRORS as exc:
        raise APIResponseValidationError(
            f"{where}: the response is not a valid {cls.__name__}: {_error_summary(exc)}",
            method=method,
            url=where,
        ) from exc
    return built


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
    """A paginator's ``parse_items`` for ``cls`` on the fast path (see :func:`page_builder`).

    A row the fast path cannot build goes through the converter; a page with a row the
    converter refuses is built again by :func:`structure_many`, for its error message.
    """
    hook = converter.get_structure_hook(cls)
    build_page = page_builder(cls, lambda item: hook(item, cls))

    def parse(items: Sequence[Any], where: str) -> list[M]:
        try:
            return build_page(items)
        except Exception:  # the converter's path again, for its error message
            return structure_many(items, cls, where)

    return parse


def _error_summary(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc)
        return "; ".join(messages[:3])
    return f"{type(exc).__name__}: {exc}"


class _Odd(Exception):
    """A value the generated code does not build itself: the row goes to the converter."""


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
    built = _generate(model, slow)
    return slow if built is None else built[0]


def page_builder(model: type[M], slow: Callable[[Any], M]) -> Callable[[Sequence[Any]], list[M]]:
    """:func:`row_builder` for a whole page at once: one generated loop, no call per row.

    Each row is built exactly as :func:`row_builder` builds it (the same generated checks);
    an odd row goes to ``slow`` on its own, and an error ``slow`` raises propagates.
    """
    built = _generate(model, slow)
    if built is None:
        return lambda items: [slow(item) for item in items]
    return built[1]


def _generate(
    model: type[M], slow: Callable[[Any], M]
) -> tuple[Callable[[Any], M], Callable[[Sequence[Any]], list[M]]] | None:
    """The generated ``(build one row, build a page)`` of ``model``, or None (no fast path)."""
    fields: Any = attrs.fields(model)  # type: ignore[arg-type]
    slotted = "__slots__" in vars(model)
    hooks = ("__attrs_pre_init__", "__attrs_post_init__", "__attrs_init__")
    if not slotted or any(hasattr(model, hook) for hook in hooks):
        return None
    hints = typing.get_type_hints(model)
    namespace: dict[str, Any] = {
        "_cls": model,
        "_new": object.__new__,
        "_slow": slow,
        "_Odd": _Odd,
        "_dt": parse_datetime,
        "_iso_z": iso_z_datetime,
    }
    checks: list[str] = []
    page_checks: list[str] = []
    sets: list[str] = []
    for index, field in enumerate(fields):
        if field.validator is not None or field.converter is not None or not field.init:
            return None
        check = _field_check(index, field.name, hints[field.name], namespace)
        if check is None:
            return None
        checks.extend(check)
        # A page reads with the key objects of its own first row (see page_keys).
        page_checks.append(f"v{index} = d[k{index}]")
        page_checks.extend(check[1:])
        slot = getattr(model, field.name, None)
        if type(slot) is not types.MemberDescriptorType:
            return None
        namespace[f"_s{index}"] = slot.__set__
        sets.append(f"_s{index}(o, v{index})")
    # The source is built from field names and indexes only, never from data. Inside the
    # ``try``, a value the checks do not take raises (``_Odd``, or a KeyError, TypeError...)
    # and the row goes to the converter, outside the ``try``: its errors propagate.
    row = ["def build(d):", "    try:"]
    row += [f"        {line}" for line in checks]
    row += ["    except Exception:", "        return _slow(d)", "    o = _new(_cls)"]
    row += [f"    {line}" for line in sets] + ["    return o"]
    keys = ", ".join(f"k{index}" for index in range(len(fields)))
    namespace["_names"] = tuple(field.name for field in fields)
    namespace["page_keys"] = page_keys
    page = ["def build_page(items):", "    out = []", "    append = out.append"]
    page += [f"    {keys}, = page_keys(items, _names)"]
    page += ["    for d in items:", "        try:"]
    page += [f"            {line}" for line in page_checks]
    page += ["        except Exception:", "            append(_slow(d))", "            continue"]
    page += ["        o = _new(_cls)"] + [f"        {line}" for line in sets]
    page += ["        append(o)", "    return out"]
    exec("\n".join(row) + "\n\n" + "\n".join(page), namespace)
    return namespace["build"], namespace["build_page"]


def page_keys(items: Sequence[Any], names: tuple[str, ...]) -> tuple[Any, ...]:
    """``names``, as the very key objects of the page's first row where it has them.

    A JSON decoder gives every row of a page the same key objects (orjson caches them), but
    not the objects of our source code: a lookup with an equal but distinct string compares
    characters, with the same object it stops at identity. The values are equal either way.
    """
    first = items[0] if items else None
    if type(first) is not dict:
        return names
    own = {key: key for key in first}
    return tuple([own.get(name, name) for name in names])


def _str_dict(value: Any) -> dict[str, str]:
    """A copy of a JSON object whose keys and values are all strings; raises otherwise."""
    if type(value) is not dict:
        raise _Odd
    for key, item in value.items():
        if type(key) is not str or type(item) is not str:
            raise _Odd
    return dict(value)


def _field_check(index: int, key: str, tp: Any, namespace: dict[str, Any]) -> list[str] | None:
    """Source lines setting ``v<index>`` from ``d[key]``, raising on anything unusual."""
    name = f"v{index}"
    nullable = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        nullable = len(members) < len(typing.get_args(tp))
        if len(members) != 1:
            return None
        tp = members[0]
    lines = [f"{name} = d[{key!r}]"]
    if tp == dict[str, str] and not nullable:
        # ``additional_vars``: the converter copies an object of strings (anything else,
        # JSON text included, goes to it).
        namespace["_str_dict"] = _str_dict
        lines.append(f"{name} = _str_dict({name})")
        return lines
    if not isinstance(tp, type):
        return None
    if issubclass(tp, enum.Enum):
        # A documented value is a member; anything else (unknown, unhashable) raises and
        # goes to the converter, which makes the pseudo-member.
        namespace[f"_m{index}"] = tp._value2member_map_
        if nullable:
            lines.append(f"if {name} is not None: {name} = _m{index}[{name}]")
        else:
            lines.append(f"{name} = _m{index}[{name}]")
        return lines
    if tp is dt.datetime:
        # The server's own shape inline; any other string through parse_datetime.
        parse = f"_iso_z({name}) if len({name}) == 27 and {name}[-1] == 'Z' else _dt({name})"
        lines.append(f"if type({name}) is str: {name} = {parse}")
        lines.append(f"elif {name} is not None: raise _Odd" if nullable else "else: raise _Odd")
        return lines
    if tp in (int, str, bool):
        guard = f"{name} is not None and " if nullable else ""
        lines.append(f"if {guard}type({name}) is not {tp.__name__}: raise _Odd")
        return lines
    return None
