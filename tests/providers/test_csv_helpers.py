"""Writers of small export files for the csv provider tests (no tests here)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

AHREFS_HEADER = (
    "Referring page title",
    "Referring page URL",
    "Domain rating",
    "UR",
    "Target URL",
    "Anchor",
    "Nofollow",
    "Lost status",
    "First seen",
    "Is spam",
)
SEMRUSH_HEADER = (
    "Page ascore",
    "Source title",
    "Source url",
    "Target url",
    "Anchor",
    "Nofollow",
    "First seen",
    "Last seen",
    "Lost link",
)
REFDOMAINS_HEADER = ("Domain", "DR", "Is spam", "Links to target", "First seen", "Lost")


def ahrefs_row(
    source: str, target: str, dr: float | str = 50, *, spam: bool = False, lost: str = ""
) -> tuple[str, ...]:
    return (
        "A page, with a comma",
        source,
        str(dr),
        "12",
        target,
        "running shoes",
        "false",
        lost,
        "2024-01-02 03:04:05",
        "true" if spam else "false",
    )


def semrush_row(source: str, target: str, *, lost: bool = False) -> tuple[str, ...]:
    return ("31", "Title", source, target, "anchor", "false", "2024-01-02", "2024-06-01", str(lost))


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL,
) -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, quoting=quoting)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_serp(folder: Path, urls: Sequence[str], name: str = "serp.csv") -> Path:
    rows = [(str(position), url, f"Result {position}") for position, url in enumerate(urls, 1)]
    return write_csv(folder / name, ("Position", "URL", "Title"), rows)
