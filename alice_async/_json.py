"""JSON encoding and decoding: orjson when installed (``alice-sdk[fast]``), else the stdlib.

Set ``ALICE_NO_ORJSON=1`` to force the standard library (benchmarks compare both).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

__all__ = ["HAS_ORJSON", "dumps", "loads"]

loads: Callable[[bytes | str], Any]
dumps: Callable[[Any], bytes]

try:
    if os.environ.get("ALICE_NO_ORJSON"):
        raise ImportError("orjson disabled by ALICE_NO_ORJSON")
    import orjson
except ImportError:  # pragma: no cover - exercised in the no-orjson CI leg
    HAS_ORJSON = False
    loads = json.loads
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

    def dumps(obj: Any) -> bytes:
        """Serialise ``obj`` to compact UTF-8 JSON."""
        return _encoder.encode(obj).encode()

else:
    HAS_ORJSON = True
    loads = orjson.loads

    def dumps(obj: Any) -> bytes:
        """Serialise ``obj`` to compact UTF-8 JSON."""
        return orjson.dumps(obj)
