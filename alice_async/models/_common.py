"""Field types several models share (the converter registers a hook for each)."""

from __future__ import annotations

__all__ = ["StrOrInt"]

StrOrInt = str | int | None
"""A field some servers render as a username and others as an id."""
