"""Stream backlinks exports into page-level referring domains.

The count that matters is distinct registrable domains per page, so rows are
reduced while they are read: per normalised target URL, the registrable domains
linking to it and whether at least one of each domain's live links to it is
followed (no nofollow, UGC or sponsored mark); per registrable domain, the
highest domain rating seen and whether any row flagged it as spam (both are
properties of the linking domain, not of one link). Memory grows with distinct
(page, domain) pairs, never with rows, so a million-row export is read in one
pass without loading it.

This is the hot path of the ``csv`` provider and of ``benchmarks/csv_import``:
only the needed cells are touched, hosts are cut out of URLs with one split,
and each host's registrable domain is looked up once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from operator import itemgetter
from pathlib import Path

from bot.collector import collector_paused
from bot.errors import DataFileError
from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain
from bot.gap.urls import host_of, normalise_url
from bot.providers.csv_formats import BacklinkColumns, backlink_columns
from bot.providers.csv_reader import MAX_FILE_BYTES, Table, open_table

#: Cell values that mean "not lost" in a lost-status / lost-date / lost-link column.
_NOT_LOST = frozenset({"", "-", "false", "no", "n", "0", "live", "active", "none", "n/a"})
_SPAM_YES = frozenset({"true", "yes", "y", "1", "spam"})
#: Cell values of a nofollow / UGC / sponsored column that mark the link.
_MARKED = _SPAM_YES
#: A page's referring domains: registrable domain -> at least one followed live link.
Page = dict[str, bool]
#: "No rating" inside the hot loop (a float, so comparisons need no None check).
_UNRATED = -1.0


class DomainStats:
    """What the exports say about one registrable domain: best rating seen, any spam flag."""

    __slots__ = ("domain", "rating", "rating_cell", "spam")

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.rating = _UNRATED
        #: The last rating cell read for this domain (the hot loop skips re-parsing it).
        self.rating_cell: str | None = None
        self.spam = False


def _rating(cell: str) -> float:
    text = cell.strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return _UNRATED
    return value if 0.0 <= value <= 100.0 else _UNRATED


def _host(url: str) -> str:
    """The host of a source URL cell, fast for the common ``scheme://host/...`` shape."""
    parts = url.split("/", 3)
    if len(parts) > 2 and parts[0].endswith(":") and not parts[1]:
        return parts[2]
    return host_of(url)


