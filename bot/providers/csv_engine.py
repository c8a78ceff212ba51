"""One columnar pass over an export: its live links, grouped per (target cell, source host).

polars parses each block of whole records (``csv_source``) in parallel and keeps
only the columns asked for: source, target, rating, spam flag, every lost
column and every nofollow / UGC / sponsored column present. Lost rows are
dropped, the host is cut out of each source URL, and rows are grouped per
(target cell, host) inside the engine, so what comes back to Python is one
row per distinct pair of the block, never one per link. The registrable
domain of each distinct host and the page of each distinct target cell are
then worked out once by the caller (``csv_backlinks``).

polars is imported when a file is read, not when linkgap starts.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from bot.errors import DataFileError
from bot.providers.csv_domains import clean_host
from bot.providers.csv_formats import BacklinkColumns
from bot.providers.csv_reader import FIX_ENCODING, csv_error_message
from bot.providers.csv_source import EngineSource, decode_error_message

if TYPE_CHECKING:
    import polars as pl

    FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

#: Cell values (trimmed, any case) that mean "not lost" in any lost column.
NOT_LOST = ("", "-", "false", "no", "n", "0", "live", "active", "none", "n/a")
#: Cell values (trimmed, any case) that mean "yes" in a spam, nofollow, UGC or sponsored column.
YES = ("true", "yes", "y", "1", "spam")
#: The scheme-and-authority part of a URL, and the host-ish start of a bare name.
_AUTHORITY = r"^\s*[A-Za-z][A-Za-z0-9+.\-]*://([^/?#]*)"
_BARE_HOST = r"^\s*([^/?#\s]*)"


def _one_of(words: tuple[str, ...]) -> str:
    """A regex matching a whole cell that is one of ``words``, trimmed, in any case.

    One regex test per cell, where trimming and lower-casing first would build
    two new strings per cell of every flag column.
    """
    alternatives = "|".join(re.escape(word) for word in words)
    return rf"(?i)^\s*(?:{alternatives})\s*$"


class LinkBlock(NamedTuple):
    """What one block of an export gives: its pairs, and the links kept to show."""

    #: Live links per (``target``, ``host``) with their signals (see ``link_groups``).
    groups: pl.DataFrame
    #: One representative live link per (``target``, ``host``) of the target cells asked
    #: for (``representative_links``), with ``url``, ``title`` and ``anchor``; ``None``
    #: when no cell of the block was asked for.
    links: pl.DataFrame | None


def link_groups(
    source: EngineSource,
    columns: BacklinkColumns,
    keep_links: Callable[[list[str]], list[str]] | None = None,
) -> Iterator[LinkBlock]:
    """Per block of the file, live links per (``target``, ``host``).

    Each frame has, per pair, ``followed`` (any of its links is), ``rating``
    (the highest in 0-100, null when none), ``spam`` (any row flagged it), ``score`` (the
    highest provider spam score in 0-100, null when none), ``traffic`` (the linking domain's
    highest traffic), ``first_seen`` (the earliest date a link was seen) and
    ``links`` (its live rows); ``target`` is the raw target cell (null for a
    referring-domains export), ``host`` the source's host name, lower-cased,
    without user info or port (``clean_host``).

    Flags are tested with one case-insensitive regex per cell, the host is
    cleaned in the engine, and only the pairs come back to Python. ``target``
    and ``host`` are categoricals: each distinct string is kept once and
    rows are grouped on integer codes (a million-link export's pairs take
    16 MB instead of 69 MB as plain strings).

    ``keep_links`` picks, from a block's distinct target cells, those whose
    links are shown (the pages an analysis asks about). Only their rows keep
    the linking page's URL, title and anchor, reduced at once to one link per
    pair: a million-link export of a whole site keeps a few thousand strings,
    not a million. Without it, or for an export that names no target, no link
    text is read.
    """
    import polars as pl

    names = [f"c{index}" for index in range(len(source.header))]

    def cell(index: int) -> pl.Expr:
        return pl.col(names[index])

    def says(index: int, words: tuple[str, ...], *, empty: bool) -> pl.Expr:
        return cell(index).str.contains(_one_of(words)).fill_null(empty)

    live = cell(columns.source).is_not_null()
    for index in columns.lost:
        live = live & says(index, NOT_LOST, empty=True)
    followed = pl.lit(True)
    for index in columns.not_followed:
        followed = followed & ~says(index, YES, empty=False)
    if columns.followed_links is not None:
        count = _number(cell(columns.followed_links).str.replace_all(",", "", literal=True))
        followed = followed & (count.is_null() | (count != 0))
    rating = pl.lit(None, pl.Float64)
    if columns.rating is not None:
        value = _number(cell(columns.rating).str.replace(",", ".", literal=True))
        rating = pl.when(value.is_between(0, 100)).then(value)
    spam = says(columns.spam, YES, empty=False) if columns.spam is not None else pl.lit(False)
    score = pl.lit(None, pl.Float64)
    if columns.score is not None:
        points = _number(
            cell(columns.score)
            .str.replace("%", "", literal=True)
            .str.replace(",", ".", literal=True)
        )
        score = pl.when(points.is_between(0, 100)).then(points)
    traffic = pl.lit(None, pl.Float64)
    if columns.traffic is not None:
        visits = _number(cell(columns.traffic).str.replace_all(",", "", literal=True))
        traffic = pl.when(visits >= 0).then(visits)
    first_seen = pl.lit(None, pl.Date)
    if columns.first_seen is not None:
        first_seen = cell(columns.first_seen).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    target = cell(columns.target) if columns.target is not None else pl.lit(None, pl.String)
    source_cell = cell(columns.source)
    host = clean_host(
        source_cell.str.extract(_AUTHORITY, 1).fill_null(source_cell.str.extract(_BARE_HOST, 1))
    )

    with_links = keep_links is not None and columns.target is not None
    texts: dict[str, pl.Expr] = {}
    if with_links:
        texts = {
            "url": source_cell,
            "title": _text(columns.title, cell),
            "anchor": _text(columns.anchor, cell),
        }

    def selected(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.filter(live).select(
            target=target.cast(pl.Categorical),
            host=host.cast(pl.Categorical),
            followed=followed,
            rating=rating,
            spam=spam,
            score=score,
            traffic=traffic,
            first_seen=first_seen,
            **texts,
        )

    def grouped(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.group_by("target", "host").agg(*signal_aggregates(), links=pl.len())

    def block_of(rows: pl.LazyFrame) -> LinkBlock:
        if not with_links or keep_links is None:
            return LinkBlock(grouped(rows).collect(), None)
        # The parsed rows are kept for the few whose links are shown; grouping them
        # costs what grouping the lazy scan did (it materialises the same columns).
        frame = rows.collect()
        groups = grouped(frame.lazy()).collect()
        cells = groups.get_column("target").drop_nulls().unique().cast(pl.String).to_list()
        kept = keep_links(cells)
        if not kept:
            return LinkBlock(groups, None)
        wanted = pl.Series(kept, dtype=pl.Categorical).implode()
        chosen = frame.lazy().filter(pl.col("target").is_in(wanted))
        links = representative_links(chosen, ("target", "host")).select(
            "target",
            "host",
            "followed",
            "first_seen",
            *(_cleaned(name) for name in ("url", "title", "anchor")),
        )
        return LinkBlock(groups, links.collect())

    schema = dict.fromkeys(names, pl.String)

    def scan(data: bytes, skip_rows: int) -> pl.LazyFrame:
        return pl.scan_csv(
            data,
            has_header=False,
            skip_rows=skip_rows,
            separator=source.delimiter,
            schema=schema,
            truncate_ragged_lines=True,
            quote_char='"',
        )

    try:
        # Closed on the way out, whatever ends the loop: a refused file's error keeps its
        # traceback (and so this frame) alive, and with it the open export.
        with closing(source.blocks()) as raw_blocks:
            for number, block in enumerate(raw_blocks):
                found = block_of(selected(scan(block, source.skip_rows if number == 0 else 0)))
                groups = found.groups
                if columns.target is not None and groups.filter(pl.col("target").is_null()).height:
                    raise DataFileError(
                        f"{source.name} has a row without a Target URL (fewer columns than the "
                        "header, or the cell left empty): the file is truncated or damaged; "
                        "export it again."
                    )
                yield found
    except pl.exceptions.PolarsError as exc:
        raise DataFileError(_engine_error(source, str(exc))) from None
    except UnicodeError as exc:
        raise DataFileError(decode_error_message(source.name, exc)) from None


def signal_aggregates() -> list[pl.Expr]:
    """How the links of one (page, domain) combine: the one rule for every grouping step.

    Followed when any link is, the best rating, spam when any row says so, the
    highest spam score and traffic, the earliest first-seen date.
    """
    import polars as pl

    return [
        pl.col("followed").any(),
        pl.col("rating").max(),
        pl.col("spam").any(),
        pl.col("score").max(),
        pl.col("traffic").max(),
        pl.col("first_seen").min(),
    ]


def representative_links(frame: FrameT, keys: Sequence[str]) -> FrameT:
    """One link per ``keys``: the one rule for which link stands for a (page, domain).

    A followed link first; among those, the earliest first seen (an unknown
    date last); among equals, the first row in the export (files in name
    order). Each step keeps the order of the rows it is given, so reducing
    per block, then per file, then over files picks the same link as one
    pass over every row would.
    """
    ordered = frame.sort(
        ["followed", "first_seen"], descending=[True, False], nulls_last=True, maintain_order=True
    )
    return ordered.unique(subset=list(keys), keep="first", maintain_order=True)


def _text(index: int | None, cell: Callable[[int], pl.Expr]) -> pl.Expr:
    """A text column of the export, or nulls when the export has no such column."""
    import polars as pl

    return cell(index) if index is not None else pl.lit(None, pl.String)


def _cleaned(name: str) -> pl.Expr:
    """A text column on one line (a title may span lines in the export), empty as null."""
    import polars as pl

    text = pl.col(name).str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(text != "").then(text).alias(name)


def _number(text: pl.Expr) -> pl.Expr:
    """A text cell as a float; anything that is not a number is null."""
    import polars as pl

    return text.str.strip_chars().cast(pl.Float64, strict=False)


def _engine_error(source: EngineSource, text: str) -> str:
    """What the engine's complaint means for the user's file.

    The engine's messages speak of its internals (schemas, chunks, offsets), so
    a failed file is read again by the stdlib ``csv`` module, which names the
    fault (a cell cut short, a stray quote) the way the rest of linkgap does.
    This slow path runs only for a file that is already being refused.
    """
    if "utf-8" in text.casefold() or "utf8" in text.casefold():
        return f"{source.name} has bytes that are not valid UTF-8 text; {FIX_ENCODING}."
    width = len(source.header)
    try:
        with source.text() as stream:
            rows = csv.reader(stream, delimiter=source.delimiter, strict=True)
            for number, row in enumerate(rows):
                if number >= source.skip_rows and row and len(row) < width:
                    return (
                        f"{source.name} has a row with {len(row)} columns where the header has "
                        f"{width}: the file is truncated or damaged; export it again."
                    )
    except csv.Error as exc:
        return csv_error_message(source.name, exc)
    except UnicodeError as exc:
        return decode_error_message(source.name, exc)
    return (
        f"{source.name} is not well-formed CSV (its rows do not match its header); export it "
        "again from Ahrefs or Semrush."
    )
