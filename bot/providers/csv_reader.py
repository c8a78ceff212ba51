"""Open one CSV export as a stream of rows, or refuse it with a message a marketer can act on.

Exports arrive in several shapes (UTF-8 with or without BOM, Ahrefs' UTF-16 "for
Excel" files, tab- or semicolon-separated files from Excel in other locales) and
sometimes damaged (truncated, binary, saved in an odd encoding). This module
hides all of that: ``open_table`` yields the header and a lazy row iterator, and
every way a file can be unreadable becomes a ``DataFileError`` naming the file.
Nothing here loads a whole file: rows are decoded and parsed as they are read.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO

import charset_normalizer

from bot.errors import DataFileError

#: DESIGN section 10: uploads and local exports above this size are refused.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Bytes read up front to tell the encoding.
_SAMPLE_BYTES = 64 * 1024
#: Lines are read in batches of about this many characters (small enough to stay in cache).
_CHUNK_CHARS = 64 * 1024
_DELIMITERS = (",", "\t", ";")
_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FIX_ENCODING = "export it again as CSV (UTF-8, or Ahrefs' 'For Excel' UTF-16)"


@dataclass(slots=True)
class Table:
    """An open export: its header and the rows still to read (each a list of cells)."""

    path: Path
    header: list[str]
    #: Rows in batches (the fast way to read); ``rows`` is the same stream one row at a time.
    batches: Iterator[list[list[str]]]
    encoding: str
    delimiter: str

    @property
    def rows(self) -> Iterator[list[str]]:
        return chain.from_iterable(self.batches)


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
        decoder.decode(sample, final=len(sample) < _SAMPLE_BYTES)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        raise DataFileError(
            f"{path.name} is not text in an encoding linkgap can read; {_FIX_ENCODING}."
        )
    return str(best.encoding)


def _chunks(stream: IO[str], path: Path) -> Iterator[tuple[list[str], bool]]:
    """Physical lines in batches of ~64 KB, checked, with whether the batch holds a quote.

    The csv module of Python 3.11+ accepts NUL characters silently, but a NUL
    in an export means a binary or damaged file. Checking a whole batch at once
    keeps the checks off the per-row path.
    """
    limit = csv.field_size_limit()
    while True:
        lines = stream.readlines(_CHUNK_CHARS)
        if not lines:
            return
        text = "".join(lines)
        if "\0" in text:
            raise DataFileError(
                f"{path.name} contains NUL characters: it is binary or damaged, not a CSV "
                "export; export it again from Ahrefs or Semrush."
            )
        if max(map(len, lines)) > limit:
            raise DataFileError(_too_long(path, limit))
        yield lines, '"' in text


def _batches(
    chunks: Iterator[tuple[list[str], bool]], path: Path, delimiter: str
) -> Iterator[list[list[str]]]:
    """Rows of cells, a batch at a time: unquoted lines split directly, quoted ones by csv.

    Most lines of an export carry no quote at all, and ``str.split`` is several
    times faster than the csv state machine; a batch with a quote is read line
    by line, and a quoted record (possibly a cell spanning several lines) is
    parsed by ``csv.reader`` in strict mode, so quoting rules stay the stdlib's.
    """
    for lines, quoted in chunks:
        if not quoted:
            yield [line.rstrip("\r\n").split(delimiter) for line in lines]
        else:
            yield list(_quoted_rows(lines, chunks, path, delimiter))


def _quoted_rows(
    lines: list[str], chunks: Iterator[tuple[list[str], bool]], path: Path, delimiter: str
) -> Iterator[list[str]]:
    limit = csv.field_size_limit()
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        index += 1
        if '"' not in line:
            yield line.rstrip("\r\n").split(delimiter)
            continue
        record = line
        while record.count('"') % 2:
            # An open quoted cell: the record goes on on the next physical line.
            if index == count:
                lines = next(chunks, ([], False))[0]
                index, count = 0, len(lines)
                if not lines:
                    raise csv.Error("unexpected end of data")
            record += lines[index]
            index += 1
            if len(record) > limit:
                raise DataFileError(_too_long(path, limit))
        yield from csv.reader([record], delimiter=delimiter, strict=True)


def _too_long(path: Path, limit: int) -> str:
    return (
        f"{path.name} has a line or cell longer than {limit:,} characters: it is damaged or not "
        "an export; export it again from Ahrefs or Semrush."
    )


def _pick_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most columns (comma on a tie).

    Exports' header names never contain the delimiter, so the header line tells
    the dialect more reliably than sniffing data rows full of commas in titles.
    """
    best, best_width = ",", 1
    for delimiter in _DELIMITERS:
        width = len(next(csv.reader([header_line], delimiter=delimiter), []))
        if width > best_width:
            best, best_width = delimiter, width
    return best


