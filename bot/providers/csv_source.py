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

Compressed exports (``.csv.gz``, ``.tsv.gz``, and each CSV inside a
``.zip``) are decompressed as the same stream. A file that expands to more
than ``BOMB_RATIO`` times its compressed size (and more than ``BOMB_FLOOR``)
is stopped there: no export compresses that well, a compression bomb does.

The header is read here, with the stdlib ``csv`` module, because it decides
the dialect (delimiter, an Excel ``sep=`` line) and the columns to ask for.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zipfile
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from bot.errors import DataFileError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
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
#: A compressed export may expand to this many times its size (CSV compresses 5-20 times) ...
BOMB_RATIO = 100
#: ... or to this many bytes, whichever is more.
BOMB_FLOOR = 256 * 1024 * 1024
#: File names read as exports: plain, gzip-compressed, or zip archives of exports.
EXPORT_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz", ".zip")
_PLAIN_SUFFIXES = (".csv", ".tsv")
_NUL = (
    "contains NUL characters: it is binary or damaged, not a CSV export; export it again "
    "from Ahrefs or Semrush."
)


Opener = Callable[[], AbstractContextManager[IO[bytes]]]


@dataclass(frozen=True, slots=True)
class EngineSource:
    """An export ready for the engine: its dialect, header and a way to stream its records."""

    #: The export as the user knows it (``links.csv``, ``exports.zip (links.csv)``).
    name: str
    #: Opens the export's (decompressed) bytes from the start.
    opener: Opener
    header: list[str]
    delimiter: str
    #: Lines before the first data row (the header, and an Excel ``sep=`` line).
    skip_rows: int
    encoding: str
    block_bytes: int = BLOCK_BYTES

    def blocks(self) -> Generator[bytes, None, None]:
        """The file as UTF-8 blocks, each ending after a complete record (see the module)."""
        try:
            with self.opener() as raw:
                yield from record_blocks(raw, self.encoding, self.block_bytes)
        except (EOFError, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
            raise DataFileError(damaged_archive_message(self.name, exc)) from None

    @contextmanager
    def text(self) -> Iterator[IO[str]]:
        """The file as text, for the stdlib reader that names a fault the engine found."""
        with self.opener() as raw:
            yield io.TextIOWrapper(raw, encoding=self.encoding, newline="")


def record_blocks(raw: IO[bytes], encoding: str, block_bytes: int) -> Iterator[bytes]:
    """UTF-8 blocks of whole records from a byte stream in ``encoding``.

    The decoder is incremental, so a character split between two reads is
    joined; a stream that ends inside a character raises ``UnicodeDecodeError``.
    Each block is copied once: the unfinished record carried over from the
    previous read, then this read up to its last record end.
    """
    reads = iter(partial(raw.read, block_bytes), b"")
    if encoding not in _NATIVE:
        decoder = codecs.getincrementaldecoder(encoding)()
        decoded = (decoder.decode(chunk).encode("utf-8") for chunk in reads)
        yield from _cut_blocks(decoded, lambda: decoder.decode(b"", final=True).encode("utf-8"))
        return
    first = next(reads, b"")
    if len(first) < block_bytes or not isinstance(raw, io.BufferedIOBase):
        # The whole stream in one read, or a stream that cannot read into a buffer.
        yield from _cut_blocks(chain([first], reads), bytes)
    else:
        yield from _buffered_blocks(raw, first, block_bytes)


def _cut_blocks(chunks: Iterator[bytes], tail: Callable[[], bytes]) -> Iterator[bytes]:
    """Blocks of whole records from UTF-8 chunks; ``tail`` gives what follows the last."""
    carry = b""
    for chunk in chunks:
        cut = _last_record_end(chunk, carry.count(b'"') % 2)
        if cut:
            yield b"".join((carry, memoryview(chunk)[:cut]))
            carry = chunk[cut:]
        else:
            carry += chunk
    carry += tail()
    if carry:
        yield carry


#: Bytes whose quotes are counted at a time (the mask of a larger count would be as large).
_COUNT_BYTES = 1024 * 1024


def _buffered_blocks(raw: io.BufferedIOBase, first: bytes, block_bytes: int) -> Iterator[bytes]:
    """``_cut_blocks`` of a UTF-8 stream larger than one read, read into one reused buffer.

    The unfinished record of a read stays at the front of the buffer and the
    next read lands after it, so each block is copied once, out of the buffer.
    Reading each 32 MB into new memory and joining the carried record to it
    cost a third of a second more on a 426 MB file (two new allocations a
    block, each faulted in page by page), and numpy counts the quotes in a
    fraction of ``bytes.count``'s time.
    """
    import numpy as np

    buffer = bytearray(block_bytes + block_bytes // 16)
    buffer[: len(first)] = first
    mask = np.empty(_COUNT_BYTES, dtype=np.bool_)
    held, read = 0, len(first)
    del first
    while read:
        end = held + read
        quotes = 0
        with memoryview(buffer) as view:
            for start in range(held, end, _COUNT_BYTES):
                part = np.frombuffer(view[start : min(end, start + _COUNT_BYTES)], np.uint8)
                quotes += int(np.count_nonzero(np.equal(part, ord('"'), out=mask[: len(part)])))
                del part
        cut = _last_record_end(buffer, buffer.count(b'"', 0, held) % 2, held, end, quotes)
        block = b""
        if cut:
            with memoryview(buffer) as view:
                block = bytes(view[:cut])
            buffer[: end - cut] = buffer[cut:end]
            held = end - cut
        else:
            held = end
        if block:
            yield block
        if len(buffer) < held + block_bytes:  # a record longer than a read: rare
            buffer.extend(bytes(held + block_bytes - len(buffer)))
        with memoryview(buffer) as view:
            read = raw.readinto(view[held : held + block_bytes])
    if held:
        with memoryview(buffer) as view:
            yield bytes(view[:held])


def _last_record_end(
    data: bytes | bytearray,
    open_quotes: int,
    start: int = 0,
    end: int | None = None,
    quotes: int | None = None,
) -> int:
    """The offset just after the last newline of ``data[start:end]`` outside quotes; 0 when
    none.

    ``open_quotes`` is the parity of the quote characters before ``start``;
    ``quotes`` the count of those in ``data[start:end]``, when already known.
    """
    end = len(data) if end is None else end
    quotes_after = 0
    total = (data.count(b'"', start, end) if quotes is None else quotes) + open_quotes
    while (newline := data.rfind(b"\n", start, end)) >= 0:
        quotes_after += data.count(b'"', newline, end)
        if (total - quotes_after) % 2 == 0:
            return newline + 1
        end = newline
    return 0


def export_members(path: Path) -> list[str | None]:
    """The exports a file holds: ``[None]`` for one file, the CSV/TSV members of a zip."""
    if not path.name.casefold().endswith(".zip"):
        return [None]
    try:
        with zipfile.ZipFile(path) as archive:
            names = [
                info.filename
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.casefold().endswith(_PLAIN_SUFFIXES)
                and not Path(info.filename).name.startswith((".", "__MACOSX"))
                and "__MACOSX" not in info.filename
            ]
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataFileError(
            f"{path.name} is not a readable zip archive ({exc}); download or zip it again."
        ) from None
    members: list[str | None] = list(names)
    if not members:
        raise DataFileError(
            f"{path.name} holds no .csv or .tsv file; put the exports in the zip, or unzip them "
            "into the folder."
        )
    return members


def member_name(path: Path, member: str | None) -> str:
    """How a message names an export: the file, or the archive and the member."""
    return path.name if member is None else f"{path.name} ({member})"


def _opener(path: Path, member: str | None) -> Opener:
    """Opens the export's bytes, decompressed and capped when it is compressed."""
    name = member_name(path, member)
    lowered = path.name.casefold()
    if member is not None:

        @contextmanager
        def open_member() -> Iterator[IO[bytes]]:
            with zipfile.ZipFile(path) as archive, archive.open(member) as raw:
                size = archive.getinfo(member).compress_size
                yield io.BufferedReader(_Capped(raw, name, size))

        return open_member
    if lowered.endswith(".gz"):

        @contextmanager
        def open_gzip() -> Iterator[IO[bytes]]:
            with gzip.open(path, "rb") as raw:
                yield io.BufferedReader(_Capped(raw, name, path.stat().st_size))

        return open_gzip
    return lambda: path.open("rb")


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Capped(io.RawIOBase):
    """A decompressed stream that stops, with a clear refusal, past the bomb cap."""

    def __init__(self, inner: _Readable, name: str, compressed: int) -> None:
        super().__init__()
        self._inner, self._name = inner, name
        self._cap = max(BOMB_FLOOR, BOMB_RATIO * compressed)
        self._read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size if size >= 0 else self._cap + 1)
        self._read += len(data)
        if self._read > self._cap:
            raise DataFileError(
                f"{self._name} expands to more than {self._cap / 1024 / 1024:,.0f} MB, over "
                f"{BOMB_RATIO} times its compressed size: it is not an export (a compression "
                "bomb?); export it again or unzip it and check the file."
            )
        return data

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)


