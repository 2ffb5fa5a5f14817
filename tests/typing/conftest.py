"""The typing tests run against the background-thread emulator of ``tests/sync``."""

from __future__ import annotations

from ..sync.conftest import emulator, emulator_portal

__all__ = ["emulator", "emulator_portal"]