@contextmanager
def open_table(path: Path, *, max_bytes: int | None = MAX_FILE_BYTES) -> Iterator[Table]:
    """Open ``path`` for streaming; within the block, read errors become ``DataFileError``.

    Use as ``with open_table(path) as table: for row in table.rows: ...``.
    ``max_bytes=None`` lifts the size limit (benchmarks only).
    """
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
    try:
        with path.open("rb") as raw:
            sample = raw.read(_SAMPLE_BYTES)
        encoding = detect_encoding(path, sample)
        with path.open(encoding=encoding, newline="", buffering=1024 * 1024) as stream:
            header_line = stream.readline(csv.field_size_limit() + 1)
            if header_line.strip().lower().startswith("sep=") and len(header_line.strip()) == 5:
                # Excel's "sep=;" hint line: honour it and read the real header next.
                delimiter = header_line.strip()[4]
                header_line = stream.readline(csv.field_size_limit() + 1)
            else:
                delimiter = _pick_delimiter(header_line)
            if "\0" in header_line:
                raise DataFileError(
                    f"{path.name} contains NUL characters: it is binary or damaged, not a CSV "
                    "export; export it again from Ahrefs or Semrush."
                )
            if len(header_line) > csv.field_size_limit():
                raise DataFileError(_too_long(path, csv.field_size_limit()))
            header = next(csv.reader([header_line], delimiter=delimiter), [])
            if not any(cell.strip() for cell in header):
                raise DataFileError(
                    f"{path.name} has no header row; export it again with the column names."
                )
            batches = _batches(_chunks(stream, path), path, delimiter)
            yield Table(path, header, batches, encoding, delimiter)
    except UnicodeError as exc:
        reason = "ends in the middle of a character" if "truncated" in str(exc) else "has bytes"
        raise DataFileError(
            f"{path.name} {reason} that are not valid {encoding_label(exc)} text; {_FIX_ENCODING}."
        ) from None
    except csv.Error as exc:
        raise DataFileError(_csv_error_message(path, exc)) from None
    except OSError as exc:
        raise DataFileError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None


def table_from_stream(
    path: Path, stream: IO[str], header: list[str], *, encoding: str, delimiter: str
) -> Table:
    """A table over a stream already past the header (a worker reading one byte range).

    The caller translates read errors itself (see ``bot.providers.csv_parallel``).
    """
    batches = _batches(_chunks(stream, path), path, delimiter)
    return Table(path, header, batches, encoding, delimiter)


def encoding_label(exc: UnicodeError) -> str:
    """The codec name a decode error was raised for, as a user would write it."""
    name = getattr(exc, "encoding", "") or "the expected"
    return str(name).upper().replace("_", "-")


def _csv_error_message(path: Path, exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"{path.name} has a cell longer than {csv.field_size_limit():,} characters: it is "
            "damaged or not an export; export it again from Ahrefs or Semrush."
        )
    if "unexpected end of data" in text:
        return (
            f"{path.name} ends inside a quoted cell: the file is truncated; "
            "download or export it again."
        )
    return f"{path.name} is not well-formed CSV ({text}); export it again from Ahrefs or Semrush."
