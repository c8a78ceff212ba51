"""Open one CSV file as a stream of rows, or refuse it with a message a marketer can act on.

Files arrive in several shapes (UTF-8 with or without BOM, Ahrefs' UTF-16 "for
Excel" files, tab- or semicolon-separated files from Excel in other locales,
an Excel ``sep=`` line) and sometimes damaged (truncated, binary, saved in an
odd encoding). This module tells the encoding and the dialect, and every way a
file can be unreadable becomes a ``DataFileError`` naming the file.

Backlinks exports are read by the columnar engine (``csv_source`` hands them
over); the small files (the SERP file, ``targets.csv``) are read row by row
here with the stdlib ``csv`` module, never loaded whole.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import charset_normalizer

from bot.errors import DataFileError

#: Files uploaded for one-off reads (Search Console exports) above this size are refused.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Bytes read up front to tell the encoding.
SAMPLE_BYTES = 64 * 1024
_DELIMITERS = (",", "\t", ";")
_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
FIX_ENCODING = "export it again as CSV (UTF-8, or Ahrefs' 'For Excel' UTF-16)"
_NUL_MESSAGE = (
    "contains NUL characters: it is binary or damaged, not a CSV export; export it again "
    "from Ahrefs or Semrush."
)


@dataclass(slots=True)
class Table:
    """An open file: its header and the rows still to read (each a list of cells)."""

    path: Path
    header: list[str]
    rows: Iterator[list[str]]
    encoding: str
    delimiter: str


def detect_encoding(path: Path, sample: bytes) -> str:
    """The codec of a file from its first bytes: BOM, else UTF-8, else charset-normalizer's guess.

    Only the sample is inspected; a later byte that does not decode is reported
    when the reader reaches it.
    """
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: the sample may end in the middle of a multi-byte character.
        decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        raise DataFileError(
            f"{path.name} is not text in an encoding linkgap can read; {FIX_ENCODING}."
        )
    return str(best.encoding)


def check_size(path: Path, max_bytes: int | None) -> int:
    """The file's size; an empty file, or one above ``max_bytes`` (when given), is refused."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError(f"{path.name} cannot be read ({exc.strerror}).") from None
    if max_bytes is not None and size > max_bytes:
        raise DataFileError(
            f"{path.name} is {size / 1024 / 1024:,.0f} MB; the limit is "
            f"{max_bytes / 1024 / 1024:,.0f} MB per file: export fewer rows per file "
            "(split exports add up)."
        )
    if size == 0:
        raise DataFileError(f"{path.name} is empty; export it again from Ahrefs or Semrush.")
    return size


def header_and_dialect(path: Path, stream: IO[str]) -> tuple[list[str], str, int]:
    """The header cells, the delimiter and how many lines precede the first data row.

    An Excel ``sep=;`` line names the delimiter; otherwise the delimiter that
    splits the header into the most columns wins (comma on a tie): exports'
    header names never contain the delimiter, so the header tells the dialect
    more reliably than data rows full of commas in titles.
    """
    limit = csv.field_size_limit()
    header_line = stream.readline(limit + 1)
    skip_rows = 1
    if header_line.strip().lower().startswith("sep=") and len(header_line.strip()) == 5:
        delimiter = header_line.strip()[4]
        header_line = stream.readline(limit + 1)
        skip_rows = 2
    else:
        delimiter = _pick_delimiter(header_line)
    if "\0" in header_line:
        raise DataFileError(f"{path.name} {_NUL_MESSAGE}")
    if len(header_line) > limit:
        raise DataFileError(_too_long(path, limit))
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    if not any(cell.strip() for cell in header):
        raise DataFileError(
            f"{path.name} has no header row; export it again with the column names."
        )
    return header, delimiter, skip_rows


def _pick_delimiter(header_line: str) -> str:
    best, best_width = ",", 1
    for delimiter in _DELIMITERS:
        width = len(next(csv.reader([header_line], delimiter=delimiter), []))
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _checked_rows(path: Path, stream: IO[str], delimiter: str) -> Iterator[list[str]]:
    """Rows from the stdlib reader (strict quoting); a NUL means a binary or damaged file."""
    for row in csv.reader(stream, delimiter=delimiter, strict=True):
        if any("\0" in cell for cell in row):
            raise DataFileError(f"{path.name} {_NUL_MESSAGE}")
        yield row


@contextmanager
def open_table(path: Path, *, max_bytes: int | None = MAX_FILE_BYTES) -> Iterator[Table]:
    """Open ``path`` for streaming; within the block, read errors become ``DataFileError``.

    Use as ``with open_table(path) as table: for row in table.rows: ...``.
    ``max_bytes=None`` lifts the size limit.
    """
    check_size(path, max_bytes)
    try:
        with path.open("rb") as raw:
            sample = raw.read(SAMPLE_BYTES)
        encoding = detect_encoding(path, sample)
        with path.open(encoding=encoding, newline="", buffering=1024 * 1024) as stream:
            header, delimiter, _ = header_and_dialect(path, stream)
            rows = _checked_rows(path, stream, delimiter)
            yield Table(path, header, rows, encoding, delimiter)
    except UnicodeError as exc:
        reason = "ends in the middle of a character" if "truncated" in str(exc) else "has bytes"
        raise DataFileError(
            f"{path.name} {reason} that are not valid {encoding_label(exc)} text; {FIX_ENCODING}."
        ) from None
    except csv.Error as exc:
        raise DataFileError(csv_error_message(path.name, exc)) from None
    except OSError as exc:
        raise DataFileError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None


def encoding_label(exc: UnicodeError) -> str:
    """The codec name a decode error was raised for, as a user would write it."""
    name = getattr(exc, "encoding", "") or "the expected"
    return str(name).upper().replace("_", "-")


def _too_long(path: Path, limit: int) -> str:
    return (
        f"{path.name} has a line or cell longer than {limit:,} characters: it is damaged or not "
        "an export; export it again from Ahrefs or Semrush."
    )


def csv_error_message(name: str, exc: csv.Error) -> str:
    """A stdlib ``csv`` error in words: what is wrong with the file and what to do."""
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"{name} has a cell longer than {csv.field_size_limit():,} characters: it is "
            "damaged or not an export; export it again from Ahrefs or Semrush."
        )
    if "unexpected end of data" in text:
        return (
            f"{name} ends inside a quoted cell: the file is truncated; download or export it again."
        )
    return f"{name} is not well-formed CSV ({text}); export it again from Ahrefs or Semrush."
