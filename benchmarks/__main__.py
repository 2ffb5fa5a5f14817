"""``python -m benchmarks``: run every ``benchmarks/bench_*.py`` present, one after another.

Each runs as ``python -m benchmarks.<name>`` with its default options; extra arguments are
not forwarded (run a module directly to change its options).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failed = []
    for path in sorted(here.glob("bench_*.py")):
        print(f"\n## {path.stem}\n", flush=True)
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{path.stem}"])
        if code != 0:
            failed.append(path.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
