"""Run every benchmark in turn (``make bench``); each prints its own JSON or table.

They are long (the export import writes a 276 MB file; the digest run seeds
1,000 campaigns), so each runs in its own interpreter and a failure of one does
not stop the others. Results go to stdout; ``slack_ack`` and ``digests``
also rewrite their sections of docs/performance.md.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ("gap_analysis", "csv_import", "slack_ack", "digests", "internal_support")


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"== benchmarks.{name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], check=False).returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
