"""Recognise an export by its header row and find the columns linkgap reads.

Ahrefs and Semrush rename, reorder and re-case columns between versions and
export options, so columns are found by name (case-insensitive, spacing
ignored) from a short list of aliases, never by position. A file whose header
fits none of the known formats is refused with the columns that were expected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import partial
from pathlib import Path

from bot.errors import DataFileError


class ExportKind(Enum):
    AHREFS_BACKLINKS = "Ahrefs backlinks export"
    AHREFS_REFDOMAINS = "Ahrefs referring-domains export"
    SEMRUSH_REFDOMAINS = "Semrush referring-domains export"
    SEMRUSH_BACKLINKS = "Semrush backlinks export"
    SEMRUSH_BACKLINK_AUDIT = "Semrush Backlink Audit export"
    MOZ_LINKS = "Moz Link Explorer inbound-links export"


# Aliases per role, tried in order; all compared after ``header_key``.
_SOURCE_URL = ("referring page url", "source url", "referring url", "source page url")
_TARGET_URL = ("target url", "target page url", "target page")
_RATING = ("domain rating", "dr")
#: Semrush's Authority Score of the referring domain (0-100), its domain rating.
_SEMRUSH_RATING = ("domain ascore", "authority score")
_SPAM = ("is spam", "spam")
#: A provider's spam score of the linking page or domain, 0-100 (Semrush Backlink Audit's
#: Toxic Score, Moz's Spam Score as a percentage): at or above the workspace's spam limit
#: the domain is spam, the same rule as DataForSEO's spam score.
_SCORE = ("toxic score", "toxicity score", "spam score")
#: Ahrefs: the linking domain's estimated organic traffic, and when the link was first seen.
_DOMAIN_TRAFFIC = ("domain traffic",)
_FIRST_SEEN = ("first seen",)
#: The linking page's title and the link's anchor text (Ahrefs ``Referring page title``,
#: Semrush ``Source title``, Moz ``Title`` and ``Anchor Text``).
_TITLE = ("referring page title", "source title", "title")
_ANCHOR = ("anchor", "anchor text")
#: Moz Link Explorer: the linking page is ``URL``; the rating is Domain Authority (0-100).
_MOZ_SOURCE = ("url",)
_MOZ_RATING = ("domain authority",)
#: A value in any of these (other than empty, ``-``, false, 0) means the link is gone.
#: Ahrefs "For Excel" exports carry both ``Lost status`` and ``Lost`` (a date); a row can
#: have an empty status and a lost date (drop reasons ``tooold``, ``disallowed``,
#: ``nxdomain``), so every alias present is read. Semrush writes ``Lost link`` = true.
_LOST = ("lost status", "lost", "lost link", "lost date")
#: A true value in any of these means the link passes no authority (Ahrefs ``Nofollow``,
#: ``UGC``, ``Sponsored``; Semrush ``Nofollow``, ``Sponsored``, ``Ugc``).
_NOT_FOLLOWED = ("nofollow", "ugc", "sponsored", "only rel=nofollow")
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
    "a Semrush backlinks export (Source url, Target url, Anchor, Nofollow, ...), "
    "a Semrush Backlink Audit export (Source url, Target url, Toxic Score, ...) "
    "or a Moz Link Explorer export (URL, Title, Anchor Text, Spam Score, Domain Authority, "
    "Target URL, ...)"
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
    #: A provider spam score of the link (0-100; ``%`` allowed), compared with the spam limit.
    score: int | None = None
    #: The linking domain's organic traffic (Ahrefs ``Domain traffic``).
    traffic: int | None = None
    #: When the link was first seen (``2024-05-01`` or ``2024-05-01 12:00:00``).
    first_seen: int | None = None
    #: The linking page's title and the link's anchor (exports that list links, not domains).
    title: int | None = None
    anchor: int | None = None

    def indexes(self) -> tuple[int, ...]:
        """Columns read, in a fixed order (source, target, rating, spam); -1 if absent."""
        return tuple(
            -1 if index is None else index
            for index in (self.source, self.target, self.rating, self.spam)
        )

    def width(self) -> int:
        """How many cells a row needs for every column read."""
        optional = tuple(
            -1 if index is None else index
            for index in (
                self.followed_links,
                self.score,
                self.traffic,
                self.first_seen,
                self.title,
                self.anchor,
            )
        )
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
    wrong = wrong_kind(keys)
    if wrong is not None:
        raise DataFileError(f"{path.name} is {wrong}.")
    source = _find(keys, _SOURCE_URL)
    target = _find(keys, _TARGET_URL)
    rating, spam, lost = _find(keys, _RATING), _find(keys, _SPAM), _find_all(keys, _LOST)
    score = _find(keys, _SCORE)
    moz_rating = _find(keys, _MOZ_RATING)
    # What every export that lists links (not referring domains) says about each link.
    per_link = partial(
        BacklinkColumns,
        lost=lost,
        not_followed=_find_all(keys, _NOT_FOLLOWED),
        first_seen=_find(keys, _FIRST_SEEN),
        title=_find(keys, _TITLE),
        anchor=_find(keys, _ANCHOR),
    )
    if source is None and target is not None and moz_rating is not None and "url" in keys:
        # Moz Link Explorer: URL, Title, Anchor Text, Spam Score, ..., Domain Authority, ...
        return per_link(
            kind=ExportKind.MOZ_LINKS,
            source=keys.index(_MOZ_SOURCE[0]),
            target=target,
            rating=moz_rating,
            spam=None,
            score=score,
        )
    if source is not None and target is not None and score is not None and "toxic" in keys[score]:
        # Semrush Backlink Audit: every link with its Toxic Score; Page ascore rates a page.
        return per_link(
            kind=ExportKind.SEMRUSH_BACKLINK_AUDIT,
            source=source,
            target=target,
            rating=None,
            spam=spam,
            score=score,
        )
    if source is not None and target is not None:
        kind = (
            ExportKind.AHREFS_BACKLINKS
            if "referring page url" in keys or rating is not None
            else ExportKind.SEMRUSH_BACKLINKS
        )
        if kind is ExportKind.SEMRUSH_BACKLINKS:
            # Semrush's "Page ascore" is a page score, not a domain rating: the domain is unrated.
            rating = None
        return per_link(
            kind=kind,
            source=source,
            target=target,
            rating=rating,
            spam=spam,
            traffic=_find(keys, _DOMAIN_TRAFFIC),
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


#: Exports people download by mistake, known by their columns: what each one is.
_WRONG_KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    # (columns all present, columns none of which may be present, what the file is)
    (("ip",), ("referring page url", "source url", "domain"),
     "a referring-IPs export (one row per IP address, not per linking page); export "
     "Backlinks or Referring domains instead"),
    (("ip address",), ("referring page url", "source url", "domain"),
     "a referring-IPs export (one row per IP address, not per linking page); export "
     "Backlinks or Referring domains instead"),
    (("source url", "response code"), ("target url",),
     "an indexed-pages export (the pages of one site with their backlink counts), not a "
     "list of links; export Backlinks instead"),
    (("url", "response code"), ("target url",),
     "an indexed-pages export (the pages of one site with their backlink counts), not a "
     "list of links; export Backlinks instead"),
    (("matches",), ("target url",),
     "a backlink comparison (gap) export: it counts domains shared between sites, not "
     "one page's links; export each competitor page's Backlinks instead"),
)  # fmt: skip
#: Column names of the vendors' APIs, which people sometimes save as CSV.
_API_STYLE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def wrong_kind(keys: Sequence[str]) -> str | None:
    """What a known export of the wrong kind is, from its header; ``None`` when it is not one.

    API-style snake_case headers (``source_url, target_url, domain_ascore``) are
    an API answer saved as a file, not an export: the API has a provider of its own.
    """
    present = set(keys)
    for needed, absent, what in _WRONG_KINDS:
        if present.issuperset(needed) and not present.intersection(absent):
            return what
    named = [key for key in keys if key]
    if len(named) >= 2 and sum(bool(_API_STYLE.match(key)) for key in named) * 2 > len(named):
        return (
            f"an API answer saved as CSV (columns such as {', '.join(named[:3])}), not an "
            "export from the tool's web interface; export the report from the web interface, "
            "or use the API itself as the provider (docs/providers.md)"
        )
    return None


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
