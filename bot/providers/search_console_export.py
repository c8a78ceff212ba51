"""A Search Console Performance export (the zip, or its ``Dates.csv``) read as daily metrics.

For campaigns without API access: in Search Console filter the Performance report to the
campaign's page and query, export it, and import the zip. Only the daily table is read; the
export's other tables (queries, pages, countries, …) do not carry days.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

from bot.errors import DataFileError
from bot.providers.csv_reader import MAX_FILE_BYTES
from bot.providers.search_console import DailyMetric

DATES_FILE = "Dates.csv"
EXPECTED = "Date, Clicks, Impressions, CTR, Position"
_HOW = (
    "export it from Search Console → Performance (filtered to the campaign's page and query) "
    "→ Export → Download CSV, and import the zip or its Dates.csv"
)
#: Normalised header → field. English headers, in any case and spacing.
_COLUMNS = {
    "date": "date",
    "day": "date",
    "clicks": "clicks",
    "impressions": "impressions",
    "ctr": "ctr",
    "position": "position",
    "average position": "position",
    "avg. position": "position",
    "avg position": "position",
}
_OTHER_TABLES = {
    "top queries": "Queries.csv",
    "query": "Queries.csv",
    "top pages": "Pages.csv",
    "page": "Pages.csv",
    "country": "Countries.csv",
    "device": "Devices.csv",
    "search appearance": "Search appearance.csv",
    "filter": "Filters.csv",
}


def read_performance_export(path: Path | str) -> list[DailyMetric]:
    """The daily rows of an export, oldest first; ``DataFileError`` naming the file otherwise."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path} does not exist or is not a file; {_HOW}.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataFileError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB.")
    if zipfile.is_zipfile(path):
        name, data = _dates_from_zip(path)
    else:
        name, data = path.name, path.read_bytes()
    return parse_dates_table(name, data)


def _dates_from_zip(path: Path) -> tuple[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and Path(info.filename).name.casefold() == "dates.csv"
            ]
            if not members:
                names = ", ".join(sorted(Path(i.filename).name for i in archive.infolist())[:8])
                raise DataFileError(
                    f"{path.name} has no {DATES_FILE} (it holds {names or 'nothing'}); {_HOW}."
                )
            member = members[0]
            if member.file_size > MAX_FILE_BYTES:
                raise DataFileError(f"{path.name}: {DATES_FILE} is too large to be an export.")
            return f"{path.name} ({DATES_FILE})", archive.read(member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, NotImplementedError):
        raise DataFileError(f"{path.name} is a damaged zip file; {_HOW}.") from None


def _decode(name: str, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"  # with or without the BOM Search Console writes
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise DataFileError(f"{name} is not UTF-8 text; {_HOW}.") from None


def _normalise(header: str) -> str:
    return re.sub(r"\s+", " ", header.replace("\ufeff", "")).strip().casefold()


def _integer(name: str, line: int, column: str, text: str) -> int:
    cleaned = re.sub(r"[\s,\u00a0\u202f]", "", text)
    try:
        value = float(cleaned)
    except ValueError:
        raise DataFileError(
            f"{name}, line {line}: {column} is {text[:20]!r}, not a number."
        ) from None
    if value < 0 or value != value:
        raise DataFileError(f"{name}, line {line}: {column} cannot be {text[:20]!r}.")
    return round(value)


def _position(name: str, line: int, text: str) -> float | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise DataFileError(
            f"{name}, line {line}: Position is {text[:20]!r}, not a number."
        ) from None
    if not value >= 0:
        raise DataFileError(f"{name}, line {line}: Position cannot be {text[:20]!r}.")
    return round(value, 2)


def parse_dates_table(name: str, data: bytes) -> list[DailyMetric]:
    """Parse the bytes of a ``Dates.csv``; ``name`` is what error messages call the file."""
    try:
        return _parse(name, _decode(name, data))
    except csv.Error:
        raise DataFileError(f"{name} is not a readable CSV file; {_HOW}.") from None


def _parse(name: str, text: str) -> list[DailyMetric]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise DataFileError(f"{name} is empty; expected the columns {EXPECTED}; {_HOW}.")
    normalised = [_normalise(cell) for cell in header]
    for cell in normalised:
        if cell in _OTHER_TABLES:
            raise DataFileError(
                f"{name} looks like the export's {_OTHER_TABLES[cell]}, not {DATES_FILE}; "
                f"import the zip or its {DATES_FILE} (columns {EXPECTED})."
            )
    columns: dict[str, int] = {}
    for index, cell in enumerate(normalised):
        field = _COLUMNS.get(cell)
        if field is not None and field not in columns:
            columns[field] = index
    if "date" not in columns or "clicks" not in columns:
        found = ", ".join(cell.strip() for cell in header if cell.strip())[:200]
        raise DataFileError(
            f"{name} has the columns {found}; expected {EXPECTED} (English headers, "
            f"as Search Console exports them). If you compared date ranges, export "
            f"without comparing; {_HOW}."
        )
    metrics: dict[date, DailyMetric] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(columns.values()):
            raise DataFileError(f"{name}, line {line}: the row has too few columns.")
        day_text = row[columns["date"]].strip()
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise DataFileError(
                f"{name}, line {line}: {day_text[:20]!r} is not a date such as 2026-11-30."
            ) from None
        if day in metrics:
            raise DataFileError(f"{name}, line {line}: {day} appears twice.")
        impressions = None
        if "impressions" in columns and row[columns["impressions"]].strip():
            impressions = _integer(name, line, "Impressions", row[columns["impressions"]])
        metrics[day] = DailyMetric(
            day=day,
            clicks=_integer(name, line, "Clicks", row[columns["clicks"]]),
            impressions=impressions,
            position=_position(name, line, row[columns["position"]])
            if "position" in columns
            else None,
        )
    return [metrics[day] for day in sorted(metrics)]
