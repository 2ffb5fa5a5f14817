"""Rows as dataframes: Arrow tables typed like the Parquet export, then pandas or Polars.

This module owns ``paginator.to_arrow()``, ``.to_pandas()`` and ``.to_polars()`` and the
conversion the sync pipelines (:mod:`alice_async.sinks`) use to turn pages into Arrow
batches. The schema is the export's (:func:`alice_async.export.columns_of` and its Arrow
types): ``int64``, ``bool``, ``string`` (phone numbers stay text), ``timestamp[us, UTC]``.

Two paths build a table. The **fast path** takes the decoded JSON dicts of a page and packs
each column into Arrow buffers at once (ISO-8601 text cast to UTC timestamps in C; no
``pyarrow.array``, so pyarrow does not import pandas); it is used
when every value is already in its written form (an ``int`` for an ``int`` field, a
documented enum value, the server's own datetime shape...: the check the exports use,
:func:`alice_async.export._encode.written_columns`). Anything else (a hyperlinked ``url``
id, a missing field with a model default, a number sent as text, ``0.5`` for an id) sends
the whole batch through the **model path**: the converter builds the attrs rows, whose
values then become columns. Both give the same table (property tests hold them equal).

Each frame library is imported only when asked for, so each needs only its own extra:
``alice-sdk[parquet]`` for Arrow, ``[pandas]``, ``[polars]``.
"""

from __future__ import annotations

import builtins
import gc
import importlib
from collections.abc import Callable, Sequence
from contextlib import aclosing
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs

from ._converter import converter
from ._exceptions import InvalidInputError, MissingDependencyError
from .export._columns import columns_of
from .export._encode import written_columns
from .export._writers import arrow_batch_builder, arrow_columns_batch_builder, arrow_schema

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

    schema: Any
    build_batch: Callable[[Sequence[Any]], Any]
    from_columns: Callable[[Sequence[Any]], Any]
    written: Callable[[Sequence[Any]], builtins.list[builtins.list[Any]] | None] | None


_LAYOUTS: dict[type[Any], _Layout] = {}


def _layout(model: type[Any]) -> _Layout:
    layout = _LAYOUTS.get(model)
    if layout is None:
        columns = columns_of(model)
        layout = _LAYOUTS[model] = _Layout(
            arrow_schema(columns),
            arrow_batch_builder(columns),
            arrow_columns_batch_builder(columns),
            written_columns(model),
        )
    return layout


def arrow_table(rows: Sequence[Any], model: type[Any]) -> Any:
    """A ``pyarrow.Table`` of ``rows`` (attrs instances of ``model``, or its JSON dicts).

    Columns are ``model``'s fields in order, typed as in the Parquet export. Dicts whose
    values are not all in their written form (see the module docstring) are built into
    ``model`` first, so the two give the same values.

    Raises:
        MissingDependencyError: pyarrow is not installed.
        APIResponseValidationError: a dict the converter cannot build into ``model``.
    """
    pa = require("pyarrow")
    layout = _layout(model)
    if not rows:
        return layout.schema.empty_table()
    if not isinstance(rows[0], model):  # JSON rows
        # Thousands of short-lived lists would start the cyclic GC over and over (over
        # every live object, the rows included); none of them forms a cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            values = None if layout.written is None else layout.written(rows)
            if values is not None:
                batch = layout.from_columns(values)
                return pa.Table.from_batches([batch], schema=layout.schema)
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
