"""``python -m alice_async.cli``: the ``alice`` command without the installed script."""

from __future__ import annotations

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
