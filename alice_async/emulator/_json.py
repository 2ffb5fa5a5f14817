"""JSON encoding for the wire: orjson when installed, the standard library otherwise.

Both produce compact UTF-8 without escaping non-ASCII text, as DRF's renderer does. orjson is
imported through :mod:`importlib` so that type checking does not depend on the optional extra.
"""

from __future__ import annotations

import importlib
import json
from types import ModuleType
from typing import Any

__all__ = ["JSONDecodeError", "dumps", "loads"]

JSONDecodeError = json.JSONDecodeError


def _load_orjson() -> ModuleType | None:
    try:
        return importlib.import_module("orjson")
    except ImportError:
        return None


_orjson = _load_orjson()

if _orjson is not None:
    _orjson_dumps = _orjson.dumps
    _orjson_loads = _orjson.loads

    def dumps(value: Any) -> bytes:
        encoded: bytes = _orjson_dumps(value)
        return encoded

    def loads(data: bytes) -> Any:
        return _orjson_loads(data)

else:

    def dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    def loads(data: bytes) -> Any:
        return json.loads(data)
