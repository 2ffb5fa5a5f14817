"""Names that moved into ``typing`` after Python 3.10, imported from where they live."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from typing import Self, Unpack
else:  # pragma: no cover - exercised on Python 3.10
    from typing_extensions import Self, Unpack

__all__ = ["Self", "Unpack"]
