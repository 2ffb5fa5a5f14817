"""Rows as dataframes: Arrow tables typed like the Parquet export, then pandas or Polars.

This module owns ``paginator.to_arrow()``, ``.to_pandas()`` and ``.to_polars()`` and the
conversion the sync pipelines (:mod:`alice_async.sinks`) use to turn pages into Arrow
batches. The schema is the export's (:func:`alice_async.export.columns_of` and its Arrow
types): ``int64``, ``bool``, ``string`` (phone numbers stay text), ``timestamp[us, UTC]``.

Two paths build a table. The **fast path** takes the decoded JSON dicts of a page and lets
Arrow convert each column at once (ISO-8601 text cast to UTC timestamps in C); it is used
when every value already has its column's type. Anything else (a hyperlinked ``url`` id, a
missing field with a model default, a number sent as text) sends the whole batch through
the **model path**: the converter builds the attrs rows, whose values then become columns.
Both give the same table (a property test holds them equal).

Each frame library is imported only when asked for, so each needs only its own extra:
``alice-sdk[parquet]`` for Arrow, ``[pandas]``, ``[polars]``.
"""

from __future__ import annotations

import builtins
import importlib
from collections.abc import Callable, Sequence
from contextlib import aclosing
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs

from ._converter import converter
from ._exceptions import InvalidInputError, MissingDependencyError
from .export._columns import Column, columns_of
from .export._writers import arrow_batch_builder, arrow_schema

if TYPE_CHECKING:
    from ._pagination import AsyncPaginator

__all__ = [
    "arrow_table",
    "model_for_path",
    "paginator_to_arrow",
    "paginator_to_pandas",
    "paginator_to_polars",
    "require",
]

_EXTRAS = {"pyarrow": "parquet", "pandas": "pandas", "polars": "polars"}


def require(module: str) -> ModuleType:
    """Import an optional dependency, or say which extra installs it.

    Raises:
        MissingDependencyError: it is not installed (an ``ImportError``).
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.partition(".")[0]
        extra = _EXTRAS.get(top, top)
        raise MissingDependencyError(
            f"this needs {top}, which is not installed: pip install 'alice-sdk[{extra}]'",
            extra=extra,
            name=top,
        ) from exc


def model_for_path(path: str) -> type[Any] | None:
    """The model class of a list endpoint's rows (``"cdr/"`` → ``Cdr``), if it has one."""
    from . import models  # the models package is light; resources import it anyway

    return {
        "cdr/": models.Cdr,
        "subscriber-list/": models.Subscriber,
        "contact/": models.Contact,
        "phonebook/": models.Phonebook,
        "campaigns/": models.Campaign,
    }.get(path)


def _fast_column(pa: Any, rows: Sequence[Any], column: Column, field: Any) -> Any:
    """One column straight from dicts, or raise when a value is not of the column's type."""
    name = column.name
    values = [row.get(name) for row in rows]
    if not column.nullable and None in values:
        raise ValueError(f"{name}: missing or null")  # the model's default decides: slow path
    if column.kind == "datetime":
        if not all(value is None or type(value) is str for value in values):
            raise TypeError(f"{name}: not text")
        return pa.array(values, type=pa.string()).cast(field.type)
    if column.kind == "json":
        raise TypeError(f"{name}: JSON columns go through the model")
    kinds: dict[str, tuple[type, ...]] = {
        "int": (int,),
        "bool": (bool,),
        "str": (str,),
        "float": (float, int),
    }
    allowed = kinds[column.kind]
    for value in values:
        if value is not None and type(value) not in allowed:
            raise TypeError(f"{name}: {type(value).__name__} in a {column.kind} column")
    return pa.array(values, type=field.type)


def arrow_table(rows: Sequence[Any], model: type[Any]) -> Any:
    """A ``pyarrow.Table`` of ``rows`` (attrs instances of ``model``, or its JSON dicts).

    Columns are ``model``'s fields in order, typed as in the Parquet export. Dicts that
    the converter would read differently from Arrow (see the module docstring) are built
    into ``model`` first, so the two give the same values.

    Raises:
        MissingDependencyError: pyarrow is not installed.
        APIResponseValidationError: a dict the converter cannot build into ``model``.
    """
    pa = require("pyarrow")
    columns = columns_of(model)
    schema = arrow_schema(columns)
    if not rows:
        return schema.empty_table()
    if isinstance(rows[0], dict):
        try:
            arrays = [
                _fast_column(pa, rows, column, field)
                for column, field in zip(columns, schema, strict=True)
            ]
            return pa.Table.from_arrays(arrays, schema=schema)
        except (TypeError, ValueError, KeyError, AttributeError, pa.ArrowException):
            rows = _structure(rows, model)
    return pa.Table.from_batches([arrow_batch_builder(columns)(rows)], schema=schema)


