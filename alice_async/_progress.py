"""Progress callbacks of long operations: one :class:`~alice_async.Progress` for all of them.

Every long operation (a bulk upload, an export, a sync) reports through a
:class:`ProgressReporter`. A callback that takes one positional parameter receives a
:class:`~alice_async.Progress`; any other callback receives the positional shape its
operation had before ``Progress`` existed, so code written for those keeps working:

- ``contacts.bulk_create``: ``on_progress(done, total_or_None, rows_per_second)``;
- ``cdr.export`` / ``subscribers.export``: ``on_progress(rows_written, total_or_None)``;
- ``cdr.sync`` / ``subscribers.sync``: ``on_progress(rows_written, rows_skipped)``.

The callback's signature is read once, when the operation starts, not at every report.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any

from ._exceptions import InvalidInputError
from .models.progress import Progress

__all__ = [
    "ProgressHandler",
    "ProgressReporter",
    "legacy_bulk",
    "legacy_export",
    "legacy_sync",
    "progress_reporter",
    "takes_progress_object",
]

ProgressHandler = Callable[[Progress], object]
"""``on_progress(progress)``: the shape every long operation accepts."""

LegacyShape = Callable[[Progress], tuple[Any, ...]]
"""The positional arguments an operation gave its callback before :class:`Progress`."""


def legacy_bulk(progress: Progress) -> tuple[int, int | None, float]:
    """``(done, total_or_None, rows_per_second)``: the old ``bulk_create`` shape."""
    return progress.done, progress.total, progress.rate


def legacy_export(progress: Progress) -> tuple[int, int | None]:
    """``(rows_written, total_or_None)``: the old ``export`` shape."""
    return progress.done, progress.total


def legacy_sync(progress: Progress) -> tuple[int, int]:
    """``(rows_written, rows_skipped)``: the old ``sync`` shape."""
    return progress.done, progress.skipped


def takes_progress_object(callback: Callable[..., object]) -> bool:
    """Whether ``callback`` wants a :class:`Progress`: it has exactly one positional parameter.

    A callback with ``*args``, with two or more positional parameters, or whose signature
    cannot be read (some builtins) gets the legacy positional shape.
    """
    try:
        signature = inspect.signature(callback)
    except (TypeError, ValueError):
        return False
    positional = 0
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return False
        if parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            positional += 1
    return positional == 1


class ProgressReporter:
    """Builds a :class:`Progress` per report and calls the callback in the shape it takes."""

    __slots__ = ("_callback", "_legacy", "_operation", "_started", "_wants_object")

    def __init__(
        self, callback: Callable[..., object], operation: str, legacy: LegacyShape
    ) -> None:
        self._callback = callback
        self._operation = operation
        self._legacy = legacy
        self._wants_object = takes_progress_object(callback)
        self._started = time.monotonic()

    def report(self, done: int, total: int | None, *, skipped: int = 0, failed: int = 0) -> None:
        """Call the callback with where the operation stands now."""
        elapsed = max(time.monotonic() - self._started, 1e-9)
        progress = Progress(
            operation=self._operation,
            done=done,
            total=total,
            rate=done / elapsed,
            elapsed=elapsed,
            skipped=skipped,
            failed=failed,
        )
        if self._wants_object:
            self._callback(progress)
        else:
            self._callback(*self._legacy(progress))


def progress_reporter(
    on_progress: Callable[..., object] | None, operation: str, legacy: LegacyShape
) -> ProgressReporter | None:
    """A reporter for ``on_progress`` (``None`` when there is no callback).

    Raises:
        InvalidInputError: ``on_progress`` is neither ``None`` nor callable.
    """
    if on_progress is None:
        return None
    if not callable(on_progress):
        raise InvalidInputError("on_progress", on_progress, "must be callable or None")
    return ProgressReporter(on_progress, operation, legacy)
