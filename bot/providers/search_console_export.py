"""A Search Console Performance export (the zip, or its daily table) read as daily metrics.

For campaigns without API access: in Search Console filter the Performance report to the
campaign's page and query, export it, and import the zip. Only the daily table is read
(``Chart.csv`` in current exports, ``Dates.csv`` in older ones, named in the UI's language
in others); the export's other tables (queries, pages, countries, …) do not carry days.

Search Console writes the headers, and the numbers, in the language of its interface:
``Date,Clicks,Impressions,CTR,Position`` in English, ``Datum,Klicks,Impressionen,CTR,Position``
in German, ``日付,クリック数,表示回数,CTR,掲載順位`` in Japanese, with decimal commas
(``"7,4"``) and dot or space thousands (``"1.234"``) where the language writes them so.
Dates are ISO (``2026-11-30``) in every language.
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

DATES_FILE = "Chart.csv"
#: The daily table's name in the zip: current exports, then older ones.
_DAILY_TABLES = ("chart.csv", "dates.csv")
EXPECTED = "Date, Clicks, Impressions, CTR, Position"
_HOW = (
    "export it from Search Console → Performance (filtered to the campaign's page and query) "
    "→ Export → Download CSV, and import the zip or its Chart.csv (Dates.csv in older exports)"
)
#: Normalised header → field, in the interface languages Search Console exports in
#: (English, French, German, Spanish, Italian, Portuguese, Dutch, Japanese, and a few more).
_COLUMNS = {
    **dict.fromkeys(
        ("date", "day", "datum", "fecha", "data", "日付", "날짜", "日期", "дата"), "date"
    ),
    **dict.fromkeys(
        (
            "clicks", "clics", "klicks", "clic", "cliques", "klikken", "クリック数", "클릭수",
            "点击次数", "kliknięcia", "клики", "klick",
        ),
        "clicks",
    ),
    **dict.fromkeys(
        (
            "impressions", "impressionen", "impresiones", "impressioni", "impressões",
            "vertoningen", "表示回数", "노출수", "展示次数", "wyświetlenia", "показы", "visningar",
        ),
        "impressions",
    ),
    **dict.fromkeys(("ctr", "klickrate", "클릭률", "点击率", "klickfrekvens"), "ctr"),
    **dict.fromkeys(
        (
            "position", "average position", "avg. position", "avg position", "position moyenne",
            "durchschnittliche position", "posición", "posición media", "posizione",
            "posizione media", "posição", "posição média", "positie", "gemiddelde positie",
            "掲載順位", "平均掲載順位", "평균 게재순위", "平均排名", "pozycja", "позиция",
            "средняя позиция", "genomsnittlig position",
        ),
        "position",
    ),
}  # fmt: skip
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
    """The daily table of the zip: ``Chart.csv`` or ``Dates.csv``, else (an interface in
    another language names its files in that language) the table whose header has a date
    column."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.casefold().endswith(".csv")
            ]
            member = next(
                (
                    info
                    for wanted in _DAILY_TABLES
                    for info in members
                    if Path(info.filename).name.casefold() == wanted
                ),
                None,
            ) or next((info for info in members if _has_date_column(archive, info)), None)
            if member is None:
                names = ", ".join(sorted(Path(i.filename).name for i in archive.infolist())[:8])
                raise DataFileError(
                    f"{path.name} has no {DATES_FILE} or Dates.csv (it holds "
                    f"{names or 'nothing'}); {_HOW}."
                )
            if member.file_size > MAX_FILE_BYTES:
                raise DataFileError(f"{path.name}: {member.filename} is too large to be an export.")
            return f"{path.name} ({Path(member.filename).name})", archive.read(member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, NotImplementedError):
        raise DataFileError(f"{path.name} is a damaged zip file; {_HOW}.") from None


def _has_date_column(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a member's first line names a date column (read from its first bytes only)."""
    with archive.open(info) as member:
        start = member.read(4096)
    try:
        first_line = _decode(info.filename, start).split("\n", 1)[0]
    except DataFileError:
        return False
    cells = re.split(r"[,;\t]", first_line)
    return any(_COLUMNS.get(_normalise(cell.strip('"'))) == "date" for cell in cells)


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
    """A count (clicks, impressions): whole numbers, so every separator is a thousands one
    (``1,234``, ``1.234``, ``1 234``, ``1'234``)."""
    cleaned = re.sub(r"[\s,.'\u00a0\u202f]", "", text)
    try:
        value = float(cleaned)
    except ValueError:
        raise DataFileError(
            f"{name}, line {line}: {column} is {text[:20]!r}, not a number."
        ) from None
    if value < 0 or value != value:
        raise DataFileError(f"{name}, line {line}: {column} cannot be {text[:20]!r}.")
    return round(value)


def decimal_number(text: str) -> float:
    """A decimal written with a point or a comma (``7.4``, ``7,4``, ``1.234,5``, ``1,234.5``).

    With one kind of mark, it is the decimal mark; with both, the last one is, and the
    other groups thousands. Raises ``ValueError`` on anything else.
    """
    cleaned = re.sub(r"[\s'\u00a0\u202f]", "", text)
    if "," in cleaned and "." in cleaned:
        thousands = "." if cleaned.rindex(",") > cleaned.rindex(".") else ","
        cleaned = cleaned.replace(thousands, "")
    return float(cleaned.replace(",", "."))


def _position(name: str, line: int, text: str) -> float | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        value = decimal_number(cleaned)
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
                f"{name} looks like the export's {_OTHER_TABLES[cell]}, not its daily table; "
                f"import the zip or its {DATES_FILE} (Dates.csv in older exports; "
                f"columns {EXPECTED})."
            )
    columns: dict[str, int] = {}
    for index, cell in enumerate(normalised):
        field = _COLUMNS.get(cell)
        if field is not None and field not in columns:
            columns[field] = index
    if "date" not in columns or "clicks" not in columns:
        found = ", ".join(cell.strip() for cell in header if cell.strip())[:200]
        without_days = (
            "it has clicks but no date column, so it is another table of the export "
            "(queries, pages, countries, …); "
            if "clicks" in columns
            else ""
        )
        raise DataFileError(
            f"{name} has the columns {found}; {without_days}expected {EXPECTED} (or the "
            f"same columns in the language of your Search Console, such as Datum, Klicks, "
            f"Impressionen, CTR, Position). If you compared date ranges, export without "
            f"comparing; {_HOW}."
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
