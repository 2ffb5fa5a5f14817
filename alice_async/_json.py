"""JSON encoding and decoding: orjson when installed (``alice-sdk[fast]``), else the stdlib.

Set ``ALICE_NO_ORJSON=1`` to force the standard library (benchmarks compare both).
orjson is imported through :mod:`importlib` so that type checking gives the same result
whether or not the optional extra is installed.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["HAS_ORJSON", "dumps", "loads"]


def _load_orjson() -> ModuleType | None:
    if os.environ.get("ALICE_NO_ORJSON"):
        return None
    try:
        return importlib.import_module("orjson")
    except ImportError:
        return None


_orjson = _load_orjson()
HAS_ORJSON = _orjson is not None

loads: Callable[[bytes | str], Any]

if _orjson is not None:
    loads = _orjson.loads
    _orjson_dumps = _orjson.dumps

    def dumps(obj: Any) -> bytes:
        """Serialise ``obj`` to compact UTF-8 JSON."""
        encoded: bytes = _orjson_dumps(obj)
        return encoded

else:
    loads = json.loads
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

    def dumps(obj: Any) -> bytes:
        """Serialise ``obj`` to compact UTF-8 JSON."""
        return _encoder.encode(obj).encode()
