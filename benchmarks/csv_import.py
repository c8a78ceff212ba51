"""Benchmark: the whole ``linkgap gap --data`` process vs pandas on the same Ahrefs export.

Two files of 1,000,000 rows written the way Ahrefs writes them (see
``generate_ahrefs_export``): UTF-8 and UTF-16 "For Excel". For each, the
timed runs alternate A B A B A B in one run:

- A, ours: ``linkgap gap KEYWORD URL --data DIR --json --no-fetch`` as a
  process of its own (start-up, reading the SERP file and the export, the
  analysis and the JSON all count), against a SQLite database migrated
  before the first timed run.
- B, pandas: a fresh interpreter running ``read_csv(usecols=...)`` of the
  source and target columns, host extraction and
  ``groupby(target)[host].nunique()``: a simpler job (no lost or nofollow
  handling, no Public Suffix List) and the reference the import is held to.

Each side's time is the median of its runs; the peak is the highest peak
resident memory of any of ours (``wait4``'s ``ru_maxrss`` of the process).
Targets: UTF-8 <= 1.0 x pandas, UTF-16 <= 1.3 x, peak <= 500 MB. Exits 1
when one is missed. The load average is printed with the figures: on a
shared machine they move with it.

Run: ``python -m benchmarks.csv_import [--rows N] [--repeat 3] [--only utf8|utf16]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate_ahrefs_export import DATA_DIR, DEFAULT_ROWS, generate, target_pages

PEAK_LIMIT_MB = 500.0
#: Target ratio (ours / pandas) per encoding.
TARGETS = {"utf8": 1.0, "utf16": 1.3}
_SERP_SIZE = 10
_SOURCE, _TARGET = "Referring page URL", "Target URL"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def _timed(command: list[str], env: dict[str, str]) -> Run:
    """Run ``command`` to completion; its wall time and its peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed:\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024)


def _pandas_side(path: Path, encoding: str, delimiter: str) -> None:
    """B: what a pandas user would write for page-level referring hosts."""
    import pandas as pd

    frame = pd.read_csv(path, usecols=[_SOURCE, _TARGET], encoding=encoding, sep=delimiter)
    frame["host"] = frame[_SOURCE].str.extract(r"^[A-Za-z][A-Za-z0-9+.\-]*://([^/?#]*)")[0]
    counts = frame.groupby(_TARGET)["host"].nunique()
    print(json.dumps({"pages": len(counts), "pairs": int(counts.sum())}))


def _folder(name: str, rows: int, *, utf16: bool) -> tuple[Path, str]:
    """The export (generated when missing) in a folder with a SERP file; the target URL."""
    folder = DATA_DIR / f"csv_import_{name}_{rows}"
    export = folder / ("backlinks-for-excel.csv" if utf16 else "backlinks.csv")
    if not export.exists():
        print(f"generating {export} ...", flush=True)
        generate(export, rows, utf16=utf16)
    pages = target_pages()
    serp = ["Position,URL,Title"]
    serp += [f"{n},{url},Result {n}" for n, url in enumerate(pages[:_SERP_SIZE], 1)]
    (folder / "serp.csv").write_text("\n".join(serp) + "\n", encoding="utf-8")
    return folder, pages[_SERP_SIZE]


def _measure(name: str, rows: int, repeat: int, database: str) -> tuple[float, float, list[str]]:
    """Ratio of medians and our peak for one encoding, with the lines to print."""
    utf16 = name == "utf16"
    folder, own_page = _folder(name, rows, utf16=utf16)
    export = next(path for path in folder.iterdir() if path.name.startswith("backlinks"))
    linkgap = shutil.which("linkgap", path=str(Path(sys.executable).parent)) or "linkgap"
    env = {**os.environ, "DATABASE_URL": database}
    ours_command = [linkgap, "gap", "trail shoes", own_page, "--data", str(folder)]
    ours_command += ["--json", "--no-fetch"]
    encoding, delimiter = ("utf-16", "\t") if utf16 else ("utf-8-sig", ",")
    pandas_command = [sys.executable, "-m", "benchmarks.csv_import", "--pandas-side", str(export)]
    pandas_command += ["--encoding", encoding, "--delimiter", delimiter]
    ours: list[Run] = []
    theirs: list[Run] = []
    for _ in range(repeat):
        ours.append(_timed(ours_command, env))
        theirs.append(_timed(pandas_command, env))
    ours_time = statistics.median(run.seconds for run in ours)
    pandas_time = statistics.median(run.seconds for run in theirs)
    peak = max(run.peak_mb for run in ours)
    ratio = ours_time / pandas_time
    size = export.stat().st_size / 1024 / 1024
    lines = [
        f"{name}: {export.name}, {size:,.0f} MB, {rows:,} rows",
        "  ours:   "
        + " ".join(f"{run.seconds:.2f}" for run in ours)
        + f" s (median {ours_time:.2f}), peak {peak:.0f} MB",
        "  pandas: "
        + " ".join(f"{run.seconds:.2f}" for run in theirs)
        + f" s (median {pandas_time:.2f}), peak {max(run.peak_mb for run in theirs):.0f} MB",
        f"  ratio ours/pandas {ratio:.2f} (target <= {TARGETS[name]:.1f}); "
        f"peak target <= {PEAK_LIMIT_MB:.0f} MB",
    ]
    return ratio, peak, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=tuple(TARGETS))
    parser.add_argument("--pandas-side", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--encoding", default="utf-8-sig", help=argparse.SUPPRESS)
    parser.add_argument("--delimiter", default=",", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pandas_side:
        _pandas_side(args.pandas_side, args.encoding, args.delimiter)
        return 0
    missed = False
    with tempfile.TemporaryDirectory(prefix="linkgap-bench-") as scratch:
        database = f"sqlite:///{scratch}/bench.db"
        warm = Path(scratch, "warm")
        warm.mkdir()
        (warm / "serp.csv").write_text("Position,URL\n1,https://a.com/x\n", encoding="utf-8")
        (warm / "links.csv").write_text(
            "Referring page URL,Target URL\nhttps://b.com/,https://a.com/x\n", encoding="utf-8"
        )
        linkgap = shutil.which("linkgap", path=str(Path(sys.executable).parent)) or "linkgap"
        # One untimed run migrates the database, so no timed run pays for it.
        _timed(
            [linkgap, "gap", "k", "https://a.com/x", "--data", str(warm), "--json", "--no-fetch"],
            {**os.environ, "DATABASE_URL": database},
        )
        for name in [args.only] if args.only else list(TARGETS):
            load = os.getloadavg()
            ratio, peak, lines = _measure(name, args.rows, args.repeat, database)
            after = os.getloadavg()
            print("\n".join(lines))
            print(f"  load average {load[0]:.2f} before, {after[0]:.2f} after (1 min)")
            if ratio > TARGETS[name] or peak > PEAK_LIMIT_MB:
                print("  TARGET MISSED")
                missed = True
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
