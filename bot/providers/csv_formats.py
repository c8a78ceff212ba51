"""Recognise an export by its header row and find the columns linkgap reads.

Ahrefs and Semrush rename, reorder and re-case columns between versions and
export options, so columns are found by name (case-insensitive, spacing
ignored) from a short list of aliases, never by position. A file whose header
fits none of the known formats is refused with the columns that were expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from bot.errors import DataFileError


class ExportKind(Enum):
    AHREFS_BACKLINKS = "Ahrefs backlinks export"
    AHREFS_REFDOMAINS = "Ahrefs referring-domains export"
    SEMRUSH_REFDOMAINS = "Semrush referring-domains export"
    SEMRUSH_BACKLINKS = "Semrush backlinks export"


# Aliases per role, tried in order; all compared after ``header_key``.
_SOURCE_URL = ("referring page url", "source url", "referring url", "source page url")
_TARGET_URL = ("target url", "target page url", "target page")
_RATING = ("domain rating", "dr")
#: Semrush's Authority Score of the referring domain (0-100), its domain rating.
_SEMRUSH_RATING = ("domain ascore", "authority score")
_SPAM = ("is spam", "spam")
#: A value in any of these (other than empty, ``-``, false, 0) means the link is gone.
#: Ahrefs "For Excel" exports carry both ``Lost status`` and ``Lost`` (a date); a row can
#: have an empty status and a lost date (drop reasons ``tooold``, ``disallowed``,
#: ``nxdomain``), so every alias present is read. Semrush writes ``Lost link`` = true.
_LOST = ("lost status", "lost", "lost link", "lost date")
#: A true value in any of these means the link passes no authority (Ahrefs ``Nofollow``,
#: ``UGC``, ``Sponsored``; Semrush ``Nofollow``, ``Sponsored``, ``Ugc``).
_NOT_FOLLOWED = ("nofollow", "ugc", "sponsored")
#: Referring-domains exports count the domain's followed links to the target instead.
_FOLLOWED_LINKS = ("dofollow links", "dofollow backlinks")
_DOMAIN = ("domain", "referring domain")
_LINKS_TO_TARGET = ("links to target", "dofollow links", "backlinks")

_SERP_POSITION = ("position", "pos", "#", "rank", "pos.")
_SERP_URL = ("url", "page", "page url", "link", "result url")
_SERP_TITLE = ("title", "page title")
_SERP_TYPE = ("type", "result type", "serp feature")

_EXPECTED_EXPORTS = (
    "an Ahrefs backlinks export (Referring page URL, Target URL, Domain rating, Is spam, ...), "
    "an Ahrefs referring-domains export (Domain, DR, Is spam, Links to target, ...), "
    "a Semrush referring-domains export (Domain ascore, Domain, Backlinks, ...) "
    "or a Semrush backlinks export (Source url, Target url, Anchor, Nofollow, ...)"
)


def header_key(name: str) -> str:
    """A header cell as compared: BOM, quotes and surrounding spaces gone, case-folded."""
    return " ".join(name.replace("\ufeff", "").strip().strip('"').split()).casefold()


def _find(keys: Sequence[str], aliases: Sequence[str]) -> int | None:
    for alias in aliases:
        if alias in keys:
            return keys.index(alias)
    return None


def _find_all(keys: Sequence[str], aliases: Sequence[str]) -> tuple[int, ...]:
    """Every column that carries one of ``aliases``, in header order (aliases add up)."""
    return tuple(index for index, key in enumerate(keys) if key in aliases)


@dataclass(frozen=True, slots=True)
class BacklinkColumns:
    """Where one backlinks or referring-domains export keeps the cells linkgap reads."""

    kind: ExportKind
    #: Source page URL (backlinks exports) or referring domain (referring-domains export).
    source: int
    #: Target URL; ``None`` for a referring-domains export (one file per target).
    target: int | None
    rating: int | None
    spam: int | None
    #: Every lost column present: a row is lost when any of them says so.
    lost: tuple[int, ...] = ()
    #: Every nofollow / UGC / sponsored column present: a link is followed when none is true.
    not_followed: tuple[int, ...] = ()
    #: A referring-domains export's count of followed links from the domain to the target.
    followed_links: int | None = None

    def indexes(self) -> tuple[int, ...]:
        """Columns read, in a fixed order (source, target, rating, spam); -1 if absent."""
        return tuple(
            -1 if index is None else index
            for index in (self.source, self.target, self.rating, self.spam)
        )

    def width(self) -> int:
        """How many cells a row needs for every column read."""
        optional = (self.followed_links if self.followed_links is not None else -1,)
        return 1 + max(*self.indexes(), *self.lost, *self.not_followed, *optional)


@dataclass(frozen=True, slots=True)
class SerpColumns:
    """Where the SERP file keeps position, URL, title, domain rating and result type."""

    position: int
    url: int
    title: int | None
    rating: int | None
    result_type: int | None


def backlink_columns(path: Path, header: Sequence[str]) -> BacklinkColumns:
    """The format of a backlinks-side export, from its header; unknown headers are refused."""
    keys = [header_key(cell) for cell in header]
    source = _find(keys, _SOURCE_URL)
    target = _find(keys, _TARGET_URL)
    rating, spam, lost = _find(keys, _RATING), _find(keys, _SPAM), _find_all(keys, _LOST)
    if source is not None and target is not None:
        kind = (
            ExportKind.AHREFS_BACKLINKS
            if "referring page url" in keys or rating is not None
            else ExportKind.SEMRUSH_BACKLINKS
        )
        if kind is ExportKind.SEMRUSH_BACKLINKS:
            # Semrush's "Page ascore" is a page score, not a domain rating: the domain is unrated.
            rating = None
        return BacklinkColumns(
            kind=kind,
            source=source,
            target=target,
            rating=rating,
            spam=spam,
            lost=lost,
            not_followed=_find_all(keys, _NOT_FOLLOWED),
        )
    domain = _find(keys, _DOMAIN)
    semrush_rating = _find(keys, _SEMRUSH_RATING)
    if domain is not None and semrush_rating is not None:
        return BacklinkColumns(
            kind=ExportKind.SEMRUSH_REFDOMAINS,
            source=domain,
            target=None,
            rating=semrush_rating,
            spam=spam,
            lost=lost,
        )
    if domain is not None and (rating is not None or _find(keys, _LINKS_TO_TARGET) is not None):
        return BacklinkColumns(
            kind=ExportKind.AHREFS_REFDOMAINS,
            source=domain,
            target=None,
            rating=rating,
            spam=spam,
            lost=lost,
            followed_links=_find(keys, _FOLLOWED_LINKS),
        )
    raise DataFileError(
        f"{path.name} has columns ({_shown(header)}) that match no known export; expected "
        f"{_EXPECTED_EXPORTS}."
    )


def serp_columns(path: Path, header: Sequence[str]) -> SerpColumns:
    """The columns of the SERP file; a header without position and URL is refused."""
    keys = [header_key(cell) for cell in header]
    position = _find(keys, _SERP_POSITION)
    url = _find(keys, _SERP_URL)
    if position is None or url is None:
        raise DataFileError(
            f"{path.name} is the SERP file but has columns ({_shown(header)}); expected a "
            "position column (Position, Pos, # or Rank) and a URL column (URL or Page), "
            "optionally Title, Domain rating (DR) and Type."
        )
    return SerpColumns(
        position=position,
        url=url,
        title=_find(keys, _SERP_TITLE),
        rating=_find(keys, _RATING),
        result_type=_find(keys, _SERP_TYPE),
    )


def _shown(header: Sequence[str], limit: int = 8) -> str:
    """The first header cells, trimmed, for an error message that stays one line."""
    cells = [" ".join(cell.replace("\ufeff", "").split())[:40] for cell in header[:limit]]
    more = f", ... {len(header) - limit} more" if len(header) > limit else ""
    return ", ".join(cells) + more
