"""The ``alice`` command line: the demo, the emulator, imports, exports and daily operations.

It needs the ``cli`` extra (``pip install "alice-sdk[cli]"``: typer and rich). Nothing else in
``alice_async`` imports this package, and this module imports typer and rich only inside
:func:`main`, so ``import alice_async`` never needs them.

Modules: ``_app`` (the typer application: commands, options, help), ``_runtime`` (settings,
credentials, the client, error reporting and exit codes), ``_output`` (rich tables and JSON),
``_demo`` (``alice demo``), ``_people`` (the demo's generated Vietnamese contacts),
``_imports`` (``alice contacts import`` and its rejects file), ``_exports``
(``alice cdr export``).

Exit codes: 0 success, 1 an API or runtime error, 2 a usage error (bad options or values).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

_CLI_PACKAGES = frozenset({"typer", "click", "rich"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``alice`` command with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    Example::

        $ alice --help
        $ alice demo --contacts 2000
    """
    try:
        from ._app import run
    except ModuleNotFoundError as exc:
        if exc.name not in _CLI_PACKAGES:
            raise
        print(f"alice: the command line needs {exc.name}: install alice-sdk[cli]", file=sys.stderr)
        return 1
    return run(argv)