class BacklinkIndex:
    """Referring domains per page, built from any number of exports that add up.

    ``pages`` is keyed by ``normalise_url`` of the target; ``named_pages`` holds
    referring-domains exports whose target is known only by a file-name token
    (see ``bot.providers.csv_targets``).
    """

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.named_pages: dict[str, Page] = {}
        self.domains: dict[str, DomainStats] = {}
        #: Links (or referring-domain rows) read and kept, over every file.
        self.rows_read = 0
        self._hosts: dict[str, DomainStats | None] = {}
        self._targets: dict[str, Page] = {}
        self._ratings: dict[str, float] = {}
        self._spam: dict[str, bool] = {}

    # -- reading ---------------------------------------------------------------------------

    def add_backlinks_file(self, path: Path, *, max_bytes: int | None = MAX_FILE_BYTES) -> None:
        """Read an Ahrefs or Semrush backlinks export (one target URL per row)."""
        with open_table(path, max_bytes=max_bytes) as table:
            self.add_table(table, backlink_columns(path, table.header))

    def add_table(
        self, table: Table, columns: BacklinkColumns, *, page: Page | None = None
    ) -> None:
        """Read an open export: backlinks rows carry their target, referring-domains rows
        all belong to ``page``."""
        if columns.target is not None:
            with collector_paused():
                self._read_backlinks(table, columns)
            return
        if page is None:
            raise DataFileError(
                f"{table.path.name} is an {columns.kind.value}; it needs a target: list it in "
                "targets.csv or name it after its page."
            )
        self._read_refdomains(table, columns, page)

    def _read_refdomains(self, table: Table, columns: BacklinkColumns, page: Page) -> None:
        width = columns.width()
        lost, followed_links = columns.lost, columns.followed_links
        for row in table.rows:
            if len(row) < width:
                _check_short_row(table, row, width)
                continue
            if any(_is_lost(row[index]) for index in lost):
                continue
            stats = self._stats_of_host(row[columns.source])
            if stats is None:
                continue
            if columns.rating is not None:
                stats.rating = max(stats.rating, self._rating_of(row[columns.rating]))
            if columns.spam is not None and self._spam_of(row[columns.spam]):
                stats.spam = True
            followed = followed_links is None or _count(row[followed_links]) != 0
            page[stats.domain] = followed or page.get(stats.domain, False)
            self.rows_read += 1

    def _read_backlinks(self, table: Table, columns: BacklinkColumns) -> None:
        """The hot loop: one pass, a handful of dict look-ups per row."""
        indexes = columns.indexes()
        width = columns.width()
        # Absent optional columns read the source cell and are then ignored by their flag.
        cells = itemgetter(*(index if index >= 0 else columns.source for index in indexes))
        lost_cells = _cells_of(columns.lost)
        marked_cells = _cells_of(columns.not_followed)
        has_rating = columns.rating is not None
        has_spam = columns.spam is not None
        hosts, targets = self._hosts, self._targets
        kept = 0
        last_target: str = "\0"
        page: Page = {}
        for row in chain.from_iterable(table.batches):
            if len(row) < width:
                _check_short_row(table, row, width)
                continue
            source, target, rating_cell, spam_cell = cells(row)
            if lost_cells is not None and any(map(_is_lost, lost_cells(row))):
                continue
            if target != last_target:
                # Exports of one page repeat the same target cell row after row.
                last_target = target
                page = targets.get(target) or self._page_of_target(target)
            parts = source.split("/", 3)
            host = parts[2] if len(parts) > 2 and not parts[1] else _host(source)
            stats = hosts.get(host, False)
            if stats is False:
                stats = self._stats_of_host(host)
            if stats is None:
                continue
            domain = stats.domain  # type: ignore[union-attr]
            if not page.get(domain, False):
                page[domain] = marked_cells is None or not any(map(_is_marked, marked_cells(row)))
            # A domain's rating repeats on each of its rows: parse only when the cell changes.
            if has_rating and rating_cell != stats.rating_cell:  # type: ignore[union-attr]
                self._note_rating(stats, rating_cell)  # type: ignore[arg-type]
            if has_spam and spam_cell != "false" and self._spam_of(spam_cell):
                stats.spam = True  # type: ignore[union-attr]
            kept += 1
        self.rows_read += kept

    def _page_of_target(self, cell: str) -> Page:
        """The referring domains of a raw target cell's page, created on first sight."""
        key = normalise_url(cell) if cell.strip() else ""
        page: Page = self.pages.setdefault(key, {}) if key else {}
        self._targets[cell] = page
        return page

    def stats_of_domain(self, name: str) -> DomainStats:
        """The stats entry of a registrable domain, created empty on first sight."""
        stats = self.domains.get(name)
        if stats is None:
            stats = self.domains[name] = DomainStats(name)
        return stats

    def _stats_of_host(self, host: str) -> DomainStats | None:
        """The shared stats of a host's registrable domain (``None`` for an unusable host)."""
        if host in self._hosts:
            return self._hosts[host]
        clean = host.strip().rsplit("@", 1)[-1].lower()
        if clean.startswith("["):
            clean = clean.split("]", 1)[0].lstrip("[")
        else:
            clean = clean.split(":", 1)[0].strip(".")
        domain = registrable_domain(clean) if "." in clean or ":" in clean else ""
        stats = self.stats_of_domain(domain) if domain else None
        self._hosts[host] = stats
        return stats

    def _note_rating(self, stats: DomainStats, cell: str) -> None:
        stats.rating_cell = cell
        rating = self._ratings.get(cell)
        if rating is None:
            rating = self._rating_of(cell)
        if rating > stats.rating:
            stats.rating = rating

    def _rating_of(self, cell: str) -> float:
        rating = self._ratings[cell] = _rating(cell)
        return rating

    def _spam_of(self, cell: str) -> bool:
        flag = self._spam.get(cell)
        if flag is None:
            flag = self._spam[cell] = cell.strip().casefold() in _SPAM_YES
        return flag

    # -- answering -------------------------------------------------------------------------

    def referring_domains(self, pages: Iterable[Page], *, own_site: str) -> list[ReferringDomain]:
        """One ``ReferringDomain`` per registrable domain linking to any of ``pages``, by name.

        Links from the page's own site are internal links, not referring domains.
        A domain is ``followed`` when any of its live links to any of the pages is.
        """
        names: Page = {}
        for page in pages:
            for name, followed in page.items():
                names[name] = followed or names.get(name, False)
        names.pop(own_site, None)
        answer = []
        for name in sorted(names):
            stats = self.domains[name]
            answer.append(
                ReferringDomain(
                    domain=name,
                    domain_rating=None if stats.rating == _UNRATED else stats.rating,
                    is_spam=stats.spam,
                    followed=names[name],
                )
            )
        return answer

    def pages_on_site(self, site: str) -> Iterator[Page]:
        """Domain sets of every page whose target is on the registrable domain ``site``."""
        for key, page in self.pages.items():
            if site_of_key(key) == site:
                yield page


def site_of_key(key: str) -> str:
    """The registrable domain of a ``normalise_url`` key."""
    host = key.split("/", 1)[0].split("?", 1)[0]
    return registrable_domain(host.rsplit(":", 1)[0] if host.count(":") == 1 else host)


def _is_lost(cell: str) -> bool:
    return bool(cell) and cell.strip().casefold() not in _NOT_LOST


def _is_marked(cell: str) -> bool:
    """A nofollow / UGC / sponsored cell that marks the link (``true``, ``TRUE``, ``1``...)."""
    return bool(cell) and cell.strip().casefold() in _MARKED


def _count(cell: str) -> float:
    """A count cell as a number; an unreadable one counts as unknown (non-zero)."""
    try:
        return float(cell.strip().replace(",", "") or "nan")
    except ValueError:
        return float("nan")


def _cells_of(indexes: tuple[int, ...]) -> Callable[[list[str]], tuple[str, ...]] | None:
    """A getter of the cells at ``indexes`` as a tuple; ``None`` when there are none."""
    if not indexes:
        return None
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    getter: Callable[[list[str]], tuple[str, ...]] = itemgetter(*indexes)
    return getter


def _check_short_row(table: Table, row: list[str], width: int) -> None:
    """Blank lines are skipped; a row cut short means a truncated or damaged file."""
    if not row or (len(row) == 1 and not row[0].strip()):
        return
    raise DataFileError(
        f"{table.path.name} has a row with {len(row)} columns where the header has at least "
        f"{width}: the file is truncated or damaged; export it again."
    )
