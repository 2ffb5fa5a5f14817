"""Streaming export of list pulls to CSV, JSON Lines or Parquet files.

This package owns the file side of ``client.cdr.export(...)`` and
``client.subscribers.export(...)``: the columns derived from a model (``_columns``), one
writer per format (``_writers``) and :func:`export_pages` (``_core``), which streams pages
into a temporary file beside the target and renames it over the target only when every row
is written. Parquet needs the optional extra ``alice-sdk[parquet]`` (pyarrow).
"""

from .._exceptions import MissingDependencyError as MissingDependencyError
from ._columns import Column as Column
from ._columns import columns_of as columns_of
from ._core import FORMATS as FORMATS
from ._core import ExportFormat as ExportFormat
from ._core import ProgressCallback as ProgressCallback
from ._core import check_export as check_export
from ._core import export_pages as export_pages
from ._core import export_paginator as export_paginator

__all__ = [
    "FORMATS",
    "Column",
    "ExportFormat",
    "MissingDependencyError",
    "ProgressCallback",
    "check_export",
    "columns_of",
    "export_pages",
    "export_paginator",
]