@contextmanager
def engine_source(
    path: Path, *, member: str | None = None, max_bytes: int | None = None
) -> Iterator[EngineSource]:
    """The export at ``path`` (or its zip ``member``), its header read, for the block's duration.

    Refusals (empty, binary, unknown encoding, no header, a damaged or
    over-expanding archive) are ``DataFileError`` naming the file;
    ``max_bytes`` is a limit on the file's size on disk (``None``: none).
    """
    check_size(path, max_bytes)
    name = member_name(path, member)
    opener = _opener(path, member)
    try:
        with opener() as raw:
            sample = raw.read(SAMPLE_BYTES)
        if not sample:
            raise DataFileError(f"{name} is empty; export it again from Ahrefs or Semrush.")
        encoding = detect_encoding(Path(name), sample)
        if "\0" in sample.decode(encoding, errors="ignore"):
            raise DataFileError(f"{name} {_NUL}")
        with opener() as raw:
            stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
            header, delimiter, skip_rows = header_and_dialect(Path(name), stream)
        yield EngineSource(name, opener, header, delimiter, skip_rows, encoding)
    except UnicodeError as exc:
        raise DataFileError(decode_error_message(name, exc)) from None
    except csv.Error as exc:
        raise DataFileError(csv_error_message(name, exc)) from None
    except (EOFError, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        raise DataFileError(damaged_archive_message(name, exc)) from None
    except OSError as exc:
        raise DataFileError(f"{name} cannot be read ({exc.strerror or exc}).") from None


def damaged_archive_message(name: str, exc: Exception) -> str:
    """A compressed export that cannot be decompressed to its end."""
    return f"{name} is a damaged or truncated archive ({exc}); download or export it again."


def decode_error_message(name: str, exc: UnicodeError) -> str:
    """A file whose bytes are not text in the encoding it was read in."""
    reason = "ends in the middle of a character" if "truncated" in str(exc) else "has bytes"
    return f"{name} {reason} that are not valid {encoding_label(exc)} text; {FIX_ENCODING}."
