"""Read one large UTF-8 backlinks export on several cores at once.

A million-row export is bound by per-row Python work, so the file is cut into
byte ranges at line starts and each range is read by its own process (the
calling process reads the first). Aggregates (page → domains, domain → rating
and spam) merge exactly, since sets and maxima do not care about order.

A cut can land inside a quoted cell that spans lines; the range before it then
ends inside an open record. Any range that ends that way, or that fails in any
other way, makes the whole file be read again in one pass, so the answer and
the error messages are always those of the sequential reader.
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bot.providers.csv_backlinks import BacklinkIndex, Page
from bot.providers.csv_formats import backlink_columns
from bot.providers.csv_reader import MAX_FILE_BYTES, open_table, table_from_stream

#: Below this size a second process costs more than it saves.
PARALLEL_MIN_BYTES = 32 * 1024 * 1024
_MAX_WORKERS = 4
#: Extra share of the file the calling process reads (see ``_cuts``), measured on 2 cores.
_HEAD_START = 0.15
#: What a range's reader returns: page key → (domain → followed), domain → (rating, spam),
#: rows kept.
Partial = tuple[dict[str, Page], dict[str, tuple[float, bool]], int]


class _RangeReader(io.RawIOBase):
    """The bytes ``[start, end)`` of a file, as a file of their own."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._file = path.open("rb", buffering=0)
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        count = self._file.readinto(view) or 0
        self._left -= count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def _read_range(path: Path, header: list[str], delimiter: str, start: int, end: int) -> Partial:
    """Aggregate one byte range (runs in a worker process, or in the caller for the first)."""
    columns = backlink_columns(path, header)
    index = BacklinkIndex()
    raw = _RangeReader(path, start, end)
    buffered = io.BufferedReader(raw, buffer_size=1024 * 1024)
    with io.TextIOWrapper(buffered, encoding="utf-8", newline="") as stream:
        table = table_from_stream(path, stream, header, encoding="utf-8", delimiter=delimiter)
        index.add_table(table, columns)
    stats = {name: (entry.rating, entry.spam) for name, entry in index.domains.items()}
    return index.pages, stats, index.rows_read


def _cuts(path: Path, body_start: int, size: int, parts: int) -> list[int]:
    """Range starts: ``body_start`` then, for each nominal cut, the start of the next line.

    The first range (read by the calling process, which starts at once) is larger
    by ``_HEAD_START``: the workers spend that long starting an interpreter and
    handing their aggregate back, so all ranges finish at about the same time.
    """
    body = size - body_start
    first = int(body * (1 + _HEAD_START * (parts - 1)) / parts)
    starts = [body_start]
    with path.open("rb") as raw:
        for part in range(1, parts):
            raw.seek(body_start + first + (body - first) * (part - 1) // (parts - 1))
            raw.readline()
            position = raw.tell()
            if position > starts[-1] and position < size:
                starts.append(position)
    return [*starts, size]


def _merge(index: BacklinkIndex, partial: Partial) -> None:
    pages, stats, rows = partial
    for key, domains in pages.items():
        page = index.pages.setdefault(key, {})
        for name, followed in domains.items():
            page[name] = followed or page.get(name, False)
    for name, (rating, spam) in stats.items():
        entry = index.stats_of_domain(name)
        entry.rating = max(entry.rating, rating)
        entry.spam = entry.spam or spam
    index.rows_read += rows


def read_backlinks_parallel(
    index: BacklinkIndex,
    path: Path,
    *,
    max_bytes: int | None = MAX_FILE_BYTES,
    workers: int | None = None,
    min_bytes: int = PARALLEL_MIN_BYTES,
) -> None:
    """Add a backlinks export to ``index``, on several cores when it is large UTF-8."""
    with open_table(path, max_bytes=max_bytes) as table:
        columns = backlink_columns(path, table.header)
        size = path.stat().st_size
        count = min(workers or os.cpu_count() or 1, _MAX_WORKERS)
        if (
            size < min_bytes
            or count < 2
            or columns.target is None
            or table.encoding not in ("utf-8", "utf-8-sig")
        ):
            index.add_table(table, columns)
            return
        header, delimiter = table.header, table.delimiter
    body_start = _body_start(path)
    starts = _cuts(path, body_start, size, count) if body_start else []
    partials = _read_ranges(path, header, delimiter, starts) if len(starts) > 2 else None
    if partials is None:
        with open_table(path, max_bytes=max_bytes) as table:
            index.add_table(table, backlink_columns(path, table.header))
        return
    for partial in partials:
        _merge(index, partial)


def _body_start(path: Path) -> int:
    """The byte offset after the header line; 0 when the layout is not a plain header line."""
    with path.open("rb") as raw:
        first = raw.readline(1024 * 1024)
    if not first.endswith(b"\n") or first.lstrip(b"\xef\xbb\xbf").lower().startswith(b"sep="):
        return 0
    return len(first)


def _read_ranges(
    path: Path, header: list[str], delimiter: str, starts: list[int]
) -> list[Partial] | None:
    """Every range's aggregate, or ``None`` when any range could not be read on its own."""
    spawn = multiprocessing.get_context("spawn")
    ranges = list(itertools.pairwise(starts))
    try:
        with ProcessPoolExecutor(max_workers=len(ranges) - 1, mp_context=spawn) as pool:
            futures = [
                pool.submit(_read_range, path, header, delimiter, start, end)
                for start, end in ranges[1:]
            ]
            first = _read_range(path, header, delimiter, *ranges[0])
            return [first, *(future.result() for future in futures)]
    except Exception:
        return None


def count_referring_domains(
    path: Path, *, max_bytes: int | None = MAX_FILE_BYTES, workers: int | None = None
) -> BacklinkIndex:
    """Read one backlinks export into a fresh index: the path the provider and benchmark use."""
    index = BacklinkIndex()
    read_backlinks_parallel(index, path, max_bytes=max_bytes, workers=workers)
    return index