def _structure(rows: Sequence[Any], model: type[Any]) -> builtins.list[Any]:
    from ._exceptions import APIResponseValidationError

    hook = converter.get_structure_hook(model)
    built = []
    for index, row in enumerate(rows):
        try:
            built.append(row if isinstance(row, model) else hook(row, model))
        except Exception as exc:
            raise APIResponseValidationError(
                f"row {index} is not a valid {model.__name__}: {exc}", method="GET", url=""
            ) from exc
    return built


def _source_model(paginator: AsyncPaginator[Any]) -> tuple[AsyncPaginator[Any], type[Any] | None]:
    """The paginator to pull (a raw-dict twin when the endpoint is known) and its model."""
    from ._pagination import AsyncPaginator, ListQuery, raw_items

    fetch = getattr(paginator, "_fetch", None)
    if isinstance(fetch, ListQuery):
        model = model_for_path(fetch.path)
        if model is not None:
            # Pull the JSON dicts and let Arrow convert columns: no model objects per row.
            twin = AsyncPaginator(
                fetch,
                raw_items,
                prefetch=paginator.prefetch,
                order_key=getattr(paginator, "_order_key", None),
            )
            return twin, model
    return paginator, None


async def paginator_to_arrow(paginator: AsyncPaginator[Any], model: type[Any] | None = None) -> Any:
    """Every row of ``paginator`` as one ``pyarrow.Table`` (see :func:`arrow_table`).

    Raises:
        MissingDependencyError: pyarrow is not installed.
        InvalidInputError: ``model`` is not an attrs class, or the rows are dicts of an
            endpoint whose model is unknown and none was given.
    """
    pa = require("pyarrow")
    if model is not None and not attrs.has(model):
        raise InvalidInputError("model", model, "must be an attrs model class such as Cdr")
    source, known = _source_model(paginator) if model is None else (paginator, model)
    batches: builtins.list[Any] = []
    async with aclosing(source.pages()) as pages:
        async for page in pages:
            if not page.items:
                continue
            if known is None:
                first = page.items[0]
                if not attrs.has(type(first)):
                    raise InvalidInputError(
                        "model", None, "rows are dicts of an unknown endpoint: pass model="
                    )
                known = type(first)
            batches.extend(arrow_table(page.items, known).to_batches())
    if known is None:  # no row, and nothing says what the rows would have been
        return pa.table({})
    return pa.Table.from_batches(batches, schema=arrow_schema(columns_of(known)))


def _pandas_types(pd: Any, pa: Any) -> Callable[[Any], Any]:
    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.string(): pd.StringDtype(),
        pa.float64(): pd.Float64Dtype(),
    }
    return mapping.get


async def paginator_to_pandas(
    paginator: AsyncPaginator[Any], model: type[Any] | None = None
) -> Any:
    """Every row as a ``pandas.DataFrame``: nullable ``Int64``/``boolean``/``string`` columns,
    ``datetime64[us, UTC]`` timestamps (see :func:`paginator_to_arrow`).

    Raises:
        MissingDependencyError: pandas (or pyarrow) is not installed.
    """
    pd = require("pandas")
    pa = require("pyarrow")
    table = await paginator_to_arrow(paginator, model)
    return table.to_pandas(types_mapper=_pandas_types(pd, pa))


async def paginator_to_polars(
    paginator: AsyncPaginator[Any], model: type[Any] | None = None
) -> Any:
    """Every row as a ``polars.DataFrame`` (``Int64``, ``Boolean``, ``String``,
    ``Datetime("us", "UTC")``; see :func:`paginator_to_arrow`).

    Raises:
        MissingDependencyError: polars (or pyarrow) is not installed.
    """
    pl = require("polars")
    table = await paginator_to_arrow(paginator, model)
    return pl.from_arrow(table)
