"""A local emulator of the Alice REST API (an ``aiohttp.web`` server).

It behaves like the real server described in ``docs/API.md``: DRF envelopes and errors,
JWT authentication, the bulk-upload semantics, a dialer that turns started campaigns into
call records, and switches for every known variant. Faults, throttling and latency can be
injected. It depends only on the standard library, aiohttp and attrs.

Modules: ``_config`` (what can be configured), ``_emulator`` (lifecycle), ``_app``
(routes, per-request pipeline), ``_handlers`` (endpoints), ``_resources`` (endpoint
declarations), ``_validation`` (DRF validation), ``_pagination``, ``_auth`` (tokens),
``_store`` (state), ``_state`` (shared state, stats, faults, throttle), ``_dialer``,
``_cdr`` (call records), ``_time``, ``_json``, ``_errors``; ``__main__`` is the CLI.
"""

from ._config import Account as Account
from ._config import EmulatorConfig as EmulatorConfig
from ._config import Faults as Faults
from ._config import Latency as Latency
from ._config import Variants as Variants
from ._emulator import Emulator as Emulator
from ._state import Stats as Stats
from ._store import Store as Store

__all__ = [
    "Account",
    "Emulator",
    "EmulatorConfig",
    "Faults",
    "Latency",
    "Stats",
    "Store",
    "Variants",
]
