"""Hand an export to the columnar engine as UTF-8 blocks of whole records, whatever its shape.

The engine (polars) parses UTF-8 bytes in parallel. Exports arrive as
Ahrefs' "UTF-8" or Semrush files (already UTF-8), Ahrefs' "For Excel" files
(UTF-16) and re-saved files (UTF-32, a legacy code page). A file is read as a
stream, a block of a few megabytes at a time, decoded and re-encoded to UTF-8
when it is not UTF-8 already, and cut after the last complete record of the
block (a newline outside quotes: the count of quote characters before it is
even, which holds for any well-formed CSV, multi-line cells included). Each
block goes to the engine on its own, so memory is bounded by the block size
and the per-page aggregates, never by the file's size.

The header is read here, with the stdlib ``csv`` module, because it decides
the dialect (delimiter, an Excel ``sep=`` line) and the columns to ask for.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bot.errors import DataFileError
from bot.providers.csv_reader import (
    FIX_ENCODING,
    SAMPLE_BYTES,
    check_size,
    csv_error_message,
    detect_encoding,
    encoding_label,
    header_and_dialect,
)

#: Encodings whose bytes the engine reads as they are (a UTF-8 BOM is skipped with the header).
_NATIVE = frozenset({"utf-8", "utf-8-sig", "ascii"})
#: Bytes read from the file per block handed to the engine.
BLOCK_BYTES = 32 * 1024 * 1024
_NUL = (
    "contains NUL characters: it is binary or damaged, not a CSV export; export it again "
    "from Ahrefs or Semrush."
)


@dataclass(frozen=True, slots=True)
class EngineSource:
    """An export ready for the engine: its dialect, header and a way to stream its records."""

    path: Path
    header: list[str]
    delimiter: str
    #: Lines before the first data row (the header, and an Excel ``sep=`` line).
    skip_rows: int
    encoding: str
    block_bytes: int = BLOCK_BYTES

    @property
    def name(self) -> str:
        return self.path.name

    def blocks(self) -> Iterator[bytes]:
        """The file as UTF-8 blocks, each ending after a complete record (see the module)."""
        with self.path.open("rb") as raw:
            yield from record_blocks(raw, self.encoding, self.block_bytes)

    @contextmanager
    def text(self) -> Iterator[IO[str]]:
        """The file as text, for the stdlib reader that names a fault the engine found."""
        with self.path.open(encoding=self.encoding, newline="") as stream:
            yield stream


def record_blocks(raw: IO[bytes], encoding: str, block_bytes: int) -> Iterator[bytes]:
    """UTF-8 blocks of whole records from a byte stream in ``encoding``.

    The decoder is incremental, so a character split between two reads is
    joined; a stream that ends inside a character raises ``UnicodeDecodeError``.
    """
    decoder = None if encoding in _NATIVE else codecs.getincrementaldecoder(encoding)()
    carry = b""
    while chunk := raw.read(block_bytes):
        data = carry + (chunk if decoder is None else decoder.decode(chunk).encode("utf-8"))
        cut = _last_record_end(data)
        carry = data[cut:]
        if cut:
            yield data[:cut]
    if decoder is not None:
        carry += decoder.decode(b"", final=True).encode("utf-8")
    if carry:
        yield carry


def _last_record_end(data: bytes) -> int:
    """The offset just after the last newline outside quotes; 0 when there is none."""
    quotes_after = 0
    end = len(data)
    total = data.count(b'"')
    while (newline := data.rfind(b"\n", 0, end)) >= 0:
        quotes_after += data.count(b'"', newline, end)
        if (total - quotes_after) % 2 == 0:
            return newline + 1
        end = newline
    return 0


@contextmanager
def engine_source(path: Path, *, max_bytes: int | None = None) -> Iterator[EngineSource]:
    """The export at ``path``, its header read, for the block's duration.

    Refusals (empty, binary, unknown encoding, no header) are ``DataFileError``
    naming the file; ``max_bytes`` is a size limit (``None``: none).
    """
    check_size(path, max_bytes)
    try:
        with path.open("rb") as raw:
            sample = raw.read(SAMPLE_BYTES)
        encoding = detect_encoding(path, sample)
        if "\0" in sample.decode(encoding, errors="ignore"):
            raise DataFileError(f"{path.name} {_NUL}")
        with path.open(encoding=encoding, newline="") as stream:
            header, delimiter, skip_rows = header_and_dialect(path, stream)
        yield EngineSource(path, header, delimiter, skip_rows, encoding)
    except UnicodeError as exc:
        raise DataFileError(decode_error_message(path.name, exc)) from None
    except csv.Error as exc:
        raise DataFileError(csv_error_message(path.name, exc)) from None
    except OSError as exc:
        raise DataFileError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None


def decode_error_message(name: str, exc: UnicodeError) -> str:
    """A file whose bytes are not text in the encoding it was read in."""
    reason = "ends in the middle of a character" if "truncated" in str(exc) else "has bytes"
    return f"{name} {reason} that are not valid {encoding_label(exc)} text; {FIX_ENCODING}."
