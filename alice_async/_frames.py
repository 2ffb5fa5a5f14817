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
import gc
import importlib
import operator
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


@attrs.frozen
class _Layout:
    """What converting rows of one model needs, computed once per model."""

    columns: tuple[Column, ...]
    schema: Any
    names: tuple[str, ...]
    getter: Callable[[Any], tuple[Any, ...]]
    build_batch: Callable[[Sequence[Any]], Any]


_LAYOUTS: dict[type[Any], _Layout] = {}


def _layout(model: type[Any]) -> _Layout:
    layout = _LAYOUTS.get(model)
    if layout is None:
        columns = columns_of(model)
        names = tuple(column.name for column in columns)
        layout = _LAYOUTS[model] = _Layout(
            columns,
            arrow_schema(columns),
            names,
            operator.itemgetter(*names),
            arrow_batch_builder(columns),
        )
    return layout


def _fast_table(pa: Any, rows: Sequence[Any], layout: _Layout) -> Any:
    """The table straight from dicts; raises when a value is not of its column's type."""
    try:
        records = list(map(layout.getter, rows))
    except KeyError:  # a field left out: None here, and the null check below decides
        names = layout.names
        records = [tuple(map(row.get, names)) for row in rows]
    arrays = []
    by_column = zip(*records, strict=True)
    for values, column, field in zip(by_column, layout.columns, layout.schema, strict=True):
        if column.kind == "json":
            raise TypeError(f"{column.name}: JSON columns go through the model")
        if column.kind == "datetime":
            array = pa.array(values, type=pa.string()).cast(field.type)
        else:
            # Arrow refuses text in a number column, numbers in a text column and 0/1 in a
            # bool column, as the converter does not take them as they are either.
            array = pa.array(values, type=field.type)
        if array.null_count and not column.nullable:
            raise ValueError(f"{column.name}: missing or null")  # the model's default decides
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=layout.schema)


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
    layout = _layout(model)
    if not rows:
        return layout.schema.empty_table()
    if isinstance(rows[0], dict):
        # Thousands of short-lived tuples would start the cyclic GC over and over (over
        # every live object, the rows included); none of them forms a cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return _fast_table(pa, rows, layout)
        except (TypeError, ValueError, AttributeError, pa.ArrowException):
            rows = _structure(rows, model)
        finally:
            if collecting:
                gc.enable()
    return pa.Table.from_batches([layout.build_batch(rows)], schema=layout.schema)


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
    known: type[Any] | None
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
                known = builtins.type(first)
            batches.extend(arrow_table(page.items, known).to_batches())
    if known is None:  # no row, and nothing says what the rows would have been
        return pa.table({})
    return pa.Table.from_batches(batches, schema=_layout(known).schema)


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
