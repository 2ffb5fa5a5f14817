"""JSON encoding for the wire: orjson when installed, the standard library otherwise.

Both produce compact UTF-8 without escaping non-ASCII text, as DRF's renderer does.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["JSONDecodeError", "dumps", "loads"]

JSONDecodeError = json.JSONDecodeError

try:
    import orjson

    def dumps(value: Any) -> bytes:
        return orjson.dumps(value)

    def loads(data: bytes) -> Any:
        return orjson.loads(data)

except ImportError:  # pragma: no cover - orjson is optional

    def dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    def loads(data: bytes) -> Any:
        return json.loads(data)
